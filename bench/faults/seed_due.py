# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
# ruff: noqa: F821
"""Fault drills, in ``odoo-bin shell``: awards of the given learners, issued
two years ago, that expired an hour ago (no grace period), due for the expiry
cron, which is set to run now."""

import json
import os
from datetime import timedelta

from odoo import fields

params = json.loads(os.environ["FAULTS_PARAMS"])
env = env(context=dict(env.context, tz="UTC", tracking_disable=True))
program = env["certification.program"].create(
    {
        "name": "Drill Expiry",
        "code": "DRILLEXP",
        "validity_number": 2,
        "grace_period_days": 0,
    }
)
Award = env["certification.award"]
partner_ids = params["partner_ids"]
for start in range(0, len(partner_ids), 2000):
    vals_list = [
        {"program_id": program.id, "partner_id": partner_id}
        for partner_id in partner_ids[start : start + 2000]
    ]
    Award._issue_awards(vals_list, notify=False)
    env.cr.commit()
    env.invalidate_all()
awards = Award.search([("program_id", "=", program.id)])
now = fields.Datetime.now()
# issued two years ago: the steps of the past hour fall inside the award's life
awards.write(
    {"date_issued": now - timedelta(days=730), "date_expiry": now - timedelta(hours=1)}
)
cron = env.ref("certifications_retraining.ir_cron_certification_expiry")
cron.nextcall = now - timedelta(minutes=1)
env.cr.commit()
# the steps due by now for an award that expired an hour ago: at or after the
# expiry, up to an hour after it
due = program.reminder_ids.filtered(
    lambda rule: (
        rule._is_at_or_after_expiry() and rule._get_offset() <= timedelta(hours=1)
    )
)
out = {"program": program.id, "awards": len(awards), "due_steps": len(due)}
print("FAULTS " + json.dumps(out))
