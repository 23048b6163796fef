# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Compliance through time: the state at any date from the award history, the
monthly trend, the "Compliance at date" dialog, and the managers' team view."""

from ast import literal_eval
from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged, warmup

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import CertificationCase, make_internal_learner, make_program

DATE_KEY = "certification_compliance_date"


def issue(env, program, partner, issued, expiry):
    return env["certification.award"]._issue_awards(
        [
            {
                "program_id": program.id,
                "partner_id": partner.id,
                "date_issued": issued,
                "date_expiry": expiry,
            }
        ]
    )


class ComplianceHistoryCase(CertificationCase):
    """One employee's history of the "Safety" certification, built by hand
    (all instants UTC; the report is read in UTC):

    - A1 first award:    issued 2021-03-01, expires 2022-03-01
    - lapse:             2022-03-01 .. 2022-05-15, nothing valid
    - A2 late renewal:   issued 2022-05-15, expires 2023-05-15 (A1 archived)
    - A3 early renewal:  issued 2023-04-01, expires 2024-05-15 (A2 archived)
    - A3 revoked on 2023-10-01 12:00
    - A4 new award:      issued 2024-01-10, expires 2025-01-10, grace to 2025-02-10

    The clock is frozen on 2024-06-01: later dates are forecasts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Compliance = cls.env["certification.compliance.report"]
        cls.safety = make_program(cls.env, name="Safety", code="SAFE")
        cls.department = cls.env["hr.department"].create(
            {
                "name": "Warehouse",
                "certification_program_ids": [Command.set(cls.safety.ids)],
            }
        )
        cls.employee = cls.env["hr.employee"].create(
            {
                "name": "Ivan Internal",
                "user_id": cls.employee_learner.id,
                "department_id": cls.department.id,
            }
        )
        cls.colleague = cls.env["hr.employee"].create(
            {"name": "Carla Colleague", "department_id": cls.department.id}
        )
        partner = cls.employee_learner.partner_id
        with freeze_time("2024-06-01 08:00:00"):
            cls.a1 = issue(
                cls.env,
                cls.safety,
                partner,
                "2021-03-01 09:00:00",
                "2022-03-01 09:00:00",
            )
            cls.a2 = issue(
                cls.env,
                cls.safety,
                partner,
                "2022-05-15 09:00:00",
                "2023-05-15 09:00:00",
            )
            cls.a3 = issue(
                cls.env,
                cls.safety,
                partner,
                "2023-04-01 09:00:00",
                "2024-05-15 09:00:00",
            )
            with freeze_time("2023-10-01 12:00:00"):
                cls.a3._revoke("Forged training record")
            cls.a4 = issue(
                cls.env,
                cls.safety,
                partner,
                "2024-01-10 09:00:00",
                "2025-01-10 09:00:00",
            )
            cls.a4.sudo().write({"date_grace_end": datetime(2025, 2, 10, 9, 0)})
            # the colleague: one award, 2022-07-01 .. 2023-07-01
            cls.c1 = issue(
                cls.env,
                cls.safety,
                cls.colleague.work_contact_id,
                "2022-07-01 09:00:00",
                "2023-07-01 09:00:00",
            )

    def row_at(self, date, employee=None):
        Compliance = self.Compliance.with_context(tz="UTC", **{DATE_KEY: date})
        return Compliance.search(
            [
                ("employee_id", "=", (employee or self.employee).id),
                ("program_id", "=", self.safety.id),
            ]
        )


@tagged("post_install", "-at_install")
class TestComplianceAtDate(ComplianceHistoryCase):
    @freeze_time("2024-06-01 08:00:00")
    def test_state_at_ten_dates(self):
        self.assertEqual(self.a1.state, "archived")
        self.assertEqual(self.a2.state, "archived")
        expected = {
            "2021-02-28": ("missing", None),  # before the first award
            "2021-03-01": ("compliant", self.a1),  # issued that day
            "2022-02-10": ("expiring", self.a1),  # within 30 days of its expiry
            "2022-04-01": ("expired", self.a1),  # the lapse
            "2022-06-01": ("compliant", self.a2),  # late renewal
            # early renewal: the award lasting longest decides (A2 expiring)
            "2023-04-20": ("compliant", self.a3),
            "2023-09-30": ("compliant", self.a3),  # not yet revoked
            "2023-10-02": ("expired", self.a3),  # revoked the day before
            "2024-12-20": ("expiring", self.a4),  # forecast: nobody renews
            "2025-01-20": ("grace", self.a4),  # forecast, in grace
            "2025-03-01": ("expired", self.a4),  # forecast, grace over
        }
        for date, (state, award) in expected.items():
            with self.subTest(date=date):
                row = self.row_at(date)
                self.assertEqual(
                    (row.compliance_state, row.award_id),
                    (state, award or self.env["certification.award"]),
                )
                self.assertEqual(
                    row.compliance_rate,
                    100 if state in ("compliant", "expiring") else 0,
                )

    @freeze_time("2024-06-01 08:00:00")
    def test_now_is_the_same_query_without_date(self):
        self.Compliance.invalidate_model()
        row = self.Compliance.search(
            [
                ("employee_id", "=", self.employee.id),
                ("program_id", "=", self.safety.id),
            ]
        )
        self.assertEqual((row.compliance_state, row.award_id), ("compliant", self.a4))
        self.assertEqual(self.row_at("2024-06-01").compliance_state, "compliant")

    @freeze_time("2024-06-01 08:00:00")
    def test_date_is_end_of_day_in_viewer_timezone(self):
        Compliance = self.Compliance.with_context(
            tz="Europe/Brussels", **{DATE_KEY: "2025-06-01"}
        )
        self.assertEqual(
            Compliance._get_compliance_at(datetime(2024, 6, 1, 8)),
            datetime(2025, 6, 1, 21, 59, 59),
        )
        # revoked at 12:00 UTC on 2023-10-01: in Tokyo (UTC+9) that day ends at
        # 14:59:59 UTC, after the revocation
        tokyo = self.Compliance.with_context(
            tz="Asia/Tokyo", **{DATE_KEY: "2023-10-01"}
        )
        row = tokyo.search([("employee_id", "=", self.employee.id)])
        self.assertEqual(row.compliance_state, "expired")
        honolulu = self.Compliance.with_context(
            tz="Pacific/Honolulu", **{DATE_KEY: "2023-09-30"}
        )
        row = honolulu.search([("employee_id", "=", self.employee.id)])
        self.assertEqual(row.compliance_state, "compliant")

    @freeze_time("2024-06-01 08:00:00")
    def test_cache_follows_the_date(self):
        # rows keep their ids across dates: values are cached per date
        before = self.row_at("2022-04-01")
        after = self.row_at("2022-06-01")
        self.assertEqual(before.id, after.id)
        self.assertEqual(before.compliance_state, "expired")
        self.assertEqual(after.compliance_state, "compliant")

    @freeze_time("2024-06-01 08:00:00")
    def test_dialog_opens_report_at_date(self):
        hr_user = mail_new_test_user(
            self.env,
            login="hr_dialog",
            groups="base.group_user,hr.group_hr_user",
            tz="UTC",
        )
        form = Form(self.env["certification.compliance.date"].with_user(hr_user))
        form.date = "2022-04-01"
        action = form.save().action_open_report()
        self.assertEqual(action["res_model"], "certification.compliance.report")
        self.assertEqual(action["context"][DATE_KEY], "2022-04-01")
        self.assertIn("04/01/2022", action["display_name"])
        rows = (
            self.Compliance.with_user(hr_user)
            .with_context(**action["context"])
            .search([("employee_id", "in", (self.employee | self.colleague).ids)])
        )
        self.assertEqual(set(rows.mapped("compliance_state")), {"expired", "missing"})

    def test_forecast_filters_set_the_date(self):
        arch = self.env.ref(
            "certifications_retraining.certification_compliance_report_view_search"
        ).arch
        for days in (30, 90):
            self.assertIn(f"filter_forecast_{days}", arch)
            self.assertIn(f"relativedelta(days={days})", arch)
        self.assertIn(DATE_KEY, arch)


@tagged("post_install", "-at_install")
class TestComplianceTrend(ComplianceHistoryCase):
    @freeze_time("2024-06-01 08:00:00")
    def test_rate_of_three_months(self):
        Trend = self.env["certification.compliance.trend"].with_context(tz="UTC")
        rows = Trend.search(
            [
                ("department_id", "=", self.department.id),
                ("program_id", "=", self.safety.id),
            ]
        )
        by_month = {
            str(row.month): (
                row.required_count,
                row.compliant_count,
                row.compliance_rate,
            )
            for row in rows
        }
        self.assertEqual(len(by_month), 25)
        self.assertEqual(min(by_month), "2022-06-01")
        self.assertEqual(max(by_month), "2024-06-01")
        # June 2022: Ivan renewed late (May 15), Carla has nothing yet
        self.assertEqual(by_month["2022-06-01"], (2, 1, 50.0))
        # July 2022: both hold one
        self.assertEqual(by_month["2022-07-01"], (2, 2, 100.0))
        # October 2023: Ivan's award was revoked, Carla's expired in July
        self.assertEqual(by_month["2023-10-01"], (2, 0, 0.0))

    @freeze_time("2024-06-01 08:00:00")
    @warmup
    def test_grouped_rate_is_weighted_and_one_query(self):
        Trend = self.env["certification.compliance.trend"].with_context(tz="UTC")
        with self.assertQueryCount(1):
            groups = Trend._read_group(
                [
                    ("department_id", "=", self.department.id),
                    ("month", ">=", "2022-06-01"),
                    ("month", "<", "2022-08-01"),
                ],
                [],
                ["required_count:sum", "compliant_count:sum", "compliance_rate:avg"],
            )
        # 3 compliant of 4 required over June and July 2022
        self.assertEqual(groups, [(4, 3, 75.0)])


@tagged("post_install", "-at_install")
class TestComplianceReportMeasures(ComplianceHistoryCase):
    """The compliance pivot and graph."""

    def test_pivot_opens_on_states_and_rate(self):
        arch = self.env.ref(
            "certifications_retraining.certification_compliance_report_view_pivot"
        ).arch
        self.assertIn('<field name="compliance_state" type="col"/>', arch)
        self.assertIn('<field name="compliance_rate" type="measure"/>', arch)

    @freeze_time("2024-06-01 08:00:00")
    def test_rate_is_own_rate_of_each_cell(self):
        self.env["hr.employee"].create(
            {"name": "Third", "department_id": self.department.id}
        )
        groups = self.Compliance.with_context(tz="UTC")._read_group(
            [("department_id", "=", self.department.id)],
            ["compliance_state"],
            ["compliance_rate:avg", "required_count:sum"],
        )
        self.assertEqual(
            {state: (rate, count) for state, rate, count in groups},
            {"compliant": (100.0, 1), "expired": (0.0, 1), "missing": (0.0, 1)},
        )
        total = self.Compliance._read_group(
            [("department_id", "=", self.department.id)], [], ["compliance_rate:avg"]
        )
        self.assertAlmostEqual(total[0][0], 100 / 3, places=2)

    @freeze_time("2024-06-01 08:00:00")
    def test_department_card_rate(self):
        hr_user = mail_new_test_user(
            self.env, login="hr_card", groups="base.group_user,hr.group_hr_user"
        )
        department = self.department.with_user(hr_user)
        self.assertEqual(department.certification_required_count, 2)
        self.assertEqual(department.certification_compliance_rate, 50.0)
        action = department.action_open_certification_compliance()
        self.assertEqual(action["domain"], [("department_id", "=", self.department.id)])


@tagged("post_install", "-at_install")
class TestTeamView(ComplianceHistoryCase):
    """Boss manages Mia, who manages Ivan (the history's employee); Olga
    manages Otto in another team. Nobody here has HR or certification rights."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Employee = cls.env["hr.employee"]
        cls.boss_user = make_internal_learner(cls.env, login="boss", name="Boss")
        cls.mia_user = make_internal_learner(cls.env, login="mia", name="Mia")
        cls.olga_user = make_internal_learner(cls.env, login="olga", name="Olga")
        cls.plain_user = make_internal_learner(cls.env, login="plain", name="Plain")
        cls.boss = Employee.create({"name": "Boss", "user_id": cls.boss_user.id})
        cls.mia = Employee.create(
            {
                "name": "Mia",
                "user_id": cls.mia_user.id,
                "parent_id": cls.boss.id,
                "department_id": cls.department.id,
            }
        )
        cls.employee.parent_id = cls.mia
        cls.olga = Employee.create({"name": "Olga", "user_id": cls.olga_user.id})
        cls.otto = Employee.create(
            {
                "name": "Otto",
                "parent_id": cls.olga.id,
                "department_id": cls.department.id,
            }
        )
        cls.otto_award = issue(
            cls.env,
            cls.safety,
            cls.otto.work_contact_id,
            "2024-01-01 00:00:00",
            "2025-01-01 00:00:00",
        )
        cls.colleague.parent_id = cls.olga
        cls.Award = cls.env["certification.award"]
        cls.Compliance.invalidate_model()

    def team_employees(self, user):
        return self.Compliance.with_user(user).search([]).employee_id

    def test_manager_sees_direct_and_indirect_reports_only(self):
        self.assertEqual(self.team_employees(self.boss_user), self.mia | self.employee)
        self.assertEqual(self.team_employees(self.mia_user), self.employee)
        self.assertEqual(
            self.team_employees(self.olga_user), self.otto | self.colleague
        )

    def test_manager_reads_reports_awards_read_only(self):
        awards = self.Award.with_user(self.boss_user).search([])
        self.assertEqual(awards, self.a1 | self.a2 | self.a3 | self.a4)
        self.assertEqual(self.a4.with_user(self.boss_user).program_id, self.safety)
        with self.assertRaises(AccessError):
            self.a4.with_user(self.boss_user).write({"date_expiry": "2030-01-01"})

    def test_manager_cannot_read_another_team(self):
        with self.assertRaises(AccessError):
            self.otto_award.with_user(self.boss_user).read(["program_id"])
        self.assertFalse(
            self.Award.with_user(self.boss_user).search(
                [("id", "=", self.otto_award.id)]
            )
        )
        rows = self.Compliance.with_user(self.boss_user).search(
            [("employee_id", "=", self.otto.id)]
        )
        self.assertFalse(rows)
        # even through the date context or the trend
        dated = self.Compliance.with_user(self.boss_user).with_context(
            **{DATE_KEY: "2024-03-01"}
        )
        self.assertNotIn(self.otto, dated.search([]).employee_id)
        with self.assertRaises(AccessError):
            self.env["certification.compliance.trend"].with_user(self.boss_user).search(
                []
            )

    def test_report_cannot_read_its_manager(self):
        self.assertNotIn(self.boss, self.team_employees(self.mia_user))
        with self.assertRaises(AccessError):
            self.a4.with_user(self.olga_user).read(["program_id"])

    def test_plain_user_sees_nothing(self):
        self.assertFalse(self.Compliance.with_user(self.plain_user).search([]))
        self.assertFalse(
            self.Award.with_user(self.plain_user).search(
                [("partner_id", "!=", self.plain_user.partner_id.id)]
            )
        )
        with self.assertRaises(AccessError):
            self.a4.with_user(self.plain_user).read(["program_id"])

    def test_team_actions_and_award_shortcut(self):
        action = self.env.ref(
            "certifications_retraining.certification_compliance_report_action_team"
        )
        rows = self.Compliance.with_user(self.boss_user).search(
            literal_eval(action.domain)
        )
        self.assertEqual(rows.employee_id, self.mia | self.employee)
        awards_action = self.env.ref(
            "certifications_retraining.certification_award_action_team"
        )
        awards = self.Award.with_user(self.boss_user).search(
            literal_eval(awards_action.domain)
        )
        self.assertEqual(awards, self.a1 | self.a2 | self.a3 | self.a4)
        # an officer sees every row, but the team action only their own team
        officer_employee = self.env["hr.employee"].create(
            {"name": "Officer", "user_id": self.officer.id}
        )
        self.mia.parent_id = officer_employee
        rows = self.Compliance.with_user(self.officer).search(
            literal_eval(action.domain)
        )
        self.assertEqual(rows.employee_id, self.mia | self.employee)
        self.assertFalse(
            self.Compliance.with_user(self.boss_user).search(
                literal_eval(action.domain)
            )
        )
        # "Award" shortcut: officers only
        row = self.Compliance.with_user(self.officer).search(
            [("employee_id", "=", self.mia.id)]
        )
        with self.assertRaises(AccessError):
            row.with_user(self.mia_user).action_award()
        view = self.env.ref(
            "certifications_retraining.certification_compliance_report_view_list_team"
        )
        arch = self.Compliance.with_user(self.boss_user).get_view(view.id)["arch"]
        self.assertNotIn("action_award", arch)
        arch = self.Compliance.with_user(self.officer).get_view(view.id)["arch"]
        self.assertIn("action_award", arch)
        self.assertTrue(
            self.Compliance.with_user(self.officer).browse(row.id).action_award()
        )
