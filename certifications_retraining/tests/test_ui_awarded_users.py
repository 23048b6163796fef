# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The Awarded Users list in the browser."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import (
    make_course,
    make_learning_plan,
    make_portal_learner,
    make_program,
)


@tagged("post_install", "-at_install")
class TestAwardedUsersTour(HttpCase):
    """Award users from the list, with the certification preselected."""

    browser_size = "1440x900"

    def test_tour_awarded_users(self):
        program = make_program(self.env, name="Tour Awarded Certification")
        course = make_course(self.env, name="Tour Awarded Course")
        course.certification_program_id = program
        plan = make_learning_plan(self.env, course, name="Tour Awarded Plan")
        plan.certification_program_id = program
        learner = make_portal_learner(self.env, login="tour_awarded")
        now = fields.Datetime.now()
        self.env["certification.award"].create(
            {
                "program_id": program.id,
                "partner_id": learner.partner_id.id,
                "date_issued": now - timedelta(days=375),
                "date_expiry": now - timedelta(days=10),
            }
        )
        self.start_tour(
            "/odoo", "certifications_retraining_awarded_users", login="admin"
        )
