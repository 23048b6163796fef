# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


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
