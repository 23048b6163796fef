# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import _, api, fields, models


# One concern per file extending the award (DESIGN.md), not one growing model file.
# pylint: disable=consider-merging-classes-inherited
class CertificationAward(models.Model):
    """Display labels of an award, worded per number: "1 day", "Expired 3
    days ago", read by lists, mails and the portal."""

    _inherit = "certification.award"

    days_left_label = fields.Char(
        "Days Left",
        compute="_compute_days_left_label",
        help="Days until expiry in the learner's timezone, or how long ago the "
        "award expired; empty when it never expires or was archived.",
    )
    days_to_expiry_text = fields.Char(
        "Days to Expiry Text", compute="_compute_days_left_label"
    )

    @api.depends("days_to_expiry", "state")
    @api.depends_context("tz")
    def _compute_days_left_label(self):
        for award in self:
            days = award.days_to_expiry
            award.days_to_expiry_text = award._get_days_text(max(days, 0))
            if not award.date_expiry or award.state == "archived":
                award.days_left_label = False
            elif days < 0:
                award.days_left_label = (
                    _("Expired 1 day ago")
                    if days == -1
                    else _("Expired %(count)s days ago", count=-days)
                )
            else:
                award.days_left_label = award.days_to_expiry_text

    @api.model
    def _get_days_text(self, count):
        """ "1 day" or "N days"."""
        return _("1 day") if count == 1 else _("%(count)s days", count=count)
