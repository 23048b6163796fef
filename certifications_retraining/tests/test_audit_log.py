# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64
import itertools
from datetime import datetime, timedelta

import psycopg2
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged, warmup
from odoo.tools import SQL, mute_logger

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import CertificationCase, make_internal_learner, make_portal_learner
from .test_award_import import make_csv, run_jobs

ISSUE_DATE = datetime(2024, 1, 10, 12, 0)
EXPIRY = datetime(2025, 1, 10, 12, 0)


class AuditCase(CertificationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Award = cls.env["certification.award"]
        cls.Log = cls.env["certification.audit.log"]
        cls.partner = cls.learner.partner_id

    def issue(self, partner=None, at=ISSUE_DATE, **vals):
        with freeze_time(at):
            return self.Award._issue_awards(
                [
                    {
                        "program_id": self.program.id,
                        "partner_id": (partner or self.partner).id,
                        **vals,
                    }
                ]
            )

    def new_rows(self, since):
        return self.Log.search([("id", ">", since)], order="id")

    def last_id(self):
        return self.Log.search([], limit=1, order="id desc").id or 0


@tagged("post_install", "-at_install")
class TestAuditLogPaths(AuditCase):
    def test_issue_logs_one_row(self):
        since = self.last_id()
        award = self.issue()
        rows = self.new_rows(since)
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows.action, "issue")
        self.assertEqual(
            (rows.award_id, rows.program_id, rows.partner_id),
            (award.id, self.program.id, self.partner.id),
        )
        self.assertEqual(rows.partner_name, "Paula Portal")
        self.assertEqual(rows.program_name, "Forklift Operator")
        self.assertEqual(rows.user_id, self.env.user)
        self.assertIn("date_expiry=2025-01-10T12:00:00Z", rows.new_value)
        self.assertEqual(rows.award_ref_id, award)
        self.assertEqual(len(rows.hash), 64)

    def test_renewal_logs_archive_and_new_award(self):
        first = self.issue()
        since = self.last_id()
        second = self.issue(at=EXPIRY - timedelta(days=5))
        rows = self.new_rows(since)
        self.assertEqual(
            [
                (r.award_id, r.action, r.field_name, r.old_value, r.new_value)
                for r in rows[:1]
            ],
            [(first.id, "renew", "state", "valid", "archived")],
        )
        self.assertEqual(len(rows), 2)
        self.assertEqual((rows[1].award_id, rows[1].action), (second.id, "renew"))

    def test_write_logs_each_changed_field_with_reason(self):
        award = self.issue()
        since = self.last_id()
        award._write_trusted(
            {"date_expiry": EXPIRY + timedelta(days=30), "association_type": "manual"},
            reason="Data fix, ticket 7",
        )
        rows = self.new_rows(since).filtered(lambda r: r.field_name != "date_grace_end")
        self.assertEqual(len(rows), 1, "association_type did not change")
        self.assertEqual(
            (rows.action, rows.field_name, rows.old_value, rows.new_value, rows.reason),
            (
                "edit",
                "date_expiry",
                "2025-01-10T12:00:00Z",
                "2025-02-09T12:00:00Z",
                "Data fix, ticket 7",
            ),
        )
        since = self.last_id()
        award.write({"access_token": "technical"})
        self.assertFalse(self.new_rows(since), "technical fields are not logged")

    def test_expiry_cron_logs_expire_rows(self):
        other = make_portal_learner(self.env, login="audit_two", name="Audit Two")
        awards = self.issue() | self.issue(partner=other.partner_id)
        since = self.last_id()
        with freeze_time(EXPIRY + timedelta(hours=1)):
            self.Award._cron_process_expiry()
        rows = self.new_rows(since)
        self.assertEqual(len(rows), 2)
        self.assertEqual(set(rows.mapped("action")), {"expire"})
        self.assertEqual(set(rows.mapped("award_id")), set(awards.ids))
        self.assertEqual(set(rows.mapped("new_value")), {"expired"})

    def test_grace_state_logged_as_grace(self):
        award = self.issue()
        since = self.last_id()
        award.write({"state": "grace"})
        self.assertEqual(self.new_rows(since).action, "grace")

    def test_revocation_logged(self):
        award = self.issue()
        since = self.last_id()
        with freeze_time(ISSUE_DATE + timedelta(days=3)):
            award._revoke("Fraud")
        rows = self.new_rows(since)
        self.assertEqual(set(rows.mapped("action")), {"revoke"})
        self.assertEqual(
            sorted(rows.mapped("field_name")), ["revoke_reason", "revoked_on", "state"]
        )
        self.assertEqual(set(rows.mapped("reason")), {"Fraud"}, "the revocation's")

    def test_unassign_logged_and_row_outlives_award(self):
        award = self.issue()
        award_id = award.id
        since = self.last_id()
        award.action_unassign()
        rows = self.new_rows(since)
        self.assertEqual(len(rows), 1)
        self.assertEqual((rows.action, rows.award_id), ("unassign", award_id))
        self.assertEqual(rows.user_id, self.env.user)
        self.assertIn("state=valid", rows.old_value)
        self.assertFalse(rows.award_ref_id, "no longer clickable")
        self.assertEqual(rows.partner_name, "Paula Portal", "names kept")
        self.assertEqual(self.Log.search([("award_id", "=", award_id)]).ids[0], rows.id)
        self.assertFalse(self.Log._verify_chain())

    def test_program_deletion_logged(self):
        award = self.issue()
        since = self.last_id()
        self.program.with_user(self.manager).unlink()
        rows = self.new_rows(since)
        self.assertEqual([(r.action, r.award_id) for r in rows], [("delete", award.id)])
        self.assertEqual(rows.program_name, "Forklift Operator")
        self.assertFalse(rows.program_ref_id)

    def test_csv_import_logs_import_rows_with_line(self):
        since = self.last_id()
        data = make_csv(
            [
                [
                    self.learner.login,
                    "FORK",
                    "2021-11-18",
                    "0",
                    "2030-11-18",
                    "manual",
                    "",
                ]
            ]
        )
        self.officer.tz = "UTC"
        wizard = (
            self.env["certification.award.import"]
            .with_user(self.officer)
            .create({"file": base64.b64encode(data), "filename": "awards.csv"})
        )
        wizard.action_import()
        run_jobs(self.env)
        job = self.env["certification.job"].search([], limit=1, order="id desc")
        rows = self.new_rows(since)
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows.action, "import")
        self.assertEqual(rows.reason, f"CSV import, job {job.id}, line 2")
        self.assertEqual(rows.user_id, self.officer)

    @warmup
    def test_one_create_per_batch(self):
        learners = [
            make_portal_learner(self.env, login=f"audit_b{i}", name=f"B {i}")
            for i in range(5)
        ]
        awards = self.Award.browse()
        for learner in learners:
            awards |= self.issue(partner=learner.partner_id)
        awards.invalidate_recordset()
        since = self.last_id()
        # one lock, one read of the chain's head, one insert, one move of the
        # head, whatever the number of awards
        with self.assertQueryCount(4):
            self.Log._log([{"award_id": a, "action": "fix"} for a in awards.ids])
        self.assertEqual(len(self.new_rows(since)), 5)


