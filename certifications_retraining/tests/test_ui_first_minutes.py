# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import (
    complete_course,
    make_course,
    make_learning_plan,
    make_portal_learner,
    make_program,
)


@tagged("post_install", "-at_install")
class TestFirstMinutesTours(HttpCase):
    browser_size = "1440x900"

    def test_tour_import_check(self):
        program = make_program(self.env, name="Tour Check", code="TOURCHK")
        make_portal_learner(self.env, login="tour_check_learner")
        make_portal_learner(self.env, login="tour_check_other", name="Other Tour")
        awards_before = self.env["certification.award"].search_count([])
        self.start_tour(
            "/odoo", "certifications_retraining_import_check", login="admin"
        )
        job = self.env["certification.job"].search(
            [("name", "ilike", "tour_check_fixed.csv")]
        )
        self.assertEqual((job.job_type, job.state), ("import", "queued"))
        self.assertFalse(
            self.env["certification.job"].search([("job_type", "=", "check")]),
            "small files are checked at once",
        )
        self.assertEqual(
            self.env["certification.award"].search_count([]),
            awards_before,
            "checking wrote no award",
        )
        self.assertTrue(program)

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

    def test_tour_portal_renew_row(self):
        learner = make_portal_learner(self.env, login="tour_row", name="Tour Row")
        program = make_program(
            self.env, name="Tour Row Certification", code="ROW", allow_retake=True
        )
        course = make_course(self.env, name="Tour Row Course")
        course.certification_program_id = program
        complete_course(course, learner)
        self.start_tour(
            "/my", "certifications_retraining_portal_renew_row", login="tour_row"
        )
        renewal = self.env["certification.renewal"].search(
            [("partner_id", "=", learner.partner_id.id)]
        )
        self.assertEqual((renewal.state, renewal.channel_id), ("open", course))
