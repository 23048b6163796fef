# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The portal pages: home icon, Renew now per row, superseded page, banner."""

from datetime import datetime

from odoo.tests import HttpCase, tagged

from .common import (
    complete_course,
    current_award,
    make_course,
    make_learning_plan,
    make_portal_learner,
    make_program,
)


@tagged("post_install", "-at_install")
class TestPortalPages(HttpCase):
    """Portal icon, Renew now per row, the superseded page, the renewal banner."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.learner = make_portal_learner(cls.env, login="fm_learner", name="Fay M")
        cls.program = make_program(
            cls.env, name="FM Certification", code="FM", allow_retake=True
        )
        cls.course = make_course(cls.env, name="FM Course", code="FM-101")
        cls.course.certification_program_id = cls.program
        complete_course(cls.course, cls.learner)
        cls.award = current_award(cls.env, cls.program, cls.learner.partner_id)

    def setUp(self):
        super().setUp()
        self.authenticate("fm_learner", "fm_learner")

    def test_home_icon_is_small(self):
        res = self.url_open("/my/home")
        self.assertIn("portal-certification.svg", res.text)
        svg = self.url_open(
            "/certifications_retraining/static/src/img/portal-certification.svg"
        )
        self.assertIn('width="64"', svg.text)

    def test_renew_now_per_row(self):
        res = self.url_open("/my/certifications")
        self.assertIn("o_certification_renew_row", res.text)
        self.assertIn(f"{self.award.access_url}#renew", res.text)
        self.course.sudo().certification_program_id = False
        res = self.url_open("/my/certifications")
        self.assertNotIn("o_certification_renew_row", res.text, "nothing to renew with")

    def test_superseded_page(self):
        new = (
            self.env["certification.award"]
            .sudo()
            ._issue_awards(
                [
                    {
                        "program_id": self.program.id,
                        "partner_id": self.learner.partner_id.id,
                        "date_issued": datetime(2030, 3, 4, 10, 0),
                    }
                ]
            )
        )
        self.assertEqual(self.award.state, "archived")
        res = self.url_open(f"/my/certifications/{self.award.id}")
        self.assertIn("Replaced by", res.text)
        self.assertIn(f'href="{new.access_url}"', res.text)
        self.assertNotIn("o_certification_download", res.text)
        self.assertNotIn("o_certification_linkedin", res.text)
        current = self.url_open(f"/my/certifications/{new.id}")
        self.assertIn("o_certification_download", current.text)

    def test_renewal_banner_on_course_page(self):
        self.award.sudo().action_start_renewal(self.course.sudo())
        res = self.url_open(self.course.website_url)
        self.assertIn("o_wslides_certification_renewal", res.text)
        self.assertIn(
            "You are renewing FM Certification: complete this course to renew it",
            res.text,
        )

    def test_renewal_banner_for_learning_plan(self):
        plan = make_learning_plan(self.env, self.course, name="FM Plan")
        plan.certification_program_id = self.program
        self.env["certification.renewal"].sudo().create(
            {"award_id": self.award.id, "learning_plan_id": plan.id}
        )
        res = self.url_open(self.course.website_url)
        self.assertIn("complete the learning plan FM Plan to renew it", res.text)

    def test_no_banner_for_someone_elses_renewal(self):
        self.award.sudo().action_start_renewal(self.course.sudo())
        make_portal_learner(self.env, login="fm_other", name="Other Learner")
        self.authenticate("fm_other", "fm_other")
        res = self.url_open(self.course.website_url)
        self.assertEqual(res.status_code, 200)
        self.assertNotIn("o_wslides_certification_renewal", res.text)
        self.assertNotIn("You are renewing", res.text)

    def test_no_banner_without_renewal(self):
        res = self.url_open(self.course.website_url)
        self.assertNotIn("o_wslides_certification_renewal", res.text)
