# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Trust boundary of the audit log and of the award history:
each attack is made as the user an RPC caller would be, with the context and
values ``/web/dataset/call_kw`` lets them send, next to the legitimate path."""

from datetime import datetime, timedelta

import psycopg2
from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from ..compat import call_kw
from .common import CertificationCase, enroll, make_portal_learner

ISSUE_DATE = datetime(2024, 1, 10, 12, 0)
EXPIRY = datetime(2025, 1, 10, 12, 0)
# Every context key that once carried authority in the award and audit code.
FORGED_CONTEXT = {
    "certification_archive": True,
    "certification_audit_reason": "Approved by the CEO",
    "certification_audit_action": "fix",
    "certification_audit_import_job": 1,
    "certification_audit_archive_action": "delete",
    "certification_audit_append": True,
    "certification_no_notify": True,
}


class TrustCase(CertificationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Award = cls.env["certification.award"]
        cls.Log = cls.env["certification.audit.log"]

    def issue(self, partner=None, **vals):
        with freeze_time(ISSUE_DATE):
            return self.Award._issue_awards(
                [
                    {
                        "program_id": self.program.id,
                        "partner_id": (partner or self.learner.partner_id).id,
                        **vals,
                    }
                ]
            )

    def last_id(self):
        return self.Log.search([], limit=1, order="id desc").id or 0

    def rows_since(self, since):
        return self.Log.search([("id", ">", since)], order="id")

    def sql(self, query, *args):
        self.env.flush_all()
        self.env.cr.execute(SQL(query, *args))
        self.env.invalidate_all()

    def without_triggers(self, query, *args):
        """Run ``query`` on the log as a database owner who disabled the
        append-only triggers would."""
        self.sql("ALTER TABLE certification_audit_log DISABLE TRIGGER USER")
        self.sql(query, *args)
        self.sql("ALTER TABLE certification_audit_log ENABLE TRIGGER USER")


@tagged("post_install", "-at_install")
class TestAuditLogTrust(TrustCase):
    """The audit log: what it stores comes from trusted code, and rewriting
    or emptying it is refused or detected."""

    def complete_last_lesson(self, learner, context):
        """The learner completes the course, the last lesson through the
        public method with ``context``, as ``call_kw`` would run it."""
        enroll(self.course, learner)
        first, last = self.course.with_user(learner).slide_ids
        first.action_mark_completed()
        last.with_context(**context).action_mark_completed()
        return self.Award.search(
            [("partner_id", "=", learner.partner_id.id), ("state", "=", "valid")]
        )

    def test_learner_context_cannot_poison_the_chain(self):
        """An integer reason in the context once stored '1' and hashed
        1, a false tampering alert from that row on."""
        since = self.last_id()
        award = self.complete_last_lesson(
            self.learner, {"certification_audit_reason": 1}
        )
        self.assertTrue(award, "the learner is certified")
        rows = self.rows_since(since)
        self.assertEqual(rows.mapped("action"), ["issue"])
        self.assertFalse(rows.reason, "no audit metadata from the context")
        self.assertFalse(self.Log._verify_chain())

    def test_learner_context_cannot_write_reason_or_action(self):
        since = self.last_id()
        award = self.complete_last_lesson(self.learner, FORGED_CONTEXT)
        rows = self.rows_since(since)
        self.assertEqual(
            [(r.award_id, r.action, r.reason) for r in rows],
            [(award.id, "issue", False)],
        )
        self.assertFalse(self.Log._verify_chain())

    def test_trusted_reason_is_stored_and_hashed_as_stored(self):
        """Allowed path: a reason given by trusted code (private argument)
        is stored; a non-text value is stored and hashed as its text."""
        award = self.issue()
        since = self.last_id()
        award._write_trusted({"date_expiry": EXPIRY + timedelta(days=3)}, reason="T-9")
        self.Log._log([{"award": award, "action": "fix", "reason": 1}])
        rows = self.rows_since(since)
        self.assertEqual(rows[0].reason, "T-9")
        self.assertEqual(rows[-1].reason, "1")
        self.assertFalse(self.Log._verify_chain())

    def test_action_outside_the_selection_refused(self):
        award = self.issue()
        since = self.last_id()
        with self.assertRaises(ValueError):
            self.Log._log([{"award": award, "action": "approve"}])
        self.assertFalse(self.rows_since(since))
        self.Log._log([{"award": award, "action": "fix"}])
        self.assertEqual(self.rows_since(since).action, "fix")

    def test_rows_are_not_created_through_the_orm_whatever_the_context(self):
        with self.assertRaises(AccessError):
            self.Log.with_user(self.officer).with_context(**FORGED_CONTEXT).create(
                {"action": "issue", "hash": "x", "previous_hash": "y"}
            )
        with self.assertRaises(UserError):
            self.Log.sudo().with_context(**FORGED_CONTEXT).create(
                {"action": "issue", "hash": "x", "previous_hash": "y"}
            )

    def test_truncate_refused(self):
        """TRUNCATE is refused by a trigger, like UPDATE/DELETE."""
        self.issue()
        self.env.flush_all()
        with (
            self.assertRaises(psycopg2.errors.RaiseException),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(SQL("TRUNCATE certification_audit_log"))
        self.assertTrue(self.Log.search_count([]))

    def test_emptied_log_is_a_break(self):
        """Triggers disabled and the log truncated: no row left, but the head
        is not the genesis; the verification says so."""
        self.issue()
        self.assertFalse(self.Log._verify_chain())
        self.without_triggers("TRUNCATE certification_audit_log")
        broken = self.Log._verify_chain()
        self.assertTrue(broken, "an emptied log does not verify")
        self.Log._run_chain_verification()
        self.assertEqual(self.Log.with_user(self.officer).get_chain_broken_row(), 0)

    def test_empty_log_at_genesis_verifies(self):
        """Allowed path: a fresh database (no row, head at the genesis)."""
        self.without_triggers("TRUNCATE certification_audit_log")
        self.sql("DELETE FROM certification_audit_log_chain")
        self.assertFalse(self.Log._verify_chain())
        self.Log._run_chain_verification()
        self.assertIs(self.Log.get_chain_broken_row(), False)
        self.issue()
        self.assertFalse(self.Log._verify_chain())

    def test_company_and_employee_columns_are_hashed(self):
        """The columns the record rules read are in the hash: moving a row to
        another company (to hide it from its readers) breaks the chain."""
        award = self.issue()
        row = self.Log.search([("award_id", "=", award.id)])
        other = self.env["res.company"].create({"name": "Elsewhere"})
        for column in ("company_id", "employee_company_id", "employee_id"):
            with self.subTest(column=column), self.env.cr.savepoint():
                self.without_triggers(
                    "UPDATE certification_audit_log SET %s = %s WHERE id = %s",
                    SQL.identifier(column),
                    other.id,
                    row.id,
                )
                self.assertEqual(self.Log._verify_chain(), row)


@tagged("post_install", "-at_install")
class TestAwardHistoryTrust(TrustCase):
    """The award history: who holds what, revocations and archives change
    only through the trusted doors, and every change is logged."""

    def test_learner_and_certification_of_an_award_never_change(self):
        """Moving an award to another learner (or certification) is
        refused; issue a new one instead."""
        award = self.issue()
        other = make_portal_learner(self.env, login="moved_to", name="Moved To")
        other_program = self.program.copy({"code": "FORK2"})
        since = self.last_id()
        officer_award = award.with_user(self.officer)
        with self.assertRaises(UserError):
            officer_award.write({"partner_id": other.partner_id.id})
        with self.assertRaises(UserError):
            officer_award.write({"partner_id": self.officer.partner_id.id})
        with self.assertRaises(UserError):
            officer_award.write({"program_id": other_program.id})
        self.assertEqual(award.partner_id, self.learner.partner_id)
        self.assertEqual(award.program_id, self.program)
        self.assertFalse(self.rows_since(since))
        # allowed: the same values, and a new award for the other learner
        officer_award.write({"partner_id": award.partner_id.id})
        new = self.issue(partner=other.partner_id)
        self.assertEqual(new.partner_id, other.partner_id)

    def test_every_business_field_change_is_logged(self):
        """Previous award, grace days (and the grace end they move),
        revoke reason, links, external fields: each change is a row."""
        first = self.issue()
        other = make_portal_learner(self.env, login="second", name="Second")
        award = self.issue(partner=other.partner_id)
        since = self.last_id()
        award.with_user(self.officer).write(
            {
                "previous_award_id": first.id,
                "grace_period_days": 30,
                "revoke_reason": "Draft note",
                "external_url": "https://example.com/badge",
                "channel_id": self.course.id,
            }
        )
        rows = self.rows_since(since)
        self.assertEqual(
            set(rows.mapped("field_name")),
            {
                "previous_award_id",
                "grace_period_days",
                "date_grace_end",
                "revoke_reason",
                "external_url",
                "channel_id",
            },
        )
        self.assertEqual(set(rows.mapped("action")), {"edit"})
        self.assertEqual(rows.user_id, self.officer)
        previous = rows.filtered(lambda r: r.field_name == "previous_award_id")
        self.assertEqual(
            (previous.old_value, previous.new_value), (False, str(first.id))
        )

    def test_audited_fields_follow_the_model(self):
        """The audited list is the model's stored fields minus caches and
        mixins: credential fields and the token are in it."""
        audited = set(self.Award._get_audited_fields())
        for name in (
            "open_badge_company_id",
            "open_badge_status_index",
            "verification_token",
            "date_grace_end",
            "grace_period_days",
            "revoked_on",
            "revoke_reason",
            "previous_award_id",
            "state",
            "date_expiry",
        ):
            self.assertIn(name, audited)
        for name in ("write_date", "employee_id", "message_main_attachment_id"):
            self.assertNotIn(name, audited)

    def test_context_does_not_archive_or_revoke(self):
        """``certification_archive`` and friends are ignored: an officer
        cannot archive or revoke outside the doors, whatever the context."""
        award = self.issue()
        forged = award.with_user(self.officer).with_context(**FORGED_CONTEXT)
        with self.assertRaises(UserError):
            forged.write({"state": "archived"})
        with self.assertRaises(UserError):
            forged.write({"revoked_on": fields.Datetime.now()})
        self.assertEqual(award.state, "valid")
        # allowed: Revoke
        award.with_user(self.officer)._revoke("Cheating")
        self.assertEqual(award.state, "archived")
        self.assertTrue(award.revoked_on)

    def test_revoked_award_never_becomes_current(self):
        """Nothing brings a revoked award back, not even a trusted
        restore; an archived award does not become current by a write."""
        award = self.issue()
        award._revoke("Cheating")
        officer_award = award.with_user(self.officer)
        for vals in ({"state": "valid"}, {"revoked_on": False}):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                officer_award.with_context(**FORGED_CONTEXT).write(vals)
        with self.assertRaises(UserError):
            award._write_trusted({"state": "valid"}, restore=True)
        replaced = self.issue(partner=self.employee_learner.partner_id)
        self.issue(partner=self.employee_learner.partner_id, date_issued=EXPIRY)
        self.assertEqual(replaced.state, "archived")
        with self.assertRaises(UserError):
            replaced.with_user(self.officer).write({"state": "valid"})
        self.assertEqual(award.state, "archived")

    def forged_create_values(self):
        """Each server-owned field an officer could send to ``create`` over
        RPC, with the lie it would tell."""
        renewed = self.issue(partner=self.employee_learner.partner_id)
        other_company = self.env["res.company"].create({"name": "Forged Issuer"})
        past = fields.Datetime.to_datetime("2024-01-01 00:00:00")
        return [
            {"state": "archived"},
            {"state": "valid", "date_expiry": past},
            {"state": "expired"},
            {"revoked_on": fields.Datetime.now()},
            {"revoke_reason": "Cheating"},
            {"date_expiry": past, "date_grace_end": datetime(2099, 1, 1)},
            {"grace_period_days": 9999},
            {"previous_award_id": renewed.id},
            {"company_id": other_company.id},
            {"user_id": self.officer.id},
            {"learner_date_expiry": "2099-01-01"},
            {"date_reminders_from": datetime(2099, 1, 1)},
        ]

    def test_officer_create_refuses_server_owned_fields(self):
        """An officer creates an award over RPC
        already archived, revoked, in a false state, with a grace end or a
        renewal link of their choosing: refused, no award, no audit row."""
        Award = self.Award.with_user(self.officer).with_context(**FORGED_CONTEXT)
        base = {
            "program_id": self.program.id,
            "partner_id": self.learner.partner_id.id,
            "date_issued": ISSUE_DATE,
        }
        for forged in self.forged_create_values():
            since = self.last_id()
            with self.subTest(forged=forged), self.assertRaises(AccessError):
                Award.create(dict(base, **forged))
            self.assertFalse(
                self.Award.search(
                    [
                        ("program_id", "=", self.program.id),
                        ("partner_id", "=", self.learner.partner_id.id),
                    ]
                )
            )
            self.assertFalse(self.rows_since(since))
        # allowed: the officer's award with an explicit expiry, its state and
        # grace computed by the server, logged as issued
        since = self.last_id()
        with freeze_time(EXPIRY + timedelta(days=400)):
            award = Award.create(dict(base, date_expiry=EXPIRY))
        self.assertEqual(award.date_expiry, EXPIRY)
        self.assertEqual(award.state, "expired")
        self.assertFalse(award.revoked_on or award.previous_award_id)
        self.assertEqual(award.grace_period_days, self.program.grace_period_days)
        self.assertEqual(self.rows_since(since).mapped("action"), ["issue"])

    def test_officer_cannot_silence_reminders(self):
        """The moment reminders start is the server's: an officer sending it
        in ``write`` over RPC (to silence a learner's reminders) is refused,
        the award unchanged; the officer's expiry edit still works."""
        award = self.issue()
        with self.assertRaises(UserError):
            call_kw(
                self.Award.with_user(self.officer).with_context(**FORGED_CONTEXT),
                "write",
                [award.ids, {"date_reminders_from": "2099-01-01 00:00:00"}],
                {},
            )
        self.assertFalse(award.date_reminders_from)
        self.assertTrue(award.date_next_reminder)
        # allowed: the officer moves the expiry, the reminders follow it
        later = award.date_expiry + timedelta(days=30)
        call_kw(
            self.Award.with_user(self.officer),
            "write",
            [award.ids, {"date_expiry": fields.Datetime.to_string(later)}],
            {},
        )
        self.assertEqual(award.date_expiry, later)
        self.assertFalse(award.date_reminders_from)

    def test_one_door_refuses_revocation_values(self):
        """Even the one door (and the superuser) takes no revocation, grace
        end or state from its callers: it sets them itself, and only Revoke
        revokes."""
        for forged in (
            {"revoked_on": fields.Datetime.now(), "state": "archived"},
            {"revoke_reason": "Cheating"},
            {"date_grace_end": datetime(2099, 1, 1)},
            {"state": "archived"},
            {"state": "valid", "date_expiry": datetime(2020, 1, 1)},
        ):
            with self.subTest(forged=forged), self.assertRaises(AccessError):
                self.issue(**forged)
        self.assertFalse(
            self.Award.search([("partner_id", "=", self.learner.partner_id.id)])
        )

    def test_one_door_files_history_and_revoke_revokes(self):
        """The legitimate paths: the one door files an older record as
        archived history (state and renewal link set by the server), and
        Revoke archives with the instant and the reason."""
        current = self.issue()
        since = self.last_id()
        history = self.issue(date_issued=ISSUE_DATE - timedelta(days=365))
        self.assertEqual(history.state, "archived")
        self.assertFalse(history.revoked_on)
        self.assertEqual(current.previous_award_id, history)
        self.assertEqual(current.state, "valid")
        self.assertIn("issue", self.rows_since(since).mapped("action"))
        since = self.last_id()
        current.with_user(self.officer)._revoke("Issued to the wrong person")
        self.assertEqual(current.state, "archived")
        self.assertTrue(current.revoked_on)
        self.assertEqual(current.revoke_reason, "Issued to the wrong person")
        self.assertEqual(set(self.rows_since(since).mapped("action")), {"revoke"})

    def test_demo_history_and_revocation_come_through_the_doors(self):
        """The demo data files its history through the one door and revokes
        through Revoke (it gives none of those values itself)."""
        revoked = self.env.ref(
            "certifications_retraining.certification_award_lena_conduct_revoked_demo"
        )
        self.assertEqual(revoked.state, "archived")
        self.assertTrue(revoked.revoked_on)
        self.assertEqual(revoked.revoke_reason, "Issued to the wrong person.")
        self.assertIn(
            "revoke", self.Log.search([("award_id", "=", revoked.id)]).mapped("action")
        )
        current = self.env.ref(
            "certifications_retraining.certification_award_omar_fire_demo"
        )
        self.assertEqual(current.previous_award_id.state, "archived")
        self.assertEqual(
            current.previous_award_id.association_type, "external_certification"
        )
        self.assertLess(current.previous_award_id.date_issued, current.date_issued)

    def test_forged_consistency_line_cannot_revive_a_revoked_award(self):
        """An officer forges a fixable line on a revoked award."""
        award = self.issue()
        award._revoke("Cheating")
        Check = self.env["certification.consistency.check"].with_user(self.officer)
        Line = self.env["certification.consistency.check.line"].with_user(self.officer)
        forged = {
            "code": "state_dates_mismatch",
            "message": "x",
            "is_fixable": True,
            "award_ids": [Command.set(award.ids)],
        }
        check = Check.create({"line_ids": [Command.create(forged)]})
        self.assertNotIn(award, check.line_ids.award_ids, "caller's lines ignored")
        with self.assertRaises(AccessError):
            Line.create(dict(forged, check_id=check.id))
        with self.assertRaises(AccessError):
            check.write({"line_ids": [Command.create(forged)]})
        if check.line_ids:
            with self.assertRaises(AccessError):
                check.line_ids[0].write({"award_ids": [Command.set(award.ids)]})
        # even a line of the checker's only fixes what its query finds now
        line = (
            self.env["certification.consistency.check.line"]
            .sudo()
            .create(dict(forged, check_id=check.id))
            .with_user(self.officer)
        )
        line.action_fix()
        self.assertEqual(award.state, "archived")
        self.assertTrue(award.revoked_on)

    def test_checker_still_fixes_what_it_finds(self):
        """Allowed path: a real problem found by the checker is fixed (an
        award issued in 2024 still valid after its expiry: no cron ran)."""
        award = self.issue()
        self.assertEqual(award.state, "valid")
        check = self.env["certification.consistency.check"].with_user(self.officer)
        check = check.create({})
        line = check.line_ids.filtered(lambda l: l.code == "valid_past_expiry")
        self.assertIn(award, line.award_ids)
        line.action_fix()
        self.assertEqual(award.state, "expired")

    def test_editor_from_the_api_keeps_unchanged_fields(self):
        """The editor created over RPC with the award, one changed
        field and a reason (no context defaults) works; its audit row carries
        the editor's action and reason whatever the context says."""
        award = self.issue(association_type="course", channel_id=self.course.id)
        since = self.last_id()
        with freeze_time(ISSUE_DATE + timedelta(days=10)):
            wizard = (
                self.env["certification.award.edit"]
                .with_user(self.officer)
                .with_context(**FORGED_CONTEXT)
                .create(
                    {
                        "award_id": award.id,
                        "date_expiry": (EXPIRY + timedelta(days=7)).date(),
                        "reason": "Board decision 12",
                    }
                )
            )
            self.assertEqual(wizard.association_type, "course")
            self.assertEqual(wizard.date_issued, award.learner_date_issued)
            wizard.action_confirm()
        self.assertEqual(award.learner_date_expiry, (EXPIRY + timedelta(days=7)).date())
        self.assertEqual(award.association_type, "course")
        self.assertEqual(award.date_issued, ISSUE_DATE)
        rows = self.rows_since(since)
        self.assertTrue(rows)
        self.assertEqual(set(rows.mapped("action")), {"edit"})
        self.assertEqual(set(rows.mapped("reason")), {"Board decision 12"})

    def test_learner_cannot_use_the_editor(self):
        award = self.issue()
        with self.assertRaises(AccessError):
            self.env["certification.award.edit"].with_user(self.learner).create(
                {"award_id": award.id, "reason": "mine", "is_always_valid": True}
            ).action_confirm()
        self.assertEqual(award.state, "valid")
