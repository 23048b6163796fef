# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.tools import SQL


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

    @api.model
    def _insert_markers(self, vals_list):
        """Insert markers (``award_id``, ``reminder_id``, ``date_expiry``,
        ``is_superseded``) in one statement: the expiry cron and the creation
        of past awards write one per award and step, and a marker has nothing
        for the ORM to compute. The unique constraint still refuses a second
        marker of the same step."""
        if not vals_list:
            return
        self.env.cr.execute(
            SQL(
                "INSERT INTO certification_award_reminder_sent (award_id, "
                "reminder_id, date_expiry, is_superseded, date_sent, create_uid, "
                "create_date, write_uid, write_date) "
                "SELECT *, %(sent)s, %(uid)s, %(now)s, %(uid)s, %(now)s "
                "FROM unnest(%(awards)s::int4[], %(reminders)s::int4[], "
                "%(expiries)s::timestamp[], %(superseded)s::bool[])",
                awards=[vals["award_id"] for vals in vals_list],
                reminders=[vals["reminder_id"] for vals in vals_list],
                expiries=[vals["date_expiry"] or None for vals in vals_list],
                superseded=[bool(vals["is_superseded"]) for vals in vals_list],
                sent=fields.Datetime.now(),
                now=self.env.cr.now(),
                uid=self.env.uid,
            )
        )
