# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
# ruff: noqa: F821
"""Open Badges credentials: the company's status list with 200,000 then
1,000,000 awards (10% archived), signing credentials, and the cost of the
status index allocation in a batch create. Run inside ``odoo-bin shell``
(``env`` is given) on a throw-away database. It commits nothing: the awards
it inserts are rolled back at its end, so that the scenarios after it start
from an empty award table.

Awards are inserted with ``INSERT ... SELECT generate_series`` (no ORM), with
their company and status list index. Printed: wall time and queries of the
status list (built, then signed), of one credential (payload + signature) and
of a 1,000-award create, and the plan of the status list query."""

import os
import time

from odoo.tools import SQL

SIZES = [
    int(size)
    for size in os.environ.get("BENCH_CREDENTIAL_SIZES", "200000,1000000").split(",")
]
PARTNERS = 10000
PROGRAMS = 130

cr = env.cr
Award = env["certification.award"]
company = env.company


def setup():
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
            {"name": f"Bench Credential {n}", "validity_unit": "years"}
            for n in range(PROGRAMS)
        ]
    )
    env.flush_all()
    return programs.ids, partner_ids


def insert_awards(program_ids, partner_ids, first, count):
    """Awards ``first``..``first + count - 1``: 10% archived, index = number."""
    cr.execute(
        SQL(
            """INSERT INTO certification_award
                   (program_id, partner_id, date_issued, date_expiry, state,
                    association_type, verification_token, is_always_valid,
                    open_badge_company_id, open_badge_status_index,
                    create_uid, write_uid, create_date, write_date)
               SELECT (%(programs)s::int[])
                          [mod(g / %(partners_count)s, %(programs_count)s) + 1],
                      (%(partners)s::int[])[mod(g, %(partners_count)s) + 1],
                      now() - interval '1 month', now() + interval '11 months',
                      CASE WHEN mod(g, 10) = 0 OR g >= %(current)s THEN 'archived'
                           ELSE 'valid' END,
                      'manual', 'bench-cred-' || g, false, %(company)s, g,
                      1, 1, now(), now()
                 FROM generate_series(%(first)s, %(last)s) g""",
            programs=program_ids,
            programs_count=len(program_ids),
            partners=partner_ids,
            partners_count=len(partner_ids),
            # pairs beyond PROGRAMS * PARTNERS repeat: keep them archived
            current=PROGRAMS * PARTNERS,
            company=company.id,
            first=first,
            last=first + count - 1,
        )
    )
    # The sequence continues after the inserted indexes.
    sequence = Award._get_open_badge_sequence(company)
    cr.execute(
        SQL(
            "SELECT setval(%s, %s)",
            f"ir_sequence_{sequence.id:03d}",
            first + count,
        )
    )
    # not committed: the scenario rolls back at its end, so the next
    # scenarios (expiry at 100k and 1M awards) start from an empty table
    cr.execute(SQL("ANALYZE certification_award"))


def measure(label, func, repeat=3):
    best, queries = None, None
    for _run in range(repeat):
        env.invalidate_all()
        count = cr.sql_log_count
        start = time.perf_counter()
        result = func()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
        queries = cr.sql_log_count - count
    print(f"    {label}: {best * 1000:.1f} ms (best of {repeat}), {queries} queries")
    return result


def explain(query):
    cr.execute(SQL("EXPLAIN ANALYZE %s", query))
    return "\n".join("      " + row[0] for row in cr.fetchall())


program_ids, partner_ids = setup()
total = 0
for size in SIZES:
    insert_awards(program_ids, partner_ids, total, size - total)
    total = size
    print(f"[credential] {size:,} awards of one company")
    status_list = measure(
        "status list (dict)", lambda: Award._get_open_badge_status_list(company)
    )
    encoded = status_list["credentialSubject"]["encodedList"]
    print(f"    encodedList: {len(encoded):,} characters")
    measure(
        "status list (signed VC-JWT)",
        lambda: Award._get_open_badge_status_list_credential(company),
    )
    award = Award.search([("state", "=", "valid")], limit=1)
    measure(
        "one credential (payload + EdDSA signature)",
        award._get_open_badge_credential,
        10,
    )
    print("    plan of the status list query:")
    print(explain(Award._get_open_badge_status_query(company)))

partners = env["res.partner"].create(
    [{"name": f"Bench New {n}", "email": f"new{n}@example.com"} for n in range(1000)]
)
program = env["certification.program"].create(
    {"name": "Bench Fresh", "validity_unit": "years"}
)
vals_list = [{"program_id": program.id, "partner_id": p.id} for p in partners]
count = cr.sql_log_count
start = time.perf_counter()
Award._prepare_open_badge_status_vals(vals_list)
print(
    f"[credential] status indexes for 1,000 new awards: "
    f"{(time.perf_counter() - start) * 1000:.1f} ms, {cr.sql_log_count - count} queries"
)
cr.rollback()
