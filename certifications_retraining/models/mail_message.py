# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models


class MailMessage(models.Model):
    _name = "mail.message"
    _inherit = ["mail.message", "certification.server.record.mixin"]
