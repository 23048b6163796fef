# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import CertificationCase

ISSUE_DATE = datetime(2024, 1, 10, 12, 0)
EXPIRY = datetime(2025, 1, 10, 12, 0)
NOW = datetime(2024, 6, 1, 9, 0)


@tagged("post_install", "-at_install")
class TestAwardEdit(CertificationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Log = cls.env["certification.audit.log"]
        with freeze_time(ISSUE_DATE):
            cls.award = cls.env["certification.award"]._issue_awards(
                [
                    {
                        "program_id": cls.program.id,
                        "partner_id": cls.learner.partner_id.id,
                    }
                ]
            )

    def open_editor(self, user=None):
        action = self.award.with_user(user or self.officer).action_open_edit_wizard()
        self.assertEqual(action["res_model"], "certification.award.edit")
        return Form(
            self.env["certification.award.edit"]
            .with_user(user or self.officer)
            .with_context(**action["context"])
        )

    def rows_since(self, since):
        return self.Log.search([("id", ">", since)], order="id")

    def test_edit_expiry_with_reason_is_logged(self):
        since = self.Log.search([], limit=1).id
        with freeze_time(NOW):
            form = self.open_editor()
            # a date picker of the learner's calendar
            self.assertEqual(form.date_expiry, self.award.learner_date_expiry)
            form.date_expiry = date(2025, 2, 10)
            form.reason = "Extension granted by the safety board"
            self.assertIn("02/10/2025", form.effect, "effect shown first")
            self.assertEqual(form.new_state, "valid")
            form.save().action_confirm()
        # the learner's local midnight that starts 10 February
        self.assertEqual(self.award.learner_date_expiry, date(2025, 2, 10))
        self.assertEqual(
            self.award.date_expiry,
            self.award.with_user(self.officer)._from_learner_date(date(2025, 2, 10)),
        )
        rows = self.rows_since(since)
        self.assertEqual(
            rows.mapped("field_name"),
            ["date_expiry", "date_grace_end"],
            "the grace end moves with the expiry, logged too",
        )
        rows = rows[0]
        self.assertEqual(
            (rows.action, rows.field_name, rows.reason, rows.user_id),
            (
                "edit",
                "date_expiry",
                "Extension granted by the safety board",
                self.officer,
            ),
        )

    def test_reason_required(self):
        with freeze_time(NOW):
            form = self.open_editor()
            form.date_expiry = (EXPIRY + timedelta(days=1)).date()
            with self.assertRaises(AssertionError):
                form.save()  # reason is required

    def test_expiry_before_issue_refused(self):
        with freeze_time(NOW):
            form = self.open_editor()
            form.date_expiry = (ISSUE_DATE - timedelta(days=1)).date()
            form.reason = "Typo"
            wizard = form.save()
            with self.assertRaises(ValidationError):
                wizard.action_confirm()
        self.assertEqual(self.award.date_expiry, EXPIRY)

    def test_past_expiry_makes_the_award_expire(self):
        since = self.Log.search([], limit=1).id
        with freeze_time(NOW):
            form = self.open_editor()
            form.date_expiry = (NOW - timedelta(days=1)).date()
            form.reason = "Certificate was only valid until May"
            self.assertEqual(form.new_state, "expired", "the effect shows the state")
            form.save().action_confirm()
        self.assertEqual(self.award.state, "expired")
        rows = self.rows_since(since)
        self.assertEqual(
            [(r.field_name, r.action) for r in rows],
            [("date_expiry", "edit"), ("state", "edit"), ("date_grace_end", "edit")],
        )
        self.assertEqual(
            set(rows.mapped("reason")), {"Certificate was only valid until May"}
        )

    def test_expired_award_moved_to_future_is_valid_again(self):
        self.award.write({"state": "expired"})
        with freeze_time(NOW):
            form = self.open_editor()
            form.date_expiry = (NOW + timedelta(days=10)).date()
            form.reason = "Extension"
            form.save().action_confirm()
        self.assertEqual(self.award.state, "valid")

    def test_always_valid_clears_expiry(self):
        with freeze_time(NOW):
            form = self.open_editor()
            form.is_always_valid = True
            form.reason = "Lifetime certification"
            form.save().action_confirm()
        self.assertTrue(self.award.is_always_valid)
        self.assertFalse(self.award.date_expiry)

    def test_one_way_to_revoke(self):
        """The editor only edits: revoking is the award's Revoke button."""
        self.assertNotIn("is_revoke", self.env["certification.award.edit"]._fields)
        since = self.Log.search([], limit=1).id
        with freeze_time(NOW):
            action = self.award.with_user(self.officer).action_revoke()
            form = Form(
                self.env[action["res_model"]]
                .with_user(self.officer)
                .with_context(**action["context"])
            )
            form.reason = "Obtained by fraud"
            form.save().action_confirm()
        self.assertEqual(self.award.state, "archived")
        self.assertEqual(self.award.revoked_on, NOW)
        rows = self.rows_since(since)
        self.assertEqual(set(rows.mapped("action")), {"revoke"})

    def test_direct_edit_from_award_form_is_readonly(self):
        form = Form(self.award.with_user(self.officer))
        for name in (
            "date_issued",
            "date_expiry",
            "is_always_valid",
            "association_type",
        ):
            with self.assertRaises(AssertionError, msg=name):
                setattr(form, name, False)

    def test_learner_cannot_use_the_editor(self):
        with self.assertRaises(AccessError):
            self.award.with_user(self.employee_learner).action_open_edit_wizard()
        with self.assertRaises(AccessError):
            self.env["certification.award.edit"].with_user(
                self.employee_learner
            ).create(
                {
                    "award_id": self.award.id,
                    "date_issued": ISSUE_DATE,
                    "association_type": "manual",
                    "reason": "x",
                }
            )
        self.assertEqual(self.award.date_expiry, EXPIRY)
