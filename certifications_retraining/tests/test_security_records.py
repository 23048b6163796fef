# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Trust in the record, tried as the attacker:
each test performs the attack with the user who must not succeed, and checks
that the legitimate path still works."""

from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged, users
from odoo.tools import mute_logger

from .common import complete_course, current_award, make_program
from .test_award_import import ImportCase, make_csv

PDF = b"%PDF-1.4 proof"


class RecordsCase(ImportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Award = cls.env["certification.award"]
        cls.Training = cls.env["certification.external.training"]

    def _training(self, user=None, **vals):
        values = {
            "name": "Forklift workshop",
            "date_completed": date(2021, 1, 10),
            "certification_program_id": self.program.id,
        }
        values.update(vals)
        Training = self.Training.with_user(user) if user else self.Training
        return Training.create(values)

    def _award(self, partner, day, program=None):
        return self.Award._issue_awards(
            [
                {
                    "program_id": (program or self.program).id,
                    "partner_id": partner.id,
                    "date_issued": datetime.combine(day, datetime.min.time()),
                }
            ]
        )

    def _grant(self, users, **vals):
        wizard = (
            self.env["certification.program.grant"]
            .with_user(self.officer)
            .create(
                {"program_id": self.program.id, "user_ids": [Command.set(users.ids)]}
                | vals
            )
        )
        wizard.action_next()
        wizard.action_confirm()
        return wizard

    def _chain(self, award):
        """The history chain from ``award`` back, newest first."""
        return award | award._get_previous_awards()


# ------------------------------------------------------------
# External training cannot be forged
# ------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestExternalTrainingForgery(RecordsCase):
    @users("learner_portal", "learner_internal")
    def test_learner_cannot_create_approved_or_submitted(self):
        for state in ("approved", "submitted"):
            with self.assertRaises(AccessError):
                self._training(self.env.user, state=state)
        learners = (self.learner | self.employee_learner).partner_id
        self.assertFalse(
            self.Training.search(
                [("partner_id", "in", learners.ids), ("state", "!=", "draft")]
            )
        )

    def test_learner_cannot_create_for_another_learner(self):
        with self.assertRaises(AccessError):
            self._training(self.learner, partner_id=self.employee_learner.partner_id.id)

    def test_learner_cannot_write_state(self):
        training = self._training(self.learner)
        for state in ("approved", "submitted"):
            with self.assertRaises(AccessError):
                training.with_user(self.learner).write({"state": state})
        self.assertEqual(training.state, "draft")

    def test_learner_cannot_move_training_to_another_learner(self):
        training = self._training(self.employee_learner)
        with self.assertRaises(AccessError):
            training.with_user(self.employee_learner).write(
                {"partner_id": self.learner.partner_id.id}
            )
        self.assertEqual(training.partner_id, self.employee_learner.partner_id)

    def test_learner_cannot_write_rejection_reason(self):
        training = self._training(self.learner)
        training.with_user(self.learner).action_submit()
        training.with_user(self.officer).action_reject("No proof")
        with self.assertRaises(AccessError):
            training.with_user(self.learner).rejection_reason = False
        self.assertEqual(training.rejection_reason, "No proof")

    def test_portal_learner_cannot_remove_proof_of_submitted(self):
        training = self._training(self.learner)
        proof = self.env["ir.attachment"].create(
            {
                "name": "proof.pdf",
                "raw": PDF,
                "res_model": training._name,
                "res_id": training.id,
            }
        )
        training.with_user(self.officer).attachment_ids = [Command.link(proof.id)]
        training.with_user(self.learner).action_submit()
        # read back as the back office (19.0 no longer lets a portal user read
        # the proofs through the field)
        linked = self.Training.browse(training.id)
        self.assertEqual(linked.attachment_ids, proof, "submitted with its proof")
        with self.assertRaises(UserError):
            training.with_user(self.learner).write(
                {"attachment_ids": [Command.clear()]}
            )
        self.assertEqual(linked.attachment_ids, proof)

    def test_internal_learner_cannot_change_proofs_after_approval(self):
        user = self.employee_learner
        training = self._training(user)
        proof = (
            self.env["ir.attachment"]
            .with_user(user)
            .create(
                {
                    "name": "proof.pdf",
                    "raw": PDF,
                    "res_model": training._name,
                    "res_id": training.id,
                }
            )
        )
        training.with_user(user).attachment_ids = [Command.link(proof.id)]
        training.with_user(user).action_submit()
        training.with_user(self.officer).action_approve()
        Attachment = self.env["ir.attachment"].with_user(user)
        with self.assertRaises(AccessError):
            proof.with_user(user).write({"raw": b"%PDF-1.4 forged"})
        with self.assertRaises(AccessError):
            proof.with_user(user).unlink()
        with self.assertRaises(AccessError):
            Attachment.create(
                {
                    "name": "other.pdf",
                    "raw": PDF,
                    "res_model": training._name,
                    "res_id": training.id,
                }
            )
        with self.assertRaises(UserError):
            training.with_user(user).write(
                {"attachment_ids": [Command.unlink(proof.id)]}
            )
        self.assertEqual(proof.raw, PDF)
        self.assertEqual(training.attachment_ids, proof)

    def test_legitimate_report_edit_submit_approve(self):
        user = self.employee_learner
        training = self._training(user)
        self.assertEqual(training.partner_id, user.partner_id)
        training.with_user(user).write({"hours": 4, "provider": "Red Cross"})
        proof = (
            self.env["ir.attachment"]
            .with_user(user)
            .create(
                {
                    "name": "proof.pdf",
                    "raw": PDF,
                    "res_model": training._name,
                    "res_id": training.id,
                }
            )
        )
        training.with_user(user).attachment_ids = [Command.link(proof.id)]
        proof.with_user(user).write({"name": "certificate.pdf"})  # still a draft
        training.with_user(user).action_submit()
        self.assertEqual(training.state, "submitted")
        # officers still manage the proofs and the record
        training.with_user(self.officer).write({"hours": 5})
        training.with_user(self.officer).action_approve()
        award = current_award(self.env, self.program, user.partner_id)
        self.assertEqual(award.external_training_id, training)
        # a rejected activity is editable again, and resubmitted by the learner
        other = self._training(user, name="Second workshop")
        other.with_user(user).action_submit()
        other.with_user(self.officer).action_reject("Blurry scan")
        other.with_user(user).write({"score": "Pass"})
        other.with_user(user).action_submit()
        self.assertEqual(other.state, "submitted")
        self.assertFalse(other.rejection_reason)

    def test_learner_cannot_reset_to_draft(self):
        training = self._training(self.learner)
        training.with_user(self.learner).action_submit()
        training.with_user(self.officer).action_reject("No")
        with self.assertRaises(AccessError):
            training.with_user(self.learner).action_reset_to_draft()
        training.with_user(self.officer).action_reset_to_draft()
        self.assertEqual(training.state, "draft")

    def test_import_accepts_only_approved_training_of_the_row_learner(self):
        # the other learner's approved activity, and the row learner's draft
        self._training(
            partner_id=self.employee_learner.partner_id.id,
            code="EXT-X",
            state="approved",
        )
        self._training(partner_id=self.learner.partner_id.id, code="EXT-D")
        data = make_csv(
            [
                self._row("learner_portal", type="external_training", code="EXT-X"),
                self._row("learner_internal", type="external_training", code="EXT-D"),
            ]
        )
        job = self._import(data)
        self.assertEqual((job.count_created, job.count_failed), (0, 2))
        failed = self._failed(job)
        self.assertIn("No approved external training EXT-X", failed[2])
        self.assertIn("No approved external training EXT-D", failed[3])
        self.assertFalse(
            self.Award.search([("program_id", "=", self.program.id)]), "nothing forged"
        )
        # legitimate: the learner's own approved activity
        own = self._training(
            partner_id=self.learner.partner_id.id, code="EXT-X", state="approved"
        )
        job = self._import(
            make_csv(
                [self._row("learner_portal", type="external_training", code="EXT-X")]
            )
        )
        self.assertEqual(job.count_created, 1)
        award = current_award(self.env, self.program, self.learner.partner_id)
        self.assertEqual(award.external_training_id, own)

    def test_grant_accepts_only_approved_training_of_its_learner(self):
        submitted = self._training(
            partner_id=self.learner.partner_id.id, state="submitted"
        )
        with self.assertRaises(UserError):
            self._grant(
                self.learner,
                association_type="external_training",
                external_training_id=submitted.id,
            )
        approved = self._training(
            partner_id=self.learner.partner_id.id, state="approved", name="Approved"
        )
        with self.assertRaises(UserError):
            self._grant(
                self.employee_learner,
                association_type="external_training",
                external_training_id=approved.id,
            )
        self.assertFalse(self.Award.search([("program_id", "=", self.program.id)]))
        self._grant(
            self.learner,
            association_type="external_training",
            external_training_id=approved.id,
        )
        award = current_award(self.env, self.program, self.learner.partner_id)
        self.assertEqual(award.external_training_id, approved)

    def test_award_cannot_link_another_learners_training(self):
        training = self._training(
            partner_id=self.employee_learner.partner_id.id, state="approved"
        )
        with self.assertRaises(ValidationError):
            self.Award.with_user(self.officer).create(
                {
                    "program_id": self.program.id,
                    "partner_id": self.learner.partner_id.id,
                    "association_type": "external_training",
                    "external_training_id": training.id,
                }
            )


# ------------------------------------------------------------
# An older record never replaces a newer one
# ------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestOlderRecordFiledAsHistory(RecordsCase):
    def test_import_older_record_filed_as_history(self):
        current = self._award(self.learner.partner_id, date(2024, 6, 1))
        data = make_csv(
            [self._row("learner_portal", certification_issue_date="2021-11-18")]
        )
        job = self._import(data, is_duplicate_renewal=True)
        self.assertEqual(
            (job.count_created, job.count_renewed, job.count_history), (0, 0, 1)
        )
        self.assertIn("filed as history: 1", job._get_summary())
        self.assertNotEqual(current.state, "archived", "the newer award stays current")
        self.assertEqual(
            current_award(self.env, self.program, self.learner.partner_id), current
        )
        history = current.previous_award_id
        self.assertEqual(history.date_issued, datetime(2021, 11, 18))
        self.assertEqual(history.state, "archived")
        self.assertIn("filed in this award's history", current.message_ids[:1].body)
        self.assertEqual(history._get_verification_status(), "superseded")
        report = self.env["certification.award.report"].search(
            [("award_id", "=", history.id)]
        )
        self.assertEqual(report.state, "archived", "history is in the reports")

    def test_history_placed_by_issue_date_in_the_chain(self):
        oldest = self._award(self.learner.partner_id, date(2020, 1, 1))
        newest = self._award(self.learner.partner_id, date(2024, 1, 1))
        self.assertEqual(newest.previous_award_id, oldest)
        data = make_csv(
            [self._row("learner_portal", certification_issue_date="2022-01-01")]
        )
        self._import(data, is_duplicate_renewal=True)
        chain = self._chain(newest)
        self.assertEqual(
            chain.mapped("date_issued"),
            [datetime(2024, 1, 1), datetime(2022, 1, 1), datetime(2020, 1, 1)],
        )
        self.assertNotEqual(newest.state, "archived")

    def test_grant_older_record_filed_as_history(self):
        current = self._award(self.learner.partner_id, date(2025, 1, 1))
        wizard = self._grant(self.learner, date_issued=date(2023, 1, 1))
        self.assertIn("1 filed as history", wizard.summary)
        self.assertEqual(
            current_award(self.env, self.program, self.learner.partner_id), current
        )
        self.assertEqual(current.previous_award_id.date_issued, datetime(2023, 1, 1))
        self.assertEqual(current.previous_award_id.state, "archived")

    def test_newer_record_still_renews(self):
        old = self._award(self.learner.partner_id, date(2020, 1, 1))
        data = make_csv(
            [self._row("learner_portal", certification_issue_date="2021-11-18")]
        )
        job = self._import(data, is_duplicate_renewal=True)
        self.assertEqual((job.count_renewed, job.count_history), (1, 0))
        new = current_award(self.env, self.program, self.learner.partner_id)
        self.assertEqual(new.previous_award_id, old)
        self.assertEqual(old.state, "archived")

    def test_option_off_skips_holder(self):
        current = self._award(self.learner.partner_id, date(2024, 6, 1))
        data = make_csv(
            [self._row("learner_portal", certification_issue_date="2021-11-18")]
        )
        job = self._import(data)
        self.assertEqual((job.count_skipped, job.count_history), (1, 0))
        self.assertEqual(
            self.Award.search([("partner_id", "=", self.learner.partner_id.id)]),
            current,
        )

    def test_rerun_same_file_as_renewal_creates_nothing_twice(self):
        data = make_csv(
            [
                self._row("learner_portal", certification_issue_date="2021-11-18"),
                self._row("learner_internal", certification_issue_date="2021-11-18"),
            ]
        )
        self._import(data, is_duplicate_renewal=True)
        # the learner has a newer award since; the file's record is history now
        newer = self._award(self.learner.partner_id, date(2024, 1, 1))
        count = self.Award.search_count([("program_id", "=", self.program.id)])
        job = self._import(data, is_duplicate_renewal=True)
        self.assertEqual((job.count_created, job.count_renewed), (0, 0))
        self.assertEqual((job.count_history, job.count_skipped), (0, 2))
        self.assertEqual(
            self.Award.search_count([("program_id", "=", self.program.id)]), count
        )
        self.assertNotEqual(newer.state, "archived")


# ------------------------------------------------------------
# No orphaned renewals, explicit revocation
# ------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestNoOrphanedRenewals(RecordsCase):
    def _renewing_award(self):
        """An award of the learner, old enough to be renewed, with an open
        renewal (retake of the course) started by the learner."""
        self.program.allow_retake = True
        complete_course(self.course, self.learner)
        award = current_award(self.env, self.program, self.learner.partner_id)
        award.date_issued = datetime(2024, 1, 1)
        renewal = award.with_user(self.learner).action_start_renewal(self.course)
        return award, renewal

    def test_replacing_award_cancels_its_open_renewal(self):
        award, renewal = self._renewing_award()
        self._grant(self.learner)
        granted = current_award(self.env, self.program, self.learner.partner_id)
        self.assertEqual(granted.previous_award_id, award)
        self.assertEqual(renewal.state, "cancelled")
        # the learner finishes the retake later: nothing "renews" the old award
        complete_course(self.course, self.learner)
        self.assertEqual(
            current_award(self.env, self.program, self.learner.partner_id), granted
        )
        self.assertEqual(granted.state, "valid")
        self.assertEqual(award.next_award_ids, granted)

    def test_renewal_through_the_item_still_completes(self):
        award, renewal = self._renewing_award()
        complete_course(self.course, self.learner)
        new = current_award(self.env, self.program, self.learner.partner_id)
        self.assertEqual(new.previous_award_id, award)
        self.assertEqual(renewal.state, "done")

    def test_one_open_renewal_per_award_in_database(self):
        award, _renewal = self._renewing_award()
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
            ["certification_renewal_open_uniq"],
        )
        self.assertIn("WHERE", self.env.cr.fetchone()[0])
        # the index refuses a second open renewal; the violation is translated
        # into a clear message (races, engineer 10a)
        with self.assertRaises(UserError), mute_logger("odoo.sql_db"):
            self.env["certification.renewal"].create({"award_id": award.id})
        self.assertEqual(
            self.env["certification.renewal"].search_count(
                [("award_id", "=", award.id), ("state", "=", "open")]
            ),
            1,
        )

    def test_officer_cannot_archive_without_successor_or_revocation(self):
        award = self._award(self.learner.partner_id, date(2024, 1, 1))
        with self.assertRaises(UserError):
            award.with_user(self.officer).write({"state": "archived"})
        self.assertNotEqual(award.state, "archived")

    def test_learner_cannot_revoke(self):
        award = self._award(self.employee_learner.partner_id, date(2024, 1, 1))
        with self.assertRaises(AccessError):
            award.with_user(self.employee_learner)._revoke("I want to")
        with self.assertRaises(AccessError):
            award.with_user(self.employee_learner).action_revoke()
        self.assertNotEqual(award.state, "archived")
        self.assertFalse(award.revoked_on)

    def test_officer_revokes_with_confirmed_reason(self):
        award, renewal = self._renewing_award()
        with self.assertRaises(UserError):
            award.with_user(self.officer)._revoke("  ")
        action = award.with_user(self.officer).action_revoke()
        self.assertEqual(action["res_model"], "certification.award.revoke")
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.officer)
            .with_context(**action["context"])
        )
        wizard.reason = "Exam fraud"
        wizard.save().action_confirm()
        self.assertEqual(award.state, "archived")
        self.assertTrue(award.revoked_on)
        self.assertEqual(award.revoke_reason, "Exam fraud")
        self.assertEqual(renewal.state, "cancelled")
        # the note says it, not why: employees read the notes of their awards
        self.assertIn("Certification revoked", award.message_ids[:1].body)
        self.assertNotIn("Exam fraud", award.message_ids[:1].body)
        self.assertEqual(award._get_verification_status(), "revoked")
        with self.assertRaises(UserError):
            award.with_user(self.officer)._revoke("Twice")

    def test_verification_keeps_superseded_and_revoked_apart(self):
        old = self._award(self.learner.partner_id, date(2020, 1, 1))
        new = self._award(self.learner.partner_id, date(2024, 1, 1))
        self.assertEqual(old._get_verification_status(), "superseded")
        new.with_user(self.officer)._revoke("Issued by mistake")
        self.assertEqual(new._get_verification_status(), "revoked")
        self.assertEqual(old._get_verification_status(), "superseded")
        values = new._prepare_verification_values()
        self.assertTrue(values["revoked_on"])
        self.assertNotIn("Issued by mistake", str(values), "the reason stays private")


# ------------------------------------------------------------
# An explicit expiry is never dropped
# ------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestExplicitExpiry(RecordsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.forever = make_program(
            cls.env, name="Conduct", code="COND", validity_number=0
        )

    def test_grant_explicit_expiry_on_never_expiring_certification(self):
        wizard = (
            self.env["certification.program.grant"]
            .with_user(self.officer)
            .create(
                {
                    "program_id": self.forever.id,
                    "user_ids": [Command.set(self.learner.ids)],
                    "date_issued": date(2024, 1, 1),
                    "is_always_valid": False,
                    "date_expiry": date(2027, 1, 1),
                }
            )
        )
        wizard.action_next()
        wizard.action_confirm()
        award = current_award(self.env, self.forever, self.learner.partner_id)
        self.assertEqual(award.date_expiry, datetime(2027, 1, 1))
        self.assertFalse(award.is_always_valid)

    def test_import_explicit_expiry_on_never_expiring_certification(self):
        data = make_csv(
            [
                self._row(
                    "learner_portal",
                    certification_code="COND",
                    certification_expire_date="2030-11-18",
                )
            ]
        )
        self._import(data)
        award = current_award(self.env, self.forever, self.learner.partner_id)
        self.assertEqual(award.date_expiry, datetime(2030, 11, 18))

    def test_form_explicit_expiry_wins(self):
        Award = self.Award.with_user(self.officer)
        award = Award.create(
            {
                "program_id": self.forever.id,
                "partner_id": self.learner.partner_id.id,
                "date_issued": datetime(2024, 1, 1),
                "date_expiry": datetime(2028, 1, 1),
            }
        )
        self.assertEqual(award.date_expiry, datetime(2028, 1, 1))
        always = Award.create(
            {
                "program_id": self.forever.id,
                "partner_id": self.employee_learner.partner_id.id,
                "is_always_valid": True,
            }
        )
        always.write({"date_expiry": datetime(2029, 1, 1)})
        self.assertEqual(always.date_expiry, datetime(2029, 1, 1))
        self.assertFalse(always.is_always_valid, "a date given means it expires")

    def test_explicit_expiry_wins_over_validity(self):
        award = self.Award.with_user(self.officer).create(
            {
                "program_id": self.program.id,
                "partner_id": self.learner.partner_id.id,
                "date_issued": datetime(2024, 1, 1),
                "date_expiry": datetime(2024, 6, 1),
            }
        )
        self.assertEqual(award.date_expiry, datetime(2024, 6, 1))

    def test_always_valid_is_the_only_never(self):
        award = self.Award.with_user(self.officer).create(
            {
                "program_id": self.program.id,
                "partner_id": self.learner.partner_id.id,
                "is_always_valid": True,
                "date_expiry": datetime(2028, 1, 1),
            }
        )
        self.assertFalse(award.date_expiry)
        award.write({"is_always_valid": True, "date_expiry": datetime(2029, 1, 1)})
        self.assertFalse(award.date_expiry)
