# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models
from odoo.tools import SQL

from .certification_compliance_report import REQUIRED_HELP
from .report_depends import CERTIFICATION_REPORT_DEPENDS

TREND_MONTHS = 24  # months before the current one


class CertificationComplianceTrend(models.Model):
    """Monthly compliance: one row per month (the last 24 and the current one)
    x company x department x required certification, read from the award
    history with the compliance report's own rule (``_history_ctes`` and
    ``_valid_at_sql``: compliant = holding a valid award) at the end of each
    month (in the viewer's timezone; now for the current month). One query:
    the month ends are a ``generate_series`` joined to the rule."""

    _name = "certification.compliance.trend"
    _description = "Certification Compliance Trend"
    _auto = False
    _order = "month desc, department_id, program_id"

    month = fields.Date(readonly=True)
    department_id = fields.Many2one("hr.department", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    program_id = fields.Many2one(
        "certification.program", "Certification", readonly=True, help=REQUIRED_HELP
    )
    required_count = fields.Integer(
        "Required",
        readonly=True,
        help="Employees required to hold the certification by their job position "
        "and department as Odoo knows them at the end of the month (the current "
        "ones where Odoo keeps no history of them).",
    )
    compliant_count = fields.Integer(
        "Compliant",
        readonly=True,
        help="Of them, employees holding a valid award at the end of the month.",
    )
    compliance_rate = fields.Float(
        "Compliance Rate (%)",
        aggregator="avg",
        digits=(5, 1),
        readonly=True,
        help="Compliant / required, in %. Grouped, it is recomputed from the "
        "sums (weighted by employees), not averaged over rows.",
    )

    _depends = CERTIFICATION_REPORT_DEPENDS

    @property
    def _table_query(self):
        Compliance = self.env["certification.compliance.report"]
        return self._query(fields.Datetime.now(), Compliance._get_viewer_tz())

    def _query(self, now, tz):
        """Month starts in the viewer's timezone; each month is read at its
        last second (UTC), the current one at ``now``."""
        months = SQL(
            """
            SELECT start.month::date AS month,
                   LEAST(
                       ((start.month + interval '1 month') AT TIME ZONE %(tz)s)
                           AT TIME ZONE 'UTC' - interval '1 second',
                       %(now)s::timestamp
                   ) AS at,
                   LEAST(
                       (start.month + interval '1 month' - interval '1 day')::date,
                       ((%(now)s::timestamp AT TIME ZONE 'UTC')
                           AT TIME ZONE %(tz)s)::date
                   ) AS day
              FROM generate_series(0, %(span)s) AS back(months)
             CROSS JOIN LATERAL (
                SELECT date_trunc('month', (%(now)s::timestamp AT TIME ZONE 'UTC')
                                           AT TIME ZONE %(tz)s)
                       - back.months * interval '1 month' AS month
             ) start
            """,
            tz=tz,
            now=now,
            span=TREND_MONTHS,
        )
        Compliance = self.env["certification.compliance.report"]
        at, day = SQL("m.at"), SQL("m.day")
        return SQL(
            """
            WITH %(history)s, month_end AS (%(months)s),
            required_period_group AS (
                -- employees per group and requirement period (one unbounded
                -- period each where Odoo keeps no history of jobs)
                SELECT e.company_id, rp.department_id, rp.program_id, rp.valid_from,
                       rp.valid_to, count(*) AS required_count
                  FROM requirement_period rp
                  JOIN hr_employee e ON e.id = rp.employee_id
              GROUP BY e.company_id, rp.department_id, rp.program_id, rp.valid_from,
                       rp.valid_to
            ), required_group AS (
                SELECT m.month, g.company_id, g.department_id, g.program_id,
                       sum(g.required_count)::integer AS required_count
                  FROM required_period_group g
                  JOIN month_end m ON %(group_in_period)s
              GROUP BY m.month, g.company_id, g.department_id, g.program_id
            ), history_period AS (
                -- each award with the periods its requirement held
                SELECT h.*, rp.department_id, rp.valid_from, rp.valid_to
                  FROM history h
                  JOIN requirement_period rp
                    ON rp.employee_id = h.employee_id
                   AND rp.program_id = h.program_id
            ), held AS (
                -- requirements holding a valid award at each month end
                SELECT DISTINCT m.month, h.employee_id, h.program_id, h.department_id
                  FROM history_period h
                  JOIN month_end m ON %(valid)s AND %(held_in_period)s
            ), held_group AS (
                SELECT held.month, e.company_id,
                       COALESCE(held.department_id, 0) AS department_key,
                       held.program_id, count(*) AS compliant_count
                  FROM held
                  JOIN hr_employee e ON e.id = held.employee_id
              GROUP BY held.month, e.company_id, COALESCE(held.department_id, 0),
                       held.program_id
            )
            SELECT row_number() OVER (
                       ORDER BY rg.month, rg.company_id, rg.department_id, rg.program_id
                   ) AS id,
                   rg.month AS month,
                   rg.company_id AS company_id,
                   rg.department_id AS department_id,
                   rg.program_id AS program_id,
                   rg.required_count AS required_count,
                   COALESCE(hg.compliant_count, 0) AS compliant_count,
                   round(100.0 * COALESCE(hg.compliant_count, 0) / rg.required_count, 1)
                       AS compliance_rate
              FROM required_group rg
              LEFT JOIN held_group hg
                ON hg.month = rg.month
               AND hg.company_id = rg.company_id
               AND hg.department_key = COALESCE(rg.department_id, 0)
               AND hg.program_id = rg.program_id
            """,
            history=Compliance._history_ctes(),
            months=months,
            group_in_period=Compliance._in_period_sql(SQL.identifier("g"), day),
            held_in_period=Compliance._in_period_sql(SQL.identifier("h"), day),
            valid=Compliance._valid_at_sql(SQL.identifier("h"), at, now),
        )

    def _read_group_select(self, aggregate_spec, query):
        """Grouped, the rate is sum(compliant) / sum(required), so that a
        department of 200 weighs more than one of 2."""
        if aggregate_spec == "compliance_rate:avg":
            compliant = self._field_to_sql(self._table, "compliant_count", query)
            required = self._field_to_sql(self._table, "required_count", query)
            return SQL(
                "round(100.0 * SUM(%s) / NULLIF(SUM(%s), 0), 1)", compliant, required
            )
        return super()._read_group_select(aggregate_spec, query)
