# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models


class GamificationBadgeUser(models.Model):
    _name = "gamification.badge.user"
    _inherit = ["gamification.badge.user", "certification.server.record.mixin"]
