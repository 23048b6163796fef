# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
# ruff: noqa: F821
"""Expiry and reminder cron: 100,000 then 1,000,000 awards, 10,000 due each time
(2,500 to expire without grace, 2,500 entering their grace period, 2,500 whose
grace period ends, 2,500 with a reminder due). Run inside ``odoo-bin shell``
(``env`` is given) on a throw-away database: it commits.

Awards are inserted with ``INSERT ... SELECT generate_series`` (no ORM), then
the cron entry point runs batch after batch until nothing remains, as the cron
worker does. Printed: build time, cron wall time and queries per scenario, the
cost of an idle run, and the plans of the three batch queries."""

import os
import sys
import time

from odoo import fields
from odoo.tools import SQL

SIZES = [
    int(size)
    for size in os.environ.get("BENCH_EXPIRY_SIZES", "100000,1000000").split(",")
]
DUE = int(os.environ.get("BENCH_EXPIRY_DUE", "10000"))
DUE_EXPIRY = DUE // 4  # valid -> expired (no grace)
DUE_GRACE_START = DUE // 4  # valid -> grace
DUE_GRACE_END = DUE // 4  # grace -> expired
DUE_REMINDER = DUE - DUE_EXPIRY - DUE_GRACE_START - DUE_GRACE_END
PARTNERS = 10000
PROGRAMS = 130  # PROGRAMS * PARTNERS distinct (program, learner) pairs

sys.path.insert(0, os.environ.get("BENCH_DIR", "bench"))
from benchlib import bare_mail_yardstick, record, reset_peak_rss

cr = env.cr
Award = env["certification.award"]


def setup():
    """Learners (plain SQL) and certifications (ORM: default reminder rules)."""
    cr.execute(
        SQL(
            """INSERT INTO res_partner (name, complete_name, email, active, type, lang,
                                        create_date, write_date)
               SELECT 'Bench Learner ' || g, 'Bench Learner ' || g,
                      'bench' || g || '@example.com', true, 'contact', 'en_US',
                      now(), now()
                 FROM generate_series(1, %s) g
            RETURNING id""",
            PARTNERS,
        )
    )
    partner_ids = [row[0] for row in cr.fetchall()]
    programs = env["certification.program"].create(
        [
            {"name": f"Bench Certification {index}", "validity_unit": "years"}
            for index in range(PROGRAMS)
        ]
    )
    # The scenario measured since round 1: the 30- and 7-day rules before
    # expiry only. The reminder ladder's expiry-day and after-expiry steps
    # would send mails the baseline did not, hiding the cost of the audit log.
    programs.reminder_ids.filtered(
        lambda r: r.interval_type != "before" or not r.interval_number
    ).unlink()
    env.flush_all()
    return programs.ids, partner_ids


