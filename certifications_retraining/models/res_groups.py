# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models
from odoo.tools.convert import convert_file

from .. import compat


class ResGroups(models.Model):
    _inherit = "res.groups"

    @api.model
    def _certification_load_series_data(self, kind):
        """Load the XML of the running Odoo series (``kind``: "data" or
        "demo"; files in ``compat.SERIES_DATA_FILES``) as Odoo loads a data
        file of that kind. Records loaded this way get their XML ids like any
        data file's: the data file runs again on each update (and its records
        are kept), demo records are ``noupdate`` like any demo data (an update
        neither reloads nor deletes them)."""
        convert_file(
            self.env,
            "certifications_retraining",
            compat.SERIES_DATA_FILES[kind],
            {},
            mode="update",
            noupdate=kind == "demo",
        )
