# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The reminder rules as the back office shows them."""

from odoo.tests import HttpCase, tagged

from .common import AwardViewsCase, make_program


@tagged("post_install", "-at_install")
class TestReminderViews(AwardViewsCase):
    """Each reminder row shows the template each recipient gets."""

    def test_reminder_rows_show_the_template_each_recipient_gets(self):
        manager_template = self.env.ref(
            "certifications_retraining.mail_template_certification_manager_reminder"
        )
        rules = self.env["certification.reminder"].create(
            [
                {"program_id": self.program.id, "recipient": recipient}
                for recipient in ("learner", "manager", "both")
            ]
        )
        self.assertEqual(
            [rule.manager_template_id for rule in rules],
            [self.env["mail.template"], manager_template, manager_template],
        )
        arch = self.arch(
            "certification.reminder",
            "list",
            "certifications_retraining.certification_reminder_view_list",
        )
        template = arch.find(".//field[@name='template_id']")
        self.assertEqual(template.get("invisible"), "recipient == 'manager'")
        program = arch.find(".//field[@name='program_id']")
        self.assertEqual(program.get("placeholder"), "All new certifications")
        self.assertEqual(program.get("widget"), "certification_reminder_program")


@tagged("post_install", "-at_install")
class TestReminderRulesTour(HttpCase):
    """Editing reminder rules in the browser."""

    def test_tour_reminder_rules(self):
        program = make_program(self.env, name="Tour Rules Certification")
        self.env["certification.reminder"].create(
            {"program_id": program.id, "recipient": "manager", "interval_number": 3}
        )
        self.start_tour(
            "/odoo", "certifications_retraining_reminder_rules", login="admin"
        )
