# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Where the menus are: one Certifications menu, the import in its list,
notifications in Configuration, jobs in debug mode."""

import ast

from odoo.tests import TransactionCase, tagged

from ..compat import USER_GROUPS
from .common import CertificationCase, make_manager, make_officer

MODULE = "certifications_retraining"


@tagged("post_install", "-at_install")
class TestMenuLayout(TransactionCase):
    """The Certifications app's menu bar: one "Certifications" menu, the
    records learners produce (renewals) next to the awards, Configuration for
    settings only, and the background jobs in debug mode only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.root = cls.env.ref(f"{MODULE}.certification_menu_root")
        cls.configuration = cls.env.ref(f"{MODULE}.certification_configuration_menu")
        cls.manager = make_manager(cls.env, login="menu_manager")
        cls.manager[USER_GROUPS] += cls.env.ref("base.group_no_one")
        cls.officer = make_officer(cls.env, login="menu_officer")

    def _visible(self, user, debug=False):
        """The xmlids of the app's menus that ``user`` sees (with ``debug``
        as the web client's session would set it)."""
        menus = self.env["ir.ui.menu"].with_context(**{"ir.ui.menu.full_list": True})
        app = menus.search([("id", "child_of", self.root.id)])
        visible = app.with_user(user)._visible_menu_ids(debug)
        return set(app.filtered(lambda m: m.id in visible).get_external_id().values())

    def test_certifications_named_once(self):
        menus = self.env["ir.ui.menu"].with_context(**{"ir.ui.menu.full_list": True})
        named = menus.search(
            [("id", "child_of", self.root.id), ("id", "!=", self.root.id)]
        ).filtered(lambda menu: menu.name == "Certifications")
        self.assertEqual(named, self.env.ref(f"{MODULE}.certification_program_menu"))

    def test_renewals_and_jobs_out_of_configuration(self):
        for xmlid in ("certification_renewal_menu", "certification_job_menu"):
            menu = self.env.ref(f"{MODULE}.{xmlid}")
            self.assertEqual(menu.parent_id, self.root, xmlid)
        program_action = self.env.ref(f"{MODULE}.certification_program_action")
        self.assertNotIn(program_action, self.configuration.child_id.mapped("action"))

    def test_jobs_in_debug_mode_only(self):
        job_menu = f"{MODULE}.certification_job_menu"
        self.assertNotIn(job_menu, self._visible(self.manager))
        self.assertIn(job_menu, self._visible(self.manager, debug=True))
        self.assertIn(
            f"{MODULE}.certification_renewal_menu", self._visible(self.officer)
        )
        self.officer[USER_GROUPS] += self.env.ref("base.group_no_one")
        self.assertIn(job_menu, self._visible(self.officer, debug=True))
        self.assertNotIn(job_menu, self._visible(self.officer))


class TestMenuPlaces(CertificationCase):
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
