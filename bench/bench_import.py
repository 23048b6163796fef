# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
# ruff: noqa: F821 - `env` is given by `odoo-bin shell`
"""CSV import and award wizard throughput (run by `make bench`, in odoo-bin shell).

For N CSV rows: rows per second and SQL queries per row of
- our importer (certification.award.import -> certification.job, the cron
  method called until the job is done, committing between calls like the cron
  runner does);
- Odoo's generic importer: base_import.import.execute_import() loading the same
  records into certification.award (learner, certification and course given by
  name, as an officer would map them), run as its import dialog runs it by
  default: history tracking off, batches of 2,000 rows, one transaction each;
- Odoo's generic importer fed database ids (``field/.id`` columns): its
  fastest form, no name to resolve;
- the ORM floor: the same award records, already parsed and resolved, through
  ``odoo.models.BaseModel.create`` itself (past every override: no CSV, no
  validation, no audit row, no reminder rule), in batches of the import's size,
  run in turn with ours (one batch each), so that both share the machine's
  slow and fast moments;
- PostgreSQL COPY of the same CSV into a bare temporary table (the database's
  floor).
Then 10,000 learners through the award wizard (a background job).
Queries are counted with env.cr.sql_log_count. Memory: the peak resident set
size during each scenario (Linux VmHWM, reset before each scenario), and the
process maximum (getrusage). The 10k scenarios run with 10k learners in the
database, the 100k ones with 100k (base_import resolves learners by name).
The import's peak RSS growth from the smallest to the largest size is
printed last. Prints figures, asserts nothing timed. The database is a
throw-away one: this script commits.
"""

import base64
import csv
import io
import os
import sys
import time

# BENCH_IMPORT_SIZES=1000,5000 for a quick try
SIZES = tuple(
    int(size)
    for size in os.environ.get("BENCH_IMPORT_SIZES", "10000,100000").split(",")
)
BASE_IMPORT_MAX = 10_000  # base_import by names at 100k: far too long here
BASE_IMPORT_IDS_MAX = int(os.environ.get("BENCH_IMPORT_IDS_MAX", "100000"))
GRANT_USERS = min(10_000, max(SIZES))
# Rows through both import paths before measuring: as many as the smallest
# measured size. The first path to handle a batch of that size in a process
# pays a one-off cost that the path after it does not (what it is was not
# pinned down: reading the learners first, or glibc's malloc instead of
# Python's, did not remove it); with a small warm-up the bench, ours first,
# counted it against ours.
WARM_UP = min(SIZES)

from odoo import models

sys.path.insert(0, os.environ.get("BENCH_DIR", "bench"))
from benchlib import (
    bare_mail_yardstick,
    maxrss_mb,
    peak_rss_mb,
    record,
    reset_peak_rss,
    rss_mb,
)

admin = env.ref("base.user_admin")
env = env(user=admin.id, context=dict(env.context, tz="UTC"))
cr = env.cr


def report(label, rows, seconds, queries, scenario=None, **extra):
    if scenario:
        record(scenario, rows, seconds, queries, **extra)
    print(
        f"{label:<34} {rows:>8} rows  {seconds:8.1f} s  {rows / seconds:9.0f} rows/s  "
        f"{queries / rows:7.3f} queries/row  peak RSS {peak_rss_mb():5.0f} MB  "
        f"(process max {maxrss_mb():5.0f} MB)",
        flush=True,
    )
    return rows / seconds


def make_learners(first, count):
    """Partners and users inserted in bulk: setting up 100k users through the
    ORM would take longer than everything measured here."""
    company = env.company.id
    cr.execute(
        "INSERT INTO res_partner (name, complete_name, active, type, company_id, "
        "create_date, write_date) SELECT 'Bench Learner ' || lpad(i::text, 6, '0'), "
        "'Bench Learner ' || lpad(i::text, 6, '0'), true, 'contact', %s, now(), now() "
        "FROM generate_series(%s, %s) i ORDER BY i RETURNING id",
        (company, first, first + count - 1),
    )
    partner_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        "INSERT INTO res_users (login, partner_id, company_id, active, share, "
        "notification_type, create_date, write_date) "
        "SELECT 'bench' || lpad((n + %s)::text, 6, '0'), p, %s, true, true, 'email', "
        "now(), "
        "now() FROM unnest(%s::int[]) WITH ORDINALITY AS t(p, n) RETURNING id",
        (first - 1, company, partner_ids),
    )
    user_ids = [row[0] for row in cr.fetchall()]
    # users belong to their company: the import resolves logins within the
    # requester's companies only
    cr.execute(
        "INSERT INTO res_company_users_rel (cid, user_id) SELECT %s, unnest(%s::int[])",
        (company, user_ids),
    )
    env.invalidate_all()
    vacuum_analyze_learners()
    return partner_ids


