# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The Awarded Users list and its Award Users action."""

from odoo.tests import Form, tagged

from .common import (
    AwardViewsCase,
    CertificationCase,
)


class TestAwardedUsersList(CertificationCase):
    """Readable days left; Award Users preselects the certification."""

    def test_list_shows_days_left_and_dates(self):
        arch = self.env["certification.award"].get_views([(False, "list")])["views"][
            "list"
        ]["arch"]
        self.assertIn('name="days_left_label"', arch)
        self.assertIn('name="learner_date_expiry"', arch)  # the learner's date
        self.assertIn("o_certification_award_list", arch)

    def test_award_users_preselects_certification(self):
        # the list's header button calls the method with the list's context
        context = self.program.action_view_awards()["context"]
        awards = self.env["certification.award"].with_user(self.officer)
        action = awards.with_context(**context).action_open_grant_wizard()
        self.assertEqual(action["res_model"], "certification.program.grant")
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.officer)
            .with_context(**action["context"])
        )
        self.assertEqual(wizard.program_id, self.program)

    def test_award_users_from_menu_leaves_certification_empty(self):
        awards = self.env["certification.award"].with_user(self.officer)
        action = awards.action_open_grant_wizard()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.officer)
            .with_context(**action["context"])
        )
        self.assertFalse(wizard.program_id)


@tagged("post_install", "-at_install")
class TestAwardedUsersButtons(AwardViewsCase):
    """Short button labels in the Awarded Users list."""

    def test_awarded_users_short_button_labels(self):
        arch = self.arch(
            "certification.award",
            "list",
            "certifications_retraining.certification_award_view_list",
        )
        labels = [button.get("string") for button in arch.iterfind(".//header/button")]
        self.assertEqual(labels, ["Award", "Import CSV"])
