# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models

from .certification_server_record_mixin import creating_server_records


# One concern per file extending the award (DESIGN.md), not one growing model file.
# pylint: disable=consider-merging-classes-inherited
class CertificationAward(models.Model):
    """The gamification badge given with an award: a certification may name
    one (``badge_id``); the one door grants it to each learner it issues a
    valid award to."""

    _inherit = "certification.award"

    def _grant_badges(self):
        """The certification's gamification badge, if it has one, to the
        learners of the new valid awards of ``self``."""
        if not self.program_id.badge_id:
            return
        awards = self.filtered(
            lambda a: a.program_id.badge_id and a.user_id.active and a.state == "valid"
        )
        if not awards:
            return
        # in the learner's (or officer's) name: none of their personal
        # defaults names another user as its sender, nor reaches Odoo's mail
        with creating_server_records():
            badge_users = (
                self.env["gamification.badge.user"]
                # the awards were just issued through the one door, which
                # checked the caller: the badge of the certification goes
                # with them
                .sudo()
                .create(
                    [
                        {
                            "badge_id": award.program_id.badge_id.id,
                            "user_id": award.user_id.id,
                            "comment": award.program_id.name,
                        }
                        for award in awards
                    ]
                )
            )
            badge_users._send_badge()
