# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The learner portal in the browser."""

from odoo.tests import HttpCase, tagged

from .common import (
    complete_course,
    make_course,
    make_portal_learner,
    make_program,
)


@tagged("post_install", "-at_install")
class TestPortalRenewTour(HttpCase):
    """Renew now from a row of the portal list."""

    browser_size = "1440x900"

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
