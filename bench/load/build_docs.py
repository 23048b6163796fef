# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
# ruff: noqa: F821
"""Load test, in ``odoo-bin shell``: what serving the status list, JWKS and
issuer profile of each company cost without the cache (what every request
paid before it): the median time of building each document ``repeat`` times
with the methods the routes call, in ms (no HTTP around it)."""

import json
import os
import statistics
import time

params = json.loads(os.environ["FAULTS_PARAMS"])
Award = env["certification.award"].sudo()
builders = {
    "status": Award._get_open_badge_status_list_credential,
    "jwks": Award._get_open_badge_jwks,
    "issuer": Award._get_open_badge_issuer,
}
out = {}
for company in env["res.company"].browse(params["companies"]):
    for kind, build in builders.items():
        times = []
        for _ in range(params["repeat"]):
            env.invalidate_all()
            start = time.perf_counter()
            build(company)
            times.append((time.perf_counter() - start) * 1000)
        out.setdefault(kind, []).append(statistics.median(times))
env.cr.rollback()
print("FAULTS " + json.dumps({k: statistics.median(v) for k, v in out.items()}))
