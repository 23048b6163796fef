# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from werkzeug.exceptions import Forbidden

from odoo import http
from odoo.http import request

from ..tools.csv_import import SEPARATORS


class CertificationImportController(http.Controller):
    @http.route("/certifications_retraining/import/template", type="http", auth="user")
    def certification_import_template(self, separator=",", **kw):
        """The CSV import template (canonical header, two example rows) in
        the chosen separator, for those who may import."""
        Import = request.env["certification.award.import"]
        if not Import.has_access("create"):
            raise Forbidden()
        separator = separator if separator in SEPARATORS else ","
        content = Import._get_template_csv(separator)
        return request.make_response(
            content.encode(),
            headers=[
                ("Content-Type", "text/csv; charset=utf-8"),
                (
                    "Content-Disposition",
                    'attachment; filename="certification_records_template.csv"',
                ),
            ],
        )
