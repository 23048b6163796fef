# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Attacks on the addon, each performed as the attacker:
jobs as a back door, superuser writes on behalf of the caller, proof uploads,
spreadsheet formulas, company separation and races. Each attack test asserts
that the attack fails; each class also checks the legitimate path."""

import base64
import csv
import io

import psycopg2

from odoo import Command, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged, users
from odoo.tools import SQL, mute_logger

from ..tools.csv_import import csv_safe_cell
from .common import (
    CertificationCase,
    current_award,
    make_course,
    make_internal_learner,
    make_officer,
    make_portal_learner,
    make_program,
)
from .test_award_import import HEADER, make_csv, run_jobs

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
    b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
HTML = b"<html><script>alert(document.cookie)</script></html>"


def import_row(login, code="FORK", **kwargs):
    values = {
        "certification_code": code,
        "certification_issue_date": "2021-11-18",
        "always_valid": "0",
        "certification_expire_date": "2030-11-18",
        "type": "manual",
        "code": "",
    }
    values.update(kwargs)
    return [login] + [values[name] for name in HEADER[1:]]


def import_as(env, data):
    """Upload ``data`` through the import wizard as the user of ``env``."""
    wizard = env["certification.award.import"].create(
        {"file": base64.b64encode(data), "filename": "awards.csv"}
    )
    action = wizard.action_import()
    return env["certification.job"].browse(action["res_id"])


def failed_reasons(job):
    """The reasons of the job's failed-rows file, as a reader of the job."""
    if not job.result_file:
        return []
    reader = csv.reader(io.StringIO(base64.b64decode(job.result_file).decode()))
    next(reader)
    # an import's failed rows: the original columns, then line and error
    return [row[-1] for row in reader]


