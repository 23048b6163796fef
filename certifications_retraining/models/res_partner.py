# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError

CONSENT_FIELD = "is_credential_email_shared"


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_credential_email_shared = fields.Boolean(
        "E-mail in My Credentials",
        readonly=True,
        copy=False,
        help="Chosen by the learner on the portal: their Open Badges credentials "
        "carry a salted hash of their e-mail address, so that a wallet or an "
        "employer who knows the address can match it. Off by default: the "
        "credential names the learner only through its verification page.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get(CONSENT_FIELD) for vals in vals_list):
            raise AccessError(self._error_credential_consent())
        # Explicit values, so that no ``default_*`` context key opts anyone in.
        vals_list = [dict({CONSENT_FIELD: False}, **vals) for vals in vals_list]
        return super().create(vals_list)

    def write(self, vals):
        if (
            CONSENT_FIELD in vals
            and not self.env.su
            and self != self.env.user.partner_id
        ):
            raise AccessError(self._error_credential_consent())
        return super().write(vals)

    @api.model
    def _error_credential_consent(self):
        return _("Only learners choose whether their credentials carry their e-mail.")

    def _set_credential_email_shared(self, shared):
        """The learner's own choice (the portal form)."""
        self.ensure_one()
        if self != self.env.user.partner_id:
            raise AccessError(self._error_credential_consent())
        # sudo: the visitor changes their own partner's consent (checked just
        # above); portal users have no write access on partners.
        self.sudo().write({CONSENT_FIELD: bool(shared)})
