# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import datetime, time, timedelta

import pytz

from odoo import _, api, fields, models
from odoo.tools import SQL

from .. import compat
from ..models.certification_award_team import team_domain, team_search
from .report_depends import CERTIFICATION_REPORT_DEPENDS

COMPLIANCE_STATES = [
    ("compliant", "Compliant"),
    ("expiring", "Expiring"),
    ("grace", "In Grace Period"),
    ("expired", "Expired"),
    ("missing", "Missing"),
]
# States that hold a valid award on the date: they count as compliant in the
# compliance rate and the trend (expiring is still valid).
COMPLIANT_STATES = ("compliant", "expiring")
HORIZON_PARAM = "certifications_retraining.expiry_horizon_days"
DEFAULT_HORIZON_DAYS = 30
DATE_CONTEXT_KEY = "certification_compliance_date"
# Row ids pair a certification with an employee: program_id * 2**31 + employee_id
# (unique and stable; below 2**53, safe for the web client, up to 4M certifications).
ID_FACTOR = 2**31
REQUIRED_HELP = (
    "Required certifications come from each employee's job position and "
    "department as Odoo knows them on the report's date (the current ones where "
    "Odoo keeps no history of them)."
)


class CertificationComplianceReport(models.Model):
    """One row per (active employee, certification required by the employee's
    job or department), with the employee's standing on a date (context key
    ``certification_compliance_date``, default now), read from the award
    history."""

    _name = "certification.compliance.report"
    _description = "Certification Compliance"
    _auto = False
    _rec_name = "program_id"
    _order = "employee_id, program_id"

    employee_id = fields.Many2one("hr.employee", readonly=True)
    department_id = fields.Many2one("hr.department", readonly=True)
    job_id = fields.Many2one("hr.job", "Job Position", readonly=True)
    manager_id = fields.Many2one("hr.employee", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    program_id = fields.Many2one(
        "certification.program", "Certification", readonly=True, help=REQUIRED_HELP
    )
    award_id = fields.Many2one(
        "certification.award",
        readonly=True,
        depends_context=(DATE_CONTEXT_KEY,),
        help="The award that decides the state on the date: the valid one that "
        "lasts longest, else the one in grace, else the one that expired last.",
    )
    compliance_state = fields.Selection(
        COMPLIANCE_STATES,
        "Compliance",
        readonly=True,
        depends_context=(DATE_CONTEXT_KEY,),
        help="State on the report's date (now unless a date is chosen), from the "
        "award history: compliant (a valid award), expiring (valid, expiring "
        "within the horizon counted from that date), in grace period, expired "
        "(had one, none valid that day) or missing (never had one). A future "
        "date is a forecast assuming nobody renews. " + REQUIRED_HELP,
    )
    compliance_rate = fields.Float(
        "Compliance Rate (%)",
        aggregator="avg",
        digits=(5, 1),
        readonly=True,
        depends_context=(DATE_CONTEXT_KEY,),
        help="100 when the employee holds a valid award on the date (compliant or "
        "expiring), 0 otherwise; averaged, every cell shows its own rate.",
    )
    required_count = fields.Integer(
        "Required",
        readonly=True,
        help="1 per row (an employee required to hold a certification): summed, "
        "the number of required certifications in a cell.",
    )
    date_expiry = fields.Date(
        "Expires On",
        readonly=True,
        depends_context=(DATE_CONTEXT_KEY,),
        help="The expiry of the award deciding the state, as a date of the "
        "learner's calendar.",
    )
    days_to_expiry = fields.Integer(
        "Days to Expiry",
        aggregator="avg",
        readonly=True,
        depends_context=(DATE_CONTEXT_KEY,),
        help="Calendar days from the report's date to the expiry of the award, "
        "counted in UTC.",
    )
    is_my_report = fields.Boolean(
        "My Team",
        compute="_compute_is_my_report",
        search="_search_is_my_report",
        help="The employee is one of your direct or indirect reports.",
    )
    is_required_by_job = fields.Boolean("Required by Job", readonly=True)
    is_required_by_department = fields.Boolean("Required by Department", readonly=True)

    _depends = CERTIFICATION_REPORT_DEPENDS

    @property
    def _table_query(self):
        now = fields.Datetime.now()
        return self._query(
            now, self._get_horizon_days(), at=self._get_compliance_at(now)
        )

    @api.model
    def _get_horizon_days(self):
        """The expiry horizon (days), a setting: a valid award expiring within
        it makes the employee *expiring* instead of *compliant*."""
        # a setting (a number of days) read by every reader of the report
        value = self.env["ir.config_parameter"].sudo().get_param(HORIZON_PARAM)
        try:
            return max(int(value), 0)
        except (TypeError, ValueError):
            return DEFAULT_HORIZON_DAYS

    @api.model
    def _get_viewer_tz(self):
        return self.env.context.get("tz") or self.env.user.tz or "UTC"

    @api.model
    def _get_compliance_at(self, now):
        """The instant the report is read at: the end of the context's
        ``certification_compliance_date`` in the viewer's timezone (UTC, naive),
        else ``now``."""
        value = self.env.context.get(DATE_CONTEXT_KEY)
        if not value:
            return now
        day = fields.Date.to_date(value)
        tz = pytz.timezone(self._get_viewer_tz())
        next_midnight = tz.localize(datetime.combine(day + timedelta(days=1), time()))
        return next_midnight.astimezone(pytz.UTC).replace(tzinfo=None) - timedelta(
            seconds=1
        )

    @api.model
    def _history_ctes(self):
        """CTEs ``requirement_period`` (employee, required certification, the
        employee's job and department, and the dates ``[valid_from,
        valid_to)`` they held them) and ``history`` (every award of a required
        certification, archived ones included, with the instants its validity
        and grace end). A requirement's awards are those of the employee's work
        contact and user partner (``requirement_partner``), read on
        ``(program_id, partner_id)``.

        Required certifications are the union of the job's and the
        department's (one row when both require it), period by period: on
        Odoo 19.0, which keeps the history of each employee's job and
        department, one period per version; on 18.0 today's, unbounded
        (``compat.employee_position_sql``). An award's validity
        ends at its expiry (never when always valid or without expiry) or its
        revocation, or when a newer award replaced it (the issue of its
        successor in the chain: a record filed as history stops counting when
        the award issued after it starts); its grace at ``date_grace_end``
        (the expiry when empty), its revocation or its replacement.
        ``is_closed``: the recorded state says it no longer
        counts (marked expired, or archived with neither a renewal nor a
        revocation date: revoked by hand); it applies from now on."""
        return SQL(
            """
            position AS (
                SELECT pos.*
                  FROM (%(position)s) pos
                  JOIN hr_employee e ON e.id = pos.employee_id AND e.active
            ), required AS (
                SELECT p.employee_id, p.job_id, p.department_id, p.valid_from,
                       p.valid_to, rel.certification_program_id AS program_id,
                       TRUE AS by_job, FALSE AS by_department
                  FROM position p
                  JOIN hr_job_certification_program_rel rel ON rel.hr_job_id = p.job_id
                UNION ALL
                SELECT p.employee_id, p.job_id, p.department_id, p.valid_from,
                       p.valid_to, rel.certification_program_id, FALSE, TRUE
                  FROM position p
                  JOIN hr_department_certification_program_rel rel
                    ON rel.hr_department_id = p.department_id
            ), requirement_period AS (
                SELECT r.employee_id, r.job_id, r.department_id, r.valid_from,
                       r.valid_to, r.program_id, bool_or(r.by_job) AS by_job,
                       bool_or(r.by_department) AS by_department
                  FROM required r
                  JOIN certification_program program
                    ON program.id = r.program_id AND program.active
              GROUP BY r.employee_id, r.job_id, r.department_id, r.valid_from,
                       r.valid_to, r.program_id
            ), required_pair AS (
                SELECT DISTINCT employee_id, program_id FROM requirement_period
            ), requirement_partner AS (
                SELECT req.employee_id, req.program_id, e.work_contact_id AS partner_id
                  FROM required_pair req
                  JOIN hr_employee e ON e.id = req.employee_id
                 WHERE e.work_contact_id IS NOT NULL
                 UNION
                SELECT req.employee_id, req.program_id, u.partner_id
                  FROM required_pair req
                  JOIN hr_employee e ON e.id = req.employee_id
                  JOIN res_users u ON u.id = e.user_id
            ), renewed AS (
                SELECT previous_award_id AS award_id, min(date_issued) AS replaced_at
                  FROM certification_award
                 WHERE previous_award_id IS NOT NULL
              GROUP BY previous_award_id
            ), history AS (
                SELECT req.employee_id, req.program_id, a.id AS award_id,
                       a.date_issued, a.date_expiry, a.learner_date_expiry,
                       span.expires_at,
                       LEAST(span.expires_at, span.revoked_at, span.replaced_at)
                           AS valid_until,
                       LEAST(span.grace_ends_at, span.revoked_at, span.replaced_at)
                           AS grace_until,
                       (a.state = 'expired' OR (
                           a.state = 'archived' AND a.revoked_on IS NULL
                           AND renewed.award_id IS NULL
                       )) AS is_closed
                  FROM requirement_partner req
                  JOIN certification_award a
                    ON a.program_id = req.program_id AND a.partner_id = req.partner_id
                  LEFT JOIN renewed ON renewed.award_id = a.id
                 CROSS JOIN LATERAL (
                    SELECT CASE WHEN a.is_always_valid OR a.date_expiry IS NULL
                                THEN 'infinity'::timestamp ELSE a.date_expiry END
                               AS expires_at,
                           CASE WHEN a.is_always_valid OR a.date_expiry IS NULL
                                THEN 'infinity'::timestamp
                                ELSE COALESCE(a.date_grace_end, a.date_expiry) END
                               AS grace_ends_at,
                           COALESCE(a.revoked_on, 'infinity'::timestamp) AS revoked_at,
                           COALESCE(renewed.replaced_at, 'infinity'::timestamp)
                               AS replaced_at
                 ) span
            )
            """,
            position=compat.employee_position_sql(periods=True),
        )

    @api.model
    def _local_day_sql(self, at):
        """The viewer's day (a date) of the UTC instant ``at``."""
        return SQL(
            "((%s AT TIME ZONE 'UTC') AT TIME ZONE %s)::date", at, self._get_viewer_tz()
        )

    @api.model
    def _in_period_sql(self, period, day):
        """The date ``day`` falls in the requirement period ``period``."""
        return SQL(
            "(%s >= %s.valid_from AND %s < %s.valid_to)", day, period, day, period
        )

    @api.model
    def _counts_at_sql(self, history, at, now):
        """Whether the recorded state still lets the award count at ``at``."""
        return SQL("NOT (%s.is_closed AND %s >= %s)", history, at, now)

    @api.model
    def _valid_at_sql(self, history, at, now):
        """THE rule: the award row ``history`` is valid at instant ``at``:
        issued on or before, neither expired nor revoked yet."""
        return SQL(
            "(%s.date_issued <= %s AND %s < %s.valid_until AND %s)",
            history,
            at,
            at,
            history,
            self._counts_at_sql(history, at, now),
        )

    @api.model
    def _in_grace_at_sql(self, history, at, now):
        """The award row ``history`` is past its validity, within its grace."""
        return SQL(
            "(%s.valid_until <= %s AND %s < %s.grace_until AND %s)",
            history,
            at,
            at,
            history,
            self._counts_at_sql(history, at, now),
        )

    @api.model
    def _standing_query(self, instants, now, horizon_days):
        """The state of each requirement at each instant of ``instants`` (a
        query of rows ``(month, at)``), with the award that decides it: the
        valid one lasting longest (*compliant*, or *expiring* within the
        horizon counted from ``at``), else one in grace (*grace*), else the one
        that expired last (*expired*); *missing* when none was issued by
        ``at``. A future instant is a forecast: nobody renews."""
        h, at = SQL.identifier("h"), SQL("req.at")
        return SQL(
            """
            WITH %(history)s, requirement AS (
                SELECT inst.month, inst.at, rp.employee_id, rp.program_id,
                       rp.job_id, rp.department_id, rp.by_job, rp.by_department
                  FROM (%(instants)s) inst
                  JOIN requirement_period rp ON %(in_period)s
            ), ranked AS (
                SELECT req.employee_id, req.program_id, req.by_job, req.by_department,
                       req.job_id, req.department_id,
                       req.month, req.at, h.award_id, h.date_expiry,
                       h.learner_date_expiry, h.valid_until,
                       h.expires_at,
                       CASE
                           WHEN h.award_id IS NULL THEN NULL
                           WHEN %(valid)s THEN 2
                           WHEN %(grace)s THEN 1
                           ELSE 0
                       END AS standing
                  FROM requirement req
                  LEFT JOIN history h
                    ON h.employee_id = req.employee_id
                   AND h.program_id = req.program_id
                   AND h.date_issued <= req.at
            )
            SELECT DISTINCT ON (r.employee_id, r.program_id, r.at)
                   r.employee_id, r.program_id, r.by_job, r.by_department,
                   r.job_id, r.department_id, r.month,
                   r.at, r.award_id, r.date_expiry, r.learner_date_expiry,
                   CASE r.standing
                       WHEN 2 THEN CASE
                           WHEN r.expires_at <= r.at + %(horizon)s THEN 'expiring'
                           ELSE 'compliant' END
                       WHEN 1 THEN 'grace'
                       WHEN 0 THEN 'expired'
                       ELSE 'missing'
                   END AS compliance_state
              FROM ranked r
          ORDER BY r.employee_id, r.program_id, r.at, r.standing DESC NULLS LAST,
                   CASE WHEN r.standing = 2 THEN r.valid_until END DESC NULLS LAST,
                   r.date_expiry DESC NULLS FIRST, r.award_id DESC
            """,
            history=self._history_ctes(),
            instants=instants,
            in_period=self._in_period_sql(
                SQL.identifier("rp"), self._local_day_sql(SQL("inst.at"))
            ),
            valid=self._valid_at_sql(h, at, now),
            grace=self._in_grace_at_sql(h, at, now),
            horizon=timedelta(days=horizon_days),
        )

    @api.model
    def _query(self, now, horizon_days, at=None):
        """The report at one instant ``at`` (default ``now``): the standing
        query over that single instant."""
        at = at or now
        standing = self._standing_query(
            SQL("SELECT NULL::date AS month, %s::timestamp AS at", at),
            now,
            horizon_days,
        )
        return SQL(
            """
            SELECT
                s.program_id::bigint * %(id_factor)s + s.employee_id AS id,
                s.employee_id AS employee_id,
                s.department_id AS department_id,
                s.job_id AS job_id,
                e.parent_id AS manager_id,
                e.company_id AS company_id,
                s.program_id AS program_id,
                s.award_id AS award_id,
                s.compliance_state AS compliance_state,
                CASE WHEN s.compliance_state IN %(compliant)s THEN 100.0 ELSE 0.0 END
                    AS compliance_rate,
                1 AS required_count,
                s.learner_date_expiry AS date_expiry,
                s.date_expiry::date - s.at::date AS days_to_expiry,
                s.by_job AS is_required_by_job,
                s.by_department AS is_required_by_department
            FROM (%(standing)s) s
            JOIN hr_employee e ON e.id = s.employee_id
            """,
            id_factor=ID_FACTOR,
            compliant=COMPLIANT_STATES,
            standing=standing,
        )

    def _compute_is_my_report(self):
        mine = self.filtered_domain(team_domain(self.env))
        for row in self:
            row.is_my_report = row in mine

    def _search_is_my_report(self, operator, value):
        return team_search(self.env, operator, value)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_award(self):
        self.ensure_one()
        return self.award_id.get_formview_action()

    def action_award(self):
        """Award the missing (or expired) certification: the grant wizard
        pre-filled when it is installed and the employee has a user, else a new
        award form (or the current award, which is renewed from there)."""
        self.ensure_one()
        self.env["certification.award"].check_access("create")
        user = self.employee_id.user_id
        if self.env.get("certification.program.grant") is not None and user:
            return {
                "type": "ir.actions.act_window",
                "name": _("Award %(program)s", program=self.program_id.name),
                "res_model": "certification.program.grant",
                "view_mode": "form",
                "views": [(False, "form")],
                "target": "new",
                "context": {
                    "default_program_id": self.program_id.id,
                    "default_user_ids": [user.id],
                },
            }
        if self.award_id:
            return self.action_open_award()
        partner = self.employee_id.work_contact_id or user.partner_id
        return {
            "type": "ir.actions.act_window",
            "name": _("Award %(program)s", program=self.program_id.name),
            "res_model": "certification.award",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_program_id": self.program_id.id,
                "default_partner_id": partner.id,
            },
        }
