# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The audit log as people read it."""

from datetime import datetime

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .common import AwardViewsCase, make_portal_learner, make_program


@tagged("post_install", "-at_install")
class TestAuditLogRows(AwardViewsCase):
    """Audit log rows say what happened in words."""

    def test_audit_log_rows_for_humans(self):
        self.officer.write({"tz": "America/New_York"})
        Log = self.env["certification.audit.log"].with_user(self.officer)
        issue = Log.search([("award_id", "=", self.award.id), ("action", "=", "issue")])
        self.assertIn("state=valid", issue.new_value, "raw values stay stored")
        lines = issue.new_value_display.splitlines()
        self.assertIn(f"{self.award._fields['state'].string}: Valid", lines)
        self.assertFalse([line for line in lines if "=" in line])
        revoked_on = datetime(2024, 1, 15, 3, 0)
        with freeze_time(revoked_on):
            self.award._revoke("Issued by mistake")
        row = Log.search(
            [("award_id", "=", self.award.id), ("field_name", "=", "revoked_on")]
        )
        self.assertEqual(row.field_label, self.award._fields["revoked_on"].string)
        # 03:00 UTC is the evening before in New York, in the user's format
        lang = self.env["res.lang"]._lang_get(self.officer.lang or "en_US")
        evening = datetime(2024, 1, 14, 22, 0)
        self.assertEqual(
            row.new_value_display,
            evening.strftime(f"{lang.date_format} {lang.time_format}"),
        )
        self.assertEqual(row.new_value, "2024-01-15T03:00:00Z")
        state = Log.search(
            [("award_id", "=", self.award.id), ("field_name", "=", "state")], limit=1
        )
        self.assertEqual(
            (state.field_label, state.old_value_display, state.new_value_display),
            (self.award._fields["state"].string, "Valid", "Archived"),
        )


@tagged("post_install", "-at_install")
class TestAuditLogReadableTour(HttpCase):
    """The audit log is readable in the browser."""

    def test_tour_audit_log_readable(self):
        program = make_program(self.env, name="Tour Readable Certification")
        learner = make_portal_learner(
            self.env, login="tour_readable", name="Tour Readable Learner"
        )
        self.env["certification.award"]._issue_awards(
            [{"program_id": program.id, "partner_id": learner.partner_id.id}]
        )
        self.start_tour(
            "/odoo", "certifications_retraining_audit_readable", login="admin"
        )
