# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Certification dates are calendar dates of the learner: a fixed 31 December
expiry of a Brussels learner (30 December 23:00 UTC) is 31 December in every
list, form, pivot, export and mail, whoever reads it and wherever."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, tagged

from .common import CertificationCase, make_portal_learner, make_program

ISSUED = datetime(2025, 3, 1, 10, 0)
NOW = datetime(2025, 6, 1, 12, 0)
EXPIRY_DAY = date(2025, 12, 31)
BRUSSELS_EXPIRY_UTC = datetime(2025, 12, 30, 23, 0)


@tagged("post_install", "-at_install")
class TestLearnerDates(CertificationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer.tz = "UTC"
        cls.year_end = make_program(
            cls.env,
            name="Year End Safety",
            code="YEAREND",
            renewal_base="fixed",
            fixed_expiry_date=date(2024, 12, 31),
        )
        cls.brussels = make_portal_learner(
            cls.env, login="dates_brussels", name="Bea Brussels", tz="Europe/Brussels"
        )
        cls.new_york = make_portal_learner(
            cls.env, login="dates_new_york", name="Ned NewYork", tz="America/New_York"
        )
        with freeze_time(NOW):
            cls.award = cls.env["certification.award"]._issue_awards(
                [
                    {
                        "program_id": cls.year_end.id,
                        "partner_id": cls.brussels.partner_id.id,
                        "date_issued": ISSUED,
                    }
                ]
            )

    def test_fixed_expiry_is_the_learners_date(self):
        self.assertEqual(self.award.date_expiry, BRUSSELS_EXPIRY_UTC)
        self.assertEqual(self.award.learner_date_expiry, EXPIRY_DAY)
        self.assertEqual(self.award.learner_date_issued, date(2025, 3, 1))

    def test_list_fields_same_date_in_any_viewer_timezone(self):
        """What the awarded-users list and the employee's list read (the
        stored learner dates) does not move with the viewer's timezone."""
        for tz in ("UTC", "America/New_York", "Asia/Tokyo"):
            awards = self.env["certification.award"].with_user(self.officer)
            records = awards.with_context(tz=tz).web_search_read(
                [("id", "=", self.award.id)],
                {"learner_date_issued": {}, "learner_date_expiry": {}},
            )["records"]
            self.assertEqual(
                (
                    records[0]["learner_date_issued"],
                    records[0]["learner_date_expiry"],
                ),
                (date(2025, 3, 1), EXPIRY_DAY),
                tz,
            )

    def test_export_shows_the_learners_date(self):
        rows = self.award.with_context(tz="America/New_York").export_data(
            ["learner_date_issued", "learner_date_expiry"]
        )["datas"]
        self.assertEqual(
            [str(value) for value in rows[0]], ["2025-03-01", "2025-12-31"]
        )

    def test_expiring_filter_counts_learner_days(self):
        """The search filters work on the learner's dates."""
        found = self.env["certification.award"].search(
            [("learner_date_expiry", "=", EXPIRY_DAY)]
        )
        self.assertEqual(found, self.award)

    def test_analysis_and_compliance_reports_show_the_learners_date(self):
        employee = self.env["hr.employee"].create(
            {"name": "Bea Brussels", "work_contact_id": self.brussels.partner_id.id}
        )
        job = self.env["hr.job"].create(
            {
                "name": "Safety Lead",
                "certification_program_ids": [Command.set(self.year_end.ids)],
            }
        )
        employee.job_id = job
        analysis = self.env["certification.award.report"].search(
            [("award_id", "=", self.award.id)]
        )
        self.assertEqual(analysis.date_expiry, EXPIRY_DAY)
        self.assertEqual(analysis.date_issued, date(2025, 3, 1))
        self.assertEqual(analysis.date_valid_until, EXPIRY_DAY)
        grouped = self.env["certification.award.report"]._read_group(
            [("award_id", "=", self.award.id)], ["date_expiry:month"], ["__count"]
        )
        self.assertEqual(grouped[0][0], date(2025, 12, 1), "pivot groups by its month")
        with freeze_time(NOW):
            compliance = (
                self.env["certification.compliance.report"]
                .with_context(tz="America/New_York")
                .search([("employee_id", "=", employee.id)])
            )
            self.assertEqual(compliance.date_expiry, EXPIRY_DAY)

    def test_mail_shows_the_learners_date(self):
        template = self.env.ref(
            "certifications_retraining.mail_template_certification_manager_reminder"
        )
        subject = template.with_context(tz="UTC")._render_field(
            "subject", self.award.ids
        )[self.award.id]
        self.assertIn("12/31/2025", subject)

    def test_grant_wizard_dates_are_each_learners_calendar(self):
        """The officer (UTC) picks 31 December: each learner's award expires at
        the start of 31 December on their own calendar."""
        program = make_program(self.env, name="Grant Dates", code="GRANTDATES")
        form = Form(
            self.env["certification.program.grant"]
            .with_user(self.officer)
            .with_context(default_program_id=program.id)
        )
        form.user_ids.add(self.brussels)
        form.user_ids.add(self.new_york)
        wizard = form.save()
        wizard.action_next()
        wizard.write(
            {"date_issued": date(2025, 3, 1), "date_expiry": date(2025, 12, 31)}
        )
        with freeze_time(NOW):
            wizard.action_confirm()
        awards = self.env["certification.award"].search(
            [("program_id", "=", program.id)]
        )
        by_login = {award.user_id.login: award for award in awards}
        self.assertEqual(by_login["dates_brussels"].date_expiry, BRUSSELS_EXPIRY_UTC)
        self.assertEqual(
            by_login["dates_new_york"].date_expiry, datetime(2025, 12, 31, 5, 0)
        )
        self.assertEqual(set(awards.mapped("learner_date_expiry")), {EXPIRY_DAY})
        self.assertEqual(set(awards.mapped("learner_date_issued")), {date(2025, 3, 1)})

    def test_one_batch_counts_each_learner_on_their_own_calendar(self):
        """Awards issued together at 23:30 UTC on 1 March: each learner's
        dates are on their own calendar (their timezone, else their company's,
        else UTC; the certification's company's first), as one award alone
        would be."""
        tokyo = self.env["res.company"].create({"name": "Tokyo Branch"})
        tokyo.partner_id.tz = "Asia/Tokyo"
        self.env.company.partner_id.tz = False
        in_tokyo = make_portal_learner(
            self.env,
            login="dates_tokyo",
            name="Taro Tokyo",
            tz=False,
            company_id=tokyo.id,
            company_ids=[Command.set(tokyo.ids)],
        )
        in_utc = make_portal_learner(
            self.env, login="dates_utc", name="Uma Utc", tz=False
        )
        learners = self.brussels | self.new_york | in_tokyo | in_utc
        shared = make_program(self.env, name="Batch Dates", code="BATCHDATES")
        tokyo_program = make_program(
            self.env, name="Tokyo Dates", code="TOKYODATES", company_id=tokyo.id
        )
        issued = datetime(2025, 3, 1, 23, 30)
        with freeze_time(NOW):
            awards = self.env["certification.award"]._issue_awards(
                [
                    {
                        "program_id": program.id,
                        "partner_id": partner.id,
                        "date_issued": issued,
                        "date_expiry": datetime(2025, 12, 31, 23, 30),
                    }
                    for program in (shared, tokyo_program)
                    for partner in learners.partner_id
                ]
            )
        self.assertEqual(len(awards), 8)
        issue_days = {
            (award.program_id.code, award.partner_id.name): award.learner_date_issued
            for award in awards
        }
        march_1, march_2 = date(2025, 3, 1), date(2025, 3, 2)
        self.assertEqual(
            issue_days,
            {
                ("BATCHDATES", "Bea Brussels"): march_2,
                ("BATCHDATES", "Ned NewYork"): march_1,
                ("BATCHDATES", "Taro Tokyo"): march_2,
                ("BATCHDATES", "Uma Utc"): march_1,
                ("TOKYODATES", "Bea Brussels"): march_2,
                ("TOKYODATES", "Ned NewYork"): march_1,
                ("TOKYODATES", "Taro Tokyo"): march_2,
                ("TOKYODATES", "Uma Utc"): march_2,
            },
        )
        for award in awards:
            self.assertEqual(
                award.learner_date_expiry,
                award._to_learner_date(award.date_expiry),
                award.display_name,
            )

    def test_editor_picks_a_date_of_the_learners_calendar(self):
        with freeze_time(NOW):
            action = self.award.with_user(self.officer).action_open_edit_wizard()
            form = Form(
                self.env["certification.award.edit"]
                .with_user(self.officer)
                .with_context(tz="America/New_York", **action["context"])
            )
            self.assertEqual(form.date_expiry, EXPIRY_DAY)
            form.date_expiry = date(2026, 1, 31)
            form.reason = "Extended by the board"
            form.save().action_confirm()
        self.assertEqual(self.award.date_expiry, datetime(2026, 1, 30, 23, 0))
        self.assertEqual(self.award.learner_date_expiry, date(2026, 1, 31))
