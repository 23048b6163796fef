# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict
from datetime import timedelta

from odoo import Command, _, api, fields, models

from ..compat import Constraint
from .certification_award_expiry import REMINDER_STATES, TEMPLATE_MANAGER_REMINDER

HOURS_PER_UNIT = {"hours": 1, "days": 24, "weeks": 24 * 7}
REMINDER_TEMPLATE = "certifications_retraining.mail_template_certification_reminder"


class CertificationReminder(models.Model):
    """A reminder sent some time before or after an award expires (like
    ``event.mail`` for events), to the learner, their manager or both: the
    steps of a reminder ladder. Rules without a certification are the
    defaults copied to each new certification."""

    _name = "certification.reminder"
    _description = "Certification Reminder"
    _order = "program_id, interval_type desc, interval_hours desc, id"

    program_id = fields.Many2one(
        "certification.program",
        "Certification",
        index=True,
        ondelete="cascade",
        help="Empty: a default rule, copied to each new certification.",
    )
    interval_number = fields.Integer(
        "Interval", default=1, required=True, aggregator=False
    )
    interval_unit = fields.Selection(
        [("hours", "Hours"), ("days", "Days"), ("weeks", "Weeks")],
        "Unit",
        default="days",
        required=True,
    )
    interval_type = fields.Selection(
        [("before", "Before expiry"), ("after", "After expiry")],
        "When",
        default="before",
        required=True,
    )
    recipient = fields.Selection(
        [
            ("learner", "Learner"),
            ("manager", "Manager"),
            ("both", "Learner and manager"),
        ],
        default="learner",
        required=True,
        help="The manager is the learner's employee's manager; learners without "
        "an employee or a manager get the learner's copy only.",
    )
    interval_hours = fields.Integer(
        compute="_compute_interval_hours",
        store=True,
        help="The interval before expiry in hours, read by the expiry cron.",
        aggregator=False,
    )
    template_id = fields.Many2one(
        "mail.template",
        "Learner's Email",
        required=True,
        ondelete="restrict",
        domain=[("model", "=", "certification.award")],
        default=lambda self: self.env.ref(REMINDER_TEMPLATE, raise_if_not_found=False),
    )
    manager_template_id = fields.Many2one(
        "mail.template",
        "Manager's Email",
        compute="_compute_manager_template_id",
        help="The mail the learner's manager gets at this step: always the "
        "manager reminder.",
    )
    company_id = fields.Many2one(related="program_id.company_id", store=True)
    sent_count = fields.Integer("Sent", compute="_compute_sent_count")

    _interval_number_positive = Constraint(
        "CHECK(interval_number >= 0)",
        "A reminder interval cannot be negative.",
    )

    @api.depends("recipient")
    def _compute_manager_template_id(self):
        """What ``certification.award._send_reminder_mails`` sends the manager."""
        template = self.env.ref(TEMPLATE_MANAGER_REMINDER, raise_if_not_found=False)
        for reminder in self:
            to_manager = reminder.recipient in ("manager", "both")
            reminder.manager_template_id = template if to_manager else False

    @api.depends("interval_number", "interval_unit")
    def _compute_interval_hours(self):
        for reminder in self:
            reminder.interval_hours = (
                reminder.interval_number * HOURS_PER_UNIT[reminder.interval_unit]
            )

    @api.depends("interval_number", "interval_unit", "interval_type")
    def _compute_display_name(self):
        units = dict(self._fields["interval_unit"]._description_selection(self.env))
        for reminder in self:
            unit = units.get(reminder.interval_unit, "").lower()
            if not reminder.interval_number:
                name = _("On the expiry day")
            elif reminder.interval_type == "after":
                name = _(
                    "%(number)s %(unit)s after expiry",
                    number=reminder.interval_number,
                    unit=unit,
                )
            else:
                name = _(
                    "%(number)s %(unit)s before expiry",
                    number=reminder.interval_number,
                    unit=unit,
                )
            reminder.display_name = name

    def _compute_sent_count(self):
        counts = dict(
            self.env["certification.award.reminder.sent"]._read_group(
                [("reminder_id", "in", self.ids)], ["reminder_id"], ["__count"]
            )
        )
        for reminder in self:
            reminder.sent_count = counts.get(reminder, 0)

    def _get_interval(self):
        self.ensure_one()
        return timedelta(hours=self.interval_hours)

    def _get_moment(self, date_expiry):
        """When this reminder fires for an award expiring at ``date_expiry``."""
        return date_expiry + self._get_offset()

    def _get_offset(self):
        """When this reminder fires, relative to the expiry (negative before)."""
        self.ensure_one()
        if self.interval_type == "after":
            return self._get_interval()
        return -self._get_interval()

    def _is_at_or_after_expiry(self):
        """Rules that still apply once the award is past its expiry (grace,
        expired): ``after`` rules and the expiry-day rule."""
        self.ensure_one()
        return self.interval_type == "after" or not self.interval_hours

    # ------------------------------------------------------------
    # THE LADDER OF AN AWARD
    # ------------------------------------------------------------

    @api.model
    def _get_pending_for(self, awards):
        """{award id: [(moment, reminder id)]}: the steps of each award's
        certification not sent yet in its expiry cycle, with when they fire.
        Valid awards get every step; awards past their expiry (grace,
        expired) only the steps at or after it, never a "before" one. A step
        never fires for an award without expiry, nor before the issue (the
        award was issued inside that window), nor when it was due before an
        award recorded past its expiry was created (``date_reminders_from``).
        The steps of a certification are read once, the sent markers in one
        query."""
        steps = {
            program.id: [
                (rule.id, rule._get_offset(), rule._is_at_or_after_expiry())
                for rule in program.reminder_ids
            ]
            for program in awards.program_id
        }
        sent = self.env["certification.award.reminder.sent"]._get_sent_by_award(awards)
        pending = defaultdict(list)
        for award in awards:
            state, expiry = award.state, award.date_expiry
            if state not in REMINDER_STATES or not expiry:
                continue
            done = sent[award.id]
            moments = (
                (expiry + offset, rule_id)
                for rule_id, offset, at_or_after in steps[award.program_id.id]
                if rule_id not in done and (state == "valid" or at_or_after)
            )
            start = award.date_reminders_from
            pending[award.id] = [
                m
                for m in moments
                if m[0] >= award.date_issued and not (start and m[0] <= start)
            ]
        return pending

    @api.model
    def _get_due_for(self, awards, now):
        """{award: its steps due at ``now`` and not sent in this expiry cycle,
        the latest due step first (the one a late cron sends; the older ones
        are superseded)}. Set-based: one query for the whole batch."""
        pending = self._get_pending_for(awards)
        return {
            award: self.browse(
                [
                    rule_id
                    for moment, rule_id in sorted(pending[award.id], reverse=True)
                    if moment <= now
                ]
            )
            for award in awards
        }

    @api.model
    def _default_program_commands(self):
        """Commands creating the default rules on a new certification."""
        defaults = self.search([("program_id", "=", False)])
        return [
            Command.create(
                {
                    "interval_number": rule.interval_number,
                    "interval_unit": rule.interval_unit,
                    "interval_type": rule.interval_type,
                    "recipient": rule.recipient,
                    "template_id": rule.template_id.id,
                }
            )
            for rule in defaults
        ]
