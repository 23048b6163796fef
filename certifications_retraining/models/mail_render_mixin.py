# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from lxml import html
from markupsafe import Markup

from odoo import api, models
from odoo.tools import safe_eval

from .. import compat

AWARD_MODEL = "certification.award"


class MailRenderMixin(models.AbstractModel):
    _inherit = "mail.render.mixin"

    @api.model
    def _render_template_qweb(
        self, template_src, model, res_ids, add_context=None, options=None
    ):
        """The QWeb body of a certification mail, compiled once per batch.

        Depends on Odoo's ``mail.render.mixin._render_template_qweb``
        (addons/mail/models/mail_render_mixin.py), which calls
        ``ir.qweb._render`` (odoo/addons/base/models/ir_qweb.py) once per
        record with a freshly parsed body; an inline template has no compile
        cache, so every mail compiles the body again (half the time of the
        expiry cron in a profile). Here ``ir.qweb._render``'s three steps
        (``_prepare_environment``, ``_compile``, run the compiled function)
        are taken apart so that the body is compiled once and run per award,
        with Odoo's variables. Only unrestricted renders of several awards
        (the certification mails are sent as superuser); anything else, and
        any error (Odoo reports it), goes Odoo's way. ``TestMailRenderOnce``
        compares the output with Odoo's own method, template by template, and
        counts the compilations. Odoo 18.0 only (``compat.MAIL_BODY_COMPILED_ONCE``:
        19.0 renders in another way, and its own path is kept there)."""
        restricted = (
            not self._unrestricted_rendering
            and not self.env.is_admin()
            and not self.env.user.has_group("mail.group_mail_template_editor")
        )
        if (
            not compat.MAIL_BODY_COMPILED_ONCE
            or model != AWARD_MODEL
            or restricted
            or len(res_ids) < 2
            or not template_src
            or not self._has_unsafe_expression_template_qweb(template_src, model)
        ):
            return super()._render_template_qweb(
                template_src, model, res_ids, add_context=add_context, options=options
            )
        try:
            return self._render_award_bodies(
                template_src, res_ids, add_context, options
            )
        except Exception:  # noqa: BLE001 - Odoo's own path reports the error
            return super()._render_template_qweb(
                template_src, model, res_ids, add_context=add_context, options=options
            )

    def _render_award_bodies(self, template_src, res_ids, add_context, options):
        variables = dict(self._render_eval_context(), **(add_context or {}))
        qweb = self.env["ir.qweb"].with_context(**(options or {}))
        qweb = qweb._prepare_environment(variables)
        safe_eval.check_values(variables)
        template = html.fragment_fromstring(template_src, create_parent="div")
        functions, name = qweb._compile(template)
        results = {}
        for record in self.env[AWARD_MODEL].browse(res_ids):
            rendered = Markup(
                "".join(functions[name](qweb, dict(variables, object=record)))
            )
            # without the <div> wrapping the fragment, as Odoo does
            results[record.id] = rendered[5:-6]
        return results
