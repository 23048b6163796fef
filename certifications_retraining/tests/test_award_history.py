# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""History that outlives the current award: a record replaced by a newer one
stops counting when it is replaced (its successor's issue), in every report;
the portal says "Replaced on", and the officer is told it was filed as
history. Skipped CSV rows are listed with their reason."""

import base64
from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import CertificationCase, make_portal_learner, make_program
from .test_award_import import ImportCase, make_csv, run_jobs

CURRENT_ISSUED = datetime(2025, 7, 1, 8, 0)
CURRENT_EXPIRY = datetime(2027, 6, 30, 8, 0)
HISTORY_ISSUED = datetime(2025, 1, 15, 8, 0)
HISTORY_EXPIRY = datetime(2028, 12, 31, 8, 0)


def issue_current_then_history(env, program, partner):
    """The current award, then an older record with a later expiry: filed as
    history before it."""
    Award = env["certification.award"]
    current = Award._issue_awards(
        [
            {
                "program_id": program.id,
                "partner_id": partner.id,
                "date_issued": CURRENT_ISSUED,
                "date_expiry": CURRENT_EXPIRY,
            }
        ]
    )
    history = Award._issue_awards(
        [
            {
                "program_id": program.id,
                "partner_id": partner.id,
                "date_issued": HISTORY_ISSUED,
                "date_expiry": HISTORY_EXPIRY,
            }
        ]
    )
    return current, history


@tagged("post_install", "-at_install")
class TestHistoryReplaced(CertificationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.employee_learner.partner_id
        cls.partner.tz = "UTC"
        cls.employee = cls.env["hr.employee"].create(
            {"name": "Ivan Internal", "work_contact_id": cls.partner.id}
        )
        cls.employee.job_id = cls.env["hr.job"].create(
            {
                "name": "Forklift Driver",
                "certification_program_ids": [Command.set(cls.program.ids)],
            }
        )
        with freeze_time(datetime(2025, 8, 1)):
            cls.current, cls.history = issue_current_then_history(
                cls.env, cls.program, cls.partner
            )

    def _state_at(self, day):
        report = (
            self.env["certification.compliance.report"]
            .with_context(tz="UTC", certification_compliance_date=str(day))
            .search([("employee_id", "=", self.employee.id)])
        )
        return report.compliance_state, report.award_id

    def test_history_is_linked_before_the_current_award(self):
        self.assertEqual(self.history.state, "archived")
        self.assertEqual(self.current.previous_award_id, self.history)
        self.assertEqual(self.history.date_replaced, CURRENT_ISSUED)
        self.assertEqual(self.history.learner_date_replaced, date(2025, 7, 1))

    def test_compliance_at_date_history_stops_at_its_successor(self):
        with freeze_time(datetime(2025, 8, 1)):
            self.assertEqual(
                self._state_at(date(2025, 3, 1)), ("compliant", self.history)
            )
            self.assertEqual(
                self._state_at(date(2026, 1, 1)), ("compliant", self.current)
            )
            # the current award has expired: the older record (expiring in
            # 2028) no longer counts since it was replaced on 1 July 2025
            self.assertEqual(
                self._state_at(date(2027, 8, 1))[0], "expired", "no history revival"
            )

    def test_trend_history_stops_at_its_successor(self):
        with freeze_time(datetime(2027, 9, 15)):
            rows = (
                self.env["certification.compliance.trend"]
                .with_context(tz="UTC")
                .search(
                    [
                        ("program_id", "=", self.program.id),
                        ("month", "=", date(2027, 8, 1)),
                    ]
                )
            )
            self.assertEqual(sum(rows.mapped("required_count")), 1)
            self.assertEqual(sum(rows.mapped("compliant_count")), 0)

    def test_analysis_validity_ends_at_successor(self):
        rows = self.env["certification.award.report"].search(
            [("award_id", "in", (self.current | self.history).ids)]
        )
        valid_until = {row.award_id: row.date_valid_until for row in rows}
        self.assertEqual(valid_until[self.history], date(2025, 7, 1))
        self.assertEqual(valid_until[self.current], date(2027, 6, 30))

    def test_validity_labels(self):
        with freeze_time(datetime(2025, 8, 1)):
            self.assertEqual(self.history.validity_label, "Replaced on 07/01/2025")
            self.current.invalidate_recordset(["validity_label"])
            self.assertEqual(self.current.validity_label, "Valid until 06/30/2027")

    def test_approval_of_older_external_training_tells_the_officer(self):
        learner = make_portal_learner(self.env, login="ext_history", name="Ext Hist")
        program = make_program(self.env, name="External History", code="EXTHIST")
        with freeze_time(datetime(2025, 8, 1)):
            self.env["certification.award"]._issue_awards(
                [
                    {
                        "program_id": program.id,
                        "partner_id": learner.partner_id.id,
                        "date_issued": CURRENT_ISSUED,
                    }
                ]
            )
            training = self.env["certification.external.training"].create(
                {
                    "name": "Old workshop",
                    "partner_id": learner.partner_id.id,
                    "date_completed": date(2025, 2, 1),
                    "certification_program_id": program.id,
                    "state": "submitted",
                }
            )
            action = training.with_user(self.officer).action_approve()
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn(
            "Filed as history: Ext Hist already holds a newer award",
            action["params"]["message"],
        )
        # an approval that issues the current award says nothing special
        newer = self.env["certification.external.training"].create(
            {
                "name": "New workshop",
                "partner_id": learner.partner_id.id,
                "date_completed": date(2026, 2, 1),
                "certification_program_id": program.id,
                "state": "submitted",
            }
        )
        with freeze_time(datetime(2026, 3, 1)):
            self.assertIs(newer.with_user(self.officer).action_approve(), True)


@tagged("post_install", "-at_install")
class TestImportNotes(ImportCase):
    """Skipped and history rows are listed with their reason, in the dry run
    and in the job."""

    def _check(self, data, **options):
        wizard = (
            self.env["certification.award.import"]
            .with_user(self.officer)
            .create(
                dict(
                    {"file": base64.b64encode(data), "filename": "awards.csv"},
                    **options,
                )
            )
        )
        wizard.action_check()
        return wizard

    def test_skipped_and_history_rows_listed(self):
        self.env["certification.award"]._issue_awards(
            [
                {
                    "program_id": self.program.id,
                    "partner_id": self.learner.partner_id.id,
                    "date_issued": datetime(2022, 6, 1),
                }
            ]
        )
        data = make_csv(
            [
                # line 2: replaced by line 3 (duplicates as renewals)
                self._row("learner_portal", certification_issue_date="2020-01-01"),
                # line 3: older than the current award: filed as history
                self._row("learner_portal", certification_issue_date="2021-01-01"),
                # line 4: a new learner
                self._row("learner_internal"),
            ]
        )
        wizard = self._check(data, is_duplicate_renewal=True)
        notes = {item["line"]: item["note"] for item in wizard.check_result["notes"]}
        self.assertIn("line 3 replaces it", notes[2])
        self.assertIn(
            "filed as history: Paula Portal already holds a newer award", notes[3]
        )
        self.assertNotIn(4, notes)
        self.assertIn("Line 2: skipped", wizard.check_summary)
        job = self._import(data, is_duplicate_renewal=True)
        self.assertEqual((job.count_skipped, job.count_history), (1, 1))
        self.assertIn("Line 2: skipped: line 3 replaces it", job.log)
        self.assertIn(
            "Line 3: filed as history: Paula Portal already holds a newer award",
            job.log,
        )

    def test_already_held_and_already_imported_reasons(self):
        data = make_csv([self._row("learner_portal")])
        self._import(data)
        other = make_csv(
            [self._row("learner_portal", certification_issue_date="2023-01-01")]
        )
        wizard = self._check(other)
        self.assertIn(
            "Paula Portal already holds FORK", wizard.check_result["notes"][0]["note"]
        )
        job = self._import(data)  # the same file again
        self.assertEqual(job.count_skipped, 1)
        self.assertIn("Line 2: skipped: already imported", job.log)
        run_jobs(self.env)


@tagged("post_install", "-at_install")
class TestPortalHistoryValidity(HttpCase):
    def test_portal_history_says_replaced_on(self):
        learner = make_portal_learner(self.env, login="portal_hist", tz="UTC")
        program = make_program(self.env, name="Portal History", code="PHIST")
        with freeze_time(datetime(2025, 8, 1)):
            current, history = issue_current_then_history(
                self.env, program, learner.partner_id
            )
        self.authenticate("portal_hist", "portal_hist")
        page = self.url_open(f"/my/certifications/{current.id}").text
        self.assertIn("Replaced on 07/01/2025", page)
        self.assertNotIn("12/31/2028", page, "no future 'expired' date")
        self.assertIn("Validity", page)
        page = self.url_open(f"/my/certifications/{history.id}").text
        self.assertIn("Replaced on 07/01/2025", page)
