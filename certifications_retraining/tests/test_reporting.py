# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, RecordCapturer, tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import (
    CertificationCase,
    current_award,
    make_internal_learner,
    make_program,
)


def make_hr_user(env, login="hr_officer", **kwargs):
    return mail_new_test_user(
        env,
        login=login,
        groups="base.group_user,hr.group_hr_user",
        name=kwargs.pop("name", "Hector HR"),
        **kwargs,
    )


def make_employee(env, name, user=None, **kwargs):
    vals = {"name": name, "user_id": user.id if user else False}
    vals.update(kwargs)
    return env["hr.employee"].create(vals)


def grant(env, program, partner, **kwargs):
    vals = {"program_id": program.id, "partner_id": partner.id}
    vals.update(kwargs)
    return env["certification.award"]._issue_awards([vals])


class ReportingCase(CertificationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["certification.award.report"]
        cls.Compliance = cls.env["certification.compliance.report"]
        cls.safety = make_program(cls.env, name="Safety", code="SAFE")
        cls.first_aid = make_program(cls.env, name="First Aid", code="AID")
        cls.department = cls.env["hr.department"].create(
            {
                "name": "Warehouse",
                "certification_program_ids": [Command.set(cls.safety.ids)],
            }
        )
        cls.job = cls.env["hr.job"].create(
            {
                "name": "Forklift Driver",
                "certification_program_ids": [
                    Command.set((cls.program | cls.safety).ids)
                ],
            }
        )
        cls.employee = make_employee(
            cls.env,
            "Ivan Internal",
            user=cls.employee_learner,
            department_id=cls.department.id,
            job_id=cls.job.id,
        )

    def compliance_rows(self, employee=None):
        # report rows are cached like records: read them afresh, as a new request
        self.Compliance.invalidate_model()
        return self.Compliance.search(
            [("employee_id", "=", (employee or self.employee).id)]
        )

    def compliance_states(self, employee=None):
        return {
            row.program_id: row.compliance_state
            for row in self.compliance_rows(employee)
        }


@tagged("post_install", "-at_install")
class TestAwardReport(ReportingCase):
    def test_archived_awards_appear(self):
        partner = self.employee_learner.partner_id
        first = grant(self.env, self.program, partner)
        renewal = grant(self.env, self.program, partner)
        self.assertEqual(first.state, "archived")
        rows = self.Report.search([("partner_id", "=", partner.id)])
        self.assertEqual(rows.award_id, first | renewal)
        self.assertEqual(
            {row.award_id: row.state for row in rows},
            {first: "archived", renewal: "valid"},
        )

    def test_rows_join_current_hr_data(self):
        award = grant(self.env, self.program, self.employee_learner.partner_id)
        row = self.Report.search([("award_id", "=", award.id)])
        self.assertEqual(
            (row.employee_id, row.department_id, row.job_id),
            (self.employee, self.department, self.job),
        )
        other_job = self.env["hr.job"].create({"name": "Picker"})
        self.employee.job_id = other_job
        self.Report.invalidate_model()
        self.assertEqual(
            self.Report.search([("award_id", "=", award.id)]).job_id, other_job
        )

    def test_employee_found_through_work_contact(self):
        employee = make_employee(self.env, "No User", department_id=self.department.id)
        award = grant(self.env, self.program, employee.work_contact_id)
        row = self.Report.search([("award_id", "=", award.id)])
        self.assertEqual(row.employee_id, employee)
        self.assertEqual(row.department_id, self.department)

    @freeze_time("2025-01-01 12:00:00")
    def test_days_to_expiry_in_utc(self):
        award = grant(
            self.env,
            self.program,
            self.learner.partner_id,
            date_issued=datetime(2024, 1, 11, 23, 30),
        )
        self.assertEqual(award.date_expiry, datetime(2025, 1, 11, 23, 30))
        never = make_program(self.env, name="Never", validity_number=0)
        always = grant(self.env, never, self.learner.partner_id)
        rows = self.Report.search([("partner_id", "=", self.learner.partner_id.id)])
        days = {row.award_id: row.days_to_expiry for row in rows}
        self.assertEqual(days, {award: 10, always: 0})
        self.assertFalse(rows.filtered(lambda r: r.award_id == always).date_expiry)

    def test_pivot_measures(self):
        partner = self.employee_learner.partner_id
        grant(self.env, self.program, partner)
        grant(self.env, self.program, partner)
        grant(self.env, self.safety, partner)
        groups = self.Report._read_group(
            [("department_id", "=", self.department.id)],
            ["program_id"],
            ["__count", "days_to_expiry:avg"],
        )
        counts = {program: count for program, count, _avg in groups}
        self.assertEqual(counts, {self.program: 2, self.safety: 1})

    def test_export_users_certifications(self):
        partner = self.employee_learner.partner_id
        grant(self.env, self.program, partner)
        grant(self.env, self.program, partner)
        rows = self.Report.search([("partner_id", "=", partner.id)])
        exported = rows.export_data(
            ["partner_id", "program_id", "date_issued", "date_expiry", "state"]
        )["datas"]
        self.assertEqual(len(exported), 2)
        self.assertEqual(sorted(line[4] for line in exported), ["Archived", "Valid"])
        self.assertEqual({line[1] for line in exported}, {self.program.display_name})

    def test_grouped_actions(self):
        by_user = self.env.ref(
            "certifications_retraining.certification_award_report_action_by_user"
        )
        by_program = self.env.ref(
            "certifications_retraining.certification_award_report_action_by_program"
        )
        self.assertIn("partner_id", by_user.context)
        self.assertIn("program_id", by_program.context)
        self.assertEqual(by_user.view_mode.split(",")[0], "list")


@tagged("post_install", "-at_install")
class TestCompliance(ReportingCase):
    def test_missing(self):
        self.assertEqual(
            self.compliance_states(),
            {self.program: "missing", self.safety: "missing"},
        )

    def test_job_and_department_combine_without_duplicates(self):
        rows = self.compliance_rows()
        self.assertEqual(len(rows), 2)
        safety = rows.filtered(lambda r: r.program_id == self.safety)
        self.assertTrue(safety.is_required_by_job)
        self.assertTrue(safety.is_required_by_department)
        fork = rows.filtered(lambda r: r.program_id == self.program)
        self.assertTrue(fork.is_required_by_job)
        self.assertFalse(fork.is_required_by_department)
        self.department.certification_program_ids |= self.first_aid
        self.assertEqual(len(self.compliance_rows()), 3)

    @freeze_time("2025-06-01 08:00:00")
    def test_compliant_expiring_expired(self):
        partner = self.employee_learner.partner_id
        grant(self.env, self.program, partner, date_issued=datetime(2025, 1, 1))
        grant(self.env, self.safety, partner, date_issued=datetime(2024, 6, 20))
        self.assertEqual(
            self.compliance_states(),
            {self.program: "compliant", self.safety: "expiring"},
        )
        with freeze_time("2025-06-21 09:00:00"):
            self.assertEqual(self.compliance_states()[self.safety], "expired")
        current_award(self.env, self.safety, partner).state = "expired"
        self.assertEqual(self.compliance_states()[self.safety], "expired")

    @freeze_time("2025-06-01 08:00:00")
    def test_never_expiring_is_compliant(self):
        self.program.validity_number = 0
        grant(self.env, self.program, self.employee_learner.partner_id)
        self.assertEqual(self.compliance_states()[self.program], "compliant")

    @freeze_time("2025-06-01 08:00:00")
    def test_horizon_setting(self):
        partner = self.employee_learner.partner_id
        grant(self.env, self.safety, partner, date_issued=datetime(2024, 7, 15))
        self.assertEqual(self.compliance_states()[self.safety], "compliant")
        settings = self.env["res.config.settings"].create(
            {"certification_expiry_horizon_days": 60}
        )
        settings.execute()
        self.assertEqual(self.compliance_states()[self.safety], "expiring")

    @freeze_time("2025-06-01 08:00:00")
    def test_renewed_employee_compliant_once(self):
        partner = self.employee_learner.partner_id
        old = grant(self.env, self.safety, partner, date_issued=datetime(2024, 6, 10))
        self.assertEqual(self.compliance_states()[self.safety], "expiring")
        new = grant(self.env, self.safety, partner)
        self.assertEqual(old.state, "archived")
        rows = self.compliance_rows().filtered(lambda r: r.program_id == self.safety)
        self.assertEqual(len(rows), 1)
        self.assertEqual((rows.award_id, rows.compliance_state), (new, "compliant"))
        count = self.Compliance.search_count(
            [
                ("employee_id", "=", self.employee.id),
                ("compliance_state", "=", "compliant"),
            ]
        )
        self.assertEqual(count, 1)

    def test_award_on_work_contact_counts(self):
        employee = make_employee(self.env, "No User", job_id=self.job.id)
        grant(self.env, self.program, employee.work_contact_id)
        states = self.compliance_states(employee)
        self.assertEqual(states[self.program], "compliant")
        self.assertEqual(states[self.safety], "missing")

    def test_archived_employees_and_certifications_left_out(self):
        self.safety.active = False
        self.assertEqual(set(self.compliance_states()), {self.program})
        self.employee.active = False
        self.assertFalse(self.compliance_rows())

    def test_open_award_and_award_actions(self):
        award = grant(self.env, self.program, self.employee_learner.partner_id)
        rows = self.compliance_rows()
        compliant = rows.filtered(lambda r: r.program_id == self.program)
        self.assertEqual(compliant.action_open_award()["res_id"], award.id)
        missing = rows.filtered(lambda r: r.program_id == self.safety)
        action = missing.with_user(self.officer).action_award()
        if self.env.get("certification.program.grant") is not None:
            self.assertEqual(action["res_model"], "certification.program.grant")
            self.assertEqual(
                action["context"]["default_user_ids"], [self.employee_learner.id]
            )
        else:
            self.assertEqual(action["res_model"], "certification.award")
            self.assertEqual(
                action["context"]["default_partner_id"],
                self.employee_learner.partner_id.id,
            )
        self.assertEqual(action["context"]["default_program_id"], self.safety.id)

    def test_award_fallback_without_user(self):
        employee = make_employee(self.env, "No User", job_id=self.job.id)
        row = self.compliance_rows(employee).filtered(
            lambda r: r.program_id == self.safety
        )
        action = row.with_user(self.officer).action_award()
        self.assertEqual(action["res_model"], "certification.award")
        self.assertEqual(
            action["context"],
            {
                "default_program_id": self.safety.id,
                "default_partner_id": employee.work_contact_id.id,
            },
        )
        with self.assertRaises(AccessError):
            row.with_user(make_hr_user(self.env)).action_award()


@tagged("post_install", "-at_install")
class TestReportSecurity(ReportingCase):
    def test_officers_and_hr_users_read(self):
        grant(self.env, self.program, self.employee_learner.partner_id)
        hr_user = make_hr_user(self.env)
        for user in (self.officer, hr_user):
            self.assertEqual(
                self.Report.with_user(user).search_count(
                    [("employee_id", "=", self.employee.id)]
                ),
                1,
            )
            self.assertEqual(
                len(
                    self.Compliance.with_user(user).search(
                        [("employee_id", "=", self.employee.id)]
                    )
                ),
                2,
            )

    def test_portal_and_plain_users_cannot_read(self):
        plain = make_internal_learner(self.env, login="plain_user", name="Plain")
        for user in (self.learner, plain):
            with self.assertRaises(AccessError):
                self.Report.with_user(user).search([])
        with self.assertRaises(AccessError):
            self.Compliance.with_user(self.learner).search([])
        # internal users read the compliance of the employees they manage:
        # someone managing nobody reads no row
        self.assertFalse(self.Compliance.with_user(plain).search([]))

    def test_multi_company_isolation(self):
        company_b = self.env["res.company"].create({"name": "Company B"})
        program_b = make_program(self.env, name="B only", company_id=company_b.id)
        job_b = self.env["hr.job"].create(
            {
                "name": "B job",
                "company_id": company_b.id,
                "certification_program_ids": [Command.set(self.safety.ids)],
            }
        )
        employee_b = make_employee(
            self.env, "Bea", company_id=company_b.id, job_id=job_b.id
        )
        award_b = grant(self.env, program_b, employee_b.work_contact_id)
        award_a = grant(self.env, self.program, self.employee_learner.partner_id)
        hr_a = make_hr_user(self.env)
        hr_b = make_hr_user(
            self.env,
            login="hr_b",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        domain = [("award_id", "in", (award_a | award_b).ids)]
        self.assertEqual(self.Report.with_user(hr_a).search(domain).award_id, award_a)
        self.assertEqual(self.Report.with_user(hr_b).search(domain).award_id, award_b)
        self.assertNotIn(
            employee_b, self.Compliance.with_user(hr_a).search([]).employee_id
        )
        self.assertEqual(
            self.Compliance.with_user(hr_b).search([]).employee_id, employee_b
        )


@tagged("post_install", "-at_install")
class TestEmployeeCertifications(ReportingCase):
    def test_tab_lists_awards_of_user_and_work_contact(self):
        partner = self.employee_learner.partner_id
        first = grant(self.env, self.program, partner)
        renewal = grant(self.env, self.program, partner)
        safety = grant(self.env, self.safety, partner)
        no_user = make_employee(self.env, "No User")
        contact_award = grant(self.env, self.program, no_user.work_contact_id)
        employees = self.employee | no_user
        employees.invalidate_recordset()
        self.assertEqual(
            self.employee.certification_award_ids, first | renewal | safety
        )
        self.assertEqual(self.employee.certification_award_count, 2)
        self.assertEqual(no_user.certification_award_ids, contact_award)
        self.assertEqual(no_user.certification_award_count, 1)

    def test_employee_form_shows_certifications(self):
        grant(self.env, self.program, self.employee_learner.partner_id)
        form = Form(self.employee.with_user(make_hr_user(self.env)))
        self.assertEqual(form.certification_award_count, 1)
        self.assertEqual(len(form.certification_award_ids), 1)

    def test_hr_user_sees_employee_awards(self):
        award = grant(self.env, self.program, self.employee_learner.partner_id)
        employee = self.employee.with_user(make_hr_user(self.env))
        self.assertEqual(employee.certification_award_ids, award)
        action = employee.action_open_certification_awards()
        self.assertEqual(
            self.env["certification.award"].search(action["domain"]), award
        )


@tagged("post_install", "-at_install")
class TestManagerActivity(ReportingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.boss_user = make_internal_learner(cls.env, login="boss", name="Boss")
        cls.boss = make_employee(cls.env, "Boss", user=cls.boss_user)
        cls.employee.parent_id = cls.boss
        cls.env["ir.config_parameter"].set_param(
            "certifications_retraining.manager_activity", "True"
        )
        cls.Employee = cls.env["hr.employee"]

    def activities(self):
        return self.env["mail.activity"].search(
            [("res_model", "=", "hr.employee"), ("res_id", "=", self.employee.id)]
        )

    def test_newly_non_compliant_once(self):
        self.Employee._cron_notify_certification_noncompliance()
        activity = self.activities()
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.boss_user)
        self.assertIn("Safety", str(activity.note))
        self.assertTrue(self.employee.certification_noncompliant_since)
        self.Employee._cron_notify_certification_noncompliance()
        self.assertEqual(self.activities(), activity)

    def test_activity_due_today_on_the_managers_calendar(self):
        """The cron runs in UTC; the activity is due on the manager's today."""
        self.boss_user.tz = "Pacific/Auckland"  # 2026-06-02 11:30 there
        with freeze_time("2026-06-01 23:30:00"):
            self.Employee._cron_notify_certification_noncompliance()
        self.assertEqual(self.activities().date_deadline, date(2026, 6, 2))
        self.boss_user.tz = "America/Los_Angeles"  # 2026-06-01 16:30 there
        self.activities().unlink()
        self.employee.certification_noncompliant_since = False
        with freeze_time("2026-06-01 23:30:00"):
            self.Employee._cron_notify_certification_noncompliance()
        self.assertEqual(self.activities().date_deadline, date(2026, 6, 1))

    def test_compliant_again_clears_then_notifies_again(self):
        partner = self.employee_learner.partner_id
        self.Employee._cron_notify_certification_noncompliance()
        self.activities().action_feedback()
        grant(self.env, self.program, partner)
        grant(self.env, self.safety, partner)
        self.Employee._cron_notify_certification_noncompliance()
        self.assertFalse(self.employee.certification_noncompliant_since)
        self.assertFalse(self.activities())
        current_award(self.env, self.safety, partner).state = "expired"
        self.Employee._cron_notify_certification_noncompliance()
        self.assertEqual(len(self.activities()), 1)

    @freeze_time("2025-06-01 08:00:00")
    def test_expiring_does_not_count(self):
        partner = self.employee_learner.partner_id
        grant(self.env, self.program, partner)
        grant(self.env, self.safety, partner, date_issued=datetime(2024, 6, 10))
        self.assertEqual(self.compliance_states()[self.safety], "expiring")
        self.Employee._cron_notify_certification_noncompliance()
        self.assertFalse(self.activities())
        self.assertFalse(self.employee.certification_noncompliant_since)

    def test_disabled_setting(self):
        self.env["res.config.settings"].create(
            {"certification_manager_activity": False}
        ).execute()
        self.Employee._cron_notify_certification_noncompliance()
        self.assertFalse(self.activities())

    def test_batches_and_retrigger(self):
        # everyone already non-compliant is handled first (demo data included)
        self.Employee._cron_notify_certification_noncompliance()
        others = self.env["hr.employee"].create(
            [
                {
                    "name": f"Driver {i}",
                    "job_id": self.job.id,
                    "parent_id": self.boss.id,
                }
                for i in range(3)
            ]
        )
        cron = self.env.ref(
            "certifications_retraining.ir_cron_certification_noncompliance"
        )
        with RecordCapturer(
            self.env["ir.cron.trigger"], [("cron_id", "=", cron.id)]
        ) as capture:
            self.Employee._cron_notify_certification_noncompliance(batch_size=2)
        self.assertEqual(len(capture.records), 1)
        self.assertEqual(len(others.filtered("certification_noncompliant_since")), 2)
        with RecordCapturer(
            self.env["ir.cron.trigger"], [("cron_id", "=", cron.id)]
        ) as capture:
            self.Employee._cron_notify_certification_noncompliance(batch_size=2)
        self.assertFalse(capture.records)
        self.assertTrue(all(others.mapped("certification_noncompliant_since")))
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "hr.employee"), ("res_id", "in", others.ids)]
        )
        self.assertEqual(len(activities), 3)
        self.assertEqual(activities.user_id, self.boss_user)


@tagged("post_install", "-at_install")
class TestReportingMenusAndSettings(ReportingCase):
    def test_menus(self):
        hr_menu = self.env.ref(
            "certifications_retraining.hr_certification_award_report_menu"
        )
        self.assertEqual(
            hr_menu.parent_id.parent_id, self.env.ref("hr.hr_menu_hr_reports")
        )
        reporting = self.env.ref(
            "certifications_retraining.certification_reporting_menu"
        )
        models = {menu.action.res_model for menu in reporting.child_id if menu.action}
        self.assertLessEqual(
            {"certification.award.report", "certification.compliance.report"}, models
        )

    def test_settings_app(self):
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        self.assertIn('name="certifications_retraining"', arch)
        self.assertIn("certification_expiry_horizon_days", arch)
        self.assertIn("certification_manager_activity", arch)
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.certification_expiry_horizon_days, 30)
        self.assertTrue(settings.certification_manager_activity)
