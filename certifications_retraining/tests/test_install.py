# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.tests import HttpCase, tagged

from .. import compat
from ..compat import GROUP_USERS, MENU_GROUPS
from .common import complete_course, make_course, make_portal_learner

MODULE = "certifications_retraining"


@tagged("post_install", "-at_install")
class TestBackofficeTour(HttpCase):
    def test_groups_and_menu(self):
        menu = self.env.ref("certifications_retraining.certification_menu_root")
        manager = self.env.ref("certifications_retraining.group_certification_manager")
        officer = self.env.ref("certifications_retraining.group_certification_officer")
        self.assertIn(officer, manager.implied_ids)
        self.assertEqual(menu[MENU_GROUPS], officer)
        self.assertIn(self.env.ref("base.user_admin"), manager[GROUP_USERS])

    def test_series_data_loaded_as_its_kind(self):
        """The series files (compat.SERIES_DATA_FILES) load like a data file
        (reloaded on update, so kept) and a demo file (noupdate, so an update
        neither reloads nor deletes it)."""
        Data = self.env["ir.model.data"]
        demo = Data.search(
            [("module", "=", MODULE), ("name", "in", ["res_users_lena_demo"])]
        )
        self.assertTrue(demo.noupdate)
        self.assertTrue(self.env.ref(f"{MODULE}.res_users_lena_demo").share)
        widget = Data.search(
            [("module", "=", MODULE), ("name", "=", "asset_reminder_program_field")]
        )
        self.assertFalse(widget.noupdate)
        asset = self.env.ref(f"{MODULE}.asset_reminder_program_field")
        self.assertIn(compat.SERIES, asset.path)

    def test_tour_create_assign_complete_see_award(self):
        course = make_course(self.env, name="Tour Course")
        learner = make_portal_learner(
            self.env, login="tour_learner", name="Tour Learner"
        )
        self.start_tour(
            "/odoo", "certifications_retraining_create_program", login="admin"
        )
        program = self.env["certification.program"].search(
            [("name", "=", "Tour Certification")]
        )
        self.assertEqual(course.certification_program_id, program)
        self.assertEqual((program.validity_number, program.validity_unit), (6, "years"))
        complete_course(course, learner)
        self.assertEqual(program.award_ids.partner_id, learner.partner_id)
        self.start_tour("/odoo", "certifications_retraining_see_award", login="admin")
