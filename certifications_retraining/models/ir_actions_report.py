# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models

CERTIFICATE_REPORT = "certifications_retraining.report_certification_award"
CERTIFICATE_LAYOUT = "certifications_retraining.certificate_pdf_layout"


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _get_layout(self):
        """The certificate's pages are laid out by its own minimal layout,
        which links no asset bundle (see ``certificate_pdf_layout``).

        Depends on Odoo's ``ir.actions.report._prepare_html``, which wraps each
        page in the layout this returns (``web.minimal_layout``) before
        wkhtmltopdf prints it. That layout links the report CSS and JS bundles,
        fetched by wkhtmltopdf over HTTP from the server that renders: under
        load, when every worker is rendering a certificate, none is free to
        serve them and all wait for wkhtmltopdf's network timeout (about 60 s).
        Other reports keep Odoo's layout."""
        if self[:1].report_name == CERTIFICATE_REPORT:
            layout = self.env.ref(CERTIFICATE_LAYOUT, raise_if_not_found=False)
            if layout:
                return layout
        return super()._get_layout()
