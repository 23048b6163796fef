# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.tools import SQL

COMPLIANCE_STATES = [
    ("compliant", "Compliant"),
    ("expiring", "Expiring"),
    ("expired", "Expired"),
    ("missing", "Missing"),
]
HORIZON_PARAM = "certifications_retraining.expiry_horizon_days"
DEFAULT_HORIZON_DAYS = 30
# Row ids pair a certification with an employee: program_id * 2**31 + employee_id
# (unique and stable; below 2**53, safe for the web client, up to 4M certifications).
ID_FACTOR = 2**31


class CertificationComplianceReport(models.Model):
    """One row per (active employee, certification required by the employee's
    job or department), with the state of the employee's current award."""

    _name = "certification.compliance.report"
    _description = "Certification Compliance"
    _auto = False
    _rec_name = "program_id"
    _order = "employee_id, program_id"

    employee_id = fields.Many2one("hr.employee", readonly=True)
    department_id = fields.Many2one("hr.department", readonly=True)
    job_id = fields.Many2one("hr.job", "Job Position", readonly=True)
    manager_id = fields.Many2one("hr.employee", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    program_id = fields.Many2one(
        "certification.program", "Certification", readonly=True
    )
    award_id = fields.Many2one("certification.award", readonly=True)
    compliance_state = fields.Selection(COMPLIANCE_STATES, "Compliance", readonly=True)
    date_expiry = fields.Datetime("Expires On", readonly=True)
    days_to_expiry = fields.Integer(
        "Days to Expiry",
        aggregator="avg",
        readonly=True,
        help="Calendar days from today to the expiry of the current award, "
        "counted in UTC.",
    )
    is_required_by_job = fields.Boolean("Required by Job", readonly=True)
    is_required_by_department = fields.Boolean("Required by Department", readonly=True)

    _depends = {
        "certification.award": [
            "program_id",
            "partner_id",
            "state",
            "date_expiry",
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

    @property
    def _table_query(self):
        return self._query(fields.Datetime.now(), self._get_horizon_days())

    @api.model
    def _get_horizon_days(self):
        """The expiry horizon (days), a setting: a valid award expiring within
        it makes the employee *expiring* instead of *compliant*."""
        # a setting (a number of days) read by every reader of the report
        value = self.env["ir.config_parameter"].sudo().get_param(HORIZON_PARAM)
        try:
            return max(int(value), 0)
        except (TypeError, ValueError):
            return DEFAULT_HORIZON_DAYS

    @api.model
    def _query(self, now, horizon_days):
        """Required certifications are the union of the job's and the
        department's (one row when both require it). The current award is the
        non-archived award of the employee's work contact or user partner (a
        renewal archived the previous one, so it is counted once)."""
        return SQL(
            """
            WITH required AS (
                SELECT e.id AS employee_id, rel.certification_program_id AS program_id,
                       TRUE AS by_job, FALSE AS by_department
                  FROM hr_employee e
                  JOIN hr_job_certification_program_rel rel ON rel.hr_job_id = e.job_id
                 WHERE e.active
                UNION ALL
                SELECT e.id, rel.certification_program_id, FALSE, TRUE
                  FROM hr_employee e
                  JOIN hr_department_certification_program_rel rel
                    ON rel.hr_department_id = e.department_id
                 WHERE e.active
            ), requirement AS (
                SELECT employee_id, program_id, bool_or(by_job) AS by_job,
                       bool_or(by_department) AS by_department
                  FROM required
              GROUP BY employee_id, program_id
            )
            SELECT
                req.program_id::bigint * %(id_factor)s + req.employee_id AS id,
                req.employee_id AS employee_id,
                e.department_id AS department_id,
                e.job_id AS job_id,
                e.parent_id AS manager_id,
                e.company_id AS company_id,
                req.program_id AS program_id,
                award.id AS award_id,
                CASE
                    WHEN award.id IS NULL THEN 'missing'
                    WHEN award.state = 'expired' OR award.date_expiry <= %(now)s
                        THEN 'expired'
                    WHEN award.date_expiry <= %(horizon)s THEN 'expiring'
                    ELSE 'compliant'
                END AS compliance_state,
                award.date_expiry AS date_expiry,
                award.date_expiry::date - %(today)s::date AS days_to_expiry,
                req.by_job AS is_required_by_job,
                req.by_department AS is_required_by_department
            FROM requirement req
            JOIN hr_employee e ON e.id = req.employee_id
            JOIN certification_program program
              ON program.id = req.program_id AND program.active
            LEFT JOIN res_users u ON u.id = e.user_id
            LEFT JOIN LATERAL (
                SELECT a.id, a.state, a.date_expiry
                  FROM certification_award a
                 WHERE a.program_id = req.program_id
                   AND a.partner_id IN (e.work_contact_id, u.partner_id)
                   AND a.state != 'archived'
              ORDER BY a.state = 'valid' DESC, a.date_expiry DESC NULLS FIRST
                 LIMIT 1
            ) award ON TRUE
            """,
            id_factor=ID_FACTOR,
            now=now,
            horizon=now + timedelta(days=horizon_days),
            today=now.date(),
        )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_award(self):
        self.ensure_one()
        return self.award_id.get_formview_action()

    def action_award(self):
        """Award the missing (or expired) certification: the grant wizard
        pre-filled when it is installed and the employee has a user, else a new
        award form (or the current award, which is renewed from there)."""
        self.ensure_one()
        self.env["certification.award"].check_access("create")
        user = self.employee_id.user_id
        if self.env.get("certification.program.grant") is not None and user:
            return {
                "type": "ir.actions.act_window",
                "name": _("Award %(program)s", program=self.program_id.name),
                "res_model": "certification.program.grant",
                "view_mode": "form",
                "views": [(False, "form")],
                "target": "new",
                "context": {
                    "default_program_id": self.program_id.id,
                    "default_user_ids": [user.id],
                },
            }
        if self.award_id:
            return self.action_open_award()
        partner = self.employee_id.work_contact_id or user.partner_id
        return {
            "type": "ir.actions.act_window",
            "name": _("Award %(program)s", program=self.program_id.name),
            "res_model": "certification.award",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_program_id": self.program_id.id,
                "default_partner_id": partner.id,
            },
        }
