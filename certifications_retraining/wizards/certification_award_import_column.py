# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models

from ..tools.csv_import import COLUMNS


class CertificationAwardImportColumn(models.TransientModel):
    _name = "certification.award.import.column"
    _description = "Import Certification Records: Column"
    _order = "index"

    wizard_id = fields.Many2one(
        "certification.award.import", required=True, ondelete="cascade"
    )
    index = fields.Integer(required=True, readonly=True)
    name = fields.Char("File Column", readonly=True)
    field_name = fields.Selection(
        COLUMNS, "Imported As", help="Leave empty to ignore the column."
    )
