# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class HrJob(models.Model):
    _inherit = "hr.job"

    certification_program_ids = fields.Many2many(
        "certification.program",
        "hr_job_certification_program_rel",
        "hr_job_id",
        "certification_program_id",
        string="Required Certifications",
        help="Every employee in this job position must hold these certifications.",
    )
