from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestInstall(HttpCase):
    def test_app_menu_for_managers_only(self):
        menu = self.env.ref("certifications_retraining.certification_menu_root")
        manager = self.env.ref("certifications_retraining.group_certification_manager")
        officer = self.env.ref("certifications_retraining.group_certification_officer")
        self.assertIn(officer, manager.implied_ids)
        self.assertEqual(menu.groups_id, officer)
        self.assertIn(self.env.ref("base.user_admin"), manager.users)

    def test_tour_app_menu(self):
        self.start_tour("/odoo", "certifications_retraining_smoke", login="admin")
        self.assertTrue(
            self.env["ir.ui.menu"].search_count([("name", "=", "Certifications")])
        )