# ------------------------------------------------------------
# 1. Jobs are not a back door
# ------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestJobsAreNoBackDoor(CertificationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a private file of the administrator: no record, only its creator reads it
        cls.secret = (
            cls.env["ir.attachment"]
            .with_user(cls.env.ref("base.user_admin"))
            .create(
                {
                    "name": "salaries.csv",
                    "raw": b"username,salary\nceo,999999\n",
                    "mimetype": "text/csv",
                }
            )
        )
        cls.officer_env = cls.env(user=cls.officer)

    def _job_vals(self, **vals):
        return dict(
            {"name": "Mine", "job_type": "import", "progress_total": 1, "payload": {}},
            **vals,
        )

    def test_officer_cannot_create_a_job(self):
        Job = self.officer_env["certification.job"]
        with self.assertRaises(AccessError):
            Job.create(self._job_vals(result_attachment_id=self.secret.id))
        with self.assertRaises(AccessError):
            Job.create(self._job_vals(file_attachment_id=self.secret.id))

    def test_manager_cannot_create_or_write_a_job(self):
        Job = self.env(user=self.manager)["certification.job"]
        with self.assertRaises(AccessError):
            Job.create(self._job_vals())
        job = import_as(self.officer_env, make_csv([import_row("learner_portal")]))
        with self.assertRaises(AccessError):
            job.with_user(self.manager).write({"state": "done"})

    def test_nobody_moves_where_a_job_reads_its_file(self):
        """Where a job's next batch reads on in its file is the server's: the
        requester and an administrator cannot move it (that would skip rows
        or import some twice); the job's own batches do."""
        job = import_as(self.officer_env, make_csv([import_row("learner_portal")]))
        for user in (self.officer, self.manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                job.with_user(user).write({"cursor_chars": 10**6, "cursor_line": 9})
        self.assertEqual((job.cursor_chars, job.cursor_line), (0, 0))
        run_jobs(self.env)
        self.assertEqual((job.state, job.count_created), ("done", 1))
        self.assertEqual(job.cursor_line, 2)  # the header, then the one row
        self.assertEqual(
            job.cursor_chars, len(make_csv([import_row("learner_portal")]))
        )

    def test_result_file_does_not_read_beyond_the_reader_rights(self):
        job = import_as(self.officer_env, make_csv([import_row("learner_portal")]))
        # a job pointing at a file its reader may not read (as the old back door
        # allowed): the related field used to read it as superuser
        job.sudo().result_attachment_id = self.secret
        self.assertFalse(job.with_user(self.officer).result_file)
        self.assertFalse(job.with_user(self.officer).result_filename)

    def test_requester_never_changes(self):
        job = import_as(self.officer_env, make_csv([import_row("learner_portal")]))
        admin = self.env.ref("base.user_admin")
        with self.assertRaises(UserError):  # AccessError is a UserError
            job.with_user(self.officer).write({"user_id": admin.id})
        with self.assertRaises(UserError):
            job.sudo().write({"user_id": admin.id})
        self.assertEqual(job.user_id, self.officer)

    def test_job_never_echoes_a_file_its_requester_cannot_read(self):
        # the old attack: a job of the officer reading the administrator's file,
        # whose lines came back as "Unknown user ..." in the failed rows
        job = (
            self.env["certification.job"]
            .sudo()
            .create(
                self._job_vals(
                    user_id=self.officer.id,
                    file_attachment_id=self.secret.id,
                    payload={
                        "separator": ",",
                        "encoding": "utf-8",
                        "is_duplicate_renewal": False,
                        # echoing columns: "<value> is not a date", "got <value>"
                        "mapping": {"0": "certification_issue_date", "1": "type"},
                        "tz": "UTC",
                        "duplicates": {},
                    },
                )
            )
        )
        with mute_logger(
            "odoo.addons.certifications_retraining.models.certification_job"
        ):
            run_jobs(self.env)
        self.assertEqual(job.state, "failed")
        echoed = str(job.sudo().failed_rows) + job.sudo().log
        self.assertNotIn("ceo", echoed)
        self.assertNotIn("999999", echoed)

    def test_personal_defaults_never_reach_a_job(self):
        """An employee may store personal defaults (``ir.default``, over RPC),
        and the wizard creates the job in the officer's name: none of them
        applies to a job. The attack linked the administrator's private file
        to the job, posted in its chatter when the job ended."""
        Default = self.officer_env["ir.default"]
        for field, value in [
            ("result_attachment_id", self.secret.id),
            ("count_created", 99),
            ("cursor", 5),
            ("cursor_chars", 10**6),
            ("cursor_line", 9),
            ("log", "Approved by the administrator"),
        ]:
            Default.set("certification.job", field, value, user_id=True)
        Default.set("mail.message", "attachment_ids", [self.secret.id], user_id=True)
        job = import_as(self.officer_env, make_csv([import_row("learner_portal")]))
        self.assertEqual(
            (job.result_attachment_id, job.count_created, job.cursor, job.log),
            (self.env["ir.attachment"], 0, 0, False),
        )
        self.assertEqual((job.cursor_chars, job.cursor_line), (0, 0))
        run_jobs(self.env)
        self.assertEqual((job.state, job.count_created), ("done", 1))
        self.assertFalse(job.result_attachment_id)
        self.assertNotIn(self.secret, job.message_ids.attachment_ids)

    def test_officer_cannot_retry_another_officers_job(self):
        job = import_as(self.officer_env, make_csv([import_row("learner_portal")]))
        job.sudo().state = "failed"
        other = make_officer(self.env, login="other_officer", name="Other Officer")
        with self.assertRaises(AccessError):
            job.with_user(other).action_retry()
        self.assertEqual(job.state, "failed")

    def test_legitimate_import_job(self):
        job = import_as(
            self.officer_env,
            make_csv([import_row("learner_portal"), import_row("nobody")]),
        )
        self.assertEqual(job.user_id, self.officer)
        self.assertEqual(job.file_attachment_id.res_id, job.id)
        run_jobs(self.env)
        job = job.with_user(self.officer)
        self.assertEqual(
            (job.state, job.count_created, job.count_failed), ("done", 1, 1)
        )
        self.assertEqual(failed_reasons(job), ["Unknown user nobody."])
        self.assertTrue(job.result_filename)
        job.sudo().state = "failed"
        job.action_retry()
        self.assertEqual(job.state, "queued")


# ------------------------------------------------------------
# 2. No superuser writes on behalf of the caller
# ------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestNoSuperuserWritesForTheCaller(CertificationCase):
    """The certification administrator here has no eLearning rights."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_course = make_course(cls.env, name="Crane Basics", code="CRANE-101")
        cls.program_as_manager = cls.program.with_user(cls.manager)

    def test_manager_cannot_rename_a_course(self):
        with self.assertRaises(AccessError):
            self.program_as_manager.write(
                {"channel_ids": [Command.update(self.course.id, {"name": "Hacked"})]}
            )
        self.assertEqual(self.course.name, "Forklift Basics")

    def test_manager_cannot_delete_a_course(self):
        with self.assertRaises(AccessError):
            self.program_as_manager.write(
                {"channel_ids": [Command.delete(self.other_course.id)]}
            )
        self.assertTrue(self.other_course.exists())

    def test_manager_cannot_create_a_course(self):
        with self.assertRaises(AccessError):
            self.program_as_manager.write(
                {"channel_ids": [Command.create({"name": "Created as root"})]}
            )
        self.assertFalse(
            self.env["slide.channel"].search([("name", "=", "Created as root")])
        )

    def test_manager_cannot_rename_a_course_when_creating(self):
        with self.assertRaises(AccessError):
            self.env["certification.program"].with_user(self.manager).create(
                {
                    "name": "New",
                    "channel_ids": [
                        Command.update(self.other_course.id, {"name": "Hacked"})
                    ],
                }
            )
        self.assertEqual(self.other_course.name, "Crane Basics")

    def test_officer_cannot_link_items(self):
        with self.assertRaises(AccessError):
            self.program.with_user(self.officer).write(
                {"channel_ids": [Command.link(self.other_course.id)]}
            )
        self.assertFalse(self.other_course.certification_program_id)

    def test_manager_links_and_unlinks_courses(self):
        self.program_as_manager.write(
            {
                "channel_ids": [
                    Command.link(self.other_course.id),
                    Command.unlink(self.course.id),
                ]
            }
        )
        self.assertEqual(self.other_course.certification_program_id, self.program)
        self.assertFalse(self.course.certification_program_id)
        self.assertTrue(self.course.exists())
        self.program_as_manager.write({"channel_ids": [Command.set(self.course.ids)]})
        self.assertEqual(self.program.channel_ids, self.course)
        program = (
            self.env["certification.program"]
            .with_user(self.manager)
            .create(
                {"name": "New", "channel_ids": [Command.link(self.other_course.id)]}
            )
        )
        self.assertEqual(self.other_course.certification_program_id, program)


# ------------------------------------------------------------
# 3. Every sudo() is justified
# ------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestUnassign(CertificationCase):
    def _award(self):
        # issued by the system, whoever the test runs as (@users)
        return (
            self.env["certification.award"]
            .sudo()
            ._issue_awards(
                [
                    {
                        "program_id": self.program.id,
                        "partner_id": self.learner.partner_id.id,
                    }
                ]
            )
        )

    def test_officer_unassigns_and_the_certification_keeps_a_note(self):
        """Officers cannot edit certifications, yet unassigning logs a note on
        the certification's chatter, written as the officer."""
        award = self._award()
        award.with_user(self.officer).action_unassign()
        self.assertFalse(award.exists())
        note = self.program.message_ids.filtered(
            lambda m: "Unassigned from" in str(m.body)
        )
        self.assertEqual(len(note), 1)
        self.assertIn(self.learner.partner_id.name, str(note.body))
        self.assertEqual(note.author_id, self.officer.partner_id)

    @users("learner_portal", "learner_internal")
    def test_learner_cannot_unassign(self):
        award = self._award()
        with self.assertRaises(AccessError):
            award.with_user(self.env.user).action_unassign()
        self.assertTrue(award.exists())
        self.assertFalse(
            self.program.message_ids.filtered(lambda m: "Unassigned" in str(m.body))
        )


# ------------------------------------------------------------
# 5. Uploads: proofs of external training, hours
# ------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestProofUploads(CertificationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.training = (
            cls.env["certification.external.training"]
            .with_user(cls.employee_learner)
            .create({"name": "First aid", "date_completed": "2024-05-06"})
        )

    def _attach(self, name, raw, user=None):
        return (
            self.env["ir.attachment"]
            .with_user(user or self.employee_learner)
            .create(
                {
                    "name": name,
                    "raw": raw,
                    "res_model": self.training._name,
                    "res_id": self.training.id,
                }
            )
        )

    def test_html_named_pdf_refused_in_back_office(self):
        with self.assertRaises(ValidationError):
            self.training.write(
                {"attachment_ids": [Command.create({"name": "cert.pdf", "raw": HTML})]}
            )
        with self.assertRaises(ValidationError):
            self._attach("cert.pdf", HTML)

    def test_html_refused_even_for_officers(self):
        with self.assertRaises(ValidationError):
            self._attach("cert.pdf", HTML, user=self.officer)

    def test_renaming_content_after_upload_refused(self):
        attachment = self._attach("cert.pdf", PDF)
        with self.assertRaises(ValidationError):
            attachment.with_user(self.employee_learner).write({"raw": HTML})

    def test_file_over_10_mb_refused(self):
        with self.assertRaises(ValidationError):
            self._attach("big.pdf", PDF + b"0" * (10 * 1024 * 1024))

    def test_linking_an_unreadable_file_refused(self):
        secret = (
            self.env["ir.attachment"]
            .with_user(self.officer)
            .create({"name": "private.pdf", "raw": PDF})
        )
        with self.assertRaises(AccessError):
            self.training.write({"attachment_ids": [Command.link(secret.id)]})

    def test_hours_finite_and_positive(self):
        Training = self.env["certification.external.training"].with_user(
            self.employee_learner
        )
        for hours in (float("nan"), float("inf")):
            with self.subTest(hours=hours), self.assertRaises(ValidationError):
                Training.create(
                    {"name": "Bad", "date_completed": "2024-05-06", "hours": hours}
                )

    def test_pdf_and_images_accepted(self):
        self._attach("cert.pdf", PDF)
        self.training.with_user(self.employee_learner).write(
            {
                "attachment_ids": [Command.create({"name": "cert.png", "raw": PNG})],
                "hours": 7.5,
            }
        )
        self.assertEqual(len(self.training.attachment_ids), 1)
        self.assertEqual(self.training.hours, 7.5)


