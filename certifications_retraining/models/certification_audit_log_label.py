# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import datetime

from odoo import api, fields, models
from odoo.tools.misc import format_datetime

LOGGED_DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


class CertificationAuditLog(models.Model):
    """The audit log for humans: field and selection labels, instants in the
    reader's date format and timezone, issue and deletion rows as one line
    per field. Display only: the stored (hashed) columns keep the raw values
    the chain signs, and stay available in exports."""

    _inherit = "certification.audit.log"

    field_label = fields.Char("Field", compute="_compute_display_values")
    old_value_display = fields.Text("Before", compute="_compute_display_values")
    new_value_display = fields.Text("After", compute="_compute_display_values")

    @api.depends("field_name", "old_value", "new_value")
    @api.depends_context("lang", "tz")
    def _compute_display_values(self):
        for row in self:
            row.field_label = row.field_name and row._get_field_label(row.field_name)
            row.old_value_display = row._format_logged_value(row.old_value)
            row.new_value_display = row._format_logged_value(row.new_value)

    def _get_logged_field(self, name):
        """The field whose values a row records (``renewal_ids`` rows record
        the renewals' states)."""
        if name == "renewal_ids":
            return self.env["certification.renewal"]._fields["state"]
        return self.env["certification.award"]._fields.get(name)

    def _get_field_label(self, name):
        field = self.env["certification.award"]._fields.get(name)
        return field._description_string(self.env) if field else name

    def _format_logged_value(self, value):
        """``value`` of this row for a reader; a summary (``name=value; …``,
        written on issue and deletion) becomes one ``Label: value`` line per
        field."""
        if not value:
            return False
        if self.field_name:
            return self._format_field_value(self.field_name, value)
        items = [item.partition("=") for item in value.split("; ")]
        if not all(sep for _name, sep, _raw in items):
            return value
        lines = []
        for name, _sep, raw in items:
            shown = self._format_field_value(name, raw) or ""
            lines.append(f"{self._get_field_label(name)}: {shown}")
        return "\n".join(lines)

    def _format_field_value(self, name, value):
        field = self._get_logged_field(name)
        if not value or field is None:
            return value
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, value)
        if field.type == "boolean":
            return self.env._("Yes") if value == "True" else self.env._("No")
        if field.type == "datetime":
            try:
                instant = datetime.strptime(value, LOGGED_DATETIME_FORMAT)
            except ValueError:
                return value
            # the reader's timezone and the date/time format of their language
            tz = self.env.context.get("tz") or False
            return format_datetime(self.env, instant, tz=tz, dt_format=False)
        return value
