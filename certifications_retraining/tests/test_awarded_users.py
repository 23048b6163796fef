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
        context = self.program.action_view_awards()["context"]
        # the web client drops default_* keys when a list button opens an action
        kept = {k: v for k, v in context.items() if not k.startswith("default_")}
        wizard = Form(
            self.env["certification.program.grant"]
            .with_user(self.officer)
            .with_context(**kept)
        )
        self.assertEqual(wizard.program_id, self.program)


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
