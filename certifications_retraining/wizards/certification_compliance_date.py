# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import _, fields, models
from odoo.tools.misc import format_date

from ..models.certification_job import NO_ACTIVE_RECORD
from ..report.certification_compliance_report import DATE_CONTEXT_KEY


class CertificationComplianceDate(models.TransientModel):
    """Ask for a date, then open the compliance report as it stood (or, for a
    future date, as it will stand if nobody renews) at the end of that day."""

    _name = "certification.compliance.date"
    _description = "Compliance at a Date"

    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        help="The report shows each employee's standing at the end of this day "
        "(your timezone). A future date is a forecast assuming nobody renews. "
        "Required certifications are today's: Odoo keeps no history of job "
        "positions' and departments' requirements.",
    )

    def action_open_report(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "certifications_retraining.certification_compliance_report_action"
        )
        action["name"] = action["display_name"] = _(
            "Compliance at %(date)s", date=format_date(self.env, self.date)
        )
        action["context"] = {
            **NO_ACTIVE_RECORD,
            DATE_CONTEXT_KEY: fields.Date.to_string(self.date),
        }
        action["target"] = "main"
        return action
