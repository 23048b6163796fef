# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
# ruff: noqa: F821
"""Fault drills, in ``odoo-bin shell``: batch sizes, the two crons under
test (the others, the mail queue included, wait: mails stay countable), and
the learners (bulk SQL, as the benchmarks do)."""

import json
import os
from datetime import timedelta

from odoo import fields

params = json.loads(os.environ["FAULTS_PARAMS"])
cr = env.cr
config = env["ir.config_parameter"].sudo()
config.set_param("certifications_retraining.import_batch_size", params["batch"])
config.set_param("certifications_retraining.expiry_batch_size", params["expiry_batch"])
keep = [
    env.ref("certifications_retraining.certification_job_cron").id,
    env.ref("certifications_retraining.ir_cron_certification_expiry").id,
]
env["ir.cron"].search([("id", "not in", keep)]).active = False
tomorrow = fields.Datetime.now() + timedelta(days=1)
env["ir.cron"].browse(keep).write({"nextcall": tomorrow})
company = env.company.id
cr.execute(
    "INSERT INTO res_partner (name, complete_name, email, active, type, company_id, "
    "create_date, write_date) SELECT 'Drill Learner ' || i, 'Drill Learner ' || i, "
    "'drill' || i || '@example.com', true, 'contact', %s, now(), now() "
    "FROM generate_series(1, %s) i ORDER BY i RETURNING id",
    (company, params["learners"]),
)
partner_ids = [row[0] for row in cr.fetchall()]
cr.execute(
    "INSERT INTO res_users (login, partner_id, company_id, active, share, "
    "notification_type, create_date, write_date) SELECT 'drill' || n, p, %s, true, "
    "true, 'email', now(), now() FROM unnest(%s::int[]) WITH ORDINALITY AS t(p, n) "
    "RETURNING id",
    (company, partner_ids),
)
user_ids = [row[0] for row in cr.fetchall()]
cr.execute(
    "INSERT INTO res_company_users_rel (cid, user_id) SELECT %s, unnest(%s::int[])",
    (company, user_ids),
)
# the statistics a real database has (see bench_import.make_learners)
cr.execute("ANALYZE res_partner, res_users, res_company_users_rel")
env.invalidate_all()
cr.commit()
print("FAULTS " + json.dumps({"partner_ids": partner_ids}))