def vacuum_analyze_learners():
    """The state a real database's tables are in: analyzed (without the
    statistics PostgreSQL plans the foreign-key checks of the award INSERTs
    as scans of a "tiny" res_partner: seconds per 10,000 rows, in either
    path) and vacuumed (else autovacuum vacuums the tables of 100,000 new
    learners during the first measured batch, which is ours). VACUUM runs
    outside a transaction: on the cursor's connection in autocommit, between
    two transactions."""
    cr.commit()
    cr._cnx.autocommit = True
    try:
        cr._obj.execute("VACUUM ANALYZE res_partner, res_users, res_company_users_rel")
    finally:
        cr._cnx.autocommit = False


def make_program(code):
    program = env["certification.program"].create(
        {"name": f"Bench {code}", "code": code, "validity_number": 2}
    )
    course = env["slide.channel"].create(
        {"name": f"Bench course {code}", "code": f"{code}-101"}
    )
    course.certification_program_id = program
    cr.commit()
    return program, course


def canonical_csv(count, program, course):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "username",
            "certification_code",
            "certification_issue_date",
            "always_valid",
            "certification_expire_date",
            "type",
            "code",
        ]
    )
    for i in range(1, count + 1):
        writer.writerow(
            [
                f"bench{i:06d}",
                program.code,
                "2024-01-15",
                "0",
                "2026-01-15",
                "course",
                course.code,
            ]
        )
    return buffer.getvalue().encode()


def named_csv(count, program, course):
    """The same records as a base_import user would map them: by names."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(BY_NAME_FIELDS)
    for i in range(1, count + 1):
        writer.writerow(
            [
                f"Bench Learner {i:06d}",
                program.name,
                "2024-01-15 00:00:00",
                "0",
                "2026-01-15 00:00:00",
                "course",
                course.name,
            ]
        )
    return buffer.getvalue().encode()


class Stopwatch:
    """Seconds and queries summed over the timed steps of one scenario."""

    def __init__(self):
        self.seconds, self.queries = 0.0, 0

    def __enter__(self):
        self._start, self._queries = time.perf_counter(), cr.sql_log_count
        return self

    def __exit__(self, *exc):
        self.seconds += time.perf_counter() - self._start
        self.queries += cr.sql_log_count - self._queries


def run_ours_and_floor(count, tag=""):
    """Our import and the ORM floor of the same rows, batch for batch in
    turn: one batch of the job (the cron method, committed like the cron
    runner does), then one batch of the floor, and so on. Both see the same
    moments of a noisy machine, so their ratio holds from run to run. Our
    peak RSS is read during our batches only (reset before each)."""
    program, course = make_program(f"OURS{tag}{count}")
    data = canonical_csv(count, program, course)
    ours, floor, Job = Stopwatch(), Stopwatch(), env["certification.job"]
    floor_batches = orm_floor_batches(count, floor, tag)
    rss_start = peak = rss_mb()
    reset_peak_rss()
    with ours:
        wizard = env["certification.award.import"].create(
            {"file": base64.b64encode(data), "filename": f"bench_{count}.csv"}
        )
        action = wizard.action_import()
        cr.commit()
    more = True
    while more:
        reset_peak_rss()
        with ours:
            more = Job._cron_process_jobs()
            cr.commit()  # what the cron runner does between two calls
            env.invalidate_all()
        peak = max(peak, peak_rss_mb())
        next(floor_batches, None)
    for _done in floor_batches:  # the floor's batches left, if any
        pass
    job = Job.browse(action["res_id"])
    assert job.state == "done" and job.count_created == count, job.read()[0]
    return ours, floor, peak - rss_start


def report_ours_and_floor(count):
    ours, floor, growth = run_ours_and_floor(count)
    print(f"  -> peak RSS grew by {growth:.0f} MB during the import ({count} rows)")
    GROWTH[count] = growth
    ours_speed = report(
        f"ours (job, {count})",
        count,
        ours.seconds,
        ours.queries,
        scenario="import_ours",
        rss_growth_mb=round(growth, 1),
    )
    floor_speed = report(
        f"ORM floor: BaseModel.create ({count})",
        count,
        floor.seconds,
        floor.queries,
        scenario="import_orm_floor",
    )
    return ours_speed, floor_speed


def ids_csv(count, program, course, partner_ids):
    """The same records with database ids (``field/.id`` columns): base_import's
    fastest form, no name to resolve."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(BY_IDS_FIELDS)
    for partner_id in partner_ids[:count]:
        writer.writerow(
            [
                partner_id,
                program.id,
                "2024-01-15 00:00:00",
                "0",
                "2026-01-15 00:00:00",
                "course",
                course.id,
            ]
        )
    return buffer.getvalue().encode()


