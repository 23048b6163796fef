# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models

AWARD_MODEL = "certification.award"


class MailComposeMessage(models.TransientModel):
    _name = "mail.compose.message"
    _inherit = ["mail.compose.message", "certification.server.record.mixin"]

    @api.depends("model")
    def _compute_body_has_template_value(self):
        """On awards, a body copied unchanged from the template counts as the
        template's, so each learner gets the template in their language.

        Depends on Odoo's ``mail.composer.mixin`` (mail/models/
        mail_composer_mixin.py): ``_compute_body_has_template_value`` compares
        the body with the template's raw or ``html_sanitize``-d value, while
        ``_compute_body`` copies the template into the ``body`` field, whose
        ``email_outgoing`` sanitizing keeps inline styles; with styles the two
        never match, and ``_render_field`` then renders the copy, in the
        sender's language, for every learner instead of the template in each
        learner's language. Here the copy is compared with the template's body
        converted by the ``body`` field itself.
        tests/test_mail_sending.py compares the mails with Odoo's own
        rendering of the template."""
        res = super()._compute_body_has_template_value()
        body_field = self._fields["body"]
        for composer in self:
            if (
                composer.model == AWARD_MODEL
                and composer.template_id
                and composer.body
                and not composer.body_has_template_value
            ):
                composer.body_has_template_value = (
                    composer.body
                    == body_field.convert_to_cache(
                        composer.template_id.body_html, composer
                    )
                )
        return res