@tagged("post_install", "-at_install")
class TestPortalProofUploads(HttpCase):
    URL = "/my/certifications/external"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.learner = make_portal_learner(cls.env)

    def _post(self, hours="7", files=None):
        self.authenticate(self.learner.login, self.learner.login)
        data = {
            "name": "First aid",
            "training_type": "workshop",
            "date_completed": "2024-05-06",
            "hours": hours,
            "csrf_token": http.Request.csrf_token(self),
        }
        return self.url_open(self.URL, data=data, files=files, allow_redirects=False)

    def _trainings(self):
        return self.env["certification.external.training"].search(
            [("partner_id", "=", self.learner.partner_id.id)]
        )

    def test_portal_html_named_pdf_refused(self):
        res = self._post(files={"certificate": ("cert.pdf", HTML, "application/pdf")})
        self.assertEqual(res.status_code, 400)
        self.assertIn("must be a PDF file or an image", res.text)
        self.assertFalse(self._trainings())

    def test_portal_nan_hours_refused(self):
        res = self._post(hours="nan")
        self.assertEqual(res.status_code, 400)
        self.assertFalse(self._trainings())

    def test_portal_image_accepted(self):
        res = self._post(files={"certificate": ("scan.png", PNG, "image/png")})
        self.assertEqual(res.status_code, 303)
        self.assertEqual(self._trainings().attachment_ids.raw, PNG)


