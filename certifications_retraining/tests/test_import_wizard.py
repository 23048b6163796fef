# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The CSV import wizard's own screens: the preview reads the file."""

import base64

from odoo.tests import tagged

from .common import (
    CertificationCase,
)

CSV = (
    "username,certification_code,certification_issue_date,always_valid,"
    "certification_expire_date,type,code\n"
    "learner_portal,FORK,2024-01-15,1,,manual,\n"
)


@tagged("post_install", "-at_install")
class TestImportWizardPreview(CertificationCase):
    """The preview reads the file, not the size the web client holds."""

    def test_preview_with_bin_size(self):
        wizard = self.env["certification.award.import"].create(
            {"file": base64.b64encode(CSV.encode())}
        )
        wizard.action_next()
        as_client = wizard.with_context(bin_size=True)
        self.assertRegex(str(as_client.file), r"^\d+ bytes$")
        self.assertIn("o_certification_import_preview", as_client.preview)
        self.assertIn("learner_portal", as_client.preview)
        self.assertNotIn("charset", as_client.preview)

    def test_web_read_preview(self):
        wizard = self.env["certification.award.import"].create(
            {"file": base64.b64encode(CSV.encode())}
        )
        wizard.action_next()
        wizard.invalidate_recordset()
        data = wizard.with_context(bin_size=True).web_read({"file": {}, "preview": {}})[
            0
        ]
        self.assertIn("learner_portal", data["preview"])
