# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Items of a certification: the assign wizard and the item buttons."""

from odoo.tests import Form

from .common import (
    CertificationCase,
    make_course,
    make_learning_plan,
    make_program,
)


class TestProgramAssignWizard(CertificationCase):
    """The assign wizard warns only about items that move, by name."""

    def test_no_warning_when_no_item_moves(self):
        free = make_course(self.env, name="Free Course", code="FREE-1")
        wizard = Form(
            self.env["certification.program.assign"].with_context(
                default_program_id=self.program.id
            )
        )
        wizard.channel_ids.add(free)
        self.assertFalse(wizard.reassigned_warning)

    def test_warning_names_the_moving_item(self):
        other = make_program(self.env, name="Other", code="OTH")
        wizard = self.env["certification.program.assign"].create(
            {"program_id": other.id, "channel_ids": [(6, 0, self.course.ids)]}
        )
        self.assertIn(self.course.name, wizard.reassigned_warning)
        self.assertNotIn("[", wizard.reassigned_warning)


class TestProgramItemButtons(CertificationCase):
    """The smart buttons open what they count, learning plans included."""

    def test_buttons_open_courses_and_learning_plans(self):
        plan = make_learning_plan(self.env, self.course, name="Fork Plan")
        plan.certification_program_id = self.program
        self.assertEqual(self.program.item_count, 2)
        self.assertEqual(
            (self.program.channel_count, self.program.learning_plan_count), (1, 1)
        )
        courses = self.env["slide.channel"].search(
            self.program.action_view_items()["domain"]
        )
        plans = self.env["slide.learning.plan"].search(
            self.program.action_view_learning_plans()["domain"]
        )
        self.assertEqual((courses, plans), (self.course, plan))
