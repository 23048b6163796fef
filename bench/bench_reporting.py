# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
# ruff: noqa: F821 (run inside `odoo-bin shell`: `env` is given)
"""Reporting benchmark: 100,000 awards across 5,000 employees.

Times the certification analysis pivot (department x certification, through
``_read_group``) and the compliance report (count, and its pivot), and prints
the EXPLAIN ANALYZE plans of the equivalent SQL. Figures only, nothing asserted.
Data goes in through SQL (``odoo.tools.SQL``), it is a throw-away database."""

import datetime
import statistics
import time

from odoo import Command
from odoo.tools import SQL

EMPLOYEES = 5000
PROGRAMS = 30
DEPARTMENTS = 20
JOBS = 25
PROGRAMS_PER_EMPLOYEE = 10  # x 2 awards each (one archived, one current)
RUNS = 5


def timed(func, runs=RUNS):
    """Median and min wall time (ms) of ``runs`` calls, the cache cleared each
    time (a new request)."""
    times, result = [], None
    func()  # warm-up
    for _index in range(runs):
        env.invalidate_all()
        start = time.perf_counter()
        result = func()
        times.append((time.perf_counter() - start) * 1000)
    return result, statistics.median(times), min(times)


def explain(title, query):
    env.cr.execute(SQL("EXPLAIN (ANALYZE, TIMING ON) %s", query))
    print(f"--- EXPLAIN ANALYZE: {title}")
    for (line,) in env.cr.fetchall():
        print("    " + line)


def setup():
    company = env.company
    programs = env["certification.program"].create(
        [
            {"name": f"Bench cert {i}", "validity_number": 1, "validity_unit": "years"}
            for i in range(PROGRAMS)
        ]
    )
    departments = env["hr.department"].create(
        [
            {
                "name": f"Bench dept {i}",
                "certification_program_ids": [
                    Command.set(programs[i % PROGRAMS : i % PROGRAMS + 2].ids)
                ],
            }
            for i in range(DEPARTMENTS)
        ]
    )
    jobs = env["hr.job"].create(
        [
            {
                "name": f"Bench job {i}",
                "certification_program_ids": [
                    Command.set(
                        programs[(i + 1) % PROGRAMS : (i + 1) % PROGRAMS + 2].ids
                    )
                ],
            }
            for i in range(JOBS)
        ]
    )
    env.flush_all()
    start = time.perf_counter()
    env.cr.execute(
        SQL(
            """
            WITH partner AS (
                INSERT INTO res_partner (name, complete_name, active, type)
                SELECT 'Bench learner ' || g, 'Bench learner ' || g, TRUE, 'contact'
                  FROM generate_series(1, %(n)s) g
             RETURNING id
            ), partner_n AS (
                SELECT id, row_number() OVER (ORDER BY id) AS n FROM partner
            ), resource AS (
                INSERT INTO resource_resource
                       (name, resource_type, tz, time_efficiency, active, company_id,
                        calendar_id)
                SELECT 'Bench learner ' || n, 'user', 'UTC', 100, TRUE, %(company)s,
                       %(calendar)s
                  FROM partner_n
             RETURNING id
            ), resource_n AS (
                SELECT id, row_number() OVER (ORDER BY id) AS n FROM resource
            )
            INSERT INTO hr_employee
                   (name, resource_id, company_id, work_contact_id, department_id,
                    job_id, active, employee_type, marital, distance_home_work_unit,
                    resource_calendar_id)
            SELECT 'Bench learner ' || p.n, r.id, %(company)s, p.id,
                   (%(departments)s::int[])[1 + mod(p.n, %(n_departments)s)],
                   (%(jobs)s::int[])[1 + mod(p.n, %(n_jobs)s)],
                   TRUE, 'employee', 'single', 'kilometers', %(calendar)s
              FROM partner_n p JOIN resource_n r ON r.n = p.n
            """,
            n=EMPLOYEES,
            company=company.id,
            calendar=company.resource_calendar_id.id,
            departments=departments.ids,
            n_departments=DEPARTMENTS,
            jobs=jobs.ids,
            n_jobs=JOBS,
        )
    )
    env.cr.execute(
        SQL(
            """
            INSERT INTO certification_award
                   (program_id, partner_id, company_id, association_type, state,
                    date_issued, date_expiry, verification_token,
                    create_uid, write_uid, create_date, write_date)
            SELECT (%(programs)s::int[])[1 + mod(e.id + k, %(n_programs)s)],
                   e.work_contact_id, NULL, 'manual',
                   CASE WHEN v = 0 THEN 'archived'
                        WHEN issued.at + interval '1 year' <= now() AT TIME ZONE 'UTC'
                        THEN 'expired' ELSE 'valid' END,
                   issued.at, issued.at + interval '1 year',
                   md5(e.id || '-' || k || '-' || v || '-' || random()),
                   1, 1, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM hr_employee e
             CROSS JOIN generate_series(0, %(per_employee)s - 1) k
             CROSS JOIN generate_series(0, 1) v
             CROSS JOIN LATERAL (
                SELECT now() AT TIME ZONE 'UTC'
                       - CASE WHEN v = 0 THEN interval '800 days'
                              ELSE (mod(e.id * 7 + k * 31, 420) || ' days')::interval
                         END AS at
             ) issued
             WHERE e.name LIKE %(pattern)s
            """,
            programs=programs.ids,
            n_programs=PROGRAMS,
            per_employee=PROGRAMS_PER_EMPLOYEE,
            pattern="Bench learner %",
        )
    )
    for table in (
        "res_partner",
        "resource_resource",
        "hr_employee",
        "certification_award",
    ):
        env.cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
    env.cr.commit()
    print(f"setup (SQL inserts + ANALYZE): {time.perf_counter() - start:.1f} s")


