# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The background job's form follows its job live."""

import base64
import json

from .common import (
    CertificationCase,
)

CSV = (
    "username,certification_code,certification_issue_date,always_valid,"
    "certification_expire_date,type,code\n"
    "learner_portal,FORK,2024-01-15,1,,manual,\n"
)


class TestJobFormFollowsJob(CertificationCase):
    """The job form is told when the job moves, and opens within the Jobs
    action (a reload keeps a true breadcrumb)."""

    def test_bus_notification_on_progress_and_end(self):
        wizard = self.env["certification.award.import"].create(
            {"file": base64.b64encode(CSV.encode())}
        )
        action = wizard.action_import()
        self.assertEqual(action["path"], "certification-jobs")
        job = self.env["certification.job"].browse(action["res_id"])
        self.env["bus.bus"].search([]).unlink()
        self.env["certification.job"]._cron_process_jobs()
        self.assertEqual(job.state, "done")
        self.env.cr.precommit.run()  # bus notifications are written on commit
        messages = self.env["bus.bus"].search([]).mapped("message")
        updates = [
            json.loads(m)["payload"]
            for m in messages
            if "certification_job_updated" in m
        ]
        self.assertIn({"id": job.id, "state": "running"}, updates)
        self.assertIn({"id": job.id, "state": "done"}, updates)
