# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The Awarded Users list and its Award Users action."""

from lxml import etree

from odoo.tests import Form, tagged

from .common import (
    CertificationCase,
)

CSV = (
    "username,certification_code,certification_issue_date,always_valid,"
    "certification_expire_date,type,code\n"
    "learner_portal,FORK,2024-01-15,1,,manual,\n"
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
class TestAwardedUsersButtons(CertificationCase):
    """Short button labels in the Awarded Users list."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Award = cls.env["certification.award"]
        cls.award = cls.Award._issue_awards(
            [{"program_id": cls.program.id, "partner_id": cls.learner.partner_id.id}]
        )

    def arch(self, model, view_type, xmlid=None):
        view_id = self.env.ref(xmlid).id if xmlid else False
        views = self.env[model].get_views([(view_id, view_type)])
        return etree.fromstring(views["views"][view_type]["arch"])

    def test_awarded_users_short_button_labels(self):
        arch = self.arch(
            "certification.award",
            "list",
            "certifications_retraining.certification_award_view_list",
        )
        labels = [button.get("string") for button in arch.iterfind(".//header/button")]
        self.assertEqual(labels, ["Award", "Import CSV"])
