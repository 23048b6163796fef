# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The PDF certificate."""

import http.server
import io
import threading

from markupsafe import Markup

from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools.pdf import PdfFileReader

from .common import (
    make_portal_learner,
    make_program,
)


@tagged("post_install", "-at_install")
class TestCertificatePdf(HttpCase):
    """A landscape, one-page certificate with the company in the
    body (no reliance on wkhtmltopdf headers). An HttpCase: wkhtmltopdf fetches
    the report's assets from the test server."""

    def test_one_landscape_page(self):
        program = make_program(self.env, name="PDF Certification", code="PDF")
        learner = make_portal_learner(self.env, login="pdf_learner")
        award = self.env["certification.award"].create(
            {"program_id": program.id, "partner_id": learner.partner_id.id}
        )
        report = self.env.ref(
            "certifications_retraining.action_report_certification_award"
        )
        self.assertEqual(report.paperformat_id.orientation, "Landscape")
        html = report._render_qweb_html(report.report_name, award.ids)[0].decode()
        self.assertIn("o_certificate_company", html)
        self.assertIn(award.company_id.name or self.env.company.name, html)
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.report_name, award.ids
        )
        self.assertEqual(kind, "pdf")
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        self.assertEqual(reader.getNumPages(), 1)
        box = reader.getPage(0).mediaBox
        self.assertGreater(float(box.getWidth()), float(box.getHeight()))


@tagged("post_install", "-at_install")
class TestCertificatePdfStored(HttpCase):
    """A certificate is rendered once per printed content: wkhtmltopdf holds a
    worker for a second or more, so the PDF is stored as the award's attachment
    and reloaded (the report's ``attachment_use``), like Odoo's invoices."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        program = make_program(cls.env, name="Stored Certification", code="STO")
        cls.learner = make_portal_learner(cls.env, login="stored_pdf_learner")
        cls.award = cls.env["certification.award"].create(
            {"program_id": program.id, "partner_id": cls.learner.partner_id.id}
        )
        # as the portal renders it (portal.CustomerPortal._show_report)
        cls.report = (
            cls.env["ir.actions.report"]
            .sudo()
            .with_context(force_report_rendering=True)
        )

    def _render(self):
        pdf, kind = self.report._render_qweb_pdf(
            "certifications_retraining.action_report_certification_award",
            self.award.ids,
        )
        self.assertEqual(kind, "pdf")
        return pdf

    def _stored(self):
        return self.env["ir.attachment"].search(
            [
                ("res_model", "=", "certification.award"),
                ("res_id", "=", self.award.id),
                ("mimetype", "=", "application/pdf"),
            ]
        )

    def test_rendered_once_then_reloaded(self):
        first = self._render()
        stored = self._stored()
        self.assertEqual(len(stored), 1)
        self.assertEqual(stored.name, self.award._get_certificate_attachment_name())
        self.assertEqual(stored.raw, first)
        # what is served the second time is the stored file, not a new render
        stored.sudo().raw = first + b"%stored"
        self.assertEqual(self._render(), first + b"%stored")
        self.assertEqual(len(self._stored()), 1)

    def test_printed_change_prints_a_new_certificate(self):
        self._render()
        old_name = self.award._get_certificate_attachment_name()
        self.learner.partner_id.name = "Renamed Learner"
        new_name = self.award._get_certificate_attachment_name()
        self.assertNotEqual(new_name, old_name)
        self.assertIn("Renamed Learner", new_name)
        self._render()
        self.assertEqual(
            sorted(self._stored().mapped("name")), sorted([old_name, new_name])
        )

    def test_name_is_keyed_by_the_database_secret(self):
        # a file attached under a guessed name is never served: the name holds
        # an HMAC of the printed values, keyed by database.secret
        name = self.award._get_certificate_attachment_name()
        self.env["ir.config_parameter"].sudo().set_param(
            "database.secret", "another-secret"
        )
        self.assertNotEqual(self.award._get_certificate_attachment_name(), name)

    def test_forged_file_not_served(self):
        # an officer-made file named like the certificate, with a guessed code
        forged = b"%PDF-1.4 forged certificate"
        self.env["ir.attachment"].create(
            {
                "name": f"{self.award._get_report_base_filename()} 0000.pdf",
                "res_model": "certification.award",
                "res_id": self.award.id,
                "raw": forged,
                "mimetype": "application/pdf",
            }
        )
        self.assertNotEqual(self._render(), forged)


class RecordingHandler(http.server.BaseHTTPRequestHandler):
    """Records each path asked for and answers 404."""

    def do_GET(self):
        self.server.paths.append(self.path)
        self.send_error(404)

    def log_message(self, *args):
        pass


@tagged("post_install", "-at_install")
class TestCertificatePdfFetchesNothing(TransactionCase):
    """wkhtmltopdf prints a certificate without fetching anything from the
    server that renders it (Odoo's page layout links the report CSS and JS
    bundles, fetched over HTTP: under load, a worker waiting for them while
    every other worker renders too waits for wkhtmltopdf's timeout). Proven
    with the report URL on a local HTTP server of the test that records what
    it is asked for."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RecordingHandler)
        cls.server.paths = []
        thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        thread.start()
        cls.addClassCleanup(cls.server.server_close)
        cls.addClassCleanup(cls.server.shutdown)
        cls.url = f"http://127.0.0.1:{cls.server.server_address[1]}"
        cls.env["ir.config_parameter"].sudo().set_param("report.url", cls.url)
        cls.report = cls.env.ref(
            "certifications_retraining.action_report_certification_award"
        ).with_context(force_report_rendering=True)

    def setUp(self):
        super().setUp()
        self.server.paths.clear()

    def test_certificate_prints_without_fetching(self):
        program = make_program(self.env, name="Offline Certification", code="OFF")
        learner = make_portal_learner(self.env, login="offline_pdf_learner")
        award = self.env["certification.award"].create(
            {"program_id": program.id, "partner_id": learner.partner_id.id}
        )
        pdf, kind = self.report._render_qweb_pdf(self.report.report_name, award.ids)
        self.assertEqual(self.server.paths, [])
        self.assertEqual(kind, "pdf")
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        self.assertEqual(reader.getNumPages(), 1)
        self.assertGreater(len(pdf), 1000)

    def test_odoo_layout_fetches_its_bundles(self):
        # the check above sees a fetch: the same page in Odoo's layout asks
        # the report URL for the report bundles
        body = self.env["ir.qweb"]._render(
            "web.minimal_layout",
            {
                "subst": False,
                "body": Markup('<div class="article"><p>Certificate</p></div>'),
                "base_url": self.url,
                "report_xml_id": self.report.xml_id,
            },
        )
        self.report._run_wkhtmltopdf([body])
        self.assertTrue(
            any("/web/assets/" in path for path in self.server.paths), self.server.paths
        )
