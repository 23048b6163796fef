# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import contextvars
import secrets
from collections import defaultdict
from contextlib import contextmanager
from urllib.parse import urlencode

import psycopg2
import pytz

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, clean_context

from .. import schedule

ASSOCIATION_TYPES = [
    ("manual", "Manual"),
    ("course", "Course completion"),
    ("learning_plan", "Learning plan completion"),
    ("external_training", "External training"),
    ("external_certification", "External certification"),
]
# An award expiring within this many days shows as "expiring" in the portal.
PORTAL_EXPIRING_DAYS = 30
TEMPLATE_ISSUED = "certifications_retraining.mail_template_certification_issued"
TEMPLATE_EXPIRED = "certifications_retraining.mail_template_certification_expired"
TEMPLATE_GRACE = "certifications_retraining.mail_template_certification_grace"
TEMPLATE_MANAGER_REMINDER = (
    "certifications_retraining.mail_template_certification_manager_reminder"
)
# States in which reminders are sent: before expiry (valid), and the steps at
# or after expiry for awards past it (grace, expired) until they are archived.
REMINDER_STATES = ("valid", "grace", "expired")
# Set by the server only: refused in ``create`` from every caller (the
# revocation by :meth:`_revoke`, the grace period copied from the
# certification), as are all the stored computed fields (grace end, the
# learner's user, employee and calendar dates, the company).
SERVER_OWNED_CREATE_FIELDS = ("revoked_on", "revoke_reason", "grace_period_days")
# Set only by the one door (:meth:`_issue_awards`): the state of a record
# filed as history and the award a new one renews. Outside it the state
# follows the expiry and an award renews nothing.
ONE_DOOR_CREATE_FIELDS = ("state", "previous_award_id")
EXTERNAL_SOURCES = [
    ("credly", "Credly"),
    ("accredible", "Accredible"),
    ("other", "Other"),
]


# What the running trusted operation of the award may do, and how the audit
# log names it: set only by private methods (the one door, revocation, the
# editor, the consistency fixes) through :func:`award_scope`. A context key is
# an RPC parameter any caller sets; this Python variable is not reachable over
# RPC, so it can carry authority.
AWARD_SCOPE = contextvars.ContextVar("certification_award_scope", default=None)


@contextmanager
def award_scope(**values):
    """Run the block with ``values`` added to the award scope (nested scopes
    see the outer values unless they override them)."""
    token = AWARD_SCOPE.set({**get_award_scope(), **values})
    try:
        yield
    finally:
        AWARD_SCOPE.reset(token)


def get_award_scope():
    """The values of the running trusted operation (empty outside one)."""
    return AWARD_SCOPE.get() or {}


@contextmanager
def translate_unique_violation(env, constraint, make_error):
    """Run the block in a savepoint; a violation of the unique index
    ``constraint`` (two transactions doing the same thing at once) becomes the
    exception returned by ``make_error()``, a clear message instead of a raw
    database error."""
    try:
        with env.cr.savepoint(flush=False):
            yield
    except psycopg2.errors.UniqueViolation as error:
        if error.diag.constraint_name != constraint:
            raise
        raise make_error() from None


