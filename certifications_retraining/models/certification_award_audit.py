# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import functools
from datetime import datetime

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, ormcache

from .. import compat
from .certification_award import award_scope, get_award_scope

# The fields of the award's one-line summary (issue, unassign, delete rows).
SUMMARY_FIELDS = (
    "date_issued",
    "date_expiry",
    "is_always_valid",
    "association_type",
    "state",
    "revoked_on",
)
# Stored award fields whose changes are NOT logged: caches the ORM computes
# from other fields (the learner's user, employee and department, the
# certification's company, the next reminder instant). Every other stored
# business field is audited (:meth:`CertificationAward._get_audited_fields`).
AUDIT_EXCLUDED_FIELDS = frozenset(
    (
        "user_id",
        "employee_id",
        "department_id",
        "company_id",
        "date_next_reminder",
        # the learner's calendar dates: caches of the audited instants
        "learner_date_issued",
        "learner_date_expiry",
        "learner_date_grace_end",
        "learner_revoked_on",
    )
)
# Mixins whose stored fields (followers, attachments, portal token...) are
# not the award's business.
AUDIT_EXCLUDED_MIXINS = ("mail.thread", "mail.activity.mixin", "portal.mixin")
STATE_ACTIONS = {"expired": "expire", "grace": "grace"}


@functools.lru_cache(maxsize=1024)
def format_instant(value):
    """A datetime in ISO UTC: formatted once per instant (the awards of a
    batch share a few dates)."""
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def format_audit_value(value):
    """A field value as text for the log: datetimes in ISO UTC, records by id."""
    if value is False or value is None:
        return False
    if isinstance(value, datetime):
        return format_instant(value)
    if isinstance(value, models.BaseModel):
        return str(value.id) if value else False
    return str(value)