BY_NAME_FIELDS = [
    "partner_id",
    "program_id",
    "date_issued",
    "is_always_valid",
    "date_expiry",
    "association_type",
    "channel_id",
]
# the import dialog's options (base_import/static/src/import_model.js)
BASE_IMPORT_OPTIONS = {
    "has_headers": True,
    "separator": ",",
    "quoting": '"',
    "encoding": "utf-8",
    "date_format": "%Y-%m-%d",
    "datetime_format": "%Y-%m-%d %H:%M:%S",
    "limit": 2000,
}
BY_IDS_FIELDS = [
    "partner_id/.id",
    "program_id/.id",
    "date_issued",
    "is_always_valid",
    "date_expiry",
    "association_type",
    "channel_id/.id",
]


def run_base_import(count, by_ids=False):
    """base_import as Odoo's import dialog runs it with its defaults: "Track
    history during import" unchecked (``tracking_disable`` in the context)
    and a "Batch limit" of 2,000 rows, one ``execute_import`` call (one
    transaction) per batch, resumed at the ``nextrow`` it returns."""
    program, course = make_program(f"BASE{'ID' if by_ids else ''}{count}")
    if by_ids:
        data, fields = ids_csv(count, program, course, all_partners), BY_IDS_FIELDS
    else:
        data, fields = named_csv(count, program, course), BY_NAME_FIELDS
    start, queries = time.perf_counter(), cr.sql_log_count
    importer = (
        env["base_import.import"]
        .with_context(tracking_disable=True)
        .create(
            {
                "res_model": "certification.award",
                "file": data,
                "file_name": "bench.csv",
                "file_type": "text/csv",
            }
        )
    )
    imported, skip = 0, 0
    while True:
        result = importer.execute_import(
            fields, fields, dict(BASE_IMPORT_OPTIONS, skip=skip)
        )
        cr.commit()  # each batch is its own request in the dialog
        assert not result.get("messages"), result["messages"][:3]
        imported += len(result.get("ids") or [])
        skip = result.get("nextrow")
        if not skip:
            break
    seconds = time.perf_counter() - start
    assert imported == count, (imported, count)
    kind = "ids" if by_ids else "names"
    return report(
        f"base_import by {kind} ({count})",
        count,
        seconds,
        cr.sql_log_count - queries,
        scenario=f"import_base_import_{kind}",
    )


def orm_floor_batches(count, watch, tag=""):
    """Odoo's own floor for these rows, one batch per step (a generator):
    the same award records (values already parsed and resolved, the state
    given) inserted through the ORM's ``BaseModel.create`` itself, past every
    override (ours, mail.thread's): defaults, the model's precomputed fields,
    one INSERT per 100 rows, the constraints; no CSV, no validation, no audit
    row, no reminder rule. Batches of the import's size; their time is
    summed in ``watch`` (a :class:`Stopwatch`)."""
    program, course = make_program(f"FLOOR{tag}{count}")
    Award = env["certification.award"].with_context(
        tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
    )
    size = env["certification.job"]._get_batch_size("import")  # as the import
    for chunk in range(0, count, size):
        vals_list = [
            {
                "program_id": program.id,
                "partner_id": partner_id,
                "date_issued": "2024-01-15 00:00:00",
                "date_expiry": "2026-01-15 00:00:00",
                "is_always_valid": False,
                "association_type": "course",
                "channel_id": course.id,
                "state": "expired",
            }
            for partner_id in all_partners[chunk : min(chunk + size, count)]
        ]
        env.invalidate_all()
        with watch:
            models.BaseModel.create(Award, vals_list)
            env.flush_all()
            cr.commit()
            env.invalidate_all()
        yield


