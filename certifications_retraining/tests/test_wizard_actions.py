# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Actions opened from wizards."""

from odoo.tests import tagged

from .common import AwardViewsCase


@tagged("post_install", "-at_install")
class TestWizardActions(AwardViewsCase):
    """Actions opened from a wizard do not carry the wizard's id."""

    def test_wizard_actions_drop_the_wizard_id(self):
        """Actions returned by wizards carry no active_id: the web client
        would keep the wizard's id in the URL and a reload would read it as a
        record of the previous action."""
        wizard = self.env["certification.compliance.date"].create({})
        action = wizard.action_open_report()
        self.assertIs(action["context"]["active_id"], False)
        self.assertEqual(action["context"]["active_ids"], [])
        self.assertIn("certification_compliance_date", str(action["context"]))
        job = self.env["certification.job"].create(
            {"job_type": "import", "name": "Import x.csv"}
        )
        job_action = job._get_form_action()
        self.assertEqual(job_action["res_id"], job.id)
        self.assertIs(job_action["context"]["active_id"], False)
