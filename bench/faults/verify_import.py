# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
# ruff: noqa: F821
"""Fault drills, in ``odoo-bin shell``: what the imports left, per
certification (awards, distinct learners, audit rows), and whether the
audit chains verify."""

import json
import os

params = json.loads(os.environ["FAULTS_PARAMS"])
cr = env.cr
cr.execute(
    "SELECT program_id, count(*), count(DISTINCT partner_id) FROM certification_award "
    "WHERE program_id = ANY(%s) GROUP BY program_id",
    (params["program_ids"],),
)
awards = {str(program): [count, distinct] for program, count, distinct in cr.fetchall()}
cr.execute(
    "SELECT program_id, count(*) FROM certification_audit_log "
    "WHERE program_id = ANY(%s) AND action IN ('issue', 'import') GROUP BY program_id",
    (params["program_ids"],),
)
audit = {str(program): count for program, count in cr.fetchall()}
broken = env["certification.audit.log"]._verify_chain()
print("FAULTS " + json.dumps({"awards": awards, "audit": audit, "broken": broken.ids}))
