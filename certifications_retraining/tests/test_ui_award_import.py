# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.tests import HttpCase, tagged

from .common import current_award, make_portal_learner, make_program


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
        # the job runs while its form is open: the form follows it without a reload
        self.start_tour(
            f"/odoo/certification.job/{job.id}",
            "certifications_retraining_import_job_done",
            login="admin",
        )
        self.assertEqual(
            (job.state, job.count_created, job.count_failed), ("done", 1, 1)
        )
        self.assertTrue(current_award(self.env, program, learner.partner_id))
