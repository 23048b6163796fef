# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    certification_expiry_horizon_days = fields.Integer(
        "Expiry Horizon",
        config_parameter="certifications_retraining.expiry_horizon_days",
        default=30,
        help="In the compliance report, a valid certification expiring within "
        "this many days is shown as expiring instead of compliant.",
    )
    certification_manager_activity = fields.Boolean(
        "Activity for Managers",
        config_parameter="certifications_retraining.manager_activity",
        help="Every day, schedule an activity for the manager of each employee "
        "who newly lacks a required certification (grace, expired or missing).",
    )

    def action_verify_certification_audit_chain(self):
        """Settings button: verify the audit log's hash chain now."""
        return self.env["certification.audit.log"].action_verify_chain()
