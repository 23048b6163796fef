# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict

from odoo import api, fields, models

from ..compat import Constraint


class CertificationAwardReminderSent(models.Model):
    """Marks a reminder as done for an award's current expiry cycle. Renewing
    creates a new award (a new cycle); moving the expiry date deletes the
    markers of the reminders that have not fired yet for the new date."""

    _name = "certification.award.reminder.sent"
    _description = "Certification Reminder Sent"
    _order = "id desc"

    award_id = fields.Many2one(
        "certification.award", required=True, index=True, ondelete="cascade"
    )
    reminder_id = fields.Many2one(
        "certification.reminder", required=True, index=True, ondelete="cascade"
    )
    date_expiry = fields.Datetime(
        "Expiry Reminded", help="The expiry date the reminder was about."
    )
    date_sent = fields.Datetime(
        "Sent On", default=fields.Datetime.now, readonly=True, index=True
    )
    is_superseded = fields.Boolean(
        "Superseded",
        help="Due at the same time as a reminder closer to expiry, which was sent "
        "instead.",
    )

    _award_reminder_uniq = Constraint(
        "unique(award_id, reminder_id)",
        "A reminder is sent once per award and expiry date.",
    )

    @api.model
    def _get_sent_by_award(self, awards):
        """{award id: ids of the steps sent in its expiry cycle}, read in one
        query (awards being created have none)."""
        sent = defaultdict(set)
        stored = [award_id for award_id in awards._ids if isinstance(award_id, int)]
        if stored:
            markers = self.search_fetch(
                [("award_id", "in", stored)], ["award_id", "reminder_id"]
            )
            for marker in markers:
                sent[marker.award_id.id].add(marker.reminder_id.id)
        return sent

    @api.model
    def _mark(self, due, superseded=False):
        """Mark the due steps (``{award: reminders}``, the one sent first) as
        done for the awards' expiry cycles: the first step of each award is
        the one sent, the others are superseded (all of them with
        ``superseded``). The awards' next reminder follows (it depends on
        their markers). The unique constraint refuses a second marker of the
        same step."""
        return self.create(
            [
                {
                    "award_id": award.id,
                    "reminder_id": reminder.id,
                    "date_expiry": award.date_expiry,
                    "is_superseded": superseded or index > 0,
                }
                for award, reminders in due.items()
                for index, reminder in enumerate(reminders)
            ]
        )
