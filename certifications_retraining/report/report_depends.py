# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The fields the SQL-view reports read: Odoo flushes them before it reads a
report (``_depends``). One declaration for the analysis, the compliance report
and the compliance trend, which read the same awards, employees and
requirements."""

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
        "department_id",
        "job_id",
        "parent_id",
        "company_id",
        "active",
    ],
    "hr.job": ["certification_program_ids"],
    "hr.department": ["certification_program_ids"],
    "res.users": ["partner_id"],
}