class CertificationAward(models.Model):
    """The audit log, completion editor and consistency checker of awards:
    every path that creates, changes or deletes an award appends rows to
    ``certification.audit.log``, in the same transaction and one append per
    batch (:meth:`certification.audit.log._log`)."""

    _inherit = "certification.award"

    audit_log_count = fields.Integer(
        "Audit",
        compute="_compute_audit_log_count",
        groups="certifications_retraining.group_certification_officer,hr.group_hr_user",
    )

    def _compute_audit_log_count(self):
        counts = dict(
            self.env["certification.audit.log"]._read_group(
                [("award_id", "in", self.ids)], ["award_id"], ["__count"]
            )
        )
        for award in self:
            award.audit_log_count = counts.get(award.id, 0)

    # ------------------------------------------------------------
    # CRUD: logging
    # ------------------------------------------------------------

    @api.model
    @ormcache()
    def _get_audited_fields(self):
        """The stored business fields of the award, whose every change is
        logged: derived from the model (a new field is audited by default),
        minus the computed caches and the mixins' technical fields. Read on
        every write: computed once per registry."""
        technical = set(models.MAGIC_COLUMNS) | set(AUDIT_EXCLUDED_FIELDS)
        for mixin in AUDIT_EXCLUDED_MIXINS:
            technical |= set(self.env[mixin]._fields)
        return tuple(
            name
            for name, field in self._fields.items()
            if field.store and field.column_type and name not in technical
        )

    @api.model_create_multi
    def create(self, vals_list):
        # Action and reason of each new award come from the one door
        # (``_issue_awards``), never from the caller's values or context.
        issue_meta = get_award_scope().get("issue_meta") or {}
        awards = super().create(vals_list)
        AuditLog = self.env["certification.audit.log"]
        columns = AuditLog._get_award_columns(awards)
        rows = []
        for award, summary, replaces in zip(
            awards,
            awards._get_audit_summaries(),
            awards.mapped(lambda award: bool(award.previous_award_id)),
            strict=True,
        ):
            award_columns = columns[award.id]
            action, reason = issue_meta.get(
                (award_columns["program_id"], award_columns["partner_id"]),
                (None, None),
            )
            rows.append(
                {
                    **award_columns,
                    "action": action or ("renew" if replaces else "issue"),
                    "new_value": summary,
                    "reason": reason or False,
                }
            )
        AuditLog._log(rows)
        return awards

    def write(self, vals):
        audited = self._get_audited_fields()
        if not set(audited) & set(vals):
            return super().write(vals)
        before = {award.id: {name: award[name] for name in audited} for award in self}
        res = super().write(vals)
        self._log_changes(before, vals, audited)
        return res

    def unlink(self):
        self.env["certification.audit.log"]._log(
            [
                {
                    "award": award,
                    "action": "unassign",
                    "old_value": award._get_audit_summary(),
                }
                for award in self
            ]
        )
        return super().unlink()

    @api.model
    def _issue_awards(self, vals_list, notify=True):
        """Trusted callers (the CSV import) may give each value an
        ``audit_action`` and an ``audit_reason`` for its log rows; the award
        a new one replaces is logged as ``renew`` (``import`` from the
        import)."""
        vals_list = [dict(vals) for vals in vals_list]
        issue_meta = {
            (vals["program_id"], vals["partner_id"]): (
                vals.pop("audit_action", None),
                vals.pop("audit_reason", None),
            )
            for vals in vals_list
        }
        with award_scope(issue_meta=issue_meta):
            return super()._issue_awards(vals_list, notify=notify)

    def _log_changes(self, before, vals, audited):
        """One log row per (award, audited field) whose value changed."""
        scope = get_award_scope()
        rows = []
        for award in self:
            old_values = before[award.id]
            for name in audited:
                old, new = old_values[name], award[name]
                if old == new:
                    continue
                rows.append(
                    {
                        "award": award,
                        "action": award._get_audit_action(name, new, vals, scope),
                        "field_name": name,
                        "old_value": format_audit_value(old),
                        "new_value": format_audit_value(new),
                        "reason": scope.get("reason") or False,
                    }
                )
        self.env["certification.audit.log"]._log(rows)

    def _get_audit_action(self, field_name, new_value, vals, scope):
        """The action of a logged change: the trusted door's, else what the
        change is (revocation, expiry, grace, replacement by the one door),
        else ``edit``."""
        self.ensure_one()
        if scope.get("action"):
            return scope["action"]
        if vals.get("revoked_on"):
            return "revoke"
        if field_name == "state" and new_value in STATE_ACTIONS:
            return STATE_ACTIONS[new_value]
        issue_meta = scope.get("issue_meta") or {}
        key = (self.program_id.id, self.partner_id.id)
        if field_name == "state" and new_value == "archived" and key in issue_meta:
            return "import" if issue_meta[key][0] == "import" else "renew"
        return "edit"

    def _get_audit_summary(self):
        """The award's audited values as one line of text."""
        self.ensure_one()
        return self._get_audit_summaries()[0]

    def _get_audit_summaries(self):
        """The audited values of each award as one line of text, in order
        (read field by field: creating 100,000 awards logs as many). The
        awards of a batch mostly share their values: each distinct set is
        written once."""
        awards_values = list(
            zip(*(self.mapped(name) for name in SUMMARY_FIELDS), strict=True)
        )
        texts = {
            values: "; ".join(
                f"{name}={format_audit_value(value) or ''}"
                for name, value in zip(SUMMARY_FIELDS, values, strict=True)
                if value or name == "state"
            )
            for values in set(awards_values)
        }
        return [texts[values] for values in awards_values]

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_audit_log(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "certifications_retraining.certification_audit_log_action"
        )
        action["domain"] = [("award_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_open_edit_wizard(self):
        self.ensure_one()
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "name": _("Edit Completion"),
            "res_model": "certification.award.edit",
            "view_mode": "form",
            "target": "new",
            "context": {"default_award_id": self.id},
        }

    # ------------------------------------------------------------
    # STATE FROM DATES (editor and consistency checker)
    # ------------------------------------------------------------

    def _get_state_from_dates(self, now, date_expiry=None, date_grace_end=None):
        """The state the dates call for (archived awards stay archived):
        valid before the expiry, grace until the grace end, then expired."""
        self.ensure_one()
        if self.state == "archived":
            return "archived"
        expiry = self.date_expiry if date_expiry is None else date_expiry
        grace_end = self.date_grace_end if date_grace_end is None else date_grace_end
        return self._get_state_at(expiry, grace_end, now)

    # ------------------------------------------------------------
    # CONSISTENCY CHECKER
    # ------------------------------------------------------------

    @api.model
    def _get_consistency_queries(self, now):
        """{code: (SQL selecting award ids, message, fixable)}; one set-based
        query per kind of problem."""
        return {
            "two_current": (
                SQL(
                    "SELECT unnest(array_agg(id)) FROM certification_award "
                    "WHERE state != 'archived' GROUP BY program_id, partner_id "
                    "HAVING count(*) > 1"
                ),
                _("Two current awards for one learner and certification"),
                True,
            ),
            "archived_orphan": (
                SQL(
                    "SELECT a.id FROM certification_award a "
                    "WHERE a.state = 'archived' AND a.revoked_on IS NULL "
                    "AND NOT EXISTS (SELECT 1 FROM certification_award n "
                    "WHERE n.previous_award_id = a.id) "
                    "AND NOT EXISTS (SELECT 1 FROM certification_award c "
                    "WHERE c.program_id = a.program_id "
                    "AND c.partner_id = a.partner_id AND c.id != a.id "
                    "AND (c.state != 'archived' OR c.date_issued > a.date_issued))"
                ),
                _("Current award archived without a successor or a revocation"),
                True,
            ),
            "valid_past_expiry": (
                SQL(
                    "SELECT id FROM certification_award "
                    "WHERE state = 'valid' AND date_expiry <= %s",
                    now,
                ),
                _("Valid award past its expiry (the expiry cron is late)"),
                True,
            ),
            "expiry_before_issue": (
                SQL(
                    "SELECT id FROM certification_award WHERE date_expiry < date_issued"
                ),
                _("Expiry before the issue date"),
                False,
            ),
            "renewal_on_archived": (
                SQL(
                    "SELECT DISTINCT a.id FROM certification_renewal r "
                    "JOIN certification_award a ON a.id = r.award_id "
                    "WHERE r.state = 'open' AND a.state = 'archived'"
                ),
                _("Open renewal on an archived award"),
                True,
            ),
            "deactivated_learner": (
                SQL(
                    "SELECT a.id FROM certification_award a "
                    "JOIN res_users u ON u.partner_id = a.partner_id "
                    "GROUP BY a.id, a.date_issued "
                    "HAVING NOT bool_or(u.active) "
                    "AND a.date_issued > max(u.write_date)"
                ),
                _("Award of a deactivated user, issued after the deactivation"),
                False,
            ),
            "state_dates_mismatch": (
                SQL(
                    "SELECT id FROM certification_award WHERE "
                    "(state = 'expired' AND (date_expiry IS NULL "
                    "OR date_expiry > %(now)s "
                    "OR date_grace_end > %(now)s)) "
                    "OR (state = 'grace' AND (date_expiry IS NULL "
                    "OR date_expiry > %(now)s OR date_grace_end IS NULL "
                    "OR date_grace_end <= %(now)s))",
                    now=now,
                ),
                _("State disagreeing with the dates"),
                True,
            ),
        }

    @api.model
    def _check_consistency(self, codes=None):
        """The inconsistencies of the award table, as a list of
        ``{"code", "award_ids", "message", "fixable"}``, one per kind found
        (only the kinds in ``codes`` when given)."""
        self.env.flush_all()
        problems = []
        now = fields.Datetime.now()
        for code, (query, message, fixable) in self._get_consistency_queries(
            now
        ).items():
            if codes is not None and code not in codes:
                continue
            self.env.cr.execute(query)
            award_ids = sorted({row[0] for row in self.env.cr.fetchall()})
            if award_ids:
                problems.append(
                    {
                        "code": code,
                        "award_ids": award_ids,
                        "message": message,
                        "fixable": fixable,
                    }
                )
        return problems

    def _fix_consistency(self, code):
        """Apply the certain fix of ``code`` to the awards of ``self`` that the
        checker's query of ``code`` finds now (nothing else, whatever
        ``self`` holds); every change is logged with the action ``fix``.
        Returns the awards fixed."""
        self.check_access("write")
        queries = self._get_consistency_queries(fields.Datetime.now())
        if code not in queries or not queries[code][2]:
            raise UserError(_("This problem has no automatic fix."))
        found = self._check_consistency(codes={code})
        awards = self.browse(found[0]["award_ids"] if found else []) & self
        reason = self.env._("Consistency checker: %(code)s", code=code)
        if code == "two_current":
            awards._fix_two_current(reason)
        elif code == "renewal_on_archived":
            awards._fix_open_renewals(reason)
        else:
            now = fields.Datetime.now()
            for state, group in awards.grouped(
                lambda a: a._get_restored_state(now)
            ).items():
                # restore: the query of archived_orphan finds only awards
                # archived without a successor and never revoked
                group._write_trusted(
                    {"state": state},
                    action="fix",
                    reason=reason,
                    restore=code == "archived_orphan",
                )
        return awards

    def _get_restored_state(self, now):
        """The state the dates call for, archived or not."""
        self.ensure_one()
        return self._get_state_at(self.date_expiry, self.date_grace_end, now)

    def _fix_two_current(self, reason):
        """Keep the newest current award of each (learner, certification),
        archive the others."""
        to_archive = self.browse()
        for group in self.grouped(
            lambda a: (a.program_id.id, a.partner_id.id)
        ).values():
            newest = group.sorted(lambda a: (a.date_issued, a.id))[-1]
            to_archive |= group - newest
        # the checker archives (not a renewal, not a revocation)
        to_archive._write_trusted({"state": "archived"}, action="fix", reason=reason)

    def _fix_open_renewals(self, reason):
        """Cancel the open renewals of these archived awards."""
        renewals = self.renewal_ids.filtered(lambda r: r.state == "open")
        renewals.write({"state": "cancelled"})
        self.env["certification.audit.log"]._log(
            [
                {
                    "award": award,
                    "action": "fix",
                    "field_name": "renewal_ids",
                    "old_value": "open",
                    "new_value": "cancelled",
                    "reason": reason,
                }
                for award in renewals.award_id
            ]
        )

    @api.model
    def _cron_check_consistency(self):
        """Daily: tell the certification administrators what the checker
        found."""
        problems = self._check_consistency()
        if problems:
            lines = "; ".join(
                self.env._(
                    "%(message)s: %(count)s",
                    message=problem["message"],
                    count=len(problem["award_ids"]),
                )
                for problem in problems
            )
            self.env["certification.audit.log"]._notify_administrators(
                _("Certifications: inconsistencies found"),
                _(
                    "The consistency checker found: %(lines)s. Open Certifications "
                    "› Configuration › Check consistency to review and fix them.",
                    lines=lines,
                ),
            )
        compat.report_cron_progress(self.env, len(problems), 0)
        return problems
