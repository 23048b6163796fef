# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.tests import HttpCase, tagged

from ..compat import GROUP_USERS, MENU_GROUPS
from .common import complete_course, make_course, make_portal_learner


@tagged("post_install", "-at_install")
class TestBackofficeTour(HttpCase):
    def test_groups_and_menu(self):
        menu = self.env.ref("certifications_retraining.certification_menu_root")
        manager = self.env.ref("certifications_retraining.group_certification_manager")
        officer = self.env.ref("certifications_retraining.group_certification_officer")
        self.assertIn(officer, manager.implied_ids)
        self.assertEqual(menu[MENU_GROUPS], officer)
        self.assertIn(self.env.ref("base.user_admin"), manager[GROUP_USERS])

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
