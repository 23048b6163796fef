# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


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

    _sql_constraints = [
        (
            "award_reminder_uniq",
            "unique(award_id, reminder_id)",
            "A reminder is sent once per award and expiry date.",
        )
    ]
