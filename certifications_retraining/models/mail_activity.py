# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models


class MailActivity(models.Model):
    _name = "mail.activity"
    _inherit = ["mail.activity", "certification.server.record.mixin"]