class CertificationAward(models.Model):
    _name = "certification.award"
    _description = "Certification Award"
    _inherit = [
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "certification.owned.defaults.mixin",
    ]
    _order = "date_issued desc, id desc"
    _rec_names_search = ["program_id.name", "partner_id.name"]

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    program_id = fields.Many2one(
        "certification.program",
        "Certification",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
    )
    partner_id = fields.Many2one(
        "res.partner", "Learner", required=True, index=True, ondelete="restrict"
    )
    user_id = fields.Many2one(
        "res.users", compute="_compute_user_id", store=True, index=True, precompute=True
    )
    user_login = fields.Char("Username", related="user_id.login")
    learner_first_name = fields.Char("First Name", compute="_compute_learner_names")
    learner_last_name = fields.Char("Last Name", compute="_compute_learner_names")
    # precompute: filled before the INSERT, no UPDATE after each create batch
    employee_id = fields.Many2one(
        "hr.employee", compute="_compute_employee_id", store=True, precompute=True
    )
    department_id = fields.Many2one(
        related="employee_id.department_id",
        store=True,
        string="Department",
        precompute=True,
    )
    company_id = fields.Many2one(
        related="program_id.company_id", store=True, index=True, precompute=True
    )
    date_issued = fields.Datetime(
        "Issued On", required=True, default=fields.Datetime.now, tracking=True
    )
    date_expiry = fields.Datetime("Expires On", tracking=True)
    is_always_valid = fields.Boolean("Always Valid", tracking=True)
    association_type = fields.Selection(
        ASSOCIATION_TYPES, "Earned By", required=True, default="manual", tracking=True
    )
    channel_id = fields.Many2one("slide.channel", "Course", ondelete="set null")
    learning_plan_id = fields.Many2one("slide.learning.plan", ondelete="set null")
    external_training_id = fields.Many2one(
        "certification.external.training", ondelete="set null"
    )
    external_source = fields.Selection(EXTERNAL_SOURCES)
    external_url = fields.Char("External Link")
    state = fields.Selection(
        [
            ("valid", "Valid"),
            ("grace", "In Grace Period"),
            ("expired", "Expired"),
            ("archived", "Archived"),
        ],
        default="valid",
        required=True,
        index=True,
        tracking=True,
        help="Archived awards were renewed or replaced; they are kept for history.",
    )
    days_to_expiry = fields.Integer(
        "Days to Renew",
        compute="_compute_days_to_expiry",
        help="Days left until expiry, in the learner's timezone; negative once "
        "expired; empty when it never expires.",
        aggregator=False,
    )
    date_grace_end = fields.Datetime(
        "Grace Period Ends",
        compute="_compute_date_grace_end",
        precompute=True,
        store=True,
        readonly=True,
        help="End of the grace period after the expiry, fixed when the award is "
        "issued (the certification's rule of that day). Equals the expiry when the "
        "certification has no grace period; empty when the award never expires.",
    )
    grace_period_days = fields.Integer(
        "Grace Period",
        readonly=True,
        help="Days of grace after the expiry, copied from the certification when "
        "the award is issued: a later change of the certification's rule does not "
        "touch this award; an edit of its expiry moves the grace end with it.",
    )
    revoked_on = fields.Datetime(readonly=True, copy=False)
    # internal (e.g. "Suspected cheating"): officers only; the learner, the
    # portal and the public page see that and when it was revoked, not why
    revoke_reason = fields.Text(
        readonly=True,
        copy=False,
        groups="certifications_retraining.group_certification_officer",
    )
    previous_award_id = fields.Many2one(
        "certification.award", "Renewal Of", index="btree_not_null", readonly=True
    )
    next_award_ids = fields.One2many(
        "certification.award", "previous_award_id", "Renewed By"
    )
    renewal_ids = fields.One2many("certification.renewal", "award_id", "Renewals")
    can_renew = fields.Boolean(compute="_compute_can_renew")
    verification_token = fields.Char(
        default=lambda self: self._generate_verification_token(),
        required=True,
        readonly=True,
        copy=False,
        index=True,
        help="Random token of the public verification page of this award.",
    )

    _sql_constraints = [
        (
            "verification_token_uniq",
            "unique(verification_token)",
            "The verification token must be unique.",
        )
    ]

    def init(self):
        # At most one current (non-archived) award per learner and certification.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS certification_award_current_uniq "
                "ON certification_award (program_id, partner_id) "
                "WHERE state != 'archived'"
            )
        )
        # The expiry cron reads valid awards by expiry date.
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS certification_award_valid_expiry_idx "
                "ON certification_award (date_expiry) WHERE state = 'valid'"
            )
        )
        # ... and awards in grace by the end of their grace period.
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS certification_award_grace_end_idx "
                "ON certification_award (date_grace_end) WHERE state = 'grace'"
            )
        )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.model
    def _generate_verification_token(self):
        return secrets.token_urlsafe(24)

    def _compute_access_url(self):
        for award in self:
            award.access_url = f"/my/certifications/{award.id}"

    @api.depends("program_id", "partner_id")
    def _compute_display_name(self):
        for award in self:
            award.display_name = (
                f"{award.program_id.name or ''} - {award.partner_id.name or ''}"
            )

    @api.depends("partner_id")
    def _compute_user_id(self):
        users = (
            self.env["res.users"]
            .with_context(active_test=False)
            # the award is being computed for a reader of it: only the id of the
            # learner's user is stored
            .sudo()
            .search([("partner_id", "in", self.partner_id.ids)], order="active, id")
        )
        user_by_partner = {user.partner_id: user for user in users}
        for award in self:
            award.user_id = user_by_partner.get(award.partner_id, False)

    @api.depends("partner_id.name")
    def _compute_learner_names(self):
        for award in self:
            first, _sep, last = (award.partner_id.name or "").strip().rpartition(" ")
            award.learner_first_name = first or last
            award.learner_last_name = last if first else False

    @api.depends("partner_id.employee_ids", "user_id.employee_ids")
    def _compute_employee_id(self):
        for award in self:
            employees = award.partner_id.employee_ids or award.user_id.employee_ids
            award.employee_id = employees[:1]

    @api.depends("date_expiry", "partner_id.tz")
    @api.depends_context("tz")
    def _compute_days_to_expiry(self):
        now = fields.Datetime.now()
        for award in self:
            if not award.date_expiry:
                award.days_to_expiry = 0
                continue
            award.days_to_expiry = award._days_between(now, award.date_expiry)

    @api.depends("date_expiry", "grace_period_days")
    def _compute_date_grace_end(self):
        for award in self:
            award.date_grace_end = award._get_grace_end_for(award.date_expiry)

    def _get_grace_end_for(self, expiry):
        """End of this award's grace period if it expired at ``expiry``."""
        self.ensure_one()
        if not self.grace_period_days:
            return expiry or False  # no grace: no timezone to look up
        rule = schedule.ScheduleRule(grace_period_days=self.grace_period_days)
        return schedule.grace_end(rule, expiry, self._get_learner_tz()) or False

    def _get_learner_tz(self):
        self.ensure_one()
        return self._get_issue_tz(self.partner_id, self.program_id)

    @api.model
    def _get_issue_tz(self, partner, program):
        """The calendar an award's dates are counted on: the learner's, else
        the company's, else UTC (never the caller's context)."""
        return schedule.get_tz(partner.tz or program._get_default_tz(partner))

    def _days_between(self, start, end):
        """Calendar days from ``start`` to ``end`` (UTC datetimes), counted in the
        learner's timezone."""
        tz = self._get_learner_tz()
        start_day = pytz.utc.localize(start).astimezone(tz).date()
        end_day = pytz.utc.localize(end).astimezone(tz).date()
        return (end_day - start_day).days

    def _to_learner_date(self, value):
        """A UTC datetime as the calendar date the learner sees."""
        self.ensure_one()
        if not value:
            return False
        return pytz.utc.localize(value).astimezone(self._get_learner_tz()).date()

    def _compute_can_renew(self):
        options = self._get_renewal_options_batch()
        for award in self:
            award.can_renew = any(option["usable"] for option in options[award])

    @api.constrains("external_training_id", "partner_id")
    def _check_external_training(self):
        """An award earned by external training needs that activity approved
        and reported by the same learner."""
        for award in self.filtered("external_training_id"):
            # a constraint: reads the linked activity whoever the caller is
            training = award.external_training_id.sudo()
            if training.state != "approved" or training.partner_id != award.partner_id:
                raise ValidationError(
                    _(
                        "%(training)s cannot prove %(learner)s's certification: only "
                        "an approved external training of that learner can.",
                        training=training.name,
                        learner=award.partner_id.name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD: the one door
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        """Every award is created here: the expiry is computed from the program
        unless given, deactivated learners are refused, the state follows the
        expiry, the learner is told and the badge granted. Renewals go through
        :meth:`_issue_awards`, which archives the award they replace first."""
        self._check_create_allowed(vals_list)
        partners = self.env["res.partner"].browse(
            {vals["partner_id"] for vals in vals_list}
        )
        self._check_learners_can_receive(partners)
        partners.fetch(["tz"])  # one query for the learners' calendars
        programs = self.env["certification.program"].browse(
            {vals["program_id"] for vals in vals_list}
        )
        previous = self.browse(
            {
                vals["previous_award_id"]
                for vals in vals_list
                if vals.get("previous_award_id")
            }
        )
        now = fields.Datetime.now()
        for vals in vals_list:
            program = programs.browse(vals["program_id"])
            prev = previous.browse(vals.get("previous_award_id"))
            vals.update(self._prepare_issue_vals(vals, program, prev, now))
        with translate_unique_violation(
            self.env, "certification_award_current_uniq", self._error_already_issued
        ):
            awards = super().create(vals_list)
        awards.filtered(lambda a: a.state in ("grace", "expired"))._skip_past_reminders(
            now
        )
        if get_award_scope().get("notify", True):
            awards._notify_issued()
        awards._grant_badges()
        return awards

    @api.model
    def _check_create_allowed(self, vals_list, door_fields=ONE_DOOR_CREATE_FIELDS):
        """What no caller gives, whatever its rights and context: the fields
        the server computes or that only revocation sets; ``door_fields``
        (the state and the renewed award) outside the one door
        (:meth:`_issue_awards`). An explicit expiry and issue date stay the
        officer's."""
        owned = set(SERVER_OWNED_CREATE_FIELDS) | {
            name
            for name, field in self._fields.items()
            if field.store and field.compute and field.readonly
        }
        given = {name for vals in vals_list for name in owned if name in vals}
        if not get_award_scope().get("issuing"):
            given |= {
                name for vals in vals_list for name in door_fields if name in vals
            }
        if given:
            raise AccessError(
                _(
                    "These fields are set by the system only: %(fields)s.",
                    fields=", ".join(sorted(given)),
                )
            )

    @api.model
    def _error_already_issued(self):
        return UserError(
            _(
                "This learner was awarded this certification at the same moment by "
                "another operation (a second click or a concurrent completion). "
                "Reload to see the current award."
            )
        )

    @api.model
    def _prepare_issue_vals(self, vals, program, previous, now):
        """Hook: the computed values of a new award (expiry, grace, state).
        An explicit expiry is kept; otherwise the certification's date rule
        (:mod:`..schedule`) counts it on the learner's calendar."""
        date_issued = fields.Datetime.to_datetime(vals.get("date_issued")) or now
        res = {
            "date_issued": date_issued,
            "grace_period_days": program.grace_period_days,
        }
        # the learner's calendar, read only when a date is counted on it
        tz = (
            self._get_issue_tz(
                self.env["res.partner"].browse(vals["partner_id"]), program
            )
            if program.grace_period_days or not vals.get("date_expiry")
            else None
        )
        # An explicit expiry (officer's date) wins over the certification's
        # default, also when it never expires; only "always valid" means never.
        explicit_expiry = not vals.get("is_always_valid") and vals.get("date_expiry")
        if explicit_expiry:
            res["date_expiry"] = fields.Datetime.to_datetime(explicit_expiry)
        elif vals.get("is_always_valid") or not program.validity_number:
            res["date_expiry"] = False
        else:
            res["date_expiry"] = program._compute_award_expiry(
                date_issued, tz, previous
            )
        expiry = res.get(
            "date_expiry", fields.Datetime.to_datetime(vals.get("date_expiry"))
        )
        if "state" not in vals:
            rule = schedule.ScheduleRule(grace_period_days=program.grace_period_days)
            res["state"] = self._get_state_at(
                expiry, schedule.grace_end(rule, expiry, tz), now
            )
        return res

    @api.model
    def _get_state_at(self, expiry, grace_end, now):
        """valid / grace / expired at ``now`` of an award expiring at
        ``expiry`` (False: never) whose grace period ends at ``grace_end``."""
        if not expiry or expiry > now:
            return "valid"
        return "grace" if grace_end and grace_end > now else "expired"

    def write(self, vals):
        self._check_write_allowed(vals)
        if vals.get("is_always_valid"):
            vals = dict(vals, date_expiry=False)
        elif vals.get("date_expiry") and "is_always_valid" not in vals:
            # an explicit expiry date given on the form wins over "always valid"
            vals = dict(vals, is_always_valid=False)
        res = super().write(vals)
        if {"date_expiry", "is_always_valid"} & set(vals):
            self._sync_state_with_expiry()
            self._rearm_reminders()
        return res

    def _sync_state_with_expiry(self):
        """After a manual edit of the expiry: an expired (or in grace) award
        whose expiry moved to the future is valid again; an expired award
        whose grace period moved to the future is in grace again. Valid awards
        past their expiry are left to the expiry cron, which also tells the
        learner."""
        now = fields.Datetime.now()
        lapsed = self.filtered(lambda a: a.state in ("expired", "grace"))
        by_state = lapsed.grouped(
            lambda a: self._get_state_at(a.date_expiry, a.date_grace_end, now)
        )
        revived = self.browse()
        for state in ("valid", "grace"):
            awards = by_state.get(state, self.browse()).filtered(
                lambda a, state=state: a.state != state
            )
            if awards:
                super(CertificationAward, awards).write({"state": state})
                revived |= awards
        return revived

    def _write_trusted(self, vals, action=None, reason=None, restore=False):
        """The write of the trusted doors (the one door, revocation, the
        editor, the consistency fixes): it may archive the awards and, with
        ``restore``, make an archived award current again (never a revoked
        one); the audit log names it ``action`` with ``reason``. Private: not
        callable over RPC, and its arguments never come from the context."""
        with award_scope(archive=True, restore=restore, action=action, reason=reason):
            return self.write(vals)

    def _check_write_allowed(self, vals):
        """What no caller may change, whatever its context: the learner and
        the certification of an award (issue a new one), the revocation
        instant, a revoked award back to current, and archiving or
        un-archiving outside the trusted doors (:meth:`_write_trusted`)."""
        scope = get_award_scope()
        for name in ("partner_id", "program_id"):
            if name in vals and any(award[name].id != vals[name] for award in self):
                raise UserError(
                    _(
                        "The learner and the certification of an issued award "
                        "cannot change: issue a new award instead."
                    )
                )
        if "revoked_on" in vals and not (scope.get("archive") and vals["revoked_on"]):
            raise UserError(_("An award is revoked only through Revoke."))
        if vals.get("state") == "archived":
            self._check_archive_allowed()
        elif "state" in vals:
            archived = self.filtered(lambda a: a.state == "archived")
            if archived.filtered("revoked_on"):
                raise UserError(_("A revoked award never becomes current again."))
            if archived and not scope.get("restore"):
                raise UserError(
                    _(
                        "An archived award does not become current again: "
                        "issue a new award instead."
                    )
                )

    @api.model
    def _issue_awards(self, vals_list, notify=True):
        """The one door to issue certifications, used by every path (course and
        learning plan completion, external training, the grant wizard, CSV import,
        renewal). Takes award values, returns the new awards.

        When the learner already holds a current award of the certification, it
        is archived and the new award renews it (``previous_award_id``); the
        open renewals of the replaced award are cancelled. A record issued
        before the current award never replaces it: it is filed as history
        (archived, linked into the chain by issue date). Several values for
        the same learner and certification: the last one wins. ``notify``
        False: the learners get no "issued" mail (data loading, tests).
        Its callers give no state or revocation: the door sets them; a
        completed renewal names the award it renews (``previous_award_id``,
        private code only)."""
        self._check_create_allowed(vals_list, door_fields=("state",))
        by_key = {}
        for vals in vals_list:
            by_key[(vals["program_id"], vals["partner_id"])] = dict(vals)
        if not by_key:
            return self.browse()
        current = self._get_current_awards(by_key)
        history, to_archive = {}, self.browse()
        for key, vals in by_key.items():
            award = current.get(key)
            if not award:
                continue
            if self._is_older_than(vals, award):
                history[key] = vals
            else:
                vals["previous_award_id"] = award.id
                to_archive |= award
        if to_archive:
            to_archive._write_trusted({"state": "archived"})
            to_archive.flush_recordset(["state"])
            to_archive._cancel_open_renewals()
        successors = self._prepare_history_vals(history)
        # issuing: the one door gives the state of history records and the
        # award each new one renews (refused in any other create)
        with award_scope(notify=notify, issuing=True):
            awards = self.create(list(by_key.values()))
        self._link_history_successors(awards, successors)
        return awards

    @api.model
    def _is_older_than(self, vals, award):
        """Whether the values describe a record issued before ``award``."""
        date_issued = fields.Datetime.to_datetime(vals.get("date_issued"))
        return bool(date_issued) and date_issued < award.date_issued

    @api.model
    def _prepare_history_vals(self, history):
        """Values of records older than the current award (``{key: vals}``)
        become archived history placed by issue date in the chain of
        ``previous_award_id``. Returns ``{key: successor award}``, the award
        issued right after each of them, to point back to it once created."""
        if not history:
            return {}
        awards = self.search(
            [
                ("program_id", "in", list({key[0] for key in history})),
                ("partner_id", "in", list({key[1] for key in history})),
            ],
            order="date_issued, id",
        )
        chains = defaultdict(list)
        for award in awards:
            chains[(award.program_id.id, award.partner_id.id)].append(award)
        successors = {}
        for key, vals in history.items():
            date_issued = fields.Datetime.to_datetime(vals["date_issued"])
            older = [a for a in chains[key] if a.date_issued <= date_issued]
            newer = [a for a in chains[key] if a.date_issued > date_issued]
            vals["state"] = "archived"
            vals["previous_award_id"] = older[-1].id if older else False
            successors[key] = newer[0]
        return successors

    @api.model
    def _link_history_successors(self, awards, successors):
        """The award issued right after a record filed as history now renews
        it, so that the chain stays ordered by issue date."""
        pairs = [
            (successors[(award.program_id.id, award.partner_id.id)].id, award.id)
            for award in awards
            if (award.program_id.id, award.partner_id.id) in successors
        ]
        if not pairs:
            return
        bodies = {
            succ: _(
                "An older record, issued on %(date)s, was filed in this award's "
                "history.",
                date=self.browse(prev)._to_learner_date(self.browse(prev).date_issued),
            )
            for succ, prev in pairs
        }
        self.browse(list(bodies))._message_log_batch(bodies)
        self.flush_model(["previous_award_id"])
        self.env.cr.execute(
            SQL(
                "UPDATE certification_award AS award "
                "SET previous_award_id = link.previous_id "
                "FROM (VALUES %s) AS link(id, previous_id) WHERE award.id = link.id",
                SQL(", ").join(SQL("(%s, %s)", succ, prev) for succ, prev in pairs),
            )
        )
        self.invalidate_model(["previous_award_id", "next_award_ids"])

    def _cancel_open_renewals(self):
        """The awards of ``self`` were replaced or revoked: their open renewals
        can never complete and are cancelled."""
        self.env["certification.renewal"].search(
            [("award_id", "in", self.ids), ("state", "=", "open")]
        ).write({"state": "cancelled"})

    def _check_archive_allowed(self):
        """An award ends archived only when a new award replaces it (the one
        door) or when it is revoked (:meth:`_revoke`)."""
        if not get_award_scope().get("archive"):
            raise UserError(
                _(
                    "An award is archived only when a new award replaces it or "
                    "when it is revoked: use Revoke."
                )
            )

    def _revoke(self, reason):
        """Revoke current awards: they are archived with the instant and the
        reason of the revocation, their open renewals are cancelled and the
        revocation is posted on each. Officers only (write access)."""
        self.check_access("write")
        if not (reason or "").strip():
            raise UserError(_("Give the reason of the revocation."))
        if self.filtered(lambda a: a.state == "archived"):
            raise UserError(_("Only current awards can be revoked."))
        self._write_trusted(
            {
                "state": "archived",
                "revoked_on": fields.Datetime.now(),
                "revoke_reason": reason.strip(),
            },
            action="revoke",
            reason=reason.strip(),
        )
        self._cancel_open_renewals()
        # the learner (an employee) reads the notes of their award: the reason
        # stays on the officers' field and in the audit log
        body = _("Certification revoked.")
        for award in self:
            award.message_post(body=body, subtype_xmlid="mail.mt_note")
        return True

    @api.model
    def _get_current_awards(self, keys):
        """{(program_id, partner_id): award} of the current (non-archived) awards
        for those keys, in one query."""
        program_ids = {key[0] for key in keys}
        partner_ids = {key[1] for key in keys}
        awards = self.search(
            [
                ("program_id", "in", list(program_ids)),
                ("partner_id", "in", list(partner_ids)),
                ("state", "!=", "archived"),
            ]
        )
        return {
            (a.program_id.id, a.partner_id.id): a
            for a in awards
            if (a.program_id.id, a.partner_id.id) in keys
        }

    @api.model
    def _get_blocked_partners(self, partners):
        """Partners who cannot receive a certification: every user of theirs is
        deactivated. Partners without any user (employees' work contacts) can."""
        if not partners:
            return partners
        groups = (
            self.env["res.users"]
            .with_context(active_test=False)
            # the caller issues awards to these partners: only whether one of
            # their users is active leaves
            .sudo()
            ._read_group(
                [("partner_id", "in", partners.ids)],
                ["partner_id"],
                ["active:bool_or"],
            )
        )
        return self.env["res.partner"].browse(
            [partner.id for partner, has_active in groups if not has_active]
        )

    @api.model
    def _check_learners_can_receive(self, partners):
        blocked = self._get_blocked_partners(partners)
        if blocked:
            raise UserError(
                _(
                    "Deactivated users cannot receive certifications: %(names)s.",
                    names=", ".join(blocked.mapped("display_name")),
                )
            )

    def _notify_issued(self):
        """Tell the learners about their new awards: the "issued" mail, posted on
        each award. Awards created already expired get no mail."""
        self.filtered(lambda a: a.state == "valid")._send_certification_mail(
            TEMPLATE_ISSUED
        )
        return True

    def _grant_badges(self):
        awards = self.filtered(
            lambda a: a.program_id.badge_id and a.user_id.active and a.state == "valid"
        )
        if not awards:
            return
        badge_users = (
            self.env["gamification.badge.user"]
            # the awards were just issued through the one door, which checked the
            # caller: the badge of the certification goes with them
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

    # ------------------------------------------------------------
    # RENEWAL
    # ------------------------------------------------------------

    def _get_renewal_window_start(self):
        """When "Renew now" opens (the certification's window before the
        expiry, on the learner's calendar); False when renewing is open any
        time."""
        self.ensure_one()
        return (
            schedule.window_start(
                self.program_id._get_schedule_rule(),
                self.date_expiry or None,
                self._get_learner_tz(),
            )
            or False
        )

    def _get_renewal_options(self):
        """The items through which this award can be renewed, each as a dict
        ``{"item": record, "usable": bool, "reason": str, "is_retake": bool}``."""
        self.ensure_one()
        return self._get_renewal_options_batch()[self]

    def _get_renewal_options_batch(self):
        """{award: renewal options} for all awards of ``self``, with one query
        per kind of item whatever the number of awards."""
        current = self.filtered(lambda a: a.state != "archived")
        # the caller reads these awards; the items of their certifications are
        # listed even to learners who cannot read every course
        programs = current.program_id.sudo()
        courses = programs.channel_ids.filtered("active")
        plans = programs.learning_plan_ids
        status = {
            **courses._get_certification_status(current.partner_id),
            **plans._get_certification_status(current.partner_id),
        }
        return {award: award._build_renewal_options(status) for award in current} | {
            award: [] for award in self - current
        }

    def _build_renewal_options(self, status):
        self.ensure_one()
        # same as _get_renewal_options_batch: the items of a readable award
        program = self.program_id.sudo()
        items = list(program.channel_ids.filtered("active")) + list(
            program.learning_plan_ids
        )
        reason = self._get_window_reason()
        return [
            self._make_renewal_option(item, status[(item, self.partner_id)], reason)
            for item in items
        ]

    def _get_window_reason(self):
        """Why renewing is not offered yet (recertification window), or False."""
        window_start = self._get_renewal_window_start()
        if self.state != "valid" or not window_start:
            return False
        if fields.Datetime.now() >= window_start:
            return False
        return _(
            "Renewal opens on %(date)s (recertification window).",
            date=self._to_learner_date(window_start),
        )

    def _make_renewal_option(self, item, status, window_reason):
        reason = window_reason
        if not reason and status["is_expired"]:
            reason = _("Your enrolment in this item is over.")
        if not reason and status["is_completed"] and not self.program_id.allow_retake:
            reason = _(
                "Already completed, and this certification does not allow retakes."
            )
        return {
            "item": item,
            "usable": not reason,
            "reason": reason or "",
            "is_retake": status["is_completed"],
        }

    def action_start_renewal(self, item):
        """Start renewing this award through ``item`` (an assigned course or
        learning plan). Callable by the learner (portal users included) and by
        officers. Retaking resets the learner's progress on the item."""
        self.ensure_one()
        self._check_renewal_access()
        option = next(
            (opt for opt in self._get_renewal_options() if opt["item"] == item), None
        )
        if option is None:
            raise UserError(
                _(
                    "%(item)s cannot renew %(program)s: it is not assigned to it.",
                    item=item.display_name,
                    program=self.program_id.name,
                )
            )
        if not option["usable"]:
            raise UserError(option["reason"])
        # checked just above: the caller's own award (or an officer) and an item
        # offered for it; portal learners cannot enrol or create renewals. The
        # caller's default_* keys stay out of what is created on their behalf.
        env = self.with_context(clean_context(self.env.context)).sudo().env
        return env["certification.renewal"]._start(
            self.with_env(env), item.with_env(env)
        )

    def _check_renewal_access(self):
        self.check_access("read")
        is_officer = self.env.user.has_group(
            "certifications_retraining.group_certification_officer"
        )
        if not is_officer and self.partner_id != self.env.user.partner_id:
            raise AccessError(_("You can only renew your own certifications."))

    # ------------------------------------------------------------
    # COMPLETION OF ITEMS
    # ------------------------------------------------------------

    @api.model
    def _process_item_completion(self, completions):
        """Items were completed. ``completions`` is a list of
        ``(partner, item, completed_on)``. For each (learner, certification):
        an open renewal is completed through the one door; a learner already
        holding a current award gets nothing (completing is not renewing); others
        get a first award, unless they completed the item before it was assigned
        to the certification. Called as superuser by the completion hooks."""
        completions = [c for c in completions if c[1].certification_program_id]
        if not completions:
            return self.browse()
        Renewal = self.env["certification.renewal"]
        keys = {(c[1].certification_program_id.id, c[0].id) for c in completions}
        renewals = Renewal._get_open_renewals(keys)
        current = self._get_current_awards(keys)
        vals_list, done_renewals = [], Renewal
        for partner, item, completed_on in completions:
            program = item.certification_program_id
            key = (program.id, partner.id)
            renewal = renewals.get(key)
            if renewal:
                done_renewals |= renewal
                vals = item._prepare_certification_award_vals(partner, completed_on)
                vals["previous_award_id"] = renewal.award_id.id
                vals_list.append(vals)
            elif key in current:
                continue
            elif item._is_completion_after_assignment(completed_on):
                vals_list.append(
                    item._prepare_certification_award_vals(partner, completed_on)
                )
        blocked = self._get_blocked_partners(
            self.env["res.partner"].browse({vals["partner_id"] for vals in vals_list})
        )
        vals_list = [v for v in vals_list if v["partner_id"] not in blocked.ids]
        awards = self._issue_awards(vals_list)
        done_renewals._close()
        return awards

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_unassign(self):
        """Remove the certification from the learner (officers). The
        certification's chatter keeps a note of it, also when the officer may
        not edit the certification (a log note needs no write access)."""
        self.check_access("unlink")
        for program, awards in self.grouped("program_id").items():
            program._message_log(
                body=_(
                    "Unassigned from %(learners)s.",
                    learners=", ".join(awards.partner_id.mapped("display_name")),
                )
            )
        self.unlink()
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    def action_revoke(self):
        """Open the confirmation asking for the reason of the revocation."""
        self.ensure_one()
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "name": _("Revoke Certification"),
            "res_model": "certification.award.revoke",
            "view_mode": "form",
            "target": "new",
            "context": {"default_award_id": self.id},
        }

    def action_open_previous(self):
        self.ensure_one()
        return self.previous_award_id.get_formview_action()

    # ------------------------------------------------------------
    # PORTAL, CERTIFICATE AND PUBLIC VERIFICATION (learner portal issue)
    # ------------------------------------------------------------

    def _get_report_base_filename(self):
        self.ensure_one()
        return _(
            "Certificate %(program)s %(learner)s",
            program=self.program_id.name,
            learner=self.partner_id.name,
        )

    def _get_verification_url(self):
        self.ensure_one()
        return f"{self.get_base_url()}/certifications/verify/{self.verification_token}"

    def _get_verification_qr_src(self, size=150):
        """The QR code of the verification URL, served by Odoo's report barcode
        route (usable inside QWeb reports)."""
        self.ensure_one()
        query = urlencode(
            {
                "barcode_type": "QR",
                "value": self._get_verification_url(),
                "width": size,
                "height": size,
            }
        )
        return f"/report/barcode/?{query}"

    def _get_issuer_company(self):
        self.ensure_one()
        return self.company_id or self.env.company

    def _get_linkedin_url(self):
        """LinkedIn's "add a certification to your profile" link, pointing to
        the public verification page as credential URL."""
        self.ensure_one()
        issued = self._to_learner_date(self.date_issued)
        params = {
            "startTask": "CERTIFICATION_NAME",
            "name": self.program_id.name,
            "organizationName": self._get_issuer_company().name,
            "issueYear": issued.year,
            "issueMonth": issued.month,
        }
        if self.date_expiry:
            expiry = self._to_learner_date(self.date_expiry)
            params.update(expirationYear=expiry.year, expirationMonth=expiry.month)
        params.update(
            certUrl=self._get_verification_url(), certId=self.verification_token
        )
        return f"https://www.linkedin.com/profile/add?{urlencode(params)}"

    def _get_previous_awards(self):
        """The earlier awards this one renews, newest first (the history chain
        through ``previous_award_id``)."""
        self.ensure_one()
        history = self.browse()
        award = self.previous_award_id
        while award and award not in history and award != self:
            history |= award
            award = award.previous_award_id
        return history

    def _get_portal_status(self):
        """valid / expiring (within 30 days) / grace / expired, as shown to the
        learner (also right when the expiry cron has not run yet)."""
        self.ensure_one()
        now = fields.Datetime.now()
        if self.state == "expired":
            return "expired"
        if self.state == "grace" or (self.date_expiry and self.date_expiry <= now):
            grace_end = self.date_grace_end or self.date_expiry
            return "grace" if grace_end > now else "expired"
        if self.date_expiry and self.days_to_expiry <= PORTAL_EXPIRING_DAYS:
            return "expiring"
        return "valid"

    def _get_verification_status(self):
        """The public status: ``valid``, ``expired``, ``superseded`` (archived
        because a newer award replaced it) or ``revoked`` (revoked by an
        officer: ``revoked_on`` set). Unassigned awards are deleted: their
        token answers 404."""
        self.ensure_one()
        if self.revoked_on:
            return "revoked"
        if self.state == "archived":
            return "superseded"
        status = self._get_portal_status()
        return status if status in ("grace", "expired") else "valid"

    def _prepare_verification_values(self):
        """Only what the certificate itself shows; nothing else about the
        learner reaches the public page."""
        self.ensure_one()
        status = self._get_verification_status()
        superseded_on = False
        renewal = self.next_award_ids.sorted("date_issued")[:1]
        if status == "superseded" and renewal:
            superseded_on = renewal._to_learner_date(renewal.date_issued)
        return {
            "holder_name": self.partner_id.name,
            "program_name": self.program_id.name,
            "program_code": self.program_id.code or "",
            "company_name": self._get_issuer_company().name,
            "date_issued": self._to_learner_date(self.date_issued),
            "date_expiry": self._to_learner_date(self.date_expiry),
            "date_grace_end": self._to_learner_date(self.date_grace_end),
            "status": status,
            "superseded_on": superseded_on,
            "revoked_on": self._to_learner_date(self.revoked_on),
        }

    # ------------------------------------------------------------
    # NOTIFICATIONS, REMINDERS AND EXPIRY CRON (notifications issue)
    # ------------------------------------------------------------

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
        composer = (
            self.env["mail.compose.message"]
            # mails about awards the caller just issued or expired (one door or
            # cron); the learner, who triggers some, cannot compose mails
            .sudo()
            .create(
                {
                    "composition_mode": "mass_mail",
                    "model": self._name,
                    "res_ids": self.ids,
                    "template_id": template.id,
                    "author_id": self.env.company.partner_id.id,
                    "force_send": False,
                    "record_name": False,
                }
            )
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
        lapsed, more_lapsed = self._expire_due_awards(now, batch_size)
        ended, more_ended = self._end_due_grace_periods(now, batch_size)
        reminded, more_reminders = self._send_due_reminders(now, batch_size)
        remaining = more_lapsed + more_ended + more_reminders
        self.env["ir.cron"]._notify_progress(
            done=len(lapsed) + len(ended) + len(reminded), remaining=remaining
        )
        if remaining:
            self.env.ref(
                "certifications_retraining.ir_cron_certification_expiry"
            )._trigger()
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
        awards.flush_recordset(["state"])
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
        self.env.cr.execute(
            SQL(
                "SELECT id FROM certification_award WHERE %(where)s "
                "ORDER BY date_next_reminder, id LIMIT %(limit)s "
                "FOR UPDATE SKIP LOCKED",
                where=where,
                limit=batch_size,
            )
        )
        awards = self.browse([row[0] for row in self.env.cr.fetchall()])
        if not awards:
            return awards, 0
        due = awards._get_due_reminders(now)
        self._mark_reminders_sent(due)
        self._send_reminder_mails(due)
        # stale dates (no reminder actually due) are recomputed as well
        self.env.add_to_compute(self._fields["date_next_reminder"], awards)
        left = 0
        if len(awards) == batch_size:
            self.flush_model(["date_next_reminder"])
            self.env.cr.execute(
                SQL("SELECT count(*) FROM certification_award WHERE %s", where)
            )
            left = self.env.cr.fetchone()[0]
        return awards, left

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

    def _get_due_reminders(self, now):
        """{award: its reminders due at ``now`` and not sent in this expiry
        cycle, the latest due step first (the one a late cron sends; the older
        ones are superseded)}. Set-based: one query for the whole batch."""
        pending = self._get_pending_reminders()
        Reminder = self.env["certification.reminder"]
        return {
            award: Reminder.browse(
                [
                    reminder_id
                    for moment, reminder_id in sorted(pending[award.id], reverse=True)
                    if moment <= now
                ]
            )
            for award in self
        }

    def _get_pending_reminders(self):
        """{award id: [(moment, reminder id)]}: the steps of each award's
        certification not sent yet in its expiry cycle, with when they fire.
        Valid awards get every step; awards past their expiry (grace,
        expired) only the steps at or after it, never a "before" one. A step
        never fires for an award without expiry, nor before the issue (the
        award was issued inside that window). The steps of a certification
        are read once, the sent markers in one query."""
        steps = defaultdict(list)
        for program in self.program_id:
            steps[program.id] = [
                (reminder.id, reminder._get_offset(), reminder._is_at_or_after_expiry())
                for reminder in program.reminder_ids
            ]
        sent = self._get_sent_reminder_ids()
        pending = defaultdict(list)
        for award in self:
            state, expiry = award.state, award.date_expiry
            if state not in REMINDER_STATES or not expiry:
                continue
            issued, done = award.date_issued, sent[award.id]
            moments = (
                (expiry + offset, reminder_id)
                for reminder_id, offset, at_or_after in steps[award.program_id.id]
                if reminder_id not in done and (state == "valid" or at_or_after)
            )
            pending[award.id] = [step for step in moments if step[0] >= issued]
        return pending

    def _skip_past_reminders(self, now):
        """Awards created already past their expiry (history records) do not
        get the steps whose moment has passed: they are marked superseded."""
        if self:
            self._mark_reminders_sent(self._get_due_reminders(now), superseded=True)

    @api.depends(
        "state",
        "date_expiry",
        "date_issued",
        "program_id.reminder_ids.interval_hours",
        "program_id.reminder_ids.interval_type",
        "reminder_sent_ids.reminder_id",
    )
    def _compute_date_next_reminder(self):
        pending = self._get_pending_reminders()
        now = fields.Datetime.now()
        for award in self:
            moments = pending[award.id]
            if not award._origin and award.state in ("grace", "expired"):
                # being created past its expiry: create() supersedes the steps
                # already passed (_skip_past_reminders), so they are not next
                moments = [moment for moment in moments if moment[0] > now]
            award.date_next_reminder = min(moments, default=(False,))[0]

    def _get_sent_reminder_ids(self):
        """{award id: ids of the reminders sent in its expiry cycle}, read in
        one query (awards being created have none)."""
        sent = defaultdict(set)
        stored = [award_id for award_id in self._ids if isinstance(award_id, int)]
        if stored:
            markers = self.env["certification.award.reminder.sent"].search_fetch(
                [("award_id", "in", stored)], ["award_id", "reminder_id"]
            )
            for marker in markers:
                sent[marker.award_id.id].add(marker.reminder_id.id)
        return sent

    @api.model
    def _mark_reminders_sent(self, due, superseded=False):
        """One "sent" marker per due (award, reminder); the first reminder of
        each award is the one sent, the others are superseded (all of them
        with ``superseded``)."""
        # run by the expiry cron on the awards it locked, and by create on the
        # awards it just created
        self.env["certification.award.reminder.sent"].sudo()._insert_markers(
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
        # the callers set the next reminder date: the cron recomputes it, and
        # creation computed it without the steps it supersedes
        self.browse(
            [award.id for award, reminders in due.items() if reminders]
        ).invalidate_recordset(["reminder_sent_ids"])
