# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The PDF certificate."""

import io

from odoo.tests import HttpCase, tagged
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
