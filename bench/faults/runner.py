# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
# ruff: noqa: F821
"""Fault drills, in ``odoo-bin shell``: a job runner, calling the job cron's
method and committing between two calls as Odoo's cron runner does, until
no job is open. Two of these run at once in the drill."""

import json
import os
import time

params = json.loads(os.environ["FAULTS_PARAMS"])
Job = env["certification.job"]
batches, start = 0, time.monotonic()
while time.monotonic() - start < params["timeout"]:
    if Job._cron_process_jobs():
        batches += 1
    env.cr.commit()
    env.invalidate_all()
    env.cr.execute(
        "SELECT count(*) FROM certification_job WHERE state IN ('queued', 'running')"
    )
    if not env.cr.fetchone()[0]:
        break
print("FAULTS " + json.dumps({"batches": batches}))
