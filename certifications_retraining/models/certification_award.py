# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""What an award is, and the one door through which every award is issued.

**What happens when an award is issued** (read in this order):

1. Every path that issues awards (course or learning plan completion,
   approved external training, the grant wizard, the CSV import, a completed
   renewal, an officer's "New") ends in :meth:`CertificationAward._issue_awards`
   (the back office's "New" goes straight to ``create``, which refuses the
   door's fields).
2. ``_issue_awards`` decides what each new award does to what the learner
   holds: it archives the current award the new one renews
   (``previous_award_id``) and cancels its open renewals, or files an older
   record as history; then, inside :func:`award_scope` ``(issuing=True)``,
   it calls ``create``.
3. ``create`` checks what the caller may give (:meth:`_check_create_allowed`)
   and who may receive (deactivated users may not), computes the expiry, the
   grace end and the state (:meth:`_prepare_issue_vals`, on the learner's
   calendar through ``tools/schedule.py``; a record already past its expiry
   skips the reminder steps already passed), inserts, then sends the
   "issued" mail and grants the badge.

Revocation (:meth:`_revoke`), unassignment and the trusted writes
(:meth:`_write_trusted`) are here too. The rest of the award lives in
``certification_award_*.py``: renewal (``_renewal``), portal and public
verification (``_portal``), expiry cron and mails (``_expiry``), Open Badges
credentials (``_credential``), audit (``_audit``), learner calendar dates
(``_learner_date``), team view (``_team``), labels (``_label``).
"""

import contextvars
import secrets
from collections import defaultdict
from contextlib import contextmanager

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..compat import Constraint
from ..tools import schedule
from ..tools.db_errors import translate_unique_violation

ASSOCIATION_TYPES = [
    ("manual", "Manual"),
    ("course", "Course completion"),
    ("learning_plan", "Learning plan completion"),
    ("external_training", "External training"),
    ("external_certification", "External certification"),
]
# Set by the server only: refused in ``create`` from every caller (the
# revocation by :meth:`_revoke`, the grace period copied from the
# certification, the start of the reminders), as are all the stored computed
# fields (grace end, the learner's user, employee and calendar dates, the
# company).
SERVER_OWNED_CREATE_FIELDS = (
    "revoked_on",
    "revoke_reason",
    "grace_period_days",
    "date_reminders_from",
)
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

    _verification_token_uniq = Constraint(
        "unique(verification_token)",
        "The verification token must be unique.",
    )

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

    @api.depends("program_id", "partner_id")
    def _compute_display_name(self):
        for award in self:
            award.display_name = self._format_display_name(
                award.program_id.name, award.partner_id.name
            )

    @api.model
    def _format_display_name(self, program_name, partner_name):
        """An award's name from its certification's and learner's names."""
        return f"{program_name or ''} - {partner_name or ''}"

    @api.depends("partner_id")
    def _compute_user_id(self):
        users = (
            self.env["res.users"]
            .with_context(active_test=False)
            # the award is being computed for a reader of it: only the id of the
            # learner's user is stored
            .sudo()
            .search_fetch(
                [("partner_id", "in", self.partner_id.ids)],
                ["partner_id"],
                order="active, id",
            )
        )
        # an active user wins over an archived one (read last)
        user_by_partner = {user.partner_id.id: user.id for user in users}
        for award in self:
            award.user_id = user_by_partner.get(award.partner_id.id, False)

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
            # within one prefetch for all learners: the first calendar read
            # (only when a date is counted on it) reads every learner's in one
            # query; one short-lived record per row, not a map of 100,000 kept
            # for the whole batch (the garbage collector would scan them)
            learner = partners.browse(vals["partner_id"]).with_prefetch(
                partners._prefetch_ids
            )
            vals.update(self._prepare_issue_vals(vals, program, prev, now, learner))
        with translate_unique_violation(
            self.env, "certification_award_current_uniq", self._error_already_issued
        ):
            awards = super().create(vals_list)
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
        if not get_award_scope().get("issuing"):
            owned |= set(door_fields)
        given = set().union(*(owned.intersection(vals) for vals in vals_list))
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
    def _prepare_issue_vals(self, vals, program, previous, now, learner):
        """Hook: the computed values of a new award (expiry, grace, state).
        An explicit expiry is kept; otherwise the certification's date rule
        (:mod:`..schedule`) counts it on the calendar of ``learner`` (the
        partner of ``vals``)."""
        date_issued = fields.Datetime.to_datetime(vals.get("date_issued")) or now
        res = {
            "date_issued": date_issued,
            "grace_period_days": program.grace_period_days,
        }
        # the learner's calendar, read only when a date is counted on it
        tz = (
            self._get_issue_tz(learner, program)
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
        if res.get("state", vals.get("state")) in ("grace", "expired"):
            # recorded after its expiry (history): the steps passed never fire
            res["date_reminders_from"] = now
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
        if "date_reminders_from" in vals:
            raise UserError(
                _("The start of an award's reminders is set by the system.")
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
        if not successors:
            return
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
            # the database keeps the blocked ones only (usually none of a batch)
            ._read_group(
                [("partner_id", "in", partners.ids)],
                ["partner_id"],
                having=[("active:bool_or", "=", False)],
            )
        )
        return self.env["res.partner"].browse([partner.id for (partner,) in groups])

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

    def action_open_grant_wizard(self):
        """The Award wizard (a list button: ``self`` is the selection, maybe
        empty), its certification pre-filled when the list shows one
        certification's awards (``default_program_id`` of its action)."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "certifications_retraining.certification_program_grant_action"
        )
        action["context"] = {
            "default_program_id": self.env.context.get("default_program_id")
        }
        return action

    def action_open_previous(self):
        self.ensure_one()
        return self.previous_award_id.get_formview_action()
