# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The CSV import the admin can trust before it runs: template, dry run
sharing the import's validation, all errors of a row, failed-rows file that
can be uploaded again as is."""

import base64
import csv
import io
from datetime import datetime

from odoo.tests import HttpCase, RecordCapturer, tagged

from .common import (
    CertificationCase,
    current_award,
    make_internal_learner,
    make_officer,
    make_portal_learner,
)
from .test_award_import import HEADER, make_csv, run_jobs


def row(login, issued="2024-01-15", expire="2030-01-15", always="0", **kw):
    values = {
        "certification_code": "FORK",
        "certification_issue_date": issued,
        "always_valid": always,
        "certification_expire_date": expire,
        "type": "manual",
        "code": "",
    }
    values.update(kw)
    return [login] + [values[name] for name in HEADER[1:]]


@tagged("post_install", "-at_install")
class TestImportCheck(CertificationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.holder = make_internal_learner(cls.env, login="holder", name="Hal Holder")
        cls.held = cls.env["certification.award"].create(
            {
                "program_id": cls.program.id,
                "partner_id": cls.holder.partner_id.id,
                "date_issued": datetime(2023, 6, 1),
            }
        )
        cls.older_holder = make_internal_learner(
            cls.env, login="older_holder", name="Olga Older"
        )
        cls.env["certification.award"].create(
            {
                "program_id": cls.program.id,
                "partner_id": cls.older_holder.partner_id.id,
                "date_issued": datetime(2023, 6, 1),
            }
        )
        cls.gone = make_internal_learner(cls.env, login="gone", name="Gone User")
        cls.gone.active = False

    def _wizard(self, data, **options):
        wizard = (
            self.env["certification.award.import"]
            .with_user(self.officer)
            .create(dict({"file": base64.b64encode(data)}, **options))
        )
        wizard.action_next()
        return wizard

    def _mixed_file(self):
        return make_csv(
            [
                row("learner_portal"),  # created
                row("holder", issued="2024-01-15"),  # renewed (newer)
                row("older_holder", issued="2022-01-15"),  # older: history
                row("nobody", expire=""),  # two reasons
                row("gone"),  # deactivated
                row("learner_internal", type="course", code="NOPE"),  # bad item
            ]
        )

    def test_template_has_header_and_two_examples(self):
        text = self.env["certification.award.import"]._get_template_csv(";")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        self.assertEqual(rows[0], list(HEADER))
        self.assertEqual(len(rows), 3)
        by_always = {r[3]: r for r in rows[1:]}
        self.assertTrue(by_always["0"][4], "the expiring example has an expiry")
        self.assertFalse(by_always["1"][4], "the always-valid one has none")

    def test_template_rows_are_valid_formats(self):
        wizard = self._wizard(
            self.env["certification.award.import"]._get_template_csv(",").encode()
        )
        wizard.action_check()
        errors = " ".join(e["error"] for e in wizard.check_result["errors"])
        self.assertNotIn("YYYY-MM-DD", errors)
        self.assertNotIn("always_valid must be", errors)
        self.assertIn("Unknown user jdoe", errors)

    def test_check_counts_without_writing(self):
        wizard = self._wizard(self._mixed_file(), is_duplicate_renewal=True)
        awards_before = self.env["certification.award"].search_count([])
        with RecordCapturer(self.env["certification.job"], []) as jobs:
            wizard.action_check()
        self.assertFalse(jobs.records, "a small file is checked at once")
        self.assertEqual(
            self.env["certification.award"].search_count([]), awards_before
        )
        result = wizard.check_result
        self.assertEqual(
            {key: result[key] for key in ("created", "renewed", "history")},
            {"created": 1, "renewed": 1, "history": 1},
        )
        self.assertEqual((result["skipped"], result["failed"]), (0, 3))
        self.assertEqual([e["line"] for e in result["errors"]], [5, 6, 7])
        self.assertIn("Line 5", wizard.check_summary)

    def _assert_import_agrees(self, wizard):
        wizard.action_check()
        check = wizard.check_result
        with RecordCapturer(self.env["certification.job"], []) as capture:
            wizard.action_import()
        run_jobs(self.env)
        job = capture.records
        self.assertEqual(
            (
                job.count_created,
                job.count_renewed,
                job.count_history,
                job.count_skipped,
                job.count_failed,
            ),
            tuple(
                check[key]
                for key in ("created", "renewed", "history", "skipped", "failed")
            ),
        )
        return check

    def test_check_and_import_agree(self):
        check = self._assert_import_agrees(self._wizard(self._mixed_file()))
        self.assertEqual(check["skipped"], 2, "holders skipped without renewal mode")
        self.assertTrue(current_award(self.env, self.program, self.learner.partner_id))

    def test_check_and_import_agree_on_renewals_and_history(self):
        wizard = self._wizard(self._mixed_file(), is_duplicate_renewal=True)
        check = self._assert_import_agrees(wizard)
        self.assertEqual((check["renewed"], check["history"]), (1, 1))
        # the same file again: every record exists already, nothing is created
        again = self._wizard(self._mixed_file(), is_duplicate_renewal=True)
        again.action_check()
        self.assertEqual(
            [again.check_result[k] for k in ("created", "renewed", "history")],
            [0, 0, 0],
        )

    def test_row_lists_all_its_errors(self):
        wizard = self._wizard(make_csv([row("nobody", expire="", type="?")]))
        wizard.action_check()
        error = wizard.check_result["errors"][0]["error"]
        self.assertIn("Unknown user nobody", error)
        self.assertIn("certification_expire_date is mandatory", error)
        self.assertIn("type must be one of", error)

    def test_failed_rows_file_uploaded_again_as_is(self):
        data = make_csv([row("learner_portal"), row("nobody")], separator=";")
        wizard = self._wizard(data, separator=";")
        with RecordCapturer(self.env["certification.job"], []) as capture:
            wizard.action_import()
        run_jobs(self.env)
        job = capture.records
        text = job.result_attachment_id.raw.decode()
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        self.assertEqual(rows[0], [*HEADER, "line", "error"])
        self.assertEqual(rows[1][: len(HEADER)], row("nobody"))
        self.assertEqual(rows[1][-2], "3")
        self.assertIn("Unknown user nobody", rows[1][-1])
        # the admin fixes the login and uploads the file as is
        fixed = text.replace("nobody", "learner_internal").encode()
        again = self._wizard(fixed, separator=";")
        mapped = again.column_ids.filtered("field_name")
        self.assertEqual(mapped.mapped("field_name"), list(HEADER))
        again.action_check()
        self.assertEqual(
            (again.check_result["created"], again.check_result["failed"]), (1, 0)
        )
        with RecordCapturer(self.env["certification.job"], []) as capture:
            again.action_import()
        run_jobs(self.env)
        self.assertEqual(
            (capture.records.count_created, capture.records.count_failed), (1, 0)
        )

    def test_large_file_checked_by_a_job(self):
        rows = [row(f"nobody{index}") for index in range(2001)]
        wizard = self._wizard(make_csv(rows))
        awards_before = self.env["certification.award"].search_count([])
        wizard.action_check()
        job = wizard.check_job_id
        self.assertEqual((job.job_type, job.state), ("check", "queued"))
        self.assertFalse(wizard.check_result)
        self.assertIn("o_certification_import_checking", wizard.check_summary)
        run_jobs(self.env, batch_size=1000)
        self.assertEqual(job.state, "done")
        self.assertEqual(job.check_result["failed"], 2001)
        self.assertEqual(job.check_result["errors"][0]["line"], 2)
        self.assertEqual(
            self.env["certification.award"].search_count([]), awards_before
        )
        # as the dialog reads it again (a new request: Odoo 19 does not
        # recompute a wizard's summary from a job changed by the cron's env)
        wizard.invalidate_recordset(["check_summary"])
        self.assertIn("failed: 2001", wizard.check_summary)


@tagged("post_install", "-at_install")
class TestImportTemplateRoute(HttpCase):
    def test_officer_downloads_template(self):
        make_officer(self.env, login="tpl_officer")
        self.authenticate("tpl_officer", "tpl_officer")
        res = self.url_open("/certifications_retraining/import/template?separator=;")
        self.assertEqual(res.status_code, 200)
        self.assertTrue(res.text.startswith("username;certification_code;"))

    def test_learner_cannot_download_template(self):
        make_portal_learner(self.env, login="tpl_learner")
        self.authenticate("tpl_learner", "tpl_learner")
        res = self.url_open("/certifications_retraining/import/template")
        self.assertEqual(res.status_code, 403)
        self.assertNotIn("certification_code", res.text)
