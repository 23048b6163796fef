# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
# ruff: noqa: F821
"""Fault drills, in ``odoo-bin shell``: queue CSV import jobs through the
wizard, one certification and course each (``imports``: [code, first
learner number, rows]), each certification in the next company of
``companies``."""

import base64
import csv
import io
import json
import os

params = json.loads(os.environ["FAULTS_PARAMS"])
env = env(context=dict(env.context, tz="UTC"))
header = [
    "username",
    "certification_code",
    "certification_issue_date",
    "always_valid",
    "certification_expire_date",
    "type",
    "code",
]
out = {}
for index, (code, first, count) in enumerate(params["imports"]):
    companies = params["companies"]
    program = env["certification.program"].create(
        {
            "name": f"Drill {code}",
            "code": code,
            "validity_number": 2,
            "company_id": companies[index % len(companies)],
        }
    )
    course = env["slide.channel"].create({"name": f"Drill {code}", "code": f"{code}-1"})
    course.certification_program_id = program
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for number in range(first, first + count):
        writer.writerow(
            [
                f"drill{number}",
                code,
                "2024-01-15",
                "0",
                "2026-01-15",
                "course",
                course.code,
            ]
        )
    wizard = env["certification.award.import"].create(
        {
            "file": base64.b64encode(buffer.getvalue().encode()),
            "filename": f"{code}.csv",
        }
    )
    job = env["certification.job"].browse(wizard.action_import()["res_id"])
    out[code] = {"job": job.id, "program": program.id}
env.cr.commit()
print("FAULTS " + json.dumps(out))
