# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from lxml import html
from markupsafe import Markup

from odoo import api, models
from odoo.tools import safe_eval

# Context key set by certification.award._send_certification_mail: render each
# QWeb template once per batch and language, then fill it per record.
RENDER_ONCE_KEY = "certification_render_once"


class MailRenderMixin(models.AbstractModel):
    _inherit = "mail.render.mixin"

    @api.model
    def _render_template_qweb(
        self, template_src, model, res_ids, add_context=None, options=None
    ):
        """Under :data:`RENDER_ONCE_KEY`, compile the QWeb template once for all
        ``res_ids`` (Odoo compiles it again for every record) and run the
        compiled function per record: the same engine, the same evaluation
        context, the same output. Restricted renderers (no template editor
        right), the regex fast path and single records keep Odoo's way."""
        if (
            not self.env.context.get(RENDER_ONCE_KEY)
            or not template_src
            or len(res_ids) < 2
            or self._is_restricted_render()
            or not self._has_unsafe_expression_template_qweb(template_src, model)
        ):
            return super()._render_template_qweb(
                template_src, model, res_ids, add_context=add_context, options=options
            )
        variables = self._render_eval_context()
        variables.update(add_context or {})
        qweb = self.env["ir.qweb"].with_context(**(options or {}))
        qweb = qweb._prepare_environment(variables)
        safe_eval.check_values(variables)
        try:
            functions, name = qweb._compile(
                html.fragment_fromstring(template_src, create_parent="div")
            )
        except Exception:  # noqa: BLE001 - Odoo's path reports the error
            return super()._render_template_qweb(
                template_src, model, res_ids, add_context=add_context, options=options
            )
        render = functions[name]
        results = {}
        for record in self.env[model].browse(res_ids):
            values = dict(variables, object=record)
            try:
                rendered = Markup("".join(render(qweb, values)))
            except Exception:  # noqa: BLE001 - Odoo's path reports the error
                return super()._render_template_qweb(
                    template_src,
                    model,
                    res_ids,
                    add_context=add_context,
                    options=options,
                )
            # drop the <div> wrapping the fragment, as Odoo does
            results[record.id] = rendered[5:-6]
        return results

    def _is_restricted_render(self):
        return (
            not self._unrestricted_rendering
            and not self.env.is_admin()
            and not self.env.user.has_group("mail.group_mail_template_editor")
        )
