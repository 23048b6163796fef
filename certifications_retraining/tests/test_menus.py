# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Where the menus are: the import in its list, notifications in Configuration."""

import ast

from .common import (
    CertificationCase,
)

CSV = (
    "username,certification_code,certification_issue_date,always_valid,"
    "certification_expire_date,type,code\n"
    "learner_portal,FORK,2024-01-15,1,,manual,\n"
)


class TestMenus(CertificationCase):
    """The import is no top-level menu; Configuration > Notifications."""

    def _menus(self):
        root = self.env.ref("certifications_retraining.certification_menu_root")
        return self.env["ir.ui.menu"].search([("id", "child_of", root.id)])

    def test_import_not_a_top_level_menu(self):
        root = self.env.ref("certifications_retraining.certification_menu_root")
        import_action = self.env.ref(
            "certifications_retraining.certification_award_import_action"
        )
        self.assertFalse(
            root.child_id.filtered(lambda m: m.action == import_action),
        )

    def test_notifications_menu(self):
        notifications = self.env.ref(
            "certifications_retraining.certification_notification_menu"
        )
        self.assertEqual(
            notifications.parent_id,
            self.env.ref("certifications_retraining.certification_configuration_menu"),
        )
        actions = {
            menu.action.res_model: menu.action for menu in notifications.child_id
        }
        self.assertEqual(set(actions), {"mail.template", "certification.reminder"})
        template_action = actions["mail.template"]
        templates = self.env["mail.template"].search(
            ast.literal_eval(template_action.domain)
        )
        for xmlid in ("issued", "reminder", "expired"):
            self.assertIn(
                self.env.ref(
                    f"certifications_retraining.mail_template_certification_{xmlid}"
                ),
                templates,
            )
