# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.tools import SQL

from .. import compat
from ..models.certification_award import ASSOCIATION_TYPES
from .report_depends import CERTIFICATION_REPORT_DEPENDS


class CertificationAwardReport(models.Model):
    """Certification analysis: one row per award, archived (renewed) ones
    included, joined to the learner's *current* HR data (employee, department,
    job), not to the values stored on the award when it was issued."""

    _name = "certification.award.report"
    _description = "Certification Analysis"
    _auto = False
    _rec_name = "program_id"
    _order = "date_issued desc, id desc"

    award_id = fields.Many2one("certification.award", readonly=True)
    program_id = fields.Many2one(
        "certification.program", "Certification", readonly=True
    )
    partner_id = fields.Many2one("res.partner", "Learner", readonly=True)
    user_id = fields.Many2one("res.users", readonly=True)
    employee_id = fields.Many2one("hr.employee", readonly=True)
    department_id = fields.Many2one("hr.department", readonly=True)
    job_id = fields.Many2one("hr.job", "Job Position", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    association_type = fields.Selection(ASSOCIATION_TYPES, "Earned By", readonly=True)
    state = fields.Selection(
        [
            ("valid", "Valid"),
            ("grace", "In Grace Period"),
            ("expired", "Expired"),
            ("archived", "Archived"),
        ],
        "Status",
        readonly=True,
    )
    # dates of the learner's calendar, as every date of an award is shown
    date_issued = fields.Date("Issued On", readonly=True)
    date_expiry = fields.Date("Expires On", readonly=True)
    date_grace_end = fields.Date("Grace Period Ends", readonly=True)
    date_valid_until = fields.Date(
        "Valid Until",
        readonly=True,
        help="The day the award stops counting: its expiry, or the issue of the "
        "newer award that replaced it, or its revocation, whichever comes first.",
    )
    days_to_expiry = fields.Integer(
        "Days to Expiry",
        aggregator=False,
        readonly=True,
        help="Calendar days from today to the expiry, counted in UTC; negative "
        "once expired; empty when the certification never expires and for "
        "archived (renewed) awards.",
    )

    _depends = CERTIFICATION_REPORT_DEPENDS

    @property
    def _table_query(self):
        return self._query(fields.Datetime.now())

    @api.model
    def _query(self, now):
        """The rows of the analysis. ``now`` (UTC) anchors days to expiry."""
        return SQL(
            """
            WITH %(learner_employee)s
            SELECT
                award.id AS id,
                award.id AS award_id,
                award.program_id AS program_id,
                award.partner_id AS partner_id,
                award.user_id AS user_id,
                le.employee_id AS employee_id,
                le.department_id AS department_id,
                le.job_id AS job_id,
                COALESCE(award.company_id, le.company_id) AS company_id,
                award.association_type AS association_type,
                award.state AS state,
                award.learner_date_issued AS date_issued,
                award.learner_date_expiry AS date_expiry,
                award.learner_date_grace_end AS date_grace_end,
                LEAST(
                    award.learner_date_expiry, award.learner_revoked_on,
                    successor.learner_date_issued
                ) AS date_valid_until,
                CASE WHEN award.state != 'archived' AND award.date_expiry IS NOT NULL
                     THEN award.date_expiry::date - %(today)s::date
                END AS days_to_expiry
            FROM certification_award award
            LEFT JOIN learner_employee le ON le.partner_id = award.partner_id
            LEFT JOIN LATERAL (
                SELECT next.learner_date_issued
                  FROM certification_award next
                 WHERE next.previous_award_id = award.id
              ORDER BY next.date_issued
                 LIMIT 1
            ) successor ON TRUE
            """,
            learner_employee=self._learner_employee_cte(),
            today=now.date(),
        )

    @api.model
    def _learner_employee_cte(self):
        """``learner_employee(partner_id, employee_id, department_id, job_id,
        company_id)``: the employee of each learner partner, found through the
        employee's work contact or the partner of the employee's user. One
        employee per partner: active before archived, work contact before user,
        then the oldest."""
        return SQL(
            """
            learner_employee AS (
                SELECT DISTINCT ON (link.partner_id)
                       link.partner_id, emp.id AS employee_id,
                       pos.department_id, pos.job_id, emp.company_id
                  FROM (
                        SELECT e.work_contact_id AS partner_id, e.id AS employee_id,
                               0 AS priority
                          FROM hr_employee e
                         WHERE e.work_contact_id IS NOT NULL
                        UNION ALL
                        SELECT u.partner_id, e.id, 1
                          FROM hr_employee e
                          JOIN res_users u ON u.id = e.user_id
                       ) link
                  JOIN hr_employee emp ON emp.id = link.employee_id
                  JOIN (%s) pos ON pos.employee_id = emp.id
              ORDER BY link.partner_id, emp.active DESC, link.priority, emp.id
            )
            """,
            compat.employee_position_sql(),
        )

    def action_open_award(self):
        self.ensure_one()
        return self.award_id.get_formview_action()