@tagged("post_install", "-at_install")
class TestAuditLogTamperProof(AuditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(ISSUE_DATE):
            cls.award = cls.env["certification.award"]._issue_awards(
                [
                    {
                        "program_id": cls.program.id,
                        "partner_id": cls.learner.partner_id.id,
                    }
                ]
            )
        cls.award.write({"date_expiry": EXPIRY + timedelta(days=1)})
        cls.row = cls.env["certification.audit.log"].search(
            [], limit=1, order="id desc"
        )

    def test_chain_verifies(self):
        self.assertGreaterEqual(self.Log.search_count([]), 2)
        self.assertFalse(self.Log._verify_chain())
        rows = self.Log.search([], order="id")
        for previous, row in itertools.pairwise(rows):
            self.assertEqual(row.previous_hash, previous.hash)

    def test_any_text_is_stored_as_hashed(self):
        """Names and reasons go to the database as array literals: quotes,
        backslashes, braces, commas, line breaks, the word NULL and non-Latin
        text come back as written, and the chain still verifies."""
        awkward = 'O\'Brien "Bob" \\ {a,b} NULL\nline 2\t\u00e9\u4e2d\U0001f600'
        self.partner.name = awkward
        since = self.last_id()
        self.award._write_trusted(
            {"date_expiry": EXPIRY + timedelta(days=2)}, reason=awkward
        )
        self.Log.invalidate_model()
        rows = self.new_rows(since)
        self.assertEqual(rows.mapped("field_name"), ["date_expiry", "date_grace_end"])
        for row in rows:
            self.assertEqual((row.partner_name, row.reason), (awkward, awkward))
        self.assertFalse(self.Log._verify_chain())

    def test_orm_write_and_unlink_refused_even_as_superuser(self):
        with self.assertRaises(UserError):
            self.row.sudo().write({"reason": "rewritten"})
        with self.assertRaises(UserError):
            self.row.sudo().unlink()
        with self.assertRaises(UserError):
            self.Log.sudo().create({"action": "fix", "hash": "x", "previous_hash": "y"})

    def test_no_write_access_for_managers(self):
        log = self.row.with_user(self.manager)
        self.assertTrue(log.award_name, "managers read the log")
        for operation in ("write", "unlink", "create"):
            self.assertFalse(log.has_access(operation), operation)

    def test_sql_update_and_delete_refused_by_trigger(self):
        for query in (
            SQL(
                "UPDATE certification_audit_log SET reason = 'x' WHERE id = %s",
                self.row.id,
            ),
            SQL("DELETE FROM certification_audit_log WHERE id = %s", self.row.id),
        ):
            with (
                self.assertRaises(psycopg2.errors.RaiseException),
                mute_logger("odoo.sql_db"),
                self.env.cr.savepoint(),
            ):
                self.env.cr.execute(query)

    def test_tampering_with_trigger_disabled_is_detected(self):
        admin = self.env.ref("base.user_admin").partner_id
        self.env.cr.execute(
            SQL("ALTER TABLE certification_audit_log DISABLE TRIGGER USER")
        )
        self.env.cr.execute(
            SQL(
                "UPDATE certification_audit_log SET new_value = %s WHERE id = %s",
                "2099-01-01T00:00:00Z",
                self.row.id,
            )
        )
        self.env.cr.execute(
            SQL("ALTER TABLE certification_audit_log ENABLE TRIGGER USER")
        )
        self.Log.invalidate_model()
        self.assertEqual(self.Log._verify_chain(), self.row)
        broken = self.Log._cron_verify_chain()
        self.assertEqual(broken, self.row)
        self.assertEqual(
            self.Log.with_user(self.officer).get_chain_broken_row(), self.row.id
        )
        message = self.env["mail.message"].search(
            [("message_type", "=", "user_notification")], limit=1, order="id desc"
        )
        self.assertIn(admin, message.partner_ids)
        self.assertIn(str(self.row.id), str(message.body))

    def test_deleting_the_last_rows_is_detected(self):
        self.env.cr.execute(
            SQL("ALTER TABLE certification_audit_log DISABLE TRIGGER USER")
        )
        self.env.cr.execute(
            SQL("DELETE FROM certification_audit_log WHERE id = %s", self.row.id)
        )
        self.env.cr.execute(
            SQL("ALTER TABLE certification_audit_log ENABLE TRIGGER USER")
        )
        broken = self.Log._verify_chain()
        self.assertTrue(broken, "the head no longer matches the last row")
        self.assertLess(broken.id, self.row.id)

    def test_settings_button_reports_the_result(self):
        action = (
            self.env["res.config.settings"]
            .create({})
            .action_verify_certification_audit_chain()
        )
        self.assertEqual(action["params"]["type"], "success")


@tagged("post_install", "-at_install")
class TestAuditLogAccess(AuditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hr_user = mail_new_test_user(
            cls.env, login="audit_hr", groups="base.group_user,hr.group_hr_user"
        )
        cls.employee = cls.env["hr.employee"].create(
            {"name": "Ivan Internal", "user_id": cls.employee_learner.id}
        )
        with freeze_time(ISSUE_DATE):
            cls.employee_award = cls.env["certification.award"]._issue_awards(
                [
                    {
                        "program_id": cls.program.id,
                        "partner_id": cls.employee_learner.partner_id.id,
                    }
                ]
            )
            cls.portal_award = cls.env["certification.award"]._issue_awards(
                [
                    {
                        "program_id": cls.program.id,
                        "partner_id": cls.learner.partner_id.id,
                    }
                ]
            )
        Log = cls.env["certification.audit.log"]
        cls.employee_row = Log.search([("award_id", "=", cls.employee_award.id)])
        cls.portal_row = Log.search([("award_id", "=", cls.portal_award.id)])

    def test_officer_reads_the_log(self):
        rows = self.Log.with_user(self.officer).search(
            [("award_id", "in", (self.employee_award | self.portal_award).ids)]
        )
        self.assertEqual(rows, self.employee_row | self.portal_row)
        action = self.portal_award.with_user(self.officer).action_open_audit_log()
        self.assertEqual(action["domain"], [("award_id", "=", self.portal_award.id)])
        self.assertEqual(self.portal_award.with_user(self.officer).audit_log_count, 1)

    def test_learners_cannot_read_the_log(self):
        for user in (self.learner, self.employee_learner):
            with self.assertRaises(AccessError):
                self.Log.with_user(user).search([])
            with self.assertRaises(AccessError):
                self.portal_row.with_user(user).read(["reason"])

    def test_hr_user_reads_only_employees_rows(self):
        rows = self.Log.with_user(self.hr_user).search([])
        self.assertIn(self.employee_row, rows)
        self.assertNotIn(self.portal_row, rows, "not an employee")
        with self.assertRaises(AccessError):
            self.portal_row.with_user(self.hr_user).read(["reason"])

    def test_hr_user_of_other_company_reads_nothing(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        self.employee.company_id = other
        since = self.last_id()
        self.employee_award._write_trusted(
            {"date_expiry": EXPIRY + timedelta(days=2)}, reason="x"
        )
        row = self.new_rows(since).filtered(lambda r: r.field_name == "date_expiry")
        self.assertEqual(row.employee_company_id, other)
        self.assertNotIn(row, self.Log.with_user(self.hr_user).search([]))

    def test_learner_cannot_forge_rows(self):
        internal = make_internal_learner(self.env, login="forger", name="Forger")
        with self.assertRaises(AccessError):
            self.Log.with_user(internal).create(
                {"action": "fix", "hash": "x", "previous_hash": "y"}
            )
