# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from .. import compat
from .certification_server_record_mixin import creating_server_records

TEMPLATE_ISSUED = "certifications_retraining.mail_template_certification_issued"
TEMPLATE_EXPIRED = "certifications_retraining.mail_template_certification_expired"
TEMPLATE_GRACE = "certifications_retraining.mail_template_certification_grace"
TEMPLATE_MANAGER_REMINDER = (
    "certifications_retraining.mail_template_certification_manager_reminder"
)
# States in which reminders are sent: before expiry (valid), and the steps at
# or after expiry for awards past it (grace, expired) until they are archived.
REMINDER_STATES = ("valid", "grace", "expired")


# One concern per file extending the award (DESIGN.md), not one growing model file.
# pylint: disable=consider-merging-classes-inherited
class CertificationAward(models.Model):
    """Expiry and the mails of an award: the hourly expiry cron (valid ->
    grace -> expired), the reminders it sends when due (the ladder itself is
    ``certification.reminder``'s), and the "issued", "grace", "expired" and
    reminder mails."""

    _inherit = "certification.award"

    reminder_sent_ids = fields.One2many(
        "certification.award.reminder.sent", "award_id", "Reminders Sent"
    )
    date_next_reminder = fields.Datetime(
        "Next Reminder",
        compute="_compute_date_next_reminder",
        store=True,
        precompute=True,
        index="btree_not_null",
        help="When the next reminder before expiry is due; empty when none is "
        "left in this expiry cycle. The expiry cron reads it.",
    )
    date_reminders_from = fields.Datetime(
        "Reminders From",
        readonly=True,
        copy=False,
        help="Set when the award is recorded after its expiry (history): the "
        "reminder steps due before this moment never fire.",
    )

    @api.depends(
        "state",
        "date_expiry",
        "date_issued",
        "date_reminders_from",
        "program_id.reminder_ids.interval_hours",
        "program_id.reminder_ids.interval_type",
        "reminder_sent_ids.reminder_id",
    )
    def _compute_date_next_reminder(self):
        pending = self.env["certification.reminder"]._get_pending_for(self)
        for award in self:
            award.date_next_reminder = min(pending[award.id], default=(False,))[0]

    def _notify_issued(self):
        """Tell the learners about their new awards: the "issued" mail, posted on
        each award. Awards created already expired get no mail."""
        self.filtered(lambda a: a.state == "valid")._send_certification_mail(
            TEMPLATE_ISSUED
        )
        return True

    def _send_certification_mail(self, template):
        """Send ``template`` (a record or an xml id) to the learners of ``self``
        through Odoo's mass-mail composer (``mail.compose.message`` in
        ``mass_mail`` mode): its values, recipients, reply-to, headers and
        exclusion list, one ``mail.mail`` per award, linked to the award so
        that the chatter keeps what the learner was told. Each learner gets
        the template in their language (see ``wizards/mail_compose_message.py``).
        Returns the mails (sudo)."""
        if isinstance(template, str):
            template = self.env.ref(template, raise_if_not_found=False)
        if not self or not template:
            return self.env["mail.mail"]
        Composer = (
            self.env["mail.compose.message"]
            # mails about awards the caller just issued or expired (one door or
            # cron); the learner, who triggers some, cannot compose mails
            .sudo()
        )
        with creating_server_records():  # no default of the caller's
            composer = Composer.create(
                {
                    "composition_mode": "mass_mail",
                    "model": self._name,
                    "res_ids": self.ids,
                    "template_id": template.id,
                    "author_id": self.env.company.partner_id.id,
                    "force_send": False,
                    **compat.MASS_MAIL_COMPOSER_VALUES,
                }
            )
            mails, _messages = composer._action_send_mail()
        return mails

    def _rearm_reminders(self):
        """After an expiry edit, reminders that have not fired yet for the new
        expiry date are due again: their "sent" markers are removed."""
        # called by write() once the caller's write on the awards was checked;
        # the markers are technical (officers only read them)
        sent = self.env["certification.award.reminder.sent"].sudo()
        markers = sent.search([("award_id", "in", self.ids)])
        now = fields.Datetime.now()
        markers.filtered(
            lambda m: (
                not m.award_id.date_expiry
                or m.reminder_id._get_moment(m.award_id.date_expiry) > now
            )
        ).unlink()

    @api.model
    def _get_expiry_batch_size(self):
        param = (
            self.env["ir.config_parameter"]
            # a technical setting (a batch size), read by the cron
            .sudo()
            .get_param("certifications_retraining.expiry_batch_size")
        )
        return int(param or 0) or 1000

    @api.model
    def _cron_process_expiry(self, batch_size=None):
        """Hourly: move the valid awards past their expiry date into their
        grace period ("grace" mail) or, without grace, to expired ("has
        expired" mail), expire the awards whose grace period ended ("has
        expired" mail), and send the reminders that are due. One bounded
        batch of each per call; re-triggers itself while work remains.
        Returns whether work remains."""
        batch_size = batch_size or self._get_expiry_batch_size()
        now = fields.Datetime.now()
        with self.env["certification.audit.log"]._batch_writer():
            lapsed, more_lapsed = self._expire_due_awards(now, batch_size)
            ended, more_ended = self._end_due_grace_periods(now, batch_size)
            reminded, more_reminders = self._send_due_reminders(now, batch_size)
        remaining = more_lapsed + more_ended + more_reminders
        if remaining:
            self.env.ref(
                "certifications_retraining.ir_cron_certification_expiry"
            )._trigger()
        compat.report_cron_progress(
            self.env, len(lapsed) + len(ended) + len(reminded), remaining
        )
        return bool(remaining)

    @api.model
    def _lock_due_batch(self, where, order, batch_size):
        """Lock (SKIP LOCKED) and return one batch of awards matching ``where``."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM certification_award WHERE %(where)s "
                "ORDER BY %(order)s, id LIMIT %(limit)s FOR UPDATE SKIP LOCKED",
                where=where,
                order=order,
                limit=batch_size,
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _count_due_left(self, awards, where, batch_size):
        """How many awards still match ``where`` after a full batch."""
        if len(awards) < batch_size:
            return 0
        self.flush_model()
        self.env.cr.execute(
            SQL("SELECT count(*) FROM certification_award WHERE %s", where)
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _expire_due_awards(self, now, batch_size):
        """Valid awards past their expiry, one batch: into grace when their
        grace period is still running, else expired. Returns (awards, count
        of the due ones left)."""
        where = SQL("state = 'valid' AND date_expiry <= %(now)s", now=now)
        self.flush_model(["state", "date_expiry", "date_grace_end"])
        awards = self._lock_due_batch(where, SQL("date_expiry"), batch_size)
        if not awards:
            return awards, 0
        in_grace = awards.filtered(
            lambda a: a.date_grace_end and a.date_grace_end > now
        )
        expired = awards - in_grace
        # no tracking message per award: the mail posted on each award says it
        if in_grace:
            in_grace.with_context(tracking_disable=True).write({"state": "grace"})
            in_grace._send_certification_mail(TEMPLATE_GRACE)
        if expired:
            expired.with_context(tracking_disable=True).write({"state": "expired"})
            expired._send_certification_mail(TEMPLATE_EXPIRED)
        return awards, self._count_due_left(awards, where, batch_size)

    @api.model
    def _end_due_grace_periods(self, now, batch_size):
        """Awards in grace whose grace period ended, one batch: expired.
        Returns (awards, count of the due ones left)."""
        where = SQL("state = 'grace' AND date_grace_end <= %(now)s", now=now)
        self.flush_model(["state", "date_expiry", "date_grace_end"])
        awards = self._lock_due_batch(where, SQL("date_grace_end"), batch_size)
        if not awards:
            return awards, 0
        # no "Grace -> Expired" tracking message per award: the "expired" mail
        # posted on each award says it in the chatter
        awards.with_context(tracking_disable=True).write({"state": "expired"})
        awards._send_certification_mail(TEMPLATE_EXPIRED)
        return awards, self._count_due_left(awards, where, batch_size)

    @api.model
    def _send_due_reminders(self, now, batch_size):
        """Send one batch of due reminders; returns (awards, count left).
        Due awards are read on the index of ``date_next_reminder`` and locked
        (SKIP LOCKED) so that two workers never pick the same award; each due
        (award, reminder) gets a "sent" marker, which moves the award's next
        reminder date. When several reminders of an award are due at once
        (issued late, expiry moved earlier, cron down), only the one closest
        to expiry is sent."""
        where = SQL(
            "state IN %(states)s AND date_next_reminder <= %(now)s "
            "AND (state != 'valid' OR date_expiry > %(now)s)",
            states=REMINDER_STATES,
            now=now,
        )
        self.flush_model(["state", "date_expiry", "date_next_reminder"])
        awards = self._lock_due_batch(where, SQL("date_next_reminder"), batch_size)
        if not awards:
            return awards, 0
        due = self.env["certification.reminder"]._get_due_for(awards, now)
        # the cron marks the steps of the awards it locked; the markers are
        # technical (officers only read them)
        self.env["certification.award.reminder.sent"].sudo()._mark(due)
        self._send_reminder_mails(due)
        return awards, self._count_due_left(awards, where, batch_size)

    def _send_reminder_mails(self, due):
        """Send the latest due step of each award to its recipients: the
        step's template to the learner, the manager template to the
        learner's manager (learners without one get their copy only)."""
        to_send = defaultdict(lambda: self.browse())
        manager_template = self.env.ref(
            TEMPLATE_MANAGER_REMINDER, raise_if_not_found=False
        )
        for award, reminders in due.items():
            if not reminders:
                continue
            step = reminders[0]
            if step.recipient in ("learner", "both"):
                to_send[step.template_id] |= award
            if (
                step.recipient in ("manager", "both")
                and manager_template
                and award._get_certification_manager_partner()
            ):
                to_send[manager_template] |= award
        for template, template_awards in to_send.items():
            template_awards._send_certification_mail(template)

    def _get_certification_manager_partner(self):
        """The partner of the learner's manager (the employee's manager's
        active user), or an empty recordset."""
        self.ensure_one()
        user = self.employee_id.parent_id.user_id
        return user.partner_id if user.active else self.env["res.partner"]

    def _get_backoffice_url(self):
        self.ensure_one()
        return f"{self.get_base_url()}/odoo/certification.award/{self.id}"
