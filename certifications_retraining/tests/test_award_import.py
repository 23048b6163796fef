# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64
import contextlib
import csv
import io
import json
from datetime import datetime

from odoo.exceptions import UserError
from odoo.tests import RecordCapturer, tagged

from .. import compat
from .common import (
    CertificationCase,
    current_award,
    make_internal_learner,
    make_learning_plan,
    make_officer,
    make_portal_learner,
)

HEADER = (
    "username",
    "certification_code",
    "certification_issue_date",
    "always_valid",
    "certification_expire_date",
    "type",
    "code",
)


def make_csv(rows, header=HEADER, separator=",", encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def set_batch_size(env, size):
    """Rows (or learners) per cron call, for every type of job."""
    params = env["ir.config_parameter"].sudo()
    params.set_param("certifications_retraining.import_batch_size", size)
    params.set_param("certifications_retraining.grant_batch_size", size)


def run_jobs(env, batch_size=None):
    """Run the jobs cron until no job is open, the way the cron runner calls it."""
    Job = env["certification.job"]
    if batch_size:
        set_batch_size(env, batch_size)
    for _call in range(1000):
        if not Job._cron_process_jobs():
            return
    raise AssertionError("the jobs never finished")


class ImportCase(CertificationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer.tz = "UTC"
        cls.plan = make_learning_plan(
            cls.env, cls.course, code="WH-PATH", certification_program_id=cls.program.id
        )
        cls.other_program = cls.env["certification.program"].create(
            {"name": "Crane", "code": "CRANE"}
        )
        cls.external = cls.env["certification.external.training"].create(
            {
                "name": "Forklift workshop",
                "code": "EXT-1",
                "partner_id": cls.learner.partner_id.id,
                "date_completed": "2021-01-10",
                "certification_program_id": cls.program.id,
            }
        )

    def _import(self, data, user=None, **options):
        wizard = (
            self.env["certification.award.import"]
            .with_user(user or self.officer)
            .create(
                dict(
                    {"file": base64.b64encode(data), "filename": "awards.csv"},
                    **options,
                )
            )
        )
        with RecordCapturer(self.env["certification.job"], []) as capture:
            wizard.action_import()
        run_jobs(self.env)
        job = capture.records
        self.assertEqual(len(job), 1)
        self.assertEqual(job.state, "done", job.log)
        return job

    def _failed(self, job):
        """{line: reason} from the job's downloadable CSV."""
        if not job.result_attachment_id:
            return {}
        reader = csv.reader(io.StringIO(job.result_attachment_id.raw.decode()))
        self.assertEqual(next(reader)[-2:], ["line", "error"])
        return {int(row[-2]): row[-1] for row in reader}

    def _row(self, login, **kwargs):
        values = {
            "certification_code": "FORK",
            "certification_issue_date": "2021-11-18",
            "always_valid": "0",
            "certification_expire_date": "2030-11-18",
            "type": "manual",
            "code": "",
        }
        values.update(kwargs)
        return [login] + [values[name] for name in HEADER[1:]]


@tagged("post_install", "-at_install")
class TestAwardImport(ImportCase):
    def test_import_each_type(self):
        third = make_internal_learner(self.env, login="third", name="Third Learner")
        fourth = make_portal_learner(self.env, login="fourth", name="Fourth Learner")
        # only the row learner's own approved activity proves a certification
        self.external.write({"partner_id": third.partner_id.id, "state": "approved"})
        data = make_csv(
            [
                self._row("learner_portal", type="course", code="FORK-101"),
                self._row("learner_internal", type="learning_plan", code="WH-PATH"),
                self._row("third", type="external_training", code="EXT-1"),
                self._row("fourth", always_valid="yes", certification_expire_date=""),
            ]
        )
        job = self._import(data)
        self.assertEqual((job.count_created, job.count_failed), (4, 0))
        self.assertEqual((job.progress_done, job.progress_total), (4, 4))
        award = current_award(self.env, self.program, self.learner.partner_id)
        self.assertEqual(award.association_type, "course")
        self.assertEqual(award.channel_id, self.course)
        self.assertEqual(award.date_issued, datetime(2021, 11, 18))
        self.assertEqual(award.date_expiry, datetime(2030, 11, 18))
        plan_award = current_award(
            self.env, self.program, self.employee_learner.partner_id
        )
        self.assertEqual(plan_award.learning_plan_id, self.plan)
        self.assertEqual(
            current_award(
                self.env, self.program, third.partner_id
            ).external_training_id,
            self.external,
        )
        always = current_award(self.env, self.program, fourth.partner_id)
        self.assertTrue(always.is_always_valid)
        self.assertFalse(always.date_expiry)
        # imported records are on the Awarded users page of the certification
        action = self.program.action_view_awards()
        listed = self.env["certification.award"].search(
            action["domain"] + [("state", "!=", "archived")]
        )
        self.assertEqual(len(listed), 4)

    def test_date_format_error_names_expected_format(self):
        data = make_csv(
            [
                self._row("learner_portal", certification_issue_date="11/18/21"),
                self._row("learner_internal"),
            ]
        )
        job = self._import(data)
        self.assertEqual((job.count_created, job.count_failed), (1, 1))
        reason = self._failed(job)[2]
        self.assertIn("YYYY-MM-DD", reason)
        self.assertIn("11/18/21", reason)
        self.assertFalse(current_award(self.env, self.program, self.learner.partner_id))

    def test_unknown_user(self):
        job = self._import(make_csv([self._row("nobody"), self._row("learner_portal")]))
        self.assertIn("Unknown user nobody", self._failed(job)[2])
        self.assertEqual(job.count_created, 1)

    def test_deactivated_user(self):
        self.employee_learner.active = False
        job = self._import(make_csv([self._row("learner_internal")]))
        self.assertIn("deactivated", self._failed(job)[2])
        self.assertEqual(job.count_created, 0)

    def test_unknown_codes(self):
        data = make_csv(
            [
                self._row("learner_portal", certification_code="NOPE"),
                self._row("learner_internal", type="course", code="NOPE-101"),
            ]
        )
        failed = self._failed(self._import(data))
        self.assertIn("Unknown certification code NOPE", failed[2])
        self.assertIn("Unknown course code NOPE-101", failed[3])

    def test_item_not_assigned_to_certification(self):
        data = make_csv(
            [
                self._row(
                    "learner_portal",
                    certification_code="CRANE",
                    type="course",
                    code="FORK-101",
                )
            ]
        )
        job = self._import(data)
        self.assertIn("not assigned", self._failed(job)[2])
        self.assertFalse(self.other_program.award_ids)

    def test_code_mandatory_unless_manual(self):
        job = self._import(
            make_csv([self._row("learner_portal", type="course", code="")])
        )
        self.assertIn("code is mandatory", self._failed(job)[2])

    def test_invalid_type_and_boolean(self):
        job = self._import(
            make_csv([self._row("learner_portal", type="badge", always_valid="maybe")])
        )
        reason = self._failed(job)[2]
        self.assertIn("type must be one of", reason)
        self.assertIn("always_valid must be", reason)

    def test_expiry_before_issue(self):
        job = self._import(
            make_csv(
                [self._row("learner_portal", certification_expire_date="2021-11-17")]
            )
        )
        self.assertIn("is before", self._failed(job)[2])
        self.assertEqual(job.count_created, 0)

    def test_expiry_mandatory_unless_always_valid(self):
        job = self._import(
            make_csv([self._row("learner_portal", certification_expire_date="")])
        )
        self.assertIn("certification_expire_date is mandatory", self._failed(job)[2])

    def test_always_valid_ignores_expiry_with_warning(self):
        job = self._import(make_csv([self._row("learner_portal", always_valid="true")]))
        award = current_award(self.env, self.program, self.learner.partner_id)
        self.assertTrue(award.is_always_valid)
        self.assertFalse(award.date_expiry)
        self.assertIn("Line 2: certification_expire_date ignored", job.log)

    def test_duplicates_rejected_when_option_off(self):
        third = make_internal_learner(self.env, login="third", name="Third Learner")
        data = make_csv(
            [
                self._row("learner_portal"),
                self._row("third"),
                self._row("learner_portal", certification_issue_date="2022-01-01"),
            ]
        )
        job = self._import(data)
        failed = self._failed(job)
        self.assertEqual(set(failed), {2, 4})
        self.assertIn("lines 2, 4", failed[2])
        self.assertEqual(job.count_created, 1)
        self.assertTrue(current_award(self.env, self.program, third.partner_id))
        self.assertFalse(current_award(self.env, self.program, self.learner.partner_id))

    def test_duplicates_as_renewal_last_row_wins_and_renews(self):
        old = self.env["certification.award"]._issue_awards(
            [
                {
                    "program_id": self.program.id,
                    "partner_id": self.learner.partner_id.id,
                    "date_issued": datetime(2021, 6, 1),
                }
            ]
        )
        data = make_csv(
            [
                self._row("learner_portal", certification_issue_date="2023-05-01"),
                self._row("learner_portal", certification_issue_date="2022-01-01"),
            ]
        )
        job = self._import(data, is_duplicate_renewal=True)
        self.assertEqual(
            (job.count_created, job.count_renewed, job.count_skipped), (0, 1, 1)
        )
        new = current_award(self.env, self.program, self.learner.partner_id)
        self.assertEqual(new.date_issued, datetime(2022, 1, 1))
        self.assertEqual(new.previous_award_id, old)
        self.assertEqual(old.state, "archived")

    def test_rerun_same_file_creates_no_duplicates(self):
        data = make_csv([self._row("learner_portal"), self._row("learner_internal")])
        self._import(data)
        job = self._import(data)
        self.assertEqual((job.count_created, job.count_skipped), (0, 2))
        awards = self.env["certification.award"].search(
            [("program_id", "=", self.program.id)]
        )
        self.assertEqual(len(awards), 2)

    def test_job_file_is_stored_not_indexed(self):
        """The job reads its file from the store; its words are not copied
        into the attachment's search index (a 100,000-row file would be
        stored twice)."""
        data = make_csv([self._row("learner_portal")])
        job = self._import(data)
        attachment = job.file_attachment_id
        self.assertEqual(attachment.raw, data)
        self.assertEqual(attachment.mimetype, "text/csv")
        self.assertEqual(attachment.index_content, "text")
        # other text files are still indexed as Odoo does
        other = self.env["ir.attachment"].create(
            {"name": "notes.txt", "raw": b"forklift certification notes"}
        )
        self.assertIn("forklift", other.index_content)

    def test_timezone_east_of_utc(self):
        self.officer.tz = "Asia/Dubai"  # UTC+04:00
        self._import(make_csv([self._row("learner_portal")]))
        award = current_award(self.env, self.program, self.learner.partner_id)
        self.assertEqual(award.date_issued, datetime(2021, 11, 17, 20, 0))
        self.assertEqual(award.date_expiry, datetime(2030, 11, 17, 20, 0))

    def test_timezone_west_of_utc(self):
        self.officer.tz = "America/Santo_Domingo"  # UTC-04:00, no DST
        self._import(make_csv([self._row("learner_portal")]))
        award = current_award(self.env, self.program, self.learner.partner_id)
        self.assertEqual(award.date_issued, datetime(2021, 11, 18, 4, 0))
        self.assertEqual(award.date_expiry, datetime(2030, 11, 18, 4, 0))

    def test_bom_file(self):
        data = make_csv([self._row("learner_portal")], encoding="utf-8-sig")
        self.assertTrue(data.startswith(b"\xef\xbb\xbf"))
        job = self._import(data, encoding="utf-8-sig")
        self.assertEqual(job.count_created, 1)
        # a BOM read as plain UTF-8 does not spoil the first header either
        data = make_csv([self._row("learner_internal")], encoding="utf-8-sig")
        self.assertEqual(self._import(data).count_created, 1)

    def test_latin1_semicolon_file(self):
        make_internal_learner(self.env, login="josé", name="José")
        data = make_csv([self._row("josé")], separator=";", encoding="latin-1")
        job = self._import(data, separator=";", encoding="latin-1")
        self.assertEqual(job.count_created, 1, self._failed(job))

    def test_cp1252_and_utf16_tab_files(self):
        make_internal_learner(self.env, login="zoë", name="Zoë")
        data = make_csv([self._row("zoë")], encoding="cp1252")
        self.assertEqual(self._import(data, encoding="cp1252").count_created, 1)
        data = make_csv(
            [self._row("learner_portal")], separator="\t", encoding="utf-16"
        )
        job = self._import(data, separator="tab", encoding="utf-16")
        self.assertEqual(job.count_created, 1)

    def test_wrong_charset_refused_at_upload(self):
        data = make_csv([self._row("josé")], encoding="latin-1")
        wizard = (
            self.env["certification.award.import"]
            .with_user(self.officer)
            .create({"file": base64.b64encode(data), "encoding": "utf-8"})
        )
        with self.assertRaises(UserError):
            wizard.action_import()

    def test_missing_mandatory_column(self):
        data = make_csv(
            [["learner_portal", "FORK"]], header=["username", "certification_code"]
        )
        wizard = (
            self.env["certification.award.import"]
            .with_user(self.officer)
            .create({"file": base64.b64encode(data)})
        )
        with self.assertRaisesRegex(UserError, "certification_issue_date"):
            wizard.action_import()

    def test_mapping_step_with_other_headers(self):
        header = [
            "Login",
            "Cert",
            "Issued",
            "Forever",
            "Expires",
            "Kind",
            "Item",
            "Notes",
        ]
        data = make_csv(
            [self._row("learner_portal") + ["hello"]], header=header, separator=";"
        )
        wizard = (
            self.env["certification.award.import"]
            .with_user(self.officer)
            .create({"file": base64.b64encode(data), "separator": ";"})
        )
        wizard.action_next()
        self.assertEqual(wizard.step, "mapping")
        self.assertEqual(wizard.column_ids.mapped("name"), header)
        self.assertFalse(any(wizard.column_ids.mapped("field_name")))
        for column, name in zip(wizard.column_ids, HEADER, strict=False):
            column.field_name = name
        self.assertIn("learner_portal", wizard.preview)
        self.assertIn("certification_issue_date", wizard.preview)
        self.assertNotIn("hello", wizard.preview)  # the ignored column
        wizard.action_import()
        run_jobs(self.env)
        self.assertTrue(current_award(self.env, self.program, self.learner.partner_id))

    def test_canonical_headers_premapped(self):
        data = make_csv([self._row("learner_portal")])
        wizard = (
            self.env["certification.award.import"]
            .with_user(self.officer)
            .create({"file": base64.b64encode(data)})
        )
        wizard.action_next()
        self.assertEqual(wizard.column_ids.mapped("field_name"), list(HEADER))
        self.assertIn("2021-11-18", wizard.preview)

    def test_blank_lines_ignored_line_numbers_kept(self):
        data = make_csv([self._row("learner_portal"), [], self._row("nobody")])
        job = self._import(data)
        self.assertEqual(
            (job.count_created, job.count_skipped, job.count_failed), (1, 0, 1)
        )
        self.assertEqual(list(self._failed(job)), [4])

    def test_failed_rows_file(self):
        job = self._import(
            make_csv([self._row("nobody"), self._row("learner_portal", type="?")])
        )
        self.assertEqual(job.count_failed, 2)
        self.assertEqual(job.result_attachment_id.mimetype, "text/csv")
        self.assertEqual(set(self._failed(job)), {2, 3})


@tagged("post_install", "-at_install")
class TestCertificationJob(ImportCase):
    def _queue(self, data, **options):
        wizard = (
            self.env["certification.award.import"]
            .with_user(self.officer)
            .create(dict({"file": base64.b64encode(data)}, **options))
        )
        action = wizard.action_import()
        return self.env["certification.job"].browse(action["res_id"])

    def _learners(self, count):
        return self.env["res.users"].create(
            [
                {"name": f"Bulk {index}", "login": f"bulk{index}"}
                for index in range(count)
            ]
        )

    def test_queue_triggers_cron(self):
        cron = self.env.ref("certifications_retraining.certification_job_cron")
        with RecordCapturer(
            self.env["ir.cron.trigger"].sudo(), [("cron_id", "=", cron.id)]
        ) as capture:
            job = self._queue(make_csv([self._row("learner_portal")]))
        self.assertTrue(capture.records)
        self.assertEqual(
            (job.state, job.job_type, job.user_id), ("queued", "import", self.officer)
        )

    def test_bounded_batches_report_progress(self):
        users = self._learners(5)
        job = self._queue(make_csv([self._row(user.login) for user in users]))
        set_batch_size(self.env, 2)
        Job = self.env["certification.job"]
        Job._cron_process_jobs()
        self.assertEqual((job.state, job.progress_done, job.cursor), ("running", 2, 2))
        self.assertEqual(job.progress, 40.0)
        run_jobs(self.env, batch_size=2)
        self.assertEqual(
            (job.state, job.progress_done, job.count_created), ("done", 5, 5)
        )

    def test_cron_runner_runs_the_batches_and_gets_their_progress(self):
        """Run by Odoo's own cron runner ("Run Manually"), each call runs one
        batch and reports its rows and the rows left: 18.0 runs one call per
        trigger, 19.0 calls again while rows are left (each batch committed
        with its progress)."""
        users = self._learners(5)
        job = self._queue(make_csv([self._row(user.login) for user in users]))
        set_batch_size(self.env, 2)
        cron = self.env.ref("certifications_retraining.certification_job_cron")
        Progress = self.env["ir.cron.progress"].sudo()
        with (
            RecordCapturer(Progress, [("cron_id", "=", cron.id)]) as capture,
            compat.cron_runner_on_test_cursor(self),
        ):
            for _trigger in range(3):
                if job.state == "done":
                    break
                cron.method_direct_trigger()  # Odoo's own cron runner
                self.env.invalidate_all()
        self.assertEqual(
            (job.state, job.progress_done, job.count_created), ("done", 5, 5)
        )
        reported = capture.records.filtered("done").sorted("id")
        self.assertEqual(reported.mapped("done"), [2, 2, 1])
        self.assertEqual(reported.mapped("remaining"), [3, 1, 0])

    def test_each_batch_reads_on_from_where_the_last_stopped(self):
        """The job keeps, with its cursor, where its batches stopped reading
        the file; the next batch reads on from there. Rows and line numbers
        are those of one reading: quoted line breaks, Windows line ends."""
        users = self._learners(3)
        rows = [
            self._row(users[0].login),
            self._row("no\r\nbody"),  # lines 3 and 4
            self._row(users[1].login),
            self._row("nobody"),
            self._row(users[2].login),
        ]
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows([HEADER, *rows])
        text = buffer.getvalue()
        job = self._queue(text.encode())
        set_batch_size(self.env, 2)
        self.env["certification.job"]._cron_process_jobs()
        after_two = text.index(users[1].login)  # where the third row starts
        self.assertEqual(
            (job.cursor, job.cursor_line, job.cursor_chars), (2, 4, after_two)
        )
        run_jobs(self.env, batch_size=2)
        self.assertEqual(
            (job.state, job.count_created, job.count_failed), ("done", 3, 2)
        )
        self.assertEqual(sorted(self._failed(job)), [4, 6])
        awards = self.env["certification.award"].search(
            [("partner_id", "in", users.partner_id.ids)]
        )
        self.assertEqual(awards.partner_id, users.partner_id)

    def test_restart_after_crash_does_not_duplicate(self):
        users = self._learners(5)
        job = self._queue(make_csv([self._row(user.login) for user in users]))
        set_batch_size(self.env, 2)
        Job = self.env["certification.job"]
        Job._cron_process_jobs()  # first batch committed
        # the worker dies in the middle of the second batch: its transaction
        # (awards and cursor together) is rolled back
        with contextlib.suppress(InterruptedError), self.env.cr.savepoint():
            Job._cron_process_jobs()
            self.assertEqual(job.cursor, 4)
            raise InterruptedError
        self.env.invalidate_all()
        self.assertEqual((job.state, job.cursor), ("running", 2))
        run_jobs(self.env, batch_size=2)
        awards = self.env["certification.award"].search(
            [("partner_id", "in", users.partner_id.ids)]
        )
        self.assertEqual(len(awards), 5)
        self.assertEqual(awards.partner_id, users.partner_id)
        self.assertEqual((job.state, job.count_created), ("done", 5))

    def test_done_notifies_requester(self):
        job = self._queue(make_csv([self._row("nobody")]))
        run_jobs(self.env)
        self.assertEqual(job.state, "done")
        message = job.message_ids.filtered(lambda m: "failed: 1" in (m.body or ""))
        self.assertTrue(message)
        self.assertEqual(message.attachment_ids, job.result_attachment_id)
        self.env.cr.precommit.run()
        notification = (
            self.env["bus.bus"]
            .sudo()
            .search([("message", "like", "Certification job finished")])
        )
        self.assertTrue(notification)
        channels = [json.loads(n.channel) for n in notification]
        self.assertIn(
            ["res.partner", self.officer.partner_id.id], [c[1:] for c in channels]
        )

    def test_officers_see_their_own_jobs(self):
        other = make_officer(self.env, login="other_officer", name="Other Officer")
        job = self._queue(make_csv([self._row("learner_portal")]))
        Job = self.env["certification.job"]
        self.assertEqual(Job.with_user(self.officer).search([]), job)
        self.assertFalse(Job.with_user(other).search([]))
        self.assertIn(job, Job.with_user(self.manager).search([]))

    def test_job_fails_instead_of_looping_when_input_is_short(self):
        job = self._queue(make_csv([self._row("learner_portal")]))
        job.sudo().progress_total = 3  # e.g. the file was replaced meanwhile
        run_jobs(self.env)
        self.assertEqual((job.state, job.count_created), ("failed", 1))
        self.assertIn("ended before row 2", job.log)
