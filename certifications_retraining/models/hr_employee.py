# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).

from odoo import _, api, fields, models
from odoo.tools import str2bool

from .. import compat

MANAGER_ACTIVITY_PARAM = "certifications_retraining.manager_activity"
NON_COMPLIANT_STATES = ("grace", "expired", "missing")


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    certification_award_ids = fields.Many2many(
        "certification.award",
        compute="_compute_certification_award_ids",
        string="Certifications",
        groups="hr.group_hr_user,certifications_retraining.group_certification_officer",
        help="Awards of the employee's work contact or user, archived ones included.",
    )
    certification_award_count = fields.Integer(
        compute="_compute_certification_award_ids",
        string="Certification Count",
        groups="hr.group_hr_user,certifications_retraining.group_certification_officer",
        help="Current (non-archived) awards.",
    )
    certification_noncompliant_since = fields.Datetime(
        "Lacks Certifications Since",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="hr.group_hr_user",
        help="Set when the employee's manager was told that a required "
        "certification is in grace, expired or missing; cleared once compliant again.",
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    def _get_certification_partners(self):
        """The learner partners of the employees: work contacts and users'."""
        return self.work_contact_id | self.user_id.partner_id

    @api.depends("work_contact_id", "user_id.partner_id")
    def _compute_certification_award_ids(self):
        awards = self.env["certification.award"].search(
            [("partner_id", "in", self._get_certification_partners().ids)]
        )
        by_partner = awards.grouped("partner_id")
        Award = self.env["certification.award"]
        for employee in self:
            employee_awards = Award.union(
                *(
                    by_partner.get(partner, Award)
                    for partner in employee._get_certification_partners()
                )
            )
            employee.certification_award_ids = employee_awards
            employee.certification_award_count = len(
                employee_awards.filtered(lambda a: a.state != "archived")
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_certification_awards(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "certifications_retraining.certification_award_action"
        )
        action["domain"] = [
            ("partner_id", "in", self._get_certification_partners().ids)
        ]
        action["context"] = {"search_default_filter_current": 1, "create": False}
        return action

    # ------------------------------------------------------------
    # CRON: managers of newly non-compliant employees
    # ------------------------------------------------------------

    @api.model
    def _cron_notify_certification_noncompliance(self, batch_size=500):
        """Schedule one activity for the manager of each employee who newly
        lacks a required certification (grace, expired or missing; *expiring* is
        still compliant and left to the learner's reminders). The marker
        ``certification_noncompliant_since`` keeps it from being scheduled
        again while the employee stays non-compliant; it is cleared once the
        employee is compliant again."""
        enabled = str2bool(
            # a setting read by the cron (run as superuser anyway)
            self.env["ir.config_parameter"].sudo().get_param(MANAGER_ACTIVITY_PARAM)
            or "False"
        )
        if not enabled:
            compat.report_cron_progress(self.env, 0, 0)
            return
        # the manager activity cron: every employee of every company
        Employee = self.sudo().with_context(active_test=False)
        rows = (
            self.env["certification.compliance.report"]
            # same cron: the compliance of every company
            .sudo()
            ._read_group(
                [("compliance_state", "in", NON_COMPLIANT_STATES)],
                ["employee_id", "program_id"],
            )
        )
        programs_by_employee = {}
        for employee, program in rows:
            programs_by_employee.setdefault(employee, program.browse())
            programs_by_employee[employee] |= program
        noncompliant = Employee.browse([e.id for e in programs_by_employee])
        flagged = Employee.search([("certification_noncompliant_since", "!=", False)])
        (flagged - noncompliant).write({"certification_noncompliant_since": False})
        newly = noncompliant - flagged
        batch = newly[:batch_size]
        batch._drop_programs_mailed_today(programs_by_employee)
        batch._schedule_certification_activities(programs_by_employee)
        batch.write({"certification_noncompliant_since": fields.Datetime.now()})
        remaining = len(newly) - len(batch)
        if remaining:
            self.env.ref(
                "certifications_retraining.ir_cron_certification_noncompliance"
            )._trigger()
        compat.report_cron_progress(self.env, len(batch), remaining)

    def _drop_programs_mailed_today(self, programs_by_employee):
        """The reminder ladder already mailed the manager today about these
        employees' awards: those certifications leave the activity (an
        employee left with none gets no activity, but is flagged)."""
        start = fields.Datetime.now().replace(hour=0, minute=0, second=0)
        # run by the non-compliance cron on the employees it handles (already
        # sudo); the markers are read to drop what the manager was mailed
        markers = (
            self.env["certification.award.reminder.sent"]
            .sudo()
            .search(
                [
                    ("date_sent", ">=", start),
                    ("is_superseded", "=", False),
                    ("reminder_id.recipient", "in", ("manager", "both")),
                    ("award_id.employee_id", "in", self.ids),
                ]
            )
        )
        for marker in markers:
            employee = marker.award_id.employee_id
            programs_by_employee[employee] -= marker.award_id.program_id

    def _schedule_certification_activities(self, programs_by_employee):
        """One to-do activity per employee for their manager's user (employees
        without a manager user get none), created in one batch."""
        employees = self.filtered(
            lambda e: e.parent_id.user_id.active and programs_by_employee[e]
        )
        if not employees:
            return self.env["mail.activity"]
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("hr.employee")
        return (
            self.env["mail.activity"]
            # same cron: activities for managers of every company
            .sudo()
            .create(
                [
                    employee._prepare_certification_activity_vals(
                        programs_by_employee[employee], activity_type, model_id
                    )
                    for employee in employees
                ]
            )
        )

    def _prepare_certification_activity_vals(self, programs, activity_type, model_id):
        self.ensure_one()
        manager = self.parent_id.user_id
        return {
            "res_model_id": model_id,
            "res_id": self.id,
            "activity_type_id": activity_type.id,
            "user_id": manager.id,
            # due today on the manager's calendar, wherever the cron runs
            "date_deadline": fields.Date.context_today(
                self.with_context(tz=manager.tz)
            ),
            "summary": _("Required certifications missing"),
            "note": self.env["ir.qweb"]._render(
                "certifications_retraining.hr_employee_certification_activity_note",
                {
                    "intro": _(
                        "%(employee)s lacks required certifications:",
                        employee=self.name,
                    ),
                    "names": programs.mapped("name"),
                },
            ),
        }