setup()
env.invalidate_all()
Report = env["certification.award.report"]
Compliance = env["certification.compliance.report"]
env.cr.execute(
    SQL(
        "SELECT count(*), count(*) FILTER (WHERE state = 'archived') "
        "FROM certification_award"
    )
)
awards, archived = env.cr.fetchone()
print(f"awards: {awards} ({archived} archived), employees: {EMPLOYEES}")

groups, median, best = timed(
    lambda: Report._read_group(
        [], ["department_id", "program_id"], ["__count", "days_to_expiry:avg"]
    )
)
rows = sum(count for _dept, _prog, count, _avg in groups)
print(
    f"analysis pivot department x certification: {len(groups)} cells, {rows} rows, "
    f"median {median:.0f} ms (min {best:.0f} ms)"
)
department = env["hr.department"].search([("name", "like", "Bench dept")], limit=1)
groups, median, best = timed(
    lambda: Report._read_group(
        [("department_id", "=", department.id)],
        ["program_id"],
        ["__count"],
    )
)
print(f"analysis pivot, one department: median {median:.0f} ms (min {best:.0f} ms)")

count, median, best = timed(lambda: Compliance.search_count([]))
print(f"compliance count: {count} rows, median {median:.0f} ms (min {best:.0f} ms)")
groups, median, best = timed(
    lambda: Compliance._read_group(
        [], ["department_id", "program_id", "compliance_state"], ["__count"]
    )
)
states = {}
for _dept, _prog, state, cnt in groups:
    states[state] = states.get(state, 0) + cnt
print(
    f"compliance pivot department x certification x state: {len(groups)} cells "
    f"{states}, median {median:.0f} ms (min {best:.0f} ms)"
)

# Compliance through time: the same query at a past date, and the trend.
past = Compliance.with_context(certification_compliance_date="2025-06-30", tz="UTC")
count_past, median_past, best_past = timed(lambda: past.search_count([]))
print(
    f"compliance count at a past date: {count_past} rows, median {median_past:.0f} ms "
    f"(min {best_past:.0f} ms)"
)
_groups, median_now, best_now = timed(
    lambda: Compliance._read_group(
        [], ["department_id", "compliance_state"], ["__count", "compliance_rate:avg"]
    )
)
groups, median_then, best_then = timed(
    lambda: past._read_group(
        [], ["department_id", "compliance_state"], ["__count", "compliance_rate:avg"]
    )
)
print(
    f"compliance pivot department x state (rate): now median {median_now:.0f} ms "
    f"(min {best_now:.0f} ms), past date median {median_then:.0f} ms "
    f"(min {best_then:.0f} ms), ratio past / now x{median_then / median_now:.2f}"
)
forecast = Compliance.with_context(
    certification_compliance_date=str(
        datetime.date.today() + datetime.timedelta(days=90)
    ),
    tz="UTC",
)
_groups, median_fc, best_fc = timed(
    lambda: forecast._read_group([], ["compliance_state"], ["__count"])
)
print(f"compliance forecast +90 days by state: median {median_fc:.0f} ms")

Trend = env["certification.compliance.trend"].with_context(tz="UTC")
queries_before = env.cr.sql_log_count
groups = Trend._read_group([], ["month:month"], ["compliance_rate:avg"])
trend_queries = env.cr.sql_log_count - queries_before
groups, median_trend, best_trend = timed(
    lambda: Trend._read_group([], ["month:month"], ["compliance_rate:avg"])
)
print(
    f"trend by month (graph): {len(groups)} months, {trend_queries} query(ies), "
    f"median {median_trend:.0f} ms (min {best_trend:.0f} ms)"
)
groups, median_trend2, _best = timed(
    lambda: Trend._read_group(
        [],
        ["month:month", "department_id"],
        ["compliance_rate:avg", "required_count:sum"],
    )
)
print(
    f"trend pivot month x department: {len(groups)} cells, "
    f"median {median_trend2:.0f} ms"
)

explain(
    "analysis pivot (department x certification)",
    SQL(
        "SELECT r.department_id, r.program_id, count(*), avg(r.days_to_expiry) "
        "FROM %s AS r GROUP BY 1, 2",
        Report._table_sql,
    ),
)
explain(
    "analysis pivot, one department",
    SQL(
        "SELECT r.program_id, count(*) FROM %s AS r "
        "WHERE r.department_id = %s GROUP BY 1",
        Report._table_sql,
        department.id,
    ),
)
explain(
    "compliance count",
    SQL("SELECT count(*) FROM %s AS r", Compliance._table_sql),
)
explain(
    "compliance count at a past date",
    SQL("SELECT count(*) FROM %s AS r", past._table_sql),
)
explain(
    "trend by month",
    SQL(
        "SELECT r.month, sum(r.compliant_count), sum(r.required_count) "
        "FROM %s AS r GROUP BY 1",
        Trend._table_sql,
    ),
)
