# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The fields the SQL-view reports read: Odoo flushes them before it reads a
report (``_depends``). One declaration for the analysis, the compliance report
and the compliance trend, which read the same awards, employees and
requirements."""

from .. import compat

CERTIFICATION_REPORT_DEPENDS = {
    "certification.award": [
        "program_id",
        "partner_id",
        "user_id",
        "company_id",
        "association_type",
        "state",
        "date_issued",
        "date_expiry",
        "date_grace_end",
        "is_always_valid",
        "revoked_on",
        "previous_award_id",
        "learner_date_issued",
        "learner_date_expiry",
        "learner_date_grace_end",
        "learner_revoked_on",
    ],
    "certification.program": ["active"],
    "hr.employee": [
        "work_contact_id",
        "user_id",
        "parent_id",
        "company_id",
        "active",
    ],
    "hr.job": ["certification_program_ids"],
    "hr.department": ["certification_program_ids"],
    "res.users": ["partner_id"],
}
# the employees' job and department: hr.employee's on 18.0, hr.version's on 19.0
for _model, _names in compat.EMPLOYEE_POSITION_DEPENDS.items():
    CERTIFICATION_REPORT_DEPENDS.setdefault(_model, []).extend(_names)
