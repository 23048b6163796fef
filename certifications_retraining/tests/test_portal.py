# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import logging
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlparse

from odoo import fields, http
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import (
    complete_course,
    current_award,
    make_course,
    make_learning_plan,
    make_officer,
    make_portal_learner,
    make_program,
)

_logger = logging.getLogger(__name__)


class PortalCase(HttpCase):
    """A learner holding a certification earned by completing a course."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.officer = make_officer(cls.env)
        cls.learner = make_portal_learner(cls.env, tz="Europe/Brussels")
        cls.other = make_portal_learner(
            cls.env, login="other_portal", name="Otto Other"
        )
        cls.program = make_program(
            cls.env,
            name="Portal Certification",
            code="PORT",
            allow_retake=True,
            description="<p>Handles the portal safely</p>",
        )
        cls.course = make_course(cls.env, name="Portal Course", code="PORT-101")
        cls.course.certification_program_id = cls.program
        complete_course(cls.course, cls.learner)
        cls.award = current_award(cls.env, cls.program, cls.learner.partner_id)
        cls.secret_program = make_program(cls.env, name="Secret Program", code="SEC")
        cls.other_award = cls.env["certification.award"].create(
            {"program_id": cls.secret_program.id, "partner_id": cls.other.partner_id.id}
        )

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _post(self, url, data=None, files=None):
        data = dict(data or {}, csrf_token=http.Request.csrf_token(self))
        return self.url_open(url, data=data, files=files, allow_redirects=False)


@tagged("post_install", "-at_install")
class TestPortalList(PortalCase):
    def test_home_counter_counts_own_current_awards(self):
        self._login(self.learner)
        res = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["certification_count"]}
        )
        self.assertEqual(res["certification_count"], 1)
        self._login(self.officer)
        res = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["certification_count"]}
        )
        self.assertEqual(res["certification_count"], 0, "officers count only theirs")

    def test_list_shows_own_awards_with_status(self):
        self._login(self.learner)
        res = self.url_open("/my/certifications")
        self.assertEqual(res.status_code, 200)
        self.assertIn("Portal Certification", res.text)
        self.assertIn("PORT", res.text)
        self.assertIn("Handles the portal safely", res.text)
        self.assertIn("text-bg-success o_certification_status", res.text)
        self.assertNotIn("Secret Program", res.text)

    def test_list_filters(self):
        expiring = make_program(self.env, name="Expiring Soon Cert")
        expired = make_program(self.env, name="Long Gone Cert")
        now = fields.Datetime.now()
        self.env["certification.award"].create(
            [
                {
                    "program_id": expiring.id,
                    "partner_id": self.learner.partner_id.id,
                    "date_expiry": now + timedelta(days=10),
                },
                {
                    "program_id": expired.id,
                    "partner_id": self.learner.partner_id.id,
                    "date_issued": now - timedelta(days=800),
                    "date_expiry": now - timedelta(days=5),
                },
            ]
        )
        self._login(self.learner)
        body = self.url_open("/my/certifications?filterby=expiring").text
        self.assertIn("Expiring Soon Cert", body)
        self.assertIn("text-bg-warning o_certification_status", body)
        self.assertNotIn("Portal Certification</a>", body)
        self.assertNotIn("Long Gone Cert", body)
        body = self.url_open("/my/certifications?filterby=expired").text
        self.assertIn("Long Gone Cert", body)
        self.assertNotIn("Expiring Soon Cert", body)
        body = self.url_open("/my/certifications?filterby=valid&sortby=name").text
        self.assertIn("Portal Certification", body)
        self.assertIn("Expiring Soon Cert", body)
        self.assertNotIn("Long Gone Cert", body)
        # unknown sort/filter values fall back to the defaults
        res = self.url_open("/my/certifications?filterby=x&sortby=y")
        self.assertEqual(res.status_code, 200)
        self.assertIn("Long Gone Cert", res.text)

    def _count_list_queries(self):
        self.env.flush_all()
        before = self.cr.sql_log_count
        res = self.url_open("/my/certifications?sortby=name")
        self.assertEqual(res.status_code, 200)
        return self.cr.sql_log_count - before, res.text.count("o_certification_row")

    def _give_awards(self, count, start):
        programs = self.env["certification.program"].create(
            [{"name": f"Bulk Cert {start + i:03d}"} for i in range(count)]
        )
        self.env["certification.award"]._issue_awards(
            [
                {"program_id": p.id, "partner_id": self.learner.partner_id.id}
                for p in programs
            ],
            notify=False,
        )

    def test_list_query_count_does_not_grow(self):
        self._give_awards(4, 0)
        self._login(self.learner)
        self._count_list_queries()  # warm the caches
        queries_5, rows_5 = self._count_list_queries()
        self.assertEqual(rows_5, 5)
        self._give_awards(195, 4)
        self._count_list_queries()
        with self.assertQueryCount(queries_5):
            self.url_open("/my/certifications?sortby=name")
        queries_200, rows_200 = self._count_list_queries()
        _logger.info("/my/certifications: %s queries (5 and 200 awards)", queries_200)
        self.assertEqual(rows_200, 80, "one page of the pager")
        self.assertEqual(queries_200, queries_5)


@tagged("post_install", "-at_install")
class TestPortalDetail(PortalCase):
    def test_detail_shows_items_and_links(self):
        self._login(self.learner)
        res = self.url_open(f"/my/certifications/{self.award.id}")
        self.assertEqual(res.status_code, 200)
        self.assertIn("Portal Course", res.text)
        self.assertIn("o_certification_renew", res.text)
        self.assertIn("Your progress on it will be reset.", res.text)
        self.assertIn(
            f"/certifications/verify/{self.award.verification_token}", res.text
        )
        self.assertIn("https://www.linkedin.com/profile/add?", res.text)
        self.assertIn("o_certification_no_history", res.text)

    def test_detail_unusable_item_says_why(self):
        self.program.allow_retake = False
        self._login(self.learner)
        res = self.url_open(f"/my/certifications/{self.award.id}")
        self.assertIn("does not allow retakes", res.text)
        self.assertNotIn("o_certification_renew", res.text)

    @mute_logger("odoo.http")
    def test_detail_foreign_or_missing_award(self):
        self._login(self.learner)
        res = self.url_open(f"/my/certifications/{self.other_award.id}")
        self.assertEqual(res.status_code, 403)
        self.assertNotIn("Secret Program", res.text)
        res = self.url_open("/my/certifications/999999999")
        self.assertEqual(res.status_code, 404)
        res = self.url_open(
            f"/my/certifications/{self.other_award.id}?report_type=pdf&download=true"
        )
        self.assertEqual(res.status_code, 403)

    def test_detail_needs_login(self):
        res = self.url_open(f"/my/certifications/{self.award.id}")
        self.assertIn("/web/login", res.url)

    def test_renew_starts_renewal_and_lands_on_course(self):
        self._login(self.learner)
        res = self._post(
            f"/my/certifications/{self.award.id}/renew",
            {"item": f"slide.channel,{self.course.id}"},
        )
        self.assertEqual(res.status_code, 303)
        location = res.headers["Location"]
        self.assertEqual(
            urlparse(location).path, urlparse(self.course.website_url).path
        )
        renewal = self.env["certification.renewal"].search(
            [("award_id", "=", self.award.id)]
        )
        self.assertEqual(renewal.state, "open")
        self.assertTrue(renewal.is_retake)
        membership = self.course.channel_partner_all_ids.filtered(
            lambda m: m.partner_id == self.learner.partner_id
        )
        self.assertEqual(membership.completion, 0, "progress reset for the retake")

    def test_renew_through_learning_plan_lands_on_first_course(self):
        plan = make_learning_plan(
            self.env,
            make_course(self.env, name="Plan Course A")
            | make_course(self.env, name="Plan Course B"),
            name="Portal Plan",
            certification_program_id=self.program.id,
        )
        first_course = plan.channel_ids[:1]
        self._login(self.learner)
        res = self._post(
            f"/my/certifications/{self.award.id}/renew",
            {"item": f"slide.learning.plan,{plan.id}"},
        )
        self.assertEqual(res.status_code, 303)
        self.assertEqual(
            urlparse(res.headers["Location"]).path,
            urlparse(first_course.website_url).path,
        )
        self.assertEqual(self.award.renewal_ids.learning_plan_id, plan)

    def test_renew_with_model_and_id(self):
        self._login(self.learner)
        res = self._post(
            f"/my/certifications/{self.award.id}/renew",
            {"model": "slide.channel", "id": str(self.course.id)},
        )
        self.assertEqual(res.status_code, 303)
        self.assertTrue(self.award.renewal_ids)

    def test_renew_tampered_item_changes_nothing(self):
        stray = make_course(self.env, name="Unrelated Course")
        self._login(self.learner)
        for item in (
            f"slide.channel,{stray.id}",
            "res.partner,1",
            "slide.channel,abc",
            "",
        ):
            res = self._post(
                f"/my/certifications/{self.award.id}/renew", {"item": item}
            )
            self.assertEqual(res.status_code, 400, item)
            self.assertIn("This item cannot renew this certification.", res.text)
        self.assertFalse(self.award.renewal_ids)
        membership = self.course.channel_partner_ids.filtered(
            lambda m: m.partner_id == self.learner.partner_id
        )
        self.assertEqual(membership.completion, 100)

    def test_renew_unusable_item_gives_reason(self):
        self.program.allow_retake = False
        self._login(self.learner)
        res = self._post(
            f"/my/certifications/{self.award.id}/renew",
            {"item": f"slide.channel,{self.course.id}"},
        )
        self.assertEqual(res.status_code, 400)
        self.assertIn("does not allow retakes", res.text)
        self.assertFalse(self.award.renewal_ids)

    @mute_logger("odoo.http")
    def test_renew_foreign_award_refused(self):
        secret_course = make_course(self.env, name="Secret Course")
        secret_course.certification_program_id = self.secret_program
        self._login(self.learner)
        res = self._post(
            f"/my/certifications/{self.other_award.id}/renew",
            {"item": f"slide.channel,{secret_course.id}"},
        )
        self.assertEqual(res.status_code, 403)
        res = self._post(
            "/my/certifications/999999999/renew",
            {"item": f"slide.channel,{secret_course.id}"},
        )
        self.assertEqual(res.status_code, 404)
        self.assertFalse(self.other_award.renewal_ids)

    def test_renew_without_csrf_refused(self):
        self._login(self.learner)
        with mute_logger("odoo.http"):
            res = self.url_open(
                f"/my/certifications/{self.award.id}/renew",
                data={"item": f"slide.channel,{self.course.id}"},
                allow_redirects=False,
            )
        self.assertEqual(res.status_code, 400)
        self.assertFalse(self.award.renewal_ids)

    def test_history_lists_previous_awards(self):
        old = self.award
        new = (
            self.env["certification.award"]
            .sudo()
            ._issue_awards(
                [
                    {
                        "program_id": self.program.id,
                        "partner_id": self.learner.partner_id.id,
                        "association_type": "manual",
                    }
                ]
            )
        )
        self.assertEqual(new._get_previous_awards(), old)
        self._login(self.learner)
        res = self.url_open(f"/my/certifications/{new.id}")
        self.assertEqual(res.text.count("o_certification_history_row"), 1)
        self.assertIn("Course completion", res.text)
        self.assertIn("(Portal Course)", res.text)


@tagged("post_install", "-at_install")
class TestCertificate(PortalCase):
    def test_certificate_content(self):
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "certifications_retraining.action_report_certification_award",
                self.award.ids,
            )[0]
            .decode()
        )
        self.assertIn("Paula Portal", html)
        self.assertIn("Portal Certification", html)
        self.assertIn("PORT", html)
        self.assertIn(self.award._get_verification_url(), html)
        # the QR code is drawn in the worker (a data URI), not fetched by
        # wkhtmltopdf from another worker
        self.assertRegex(
            html, r'<img class="o_certificate_qr"[^>]* src="data:image/png;base64,'
        )
        self.assertNotIn("/report/barcode", html)
        self.assertIn(self.env.company.name, html)

    def test_certificate_dates_in_learner_timezone(self):
        # 23:30 UTC on Jan 1 is already Jan 2 in Brussels
        award = self.env["certification.award"].create(
            {
                "program_id": self.secret_program.id,
                "partner_id": self.learner.partner_id.id,
                "date_issued": datetime(2024, 1, 1, 23, 30),
            }
        )
        self.assertEqual(
            award._to_learner_date(award.date_issued), datetime(2024, 1, 2).date()
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "certifications_retraining.action_report_certification_award",
                award.ids,
            )[0]
            .decode()
        )
        self.assertIn("01/02/2024", html)

    def test_certificate_in_print_menu(self):
        report = self.env.ref(
            "certifications_retraining.action_report_certification_award"
        )
        self.assertEqual(report.binding_model_id.model, "certification.award")

    def test_certificate_from_portal(self):
        self._login(self.learner)
        res = self.url_open(f"/my/certifications/{self.award.id}?report_type=html")
        self.assertEqual(res.status_code, 200)
        self.assertIn("o_certificate_holder", res.text)
        res = self.url_open(
            f"/my/certifications/{self.award.id}?report_type=pdf&download=true"
        )
        self.assertEqual(res.status_code, 200)
        self.assertIn("attachment", res.headers.get("Content-Disposition", ""))

    def test_linkedin_url(self):
        url = urlparse(self.award._get_linkedin_url())
        params = parse_qs(url.query)
        self.assertEqual(url.netloc, "www.linkedin.com")
        self.assertEqual(params["name"], ["Portal Certification"])
        self.assertEqual(params["organizationName"], [self.env.company.name])
        issued = self.award._to_learner_date(self.award.date_issued)
        expiry = self.award._to_learner_date(self.award.date_expiry)
        self.assertEqual(params["issueYear"], [str(issued.year)])
        self.assertEqual(params["issueMonth"], [str(issued.month)])
        self.assertEqual(params["expirationYear"], [str(expiry.year)])
        self.assertEqual(params["expirationMonth"], [str(expiry.month)])
        self.assertEqual(params["certUrl"], [self.award._get_verification_url()])
        self.assertEqual(params["certId"], [self.award.verification_token])


@tagged("post_install", "-at_install")
class TestVerification(PortalCase):
    def _verify(self, award):
        return self.url_open(f"/certifications/verify/{award.verification_token}")

    def test_verify_valid(self):
        res = self._verify(self.award)
        self.assertEqual(res.status_code, 200)
        self.assertIn(">VALID<", res.text)
        self.assertIn("Paula Portal", res.text)
        self.assertIn("Portal Certification", res.text)
        self.assertIn(self.env.company.name, res.text)
        self.assertNotIn(self.learner.email, res.text)
        self.assertNotIn(self.learner.login, res.text)

    def test_verify_expired(self):
        # past its expiry, before the expiry cron ran, then once it ran
        self.award.sudo().date_expiry = fields.Datetime.now() - timedelta(days=1)
        self.assertEqual(self.award.state, "valid")
        res = self._verify(self.award)
        self.assertIn("EXPIRED", res.text)
        self.assertNotIn(">VALID<", res.text)
        self.award.sudo().state = "expired"
        self.assertIn("EXPIRED", self._verify(self.award).text)

    def test_verify_superseded_by_renewal(self):
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
        self.assertNotEqual(new.verification_token, self.award.verification_token)
        res = self._verify(self.award)
        self.assertIn("SUPERSEDED", res.text)
        self.assertIn("Superseded by a renewal on", res.text)
        self.assertIn("03/04/2030", res.text)
        self.assertIn(">VALID<", self._verify(new).text)

    def test_verify_revoked(self):
        self.award._revoke("Issued by mistake")
        res = self._verify(self.award)
        self.assertIn("REVOKED", res.text)
        self.assertNotIn("Issued by mistake", res.text)

    @mute_logger("odoo.http")
    def test_verify_unknown_token(self):
        token = self.award.verification_token
        for bad in ("nope", token.upper() if token.upper() != token else "x" + token):
            res = self.url_open(f"/certifications/verify/{bad}")
            self.assertEqual(res.status_code, 404)
        self.award.sudo().unlink()
        self.assertEqual(
            self.url_open(f"/certifications/verify/{token}").status_code, 404
        )


@tagged("post_install", "-at_install")
class TestPortalExternalTraining(PortalCase):
    URL = "/my/certifications/external"

    def _form(self, **overrides):
        form = {
            "name": "First aid refresher",
            "training_type": "workshop",
            "provider": "Red Cross",
            "date_completed": "2024-05-06",
            "hours": "7.5",
            "score": "Pass",
            "certification_program_id": str(self.program.id),
        }
        form.update(overrides)
        return form

    def _trainings(self, user):
        return self.env["certification.external.training"].search(
            [("partner_id", "=", user.partner_id.id)]
        )

    def test_submit_external_training(self):
        self._login(self.learner)
        res = self._post(
            self.URL,
            self._form(partner_id=str(self.other.partner_id.id)),
            files={"certificate": ("cert.pdf", b"%PDF-1.4 proof", "application/pdf")},
        )
        self.assertEqual(res.status_code, 303)
        training = self._trainings(self.learner)
        self.assertFalse(self._trainings(self.other), "posted learner id ignored")
        self.assertEqual(training.state, "submitted")
        self.assertEqual(training.name, "First aid refresher")
        self.assertEqual(training.hours, 7.5)
        self.assertEqual(training.certification_program_id, self.program)
        self.assertEqual(training.attachment_ids.name, "cert.pdf")
        self.assertEqual(training.attachment_ids.raw, b"%PDF-1.4 proof")
        res = self.url_open(self.URL)
        self.assertIn("First aid refresher", res.text)
        self.assertIn("Submitted", res.text)

    def test_list_shows_only_own_reports(self):
        self.env["certification.external.training"].create(
            {
                "name": "Someone else's seminar",
                "partner_id": self.other.partner_id.id,
                "date_completed": "2024-01-01",
            }
        )
        self._login(self.learner)
        res = self.url_open(self.URL)
        self.assertEqual(res.status_code, 200)
        self.assertNotIn("Someone else's seminar", res.text)

    def test_bad_input_creates_nothing(self):
        self._login(self.learner)
        cases = {
            "The completion date must be a date": {"date_completed": "06/05/2024"},
            "cannot be in the future": {"date_completed": "2999-01-01"},
            "The hours must be a positive number": {"hours": "-3"},
            "The title is required": {"name": "  "},
            "Choose a valid type": {"training_type": "party"},
            "Choose a certification from the list": {
                "certification_program_id": "999999999"
            },
        }
        for message, override in cases.items():
            res = self._post(self.URL, self._form(**override))
            self.assertEqual(res.status_code, 400, message)
            self.assertIn(message, res.text)
        self.assertEqual(
            self.url_open(self.URL, data={"x": 1}).status_code, 400, "no CSRF token"
        )
        self.assertFalse(self._trainings(self.learner))

    def test_file_too_large_refused(self):
        self._login(self.learner)
        res = self._post(
            self.URL,
            self._form(),
            files={
                "certificate": ("big.pdf", b"0" * (50 * 1024 * 1024), "application/pdf")
            },
        )
        self.assertEqual(res.status_code, 400)
        self.assertIn("The certificate file is too large", res.text)
        self.assertFalse(self._trainings(self.learner))


@tagged("post_install", "-at_install")
class TestCoursePage(PortalCase):
    def test_course_page_shows_certification_and_award(self):
        self._login(self.learner)
        res = self.url_open(self.course.website_url)
        self.assertIn("Earns certification", res.text)
        self.assertIn("valid for 1 year)", res.text)
        self.assertIn(f'href="/my/certifications/{self.award.id}"', res.text)

    def test_course_page_public_visitor(self):
        res = self.url_open(self.course.website_url)
        self.assertEqual(res.status_code, 200)
        self.assertIn("Portal Certification", res.text)
        self.assertNotIn("/my/certifications/", res.text)

    def test_course_page_before_completion(self):
        self._login(self.other)
        res = self.url_open(self.course.website_url)
        self.assertIn("Earns certification", res.text)
        self.assertNotIn("/my/certifications/", res.text)


@tagged("post_install", "-at_install")
class TestPortalTour(PortalCase):
    def test_tour_renew_and_verify(self):
        old = self.award
        self.start_tour(
            "/my", "certifications_retraining_portal_renew", login="learner_portal"
        )
        new = current_award(self.env, self.program, self.learner.partner_id)
        self.assertNotEqual(new, old)
        self.assertEqual(old.state, "archived")
        self.assertEqual(new.previous_award_id, old)
        self.authenticate("learner_portal", "learner_portal")
        res = self.url_open(
            f"/my/certifications/{new.id}?report_type=pdf&download=true"
        )
        self.assertEqual(res.status_code, 200)
        self.start_tour(
            f"/certifications/verify/{new.verification_token}",
            "certifications_retraining_verify",
            login=None,
        )
