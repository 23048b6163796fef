# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The import engine (``certification.award.importer``) called directly,
without a wizard: one batch of records validated, planned and issued as the
requester; its HTML summaries; the batch size and the job's input file."""

from datetime import datetime

from odoo.tests import tagged

from ..tools.csv_import import COLUMNS, ImportOptions
from .common import CertificationCase, current_award, make_internal_learner

MAPPING = {index: name for index, (name, _label) in enumerate(COLUMNS)}


def cells(login, code="FORK", issued="2024-01-15", row_type="manual", item=""):
    return [login, code, issued, "0", "2030-01-15", row_type, item]


@tagged("post_install", "-at_install")
class TestAwardImporter(CertificationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer.tz = "UTC"
        cls.Importer = cls.env["certification.award.importer"].with_user(cls.officer)
        cls.options = ImportOptions(mapping=MAPPING)

    def test_a_batch_without_a_wizard(self):
        records = [
            (2, cells("learner_portal")),
            (3, cells("nobody", issued="15/01/2024")),
            (4, cells("learner_internal", row_type="course", item="FORK-101")),
        ]
        checked = self.Importer._validate_rows(records, self.options, job_id=42)
        self.assertEqual([row.line for row, _vals in checked["valid"]], [2, 4])
        (line, error, failed_cells), *others = checked["failed"]
        self.assertFalse(others)
        self.assertEqual((line, failed_cells), (3, records[1][1]))
        # the file's problem and the database's, in one message
        self.assertIn("is not a date in the expected format", error)
        self.assertIn("Unknown user nobody", error)
        vals = checked["valid"][1][1]
        self.assertEqual(vals["channel_id"], self.course.id)
        self.assertEqual(vals["date_issued"], datetime(2024, 1, 15))
        self.assertEqual(vals["audit_action"], "import")
        self.assertEqual(vals["audit_reason"], "CSV import, job 42, line 4")
        result = self.Importer._apply_rows(checked["valid"], self.options)
        self.assertEqual((result["created"], result["failed"]), (2, []))
        award = current_award(self.env, self.program, self.learner.partner_id)
        self.assertEqual(award.date_issued, datetime(2024, 1, 15))

    def test_dry_run_matches_the_import_and_writes_nothing(self):
        held = self.env["certification.award"].create(
            {
                "program_id": self.program.id,
                "partner_id": self.learner.partner_id.id,
                "date_issued": datetime(2023, 1, 1),
            }
        )
        records = [(2, cells("learner_portal")), (3, cells("learner_internal"))]
        check = self.Importer._check_rows(records, self.options)
        self.assertEqual((check["created"], check["skipped"]), (1, 1))
        self.assertIn("already holds FORK", check["notes"][0]["note"])
        self.assertEqual(
            current_award(self.env, self.program, self.learner.partner_id), held
        )
        renewals = ImportOptions(mapping=MAPPING, is_duplicate_renewal=True)
        check = self.Importer._check_rows(records, renewals)
        self.assertEqual((check["created"], check["renewed"]), (1, 1))

    def test_external_training_of_the_row_learner_only(self):
        other = make_internal_learner(self.env, login="other", name="Other")
        training = self.env["certification.external.training"].create(
            {
                "name": "Workshop",
                "code": "EXT-9",
                "partner_id": other.partner_id.id,
                "date_completed": "2024-01-10",
                "certification_program_id": self.program.id,
            }
        )
        training.state = "approved"
        records = [
            (2, cells("other", row_type="external_training", item="EXT-9")),
            (3, cells("learner_portal", row_type="external_training", item="EXT-9")),
        ]
        checked = self.Importer._validate_rows(records, self.options)
        self.assertEqual(checked["valid"][0][1]["external_training_id"], training.id)
        self.assertEqual([line for line, _e, _c in checked["failed"]], [3])
        self.assertIn("No approved external training EXT-9", checked["failed"][0][1])

    def test_summary_is_escaped_html(self):
        html = self.Importer._render_check_result(
            {
                "created": 1,
                "failed": 1,
                "errors": [{"line": 3, "error": "Unknown user <b>x</b>."}],
                "notes": [{"line": 4, "note": "skipped"}],
            }
        )
        self.assertIn("alert-warning", html)
        self.assertIn("Line 3: Unknown user &lt;b&gt;x&lt;/b&gt;.", html)
        self.assertIn("<li>Line 4: skipped</li>", html)
        self.assertIn("Created: 1, renewed: 0", html)
        self.assertFalse(self.Importer._render_check_result(False))

    def test_batch_size_is_a_system_parameter(self):
        Job = self.env["certification.job"]
        params = self.env["ir.config_parameter"].sudo()
        self.assertEqual(Job._get_batch_size("import"), 10_000)
        self.assertEqual(Job._get_batch_size("grant"), 1000)
        params.set_param("certifications_retraining.import_batch_size", "250")
        self.assertEqual(Job._get_batch_size("import"), 250)
        self.assertEqual(Job._get_batch_size("check"), 250)
        self.assertEqual(Job._get_batch_size("grant"), 1000)
        for wrong in ("0", "-5", "many"):
            params.set_param("certifications_retraining.import_batch_size", wrong)
            self.assertEqual(Job._get_batch_size("import"), 10_000, wrong)

    def test_unindexed_attachment(self):
        attachment = (
            self.env["ir.attachment"]
            .with_user(self.officer)
            ._create_unindexed(
                {"name": "a.csv", "raw": b"forklift,records", "mimetype": "text/csv"}
            )
        )
        self.assertEqual(attachment.raw, b"forklift,records")
        self.assertEqual(
            (attachment.mimetype, attachment.index_content), ("text/csv", "text")
        )
