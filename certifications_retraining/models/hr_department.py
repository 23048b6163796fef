# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import _, fields, models


class HrDepartment(models.Model):
    _inherit = "hr.department"

    certification_program_ids = fields.Many2many(
        "certification.program",
        "hr_department_certification_program_rel",
        "hr_department_id",
        "certification_program_id",
        string="Required Certifications",
        help="Every employee of this department must hold these certifications.",
    )
    certification_required_count = fields.Integer(
        "Required Certifications Count",
        compute="_compute_certification_compliance",
        groups="hr.group_hr_user,certifications_retraining.group_certification_officer",
        help="Certifications required of the department's employees (by their job "
        "or the department), one per employee and certification.",
    )
    certification_compliance_rate = fields.Float(
        "Certification Compliance (%)",
        compute="_compute_certification_compliance",
        digits=(5, 1),
        groups="hr.group_hr_user,certifications_retraining.group_certification_officer",
        help="Share of the required certifications its employees hold today.",
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    def _compute_certification_compliance(self):
        groups = self.env["certification.compliance.report"]._read_group(
            [("department_id", "in", self.ids)],
            ["department_id"],
            ["__count", "compliance_rate:avg"],
        )
        figures = {department: (count, rate) for department, count, rate in groups}
        for department in self:
            count, rate = figures.get(department, (0, 0.0))
            department.certification_required_count = count
            department.certification_compliance_rate = rate or 0.0

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_certification_compliance(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "certifications_retraining.certification_compliance_report_action"
        )
        action["domain"] = [("department_id", "=", self.id)]
        action["name"] = action["display_name"] = _(
            "Compliance: %(department)s", department=self.display_name
        )
        return action
