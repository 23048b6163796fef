# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
# ruff: noqa: F821
"""Two cron workers at once (a check, not a timing): worker A handles a batch
and keeps its transaction open; worker B, in its own cursor, runs meanwhile.
B must skip A's locked awards (FOR UPDATE SKIP LOCKED) and take the others; after
both commit, every award got exactly one mail. Run inside ``odoo-bin shell`` on
a throw-away database: it commits."""

from datetime import timedelta

import psycopg2

from odoo import api, fields
from odoo.tools import SQL

COUNT = 200
BATCH = 100

cr = env.cr
program = env["certification.program"].create({"name": "Workers Check"})
partners = env["res.partner"].create(
    [
        {"name": f"Worker Learner {i}", "email": f"w{i}@example.com"}
        for i in range(COUNT)
    ]
)
awards = env["certification.award"]._issue_awards(
    [{"program_id": program.id, "partner_id": p.id} for p in partners], notify=False
)
past = fields.Datetime.now() - timedelta(hours=1)
awards.write({"date_expiry": past})
cr.commit()

b_retried = False
with env.registry.cursor() as cr_b:
    env["certification.award"]._cron_process_expiry(batch_size=BATCH)  # A, open
    env.flush_all()
    env_b = api.Environment(cr_b, env.uid, {})
    try:
        env_b["certification.award"]._cron_process_expiry(batch_size=BATCH)  # B
        env_b.flush_all()
        cr_b.commit()
    except psycopg2.errors.LockNotAvailable:
        # B waited for A's audit log append (A's transaction is held open by
        # this script), timed out and rolled back; like the cron runner, it
        # runs again once A committed.
        cr_b.rollback()
        b_retried = True
cr.commit()
if b_retried:
    with env.registry.cursor() as cr_b:
        env_b = api.Environment(cr_b, env.uid, {})
        env_b["certification.award"]._cron_process_expiry(batch_size=BATCH)
        env_b.flush_all()
        cr_b.commit()
    print("[workers] B timed out on the audit log lock while A was open; rerun")
env.invalidate_all()

cr.execute(
    SQL(
        """SELECT msg.res_id, count(*) FROM mail_mail m
             JOIN mail_message msg ON msg.id = m.mail_message_id
            WHERE msg.model = 'certification.award' AND msg.res_id = ANY(%s)
            GROUP BY msg.res_id""",
        awards.ids,
    )
)
per_award = dict(cr.fetchall())
states = set(awards.mapped("state"))
print(
    f"[workers] {COUNT} awards due, two workers with batches of {BATCH}: "
    f"states {sorted(states)}, awards mailed {len(per_award)}, "
    f"max mails per award {max(per_award.values(), default=0)}"
)
