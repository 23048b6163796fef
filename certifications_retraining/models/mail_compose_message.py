# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models

from .mail_render_mixin import RENDER_ONCE_KEY


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    def _render_field(self, field, res_ids, *args, **kwargs):
        """The certification mails' composer (:data:`RENDER_ONCE_KEY`) never
        edits the body: each learner gets the template's body in their
        language, sanitized as the composer's own copy is. (Odoo compares its
        sanitized copy with the template, which differs as soon as the
        template has inline styles, and then renders that copy, in the
        sender's language, for every learner.)"""
        if (
            field != "body"
            or not self.env.context.get(RENDER_ONCE_KEY)
            or not self.template_id
            or not kwargs.get("compute_lang")
        ):
            return super()._render_field(field, res_ids, *args, **kwargs)
        options = dict(self._fields["body"].render_options or {})
        options.update(kwargs.get("options") or {})
        results = {}
        templates = self.template_id._classify_per_lang(res_ids)
        for lang, (template, lang_res_ids) in templates.items():
            body = self._fields["body"].convert_to_cache(template.body_html, self)
            composer = self.with_context(lang=lang) if lang else self
            results.update(
                composer._render_template(
                    body,
                    self.model,
                    lang_res_ids,
                    engine="qweb",
                    add_context=kwargs.get("add_context"),
                    options=options,
                )
            )
        return results
