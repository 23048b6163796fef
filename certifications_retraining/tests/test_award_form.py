# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The award form for officers and its small view details."""

from lxml import etree

from odoo.tests import tagged

from .common import CertificationCase


@tagged("post_install", "-at_install")
class TestAwardForm(CertificationCase):
    def _arch(self, model, view_type, user=None):
        env = self.env(user=user or self.officer)
        views = env[model].get_views([(False, view_type)])
        return etree.fromstring(views["views"][view_type]["arch"])

    def test_open_badges_internals_on_a_technical_page(self):
        arch = self._arch("certification.award", "form")
        index = arch.xpath("//field[@name='open_badge_status_index']")
        self.assertEqual(len(index), 1)
        self.assertEqual(
            index[0].xpath("ancestor::page/@name"), ["open_badge"], "not the main group"
        )

    def test_learner_shown_once(self):
        arch = self._arch("certification.award", "form")
        learner_group = arch.xpath("//group[@string='Learner']")[0]
        names = learner_group.xpath(".//field/@name")
        self.assertIn("partner_id", names)
        self.assertNotIn("user_id", names, "the user repeats the learner's name")

    def test_revoked_award_says_revoked_on_and_offers_no_edit(self):
        arch = self._arch("certification.award", "form")
        banner = arch.xpath("//div[contains(@class, 'o_certification_award_revoked')]")
        self.assertEqual(len(banner), 1)
        self.assertIn("Revoked on", etree.tostring(banner[0], encoding="unicode"))
        self.assertEqual(banner[0].get("invisible"), "not revoked_on")
        for name in ("action_unassign", "action_open_edit_wizard"):
            buttons = arch.xpath(f"//header/button[@name='{name}']")
            self.assertEqual(len(buttons), 1, name)
            self.assertIn("revoked_on", buttons[0].get("invisible"), name)
        revoke = arch.xpath("//button[@name='action_revoke']")
        self.assertEqual(len(revoke), 1, "one way to revoke")
        editor = self._arch("certification.award.edit", "form")
        self.assertFalse(editor.xpath("//field[@name='is_revoke']"))
        award = self.env["certification.award"]._issue_awards(
            [{"program_id": self.program.id, "partner_id": self.learner.partner_id.id}]
        )
        award.with_user(self.officer)._revoke("Wrong person")
        self.assertEqual(
            award.learner_revoked_on, award._to_learner_date(award.revoked_on)
        )
        self.assertTrue(award.validity_label.startswith("Revoked on "))

    def test_list_has_no_unassign_for_revoked(self):
        arch = self._arch("certification.award", "list")
        for name in ("action_unassign", "action_open_edit_wizard"):
            button = arch.xpath(f"//button[@name='{name}']")[0]
            self.assertEqual(button.get("invisible"), "revoked_on", name)

    def test_external_training_hours_same_widget_in_form_and_list(self):
        for view_type in ("form", "list"):
            arch = self._arch("certification.external.training", view_type)
            hours = arch.xpath("//field[@name='hours']")
            self.assertEqual(hours[0].get("widget"), "float_time", view_type)

    def test_course_sub_list_headers_fit(self):
        arch = self._arch("certification.program", "form", user=self.manager)
        for page in ("courses", "learning_plans"):
            columns = arch.xpath(f"//page[@name='{page}']//list/field")
            for column in columns:
                if column.get("name") in ("name", "code"):
                    continue
                self.assertTrue(column.get("width"), (page, column.get("name")))
                self.assertLessEqual(len(column.get("string") or ""), 14)

    def test_settings_help_counts_grace(self):
        field = self.env["res.config.settings"]._fields[
            "certification_manager_activity"
        ]
        self.assertIn("grace, expired or missing", field.help)
        arch = etree.fromstring(
            self.env.ref("certifications_retraining.res_config_settings_view_form").arch
        )
        setting = arch.xpath("//setting[@id='certification_manager_activity_setting']")
        self.assertIn("grace, expired or missing", setting[0].get("help"))
