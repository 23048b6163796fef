# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class CertificationAwardRevoke(models.TransientModel):
    """Confirm the revocation of an award and give its reason."""

    _name = "certification.award.revoke"
    _description = "Revoke Certification"

    award_id = fields.Many2one("certification.award", required=True, ondelete="cascade")
    reason = fields.Text(
        required=True,
        help="Kept on the award and posted in its chatter; not shown on the "
        "public verification page.",
    )

    def action_confirm(self):
        self.ensure_one()
        self.award_id._revoke(self.reason)
        return {"type": "ir.actions.act_window_close"}