def insert_awards(program_ids, partner_ids, first, count, kind):
    """``count`` awards with pair numbers ``first``..``first + count - 1``.

    kind ``filler``: 70% valid expiring in 65-365 days (next reminder later),
    5% in grace until 1-30 days from now, 15% expired in the past, 10%
    archived; ``due_expiry``: valid without grace, expiry passed within the
    last 2 hours; ``due_grace_start``: valid, expiry passed within the last 2
    hours, 30 days of grace; ``due_grace_end``: in grace, its end passed
    within the last 2 hours; ``due_reminder``: valid, expiring in 10-29 days,
    the 30-day reminder due."""
    now = fields.Datetime.now()
    grace_end = None
    next_reminder = SQL("NULL::timestamp")  # reminders already sent
    if kind == "filler":
        expiry = SQL(
            "CASE WHEN mod(g, 20) < 14 "
            "THEN %(now)s + make_interval(days => 65 + mod(g, 300)) "
            "WHEN mod(g, 20) < 15 THEN %(now)s - make_interval(days => 1 + mod(g, 29)) "
            "ELSE %(now)s - make_interval(days => 31 + mod(g, 700)) END",
            now=now,
        )
        grace_end = SQL(
            "CASE WHEN mod(g, 20) = 14 THEN (%(expiry)s) + interval '30 days' "
            "ELSE %(expiry)s END",
            expiry=expiry,
        )
        state = SQL(
            "CASE WHEN mod(g, 20) < 14 THEN 'valid' WHEN mod(g, 20) < 15 THEN 'grace' "
            "WHEN mod(g, 20) < 18 THEN 'expired' ELSE 'archived' END"
        )
        next_reminder = SQL(
            "CASE WHEN mod(g, 20) < 14 THEN %(expiry)s - interval '30 days' END",
            expiry=expiry,
        )
    elif kind == "due_expiry":
        expiry = SQL("%s - make_interval(mins => 1 + mod(g, 120))", now)
        state = SQL("'valid'")
    elif kind == "due_grace_start":
        expiry = SQL("%s - make_interval(mins => 1 + mod(g, 120))", now)
        grace_end = SQL("(%s) + interval '30 days'", expiry)
        state = SQL("'valid'")
    elif kind == "due_grace_end":
        grace_end = SQL("%s - make_interval(mins => 1 + mod(g, 120))", now)
        expiry = SQL("(%s) - interval '30 days'", grace_end)
        state = SQL("'grace'")
    else:
        expiry = SQL("%s + make_interval(days => 10 + mod(g, 20))", now)
        state = SQL("'valid'")
        next_reminder = SQL("%(expiry)s - interval '30 days'", expiry=expiry)
    cr.execute(
        SQL(
            """INSERT INTO certification_award
                   (program_id, partner_id, date_issued, date_expiry, date_grace_end,
                    grace_period_days, state,
                    association_type, verification_token, date_next_reminder,
                    is_always_valid, create_uid, write_uid, create_date, write_date)
               SELECT (%(programs)s::int[])[g / %(partners_count)s + 1],
                      (%(partners)s::int[])[mod(g, %(partners_count)s) + 1],
                      (%(expiry)s) - interval '1 year', %(expiry)s, %(grace_end)s,
                      CASE WHEN (%(grace_end)s) > (%(expiry)s) THEN 30 ELSE 0 END,
                      %(state)s,
                      'manual', 'bench-' || g, %(next_reminder)s,
                      false, 1, 1, now(), now()
                 FROM generate_series(%(first)s, %(last)s) g""",
            programs=program_ids,
            partners=partner_ids,
            partners_count=len(partner_ids),
            expiry=expiry,
            grace_end=grace_end or expiry,
            state=state,
            next_reminder=next_reminder,
            first=first,
            last=first + count - 1,
        )
    )


def explain(query):
    cr.execute(SQL("EXPLAIN ANALYZE %s", query))
    return "\n".join("      " + row[0] for row in cr.fetchall())


def batch_queries():
    now = fields.Datetime.now()
    expiry = SQL(
        "SELECT id FROM certification_award WHERE state = 'valid' "
        "AND date_expiry <= %(now)s ORDER BY date_expiry, id LIMIT 1000",
        now=now,
    )
    reminder = SQL(
        "SELECT id FROM certification_award "
        "WHERE state IN ('valid', 'grace', 'expired') "
        "AND date_next_reminder <= %(now)s "
        "AND (state != 'valid' OR date_expiry > %(now)s) "
        "ORDER BY date_next_reminder, id LIMIT 1000",
        now=now,
    )
    grace = SQL(
        "SELECT id FROM certification_award WHERE state = 'grace' "
        "AND date_grace_end <= %(now)s ORDER BY date_grace_end, id LIMIT 1000",
        now=now,
    )
    return expiry, grace, reminder


def run_cron():
    """Batch after batch until done, committing like the cron worker."""
    reset_peak_rss()
    queries, calls = cr.sql_log_count, 0
    start = time.perf_counter()
    while True:
        calls += 1
        remaining = Award._cron_process_expiry()
        cr.commit()
        env.invalidate_all()
        if not remaining:
            break
    return time.perf_counter() - start, cr.sql_log_count - queries, calls


