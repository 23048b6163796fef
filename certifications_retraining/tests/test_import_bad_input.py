# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Bad input through the whole import, with a database: generated files
(Hypothesis) go through the wizard and the job like an officer's upload,
and each ends in a finished job whose counts add up (rows imported, or
failed with a reason, never both, never lost) and an audit chain that
verifies, or in a clear message before any job exists. Files over the
size limit are refused before any work starts."""

import base64
import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.exceptions import UserError
from odoo.tests import RecordCapturer, tagged

from .common import CertificationCase
from .test_award_import import HEADER, run_jobs

SIZE_PARAM = "certifications_retraining.import_max_file_size_mb"
JOB_PROPERTIES = settings(
    database=None,
    deadline=None,
    derandomize=True,
    max_examples=30,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)
# values that resolve (a learner of the test setup, the certification, its
# course) mixed with values that don't, so that rows succeed and fail
LOGINS = st.sampled_from(["learner_portal", "learner_internal", "nobody", "", " "])
CODES = st.sampled_from(["FORK", "fork", "NOPE", ""])
DATES = st.sampled_from(["2021-11-18", "2024-02-29", "2023-02-29", "18/11/2021", ""])
BOOLS = st.sampled_from(["0", "1", "yes", "maybe", ""])
TYPES = st.sampled_from(["manual", "course", "Course", "learning_plan", "x", ""])
ITEMS = st.sampled_from(["FORK-101", "", "=HYPERLINK(1)", '"quoted"'])
ROWS = st.lists(
    st.tuples(LOGINS, CODES, DATES, BOOLS, DATES, TYPES, ITEMS).map(list),
    max_size=8,
)


def make_file(rows, separator=","):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=separator, lineterminator="\n").writerows(
        [HEADER, *rows]
    )
    return buffer.getvalue().encode()


@tagged("post_install", "-at_install")
class TestImportBadInput(CertificationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer.tz = "UTC"
        cls.Import = cls.env["certification.award.import"].with_user(cls.officer)

    def _wizard(self, data, **values):
        return self.Import.create(
            dict(values, file=base64.b64encode(data), filename="awards.csv")
        )

    def _failed_lines(self, job, separator):
        """The lines of the job's failed-rows file (in the file's separator),
        each with its reason."""
        if not job.result_attachment_id:
            return []
        data = job.result_attachment_id.raw.decode()
        reader = csv.reader(io.StringIO(data), delimiter=separator)
        next(reader)
        rows = list(reader)
        self.assertTrue(all(row[-1] for row in rows), "a failed row without reason")
        return [int(row[-2]) for row in rows]

    def _run_import(self, wizard):
        """(the UserError that refused the file or None, jobs, awards) of
        importing with ``wizard`` and running the jobs cron to the end."""
        refused = None
        Award = self.env["certification.award"].with_context(active_test=False)
        Job = self.env["certification.job"]
        with RecordCapturer(Job, []) as jobs, RecordCapturer(Award, []) as awards:
            try:
                wizard.action_import()
            except UserError as error:
                refused = error
            else:
                run_jobs(self.env)
        return refused, jobs.records, awards.records

    def assert_import_adds_up(self, wizard, records, may_refuse=False):
        """The import of ``wizard`` (``records``: its non-blank data rows)
        is refused as a whole with a message and leaves no job, or ends in a
        done job where every row is counted once, the awards created are the
        rows counted as created, renewed or filed, and the chain verifies."""
        refused, job, awards = self._run_import(wizard)
        if refused and may_refuse:
            self.assertTrue(str(refused))
            self.assertFalse(job)
            return
        self.assertFalse(refused)
        self.assertEqual(len(job), 1)
        self.assertEqual(job.state, "done", job.log)
        self.assertEqual(job.progress_done, job.progress_total)
        counted = (
            job.count_created
            + job.count_renewed
            + job.count_history
            + job.count_skipped
            + job.count_failed
        )
        self.assertEqual(counted, len(records), job.log)
        failed = self._failed_lines(job, wizard.separator)
        self.assertEqual(len(failed), job.count_failed)
        self.assertEqual(len(set(failed)), len(failed), "a row failed twice")
        self.assertEqual(
            len(awards), job.count_created + job.count_renewed + job.count_history
        )
        self.assertFalse(self.env["certification.audit.log"]._verify_chain())

    @JOB_PROPERTIES
    @given(rows=ROWS, separator=st.sampled_from([",", ";"]))
    def test_generated_files_end_in_a_finished_job_that_adds_up(self, rows, separator):
        records = [row for row in rows if any(cell.strip() for cell in row)]
        # each example starts from the same database
        savepoint = self.env.cr.savepoint(flush=False)
        try:
            wizard = self._wizard(make_file(rows, separator), separator=separator)
            self.assert_import_adds_up(wizard, records, may_refuse=True)
        finally:
            savepoint.close(rollback=True)
            self.env.invalidate_all()

    def test_a_file_over_the_size_limit_is_refused_before_any_work(self):
        self.env["ir.config_parameter"].sudo().set_param(SIZE_PARAM, "1")
        row = ["learner_portal", "FORK", "2021-11-18", "1", "", "manual", "x" * 100]
        data = make_file([row] * 12_000)  # about 1.4 MB
        self.assertGreater(len(data), 1024 * 1024)
        Job, Attachment = self.env["certification.job"], self.env["ir.attachment"]
        with (
            RecordCapturer(Job, []) as jobs,
            RecordCapturer(Attachment, []) as attachments,
        ):
            wizard = self._wizard(data)
            for action in (wizard.action_next, wizard.action_import):
                with self.assertRaisesRegex(UserError, "more than the 1 MB"):
                    action()
        self.assertFalse(jobs.records)
        self.assertFalse(attachments.records)
        # the allowed path: under the limit, the same rows import
        self.assert_import_adds_up(self._wizard(make_file([row] * 10)), [row] * 10)

    def test_size_limit_parameter_falls_back_to_its_default(self):
        params = self.env["ir.config_parameter"].sudo()
        for value, expected in (("", 64), ("many", 64), ("0", 1), ("200", 200)):
            params.set_param(SIZE_PARAM, value)
            self.assertEqual(self.Import._get_max_file_size_mb(), expected, value)