def run_copy(count):
    program, course = make_program(f"COPY{count}")
    data = canonical_csv(count, program, course)
    cr.execute(
        "CREATE TEMP TABLE bench_copy (username text, certification_code text, "
        "certification_issue_date date, always_valid boolean, "
        "certification_expire_date date, type text, code text)"
    )
    start = time.perf_counter()
    cr._obj.copy_expert(
        "COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)", io.BytesIO(data)
    )
    cr.commit()
    seconds = time.perf_counter() - start
    cr.execute("SELECT count(*) FROM bench_copy")
    assert cr.fetchone()[0] == count
    cr.execute("DROP TABLE bench_copy")
    return report(
        f"PostgreSQL COPY ({count})", count, seconds, 1, scenario="import_copy"
    )


def run_grant(partner_ids):
    program, _course = make_program("GRANT")
    tag = env["res.partner.category"].create({"name": "Bench grant"})
    cr.execute(
        "INSERT INTO res_partner_res_partner_category_rel (category_id, partner_id) "
        "SELECT %s, unnest(%s::int[])",
        (tag.id, partner_ids),
    )
    env.invalidate_all()
    cr.commit()
    start, queries = time.perf_counter(), cr.sql_log_count
    wizard = env["certification.program.grant"].create(
        {"program_id": program.id, "partner_category_ids": [(6, 0, tag.ids)]}
    )
    wizard.action_confirm()
    cr.commit()
    Job = env["certification.job"]
    while Job._cron_process_jobs():
        cr.commit()
        env.invalidate_all()
    seconds = time.perf_counter() - start
    queries = cr.sql_log_count - queries
    created = env["certification.award"].search_count([("program_id", "=", program.id)])
    assert created == len(partner_ids), created
    bare = bare_mail_yardstick(env, partner_ids)
    print(
        f"  -> award wizard is {seconds / bare:.2f}x the bare mail.mail yardstick "
        f"({len(partner_ids)} learners, same run)",
        flush=True,
    )
    return report(
        f"award wizard ({len(partner_ids)} users)",
        len(partner_ids),
        seconds,
        queries,
        scenario="award_wizard",
        bare_mail_ratio=round(seconds / bare, 2),
    )


def compare(size, ours, floor, orm_floor, by_ids=None, by_names=None):
    parts = [f"ours is {ours / by_ids:.1f}x base_import by ids"] if by_ids else []
    if by_names:
        parts.append(f"{ours / by_names:.1f}x base_import by names")
    parts.append(f"{orm_floor / ours:.2f}x the time of the ORM floor")
    if by_ids:
        parts.append(f"the ORM floor is {orm_floor / by_ids:.1f}x base_import by ids")
    parts.append(f"COPY is {floor / ours:.0f}x ours")
    print(f"  -> {', '.join(parts)} ({size} rows, same run)", flush=True)


GROWTH = {}
all_partners = []
# Both paths once, unmeasured, at the smallest measured size, so that neither
# pays the process's first-time costs (registry caches, first queries, the
# first batch of that size) in the figures.
all_partners += make_learners(1, WARM_UP)
run_ours_and_floor(WARM_UP, tag="WARM")
print(f"[bench_import] warm-up: {WARM_UP} rows through both paths (not measured)")
for size in SIZES:
    if size > len(all_partners):
        print(f"[bench_import] {size} learners in the database", flush=True)
        all_partners += make_learners(len(all_partners) + 1, size - len(all_partners))
    reset_peak_rss()
    floor = run_copy(size)
    ours, orm_floor = report_ours_and_floor(size)
    by_ids = by_names = None
    if size <= BASE_IMPORT_IDS_MAX:
        reset_peak_rss()
        by_ids = run_base_import(size, by_ids=True)
    if size <= BASE_IMPORT_MAX:
        reset_peak_rss()
        by_names = run_base_import(size)
    compare(size, ours, floor, orm_floor, by_ids, by_names)
if len(GROWTH) > 1:
    small, large = min(GROWTH), max(GROWTH)
    delta = GROWTH[large] - GROWTH[small]
    print(
        f"  -> import peak RSS growth: {GROWTH[small]:.0f} MB at {small} rows, "
        f"{GROWTH[large]:.0f} MB at {large} rows: {delta:+.0f} MB",
        flush=True,
    )
    record("import_memory_growth", large, 0, 0, rss_growth_delta_mb=round(delta, 1))
reset_peak_rss()
run_grant(all_partners[:GRANT_USERS])