def count(where):
    cr.execute(SQL("SELECT count(*) FROM certification_award WHERE %s", where))
    return cr.fetchone()[0]


def main():
    start = time.perf_counter()
    program_ids, partner_ids = setup()
    cr.commit()
    print(
        f"[expiry] setup: {PARTNERS} learners, {PROGRAMS} certifications "
        f"(30- and 7-day reminders) in {time.perf_counter() - start:.1f}s"
    )
    Award._cron_process_expiry()  # warm-up: templates, registry caches
    cr.commit()
    # Odoo's floor in this run: as many ready-made mail.mail as due awards
    bare = bare_mail_yardstick(env, (partner_ids * 2)[:DUE])
    inserted = 0
    results = []
    for size in SIZES:
        filler = size - inserted - DUE
        start = time.perf_counter()
        insert_awards(program_ids, partner_ids, inserted, filler, "filler")
        inserted += filler
        for due, kind in (
            (DUE_EXPIRY, "due_expiry"),
            (DUE_GRACE_START, "due_grace_start"),
            (DUE_GRACE_END, "due_grace_end"),
        ):
            insert_awards(program_ids, partner_ids, inserted, due, kind)
            inserted += due
        insert_awards(program_ids, partner_ids, inserted, DUE_REMINDER, "due_reminder")
        inserted += DUE_REMINDER
        cr.execute(SQL("ANALYZE certification_award"))
        cr.commit()
        total = count(SQL("true"))
        print(
            f"[expiry] table: {total} awards ({time.perf_counter() - start:.1f}s to "
            f"insert), due: {DUE_EXPIRY} to expire + {DUE_GRACE_START} entering "
            f"grace + {DUE_GRACE_END} ending grace + {DUE_REMINDER} reminders"
        )
        expiry_query, grace_query, reminder_query = batch_queries()
        print("[expiry]   plan of the expiry batch query:")
        print(explain(expiry_query))
        print("[expiry]   plan of the grace-end batch query:")
        print(explain(grace_query))
        print("[expiry]   plan of the reminder batch query:")
        print(explain(reminder_query))
        log_rows = Award.env["certification.audit.log"].search_count([])
        seconds, queries, calls = run_cron()
        log_rows = Award.env["certification.audit.log"].search_count([]) - log_rows
        record(
            "expiry_cron",
            total,
            seconds,
            queries,
            due=DUE,
            bare_mail_ratio=round(seconds / bare, 2),
        )
        expired = count(
            SQL(
                "state = 'expired' AND date_grace_end > now() - interval '3 hours' "
                "AND date_grace_end <= now()"
            )
        )
        in_grace = count(
            SQL("state = 'grace' AND date_expiry > now() - interval '3 hours'")
        )
        idle_seconds, idle_queries, _calls = run_cron()
        print(
            f"[expiry]   cron: {calls} calls, {seconds:.1f}s wall, {queries} queries "
            f"({queries / DUE:.2f} per due award); "
            f"idle run after it: {idle_seconds * 1000:.0f} ms, {idle_queries} queries; "
            f"{seconds / bare:.2f}x the bare mail.mail yardstick ({DUE} mails); "
            f"audit log rows written: {log_rows}"
        )
        cr.execute(
            SQL(
                "SELECT count(*) FROM mail_mail m JOIN mail_message msg "
                "ON msg.id = m.mail_message_id WHERE msg.model = 'certification.award'"
            )
        )
        print(
            f"[expiry]   expired in the last 3 hours (all scenarios so far): "
            f"{expired}; entered grace: {in_grace}; "
            f"mails queued so far: {cr.fetchone()[0]}"
        )
        results.append((total, seconds, queries))
    if len(results) > 1:
        (small, small_s, small_q), (big, big_s, big_q) = results[0], results[-1]
        print(
            f"[expiry] ratio {big}/{small} awards (same {DUE} due): "
            f"wall x{big_s / small_s:.2f}, queries x{big_q / small_q:.2f}"
        )


main()
