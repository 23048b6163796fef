# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The import's dry run in the browser."""

from odoo.tests import HttpCase, tagged

from .common import (
    make_portal_learner,
    make_program,
)


@tagged("post_install", "-at_install")
class TestImportCheckTour(HttpCase):
    """Check a file, fix it, import it: nothing is written by the check."""

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
