# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import json
from urllib.parse import quote, unquote

from odoo.tests import HttpCase, tagged

from .common import make_officer, make_portal_learner, make_program


@tagged("post_install", "-at_install")
class TestCertificateFilename(HttpCase):
    """The PDF certificate's file is named after the certificate (program and
    learner), from the back office's print menu as from the portal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = make_officer(cls.env, login="certificate_officer")
        cls.learner = make_portal_learner(
            cls.env, login="certificate_learner", name="Cora Certified"
        )
        program = make_program(cls.env, name="Crane Safety", code="CRANE")
        cls.award = cls.env["certification.award"].create(
            {"program_id": program.id, "partner_id": cls.learner.partner_id.id}
        )
        cls.report = cls.env.ref(
            "certifications_retraining.action_report_certification_award"
        )

    def _filename(self, response):
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        disposition = unquote(response.headers["Content-Disposition"])
        self.assertIn("attachment", disposition)
        return disposition

    def test_print_menu_file_named_after_certificate(self):
        self.authenticate(self.officer.login, self.officer.login)
        url = f"/report/pdf/{self.report.report_name}/{self.award.id}"
        data = quote(json.dumps([url, "qweb-pdf"]))
        disposition = self._filename(
            self.url_open(f"/report/download?data={data}&context={{}}")
        )
        self.assertIn("Certificate Crane Safety Cora Certified.pdf", disposition)
        self.assertNotIn("Analysis", disposition)

    def test_portal_file_named_after_certificate(self):
        self.authenticate(self.learner.login, self.learner.login)
        disposition = self._filename(
            self.url_open(
                f"/my/certifications/{self.award.id}?report_type=pdf&download=true"
            )
        )
        self.assertIn("Certificate_Crane_Safety_Cora_Certified.pdf", disposition)