# ------------------------------------------------------------
# 6. Spreadsheet formulas in the CSV files we write
# ------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestCsvFormulas(CertificationCase):
    def test_failed_rows_file_escapes_formulas(self):
        cells = ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "plain"]
        job = (
            self.env["certification.job"]
            .sudo()
            .create(
                {
                    "name": "Formulas",
                    "job_type": "import",
                    "user_id": self.officer.id,
                    "failed_rows": [[index, cell] for index, cell in enumerate(cells)],
                }
            )
        )
        attachment = job._make_failed_rows_attachment()
        rows = list(csv.reader(io.StringIO(attachment.raw.decode(), newline="")))
        self.assertEqual(
            [reason for _line, reason in rows[1:]],
            ["'=1+2", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx", "plain"],
        )

    def test_csv_safe_cell(self):
        self.assertEqual(csv_safe_cell(False), "")
        self.assertEqual(csv_safe_cell(12), "12")
        self.assertEqual(csv_safe_cell("-3"), "'-3")


# ------------------------------------------------------------
# 11. Company separation
# ------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestCompanySeparation(CertificationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Company B"})
        cls.program_b = make_program(
            cls.env, name="B only", code="BONLY", company_id=cls.company_b.id
        )
        cls.learner_b = make_internal_learner(
            cls.env,
            login="learner_b",
            name="Bea B",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        cls.award_b = cls.env["certification.award"].create(
            {"program_id": cls.program_b.id, "partner_id": cls.learner_b.partner_id.id}
        )
        # an officer of both companies who selected only company A
        cls.officer.company_ids = [Command.link(cls.company_b.id)]
        cls.officer.tz = "UTC"
        cls.officer_a = cls.env(
            user=cls.officer,
            context=dict(cls.env.context, allowed_company_ids=cls.company_a.ids),
        )

    def test_renewals_follow_their_certification_company(self):
        renewal = self.env["certification.renewal"].create(
            {"award_id": self.award_b.id}
        )
        Renewal = self.officer_a["certification.renewal"]
        self.assertNotIn(renewal, Renewal.search([]))
        both = Renewal.with_context(
            allowed_company_ids=(self.company_a + self.company_b).ids
        )
        self.assertIn(renewal, both.search([]))

    def test_reminders_sent_follow_their_certification_company(self):
        reminder = self.env["certification.reminder"].create(
            {"program_id": self.program_b.id, "interval_number": 1}
        )
        sent = self.env["certification.award.reminder.sent"].create(
            {"award_id": self.award_b.id, "reminder_id": reminder.id}
        )
        Sent = self.officer_a["certification.award.reminder.sent"]
        self.assertNotIn(sent, Sent.search([]))

    def test_grant_wizard_ignores_users_of_unselected_companies(self):
        tag = self.env["res.partner.category"].create({"name": "Drivers"})
        gone_b = make_internal_learner(
            self.env,
            login="gone_b",
            name="Gone B",
            company_id=self.company_b.id,
            company_ids=[Command.set(self.company_b.ids)],
        )
        (self.learner_b | gone_b | self.employee_learner).partner_id.category_id = tag
        gone_b.active = False
        wizard = self.officer_a["certification.program.grant"].create(
            {
                "program_id": self.program.id,
                "partner_category_ids": [Command.set(tag.ids)],
                "user_ids": [Command.set(self.learner_b.ids)],
            }
        )
        self.assertEqual(wizard.learner_count, 1)
        self.assertFalse(wizard.blocked_user_ids)
        self.assertNotIn("Gone B", wizard.blocked_summary or "")
        wizard.action_confirm()
        self.assertTrue(
            current_award(self.env, self.program, self.employee_learner.partner_id)
        )
        self.assertFalse(
            current_award(self.env, self.program, self.learner_b.partner_id)
        )

    def test_grant_wizard_refuses_an_item_of_another_certification(self):
        program = make_program(self.env, name="Other A", company_id=self.company_a.id)
        wizard = self.officer_a["certification.program.grant"].create(
            {
                "program_id": program.id,
                "user_ids": [Command.set(self.employee_learner.ids)],
                "association_type": "course",
                "channel_id": self.course.id,
            }
        )
        with self.assertRaises(UserError):
            wizard.action_confirm()

    def test_import_resolves_only_selected_companies(self):
        data = make_csv(
            [
                import_row("learner_b", code="FORK"),
                import_row("learner_internal", code="BONLY"),
            ]
        )
        job = import_as(self.officer_a, data)
        run_jobs(self.env)
        self.assertEqual((job.count_created, job.count_failed), (0, 2))
        self.assertEqual(
            failed_reasons(job),
            ["Unknown user learner_b.", "Unknown certification code BONLY."],
        )

    def test_import_refuses_a_code_matching_several_certifications(self):
        make_program(
            self.env, name="Forklift B", code="FORK", company_id=self.company_b.id
        )
        both = self.officer_a(
            context=dict(
                self.officer_a.context,
                allowed_company_ids=(self.company_a + self.company_b).ids,
            )
        )
        job = import_as(both, make_csv([import_row("learner_internal")]))
        run_jobs(self.env)
        self.assertEqual((job.count_created, job.count_failed), (0, 1))
        self.assertIn("matches several certifications", failed_reasons(job)[0])

    def test_import_job_cannot_link_an_unreadable_certification(self):
        env = self.officer_a(
            context=dict(self.officer_a.context, default_program_id=self.program_b.id)
        )
        with self.assertRaises(AccessError):
            import_as(env, make_csv([import_row("learner_internal")]))

    def test_import_in_selected_company(self):
        job = import_as(self.officer_a, make_csv([import_row("learner_internal")]))
        run_jobs(self.env)
        self.assertEqual(job.count_created, 1)


# ------------------------------------------------------------
# 12. Races: one record and a clear message
# ------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestRaces(CertificationCase):
    """A concurrent transaction is simulated by its effect: the row the other
    transaction inserted is there when the second insert reaches the database
    (the second one read before the first committed)."""

    def test_two_first_awards_at_once(self):
        Award = self.env["certification.award"].with_user(self.officer)
        vals = {"program_id": self.program.id, "partner_id": self.learner.partner_id.id}
        first = Award.create(vals)
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaisesRegex(UserError, "at the same moment"),
        ):
            Award.create(vals)
        self.assertEqual(
            current_award(self.env, self.program, self.learner.partner_id), first
        )

    def test_two_renew_now_at_once(self):
        award = self.env["certification.award"].create(
            {"program_id": self.program.id, "partner_id": self.learner.partner_id.id}
        )
        Renewal = self.env["certification.renewal"]
        Renewal.create({"award_id": award.id, "channel_id": self.course.id})
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaisesRegex(UserError, "started at the same moment"),
        ):
            Renewal.create({"award_id": award.id, "channel_id": self.course.id})
        self.assertEqual(
            Renewal.search_count([("award_id", "=", award.id), ("state", "=", "open")]),
            1,
        )

    def test_code_unique_in_the_database(self):
        make_program(self.env, name="Twin", code="TWIN")
        self.env.flush_all()
        insert = SQL(
            "INSERT INTO certification_program (name, code, validity_number, "
            "validity_unit, renewal_base) "
            "VALUES (%s, 'TWIN', 1, 'years', 'completion')",
            '{"en_US": "Twin 2"}',
        )
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(insert)

    def test_two_creations_of_a_code_give_a_clear_message(self):
        make_program(self.env, name="Twin", code="TWIN")
        with self.assertRaisesRegex(ValidationError, "already used"):
            make_program(self.env, name="Twin 2", code="TWIN")
        program = make_program(self.env, name="Other", code="OTHER")
        with self.assertRaisesRegex(ValidationError, "already used"):
            program.code = "TWIN"

    def test_renew_now_twice_in_a_row_keeps_one_open_renewal(self):
        self.program.allow_retake = True
        award = self.env["certification.award"].create(
            {"program_id": self.program.id, "partner_id": self.learner.partner_id.id}
        )
        award = award.with_user(self.learner)
        award.action_start_renewal(self.course)
        award.action_start_renewal(self.course)
        self.assertEqual(
            self.env["certification.renewal"].search_count(
                [("award_id", "=", award.id), ("state", "=", "open")]
            ),
            1,
        )
