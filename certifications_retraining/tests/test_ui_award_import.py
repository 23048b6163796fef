# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.tests import HttpCase, tagged

from .common import current_award, make_portal_learner, make_program
from .test_award_import import run_jobs


@tagged("post_install", "-at_install")
class TestImportTour(HttpCase):
    def test_tour_import_csv(self):
        program = make_program(self.env, name="Tour CSV Certification", code="TOURCSV")
        learner = make_portal_learner(
            self.env, login="tour_csv_learner", name="Tour CSV Learner"
        )
        admin = self.env.ref("base.user_admin")
        self.start_tour("/odoo", "certifications_retraining_import_csv", login="admin")
        job = self.env["certification.job"].search([("name", "ilike", "tour.csv")])
        self.assertEqual((job.state, job.user_id), ("queued", admin))
        run_jobs(self.env)
        self.assertEqual((job.count_created, job.count_failed), (1, 1))
        self.assertTrue(current_award(self.env, program, learner.partner_id))
        self.start_tour(
            f"/odoo/certification.job/{job.id}",
            "certifications_retraining_import_job_done",
            login="admin",
        )
