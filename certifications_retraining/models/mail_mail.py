# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models


class MailMail(models.Model):
    _name = "mail.mail"
    _inherit = ["mail.mail", "certification.server.record.mixin"]
