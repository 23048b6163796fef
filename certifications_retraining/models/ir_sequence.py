# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models


class IrSequence(models.Model):
    _name = "ir.sequence"
    _inherit = ["ir.sequence", "certification.server.record.mixin"]
