# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64
import contextlib
import itertools
import re
from urllib.parse import urlencode

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import csv_import
from ..tools.csv_import import CsvFileError, ImportOptions

PREVIEW_ROWS = 5
# files up to this many rows are checked at once, larger ones by a job
CHECK_SYNC_LIMIT = 2000
# what the web client holds for a binary field read with bin_size
SIZE_RE = re.compile(r"^\d+(\.\d+)? ?(bytes|[kKMGT]i?B|[kKMGT]b)$")
IMPORTER = "certification.award.importer"
# the largest file accepted, in MB: a system parameter, 64 MB by default
# (about a million rows; the web client itself refuses uploads over 128 MB)
MAX_SIZE_PARAM = "certifications_retraining.import_max_file_size_mb"
MAX_SIZE_MB = 64


def _as_text(value):
    return value.decode(errors="replace") if isinstance(value, bytes) else value


class CertificationAwardImport(models.TransientModel):
    """Upload a CSV of certification records: the file, its options, the
    column mapping, a preview and a dry run. Importing queues a
    ``certification.job``; the rows are read by ``tools/csv_import.py`` and
    validated and applied by ``certification.award.importer``, in batches,
    through ``certification.award._issue_awards``."""

    _name = "certification.award.import"
    _description = "Import Certification Records"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    file = fields.Binary(required=True, attachment=False)
    filename = fields.Char()
    separator = fields.Selection(
        [(",", "Comma (,)"), (";", "Semicolon (;)"), ("tab", "Tab"), ("|", "Pipe (|)")],
        default=",",
        required=True,
    )
    encoding = fields.Selection(
        [
            ("utf-8", "UTF-8"),
            ("utf-8-sig", "UTF-8 with BOM"),
            ("latin-1", "Latin-1"),
            ("cp1252", "Windows-1252"),
            ("utf-16", "UTF-16"),
        ],
        "Charset",
        default="utf-8",
        required=True,
    )
    is_duplicate_renewal = fields.Boolean(
        "Consider duplicate certifications as certification renewal",
        help="Several rows for the same user and certification: only the last one "
        "is imported. A learner who already holds the certification gets it "
        "renewed (the current award is archived, a new one is issued). When off, "
        "duplicate rows are rejected and learners who already hold the "
        "certification are skipped.",
    )
    step = fields.Selection(
        [("upload", "Upload"), ("mapping", "Mapping")], default="upload"
    )
    column_ids = fields.One2many(
        "certification.award.import.column", "wizard_id", "Columns"
    )
    preview = fields.Html(compute="_compute_preview", sanitize=False)
    template_url = fields.Char(
        "Template", compute="_compute_template_url", help="Download template"
    )
    check_result = fields.Json(
        readonly=True,
        copy=False,
        help="What the import would do, from the last Check file: counts "
        "(created, renewed, history, skipped, failed) and the errors with their "
        "line numbers.",
    )
    check_job_id = fields.Many2one(
        "certification.job", "Background Check", readonly=True, ondelete="set null"
    )
    check_summary = fields.Html(compute="_compute_check_summary", sanitize=False)

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("column_ids.field_name", "file", "separator", "encoding")
    def _compute_preview(self):
        for wizard in self:
            wizard.preview = wizard._render_preview() if wizard.column_ids else False

    @api.depends("separator")
    def _compute_template_url(self):
        for wizard in self:
            wizard.template_url = "/certifications_retraining/import/template?" + (
                urlencode({"separator": wizard.separator or ","})
            )

    @api.depends("check_result", "check_job_id.state", "check_job_id.check_result")
    def _compute_check_summary(self):
        for wizard in self:
            wizard.check_summary = wizard._render_check_summary()

    def _render_check_summary(self):
        """The counts of the last dry run and its first errors, or where the
        background check stands."""
        self.ensure_one()
        job = self.check_job_id
        if job.state == "failed":
            message = _("The background check failed.")
        elif job and job.state != "done":
            message = _(
                "The file is being checked in the background (%(done)s / %(total)s "
                "rows).",
                done=job.progress_done,
                total=job.progress_total,
            )
        else:
            result = job.check_result if job else self.check_result
            return self.env[IMPORTER]._render_check_result(result)
        return self.env["ir.qweb"]._render(
            "certifications_retraining.certification_award_import_checking",
            {
                "kind": "danger" if job.state == "failed" else "info",
                "message": message,
                "url": job._get_form_url(),
                "job_name": job.name,
            },
        )

    def _render_preview(self):
        """The first rows as they will be read: one column per mapped field."""
        self.ensure_one()
        columns = self.column_ids.filtered("field_name").sorted("index")
        values = {"error": False, "headers": columns.mapped("field_name"), "rows": []}
        try:
            _header, rows = self._read_head(PREVIEW_ROWS)
        except UserError as error:
            values["error"] = error.args[0]
        else:
            values["rows"] = [
                [row[c.index] if c.index < len(row) else "" for c in columns]
                for row in rows
            ]
        return self.env["ir.qweb"]._render(
            "certifications_retraining.certification_award_import_preview", values
        )

    # ------------------------------------------------------------
    # FILE READING
    # ------------------------------------------------------------

    def _get_data(self):
        """The uploaded file's bytes. The web client reads binary fields with
        ``bin_size``: the field then holds the size ("1234 bytes"), never the
        file, so the file is always read without it, from the database once
        the wizard is saved."""
        self.ensure_one()
        value = self.with_context(bin_size=False, bin_size_file=False).file
        if (not value or SIZE_RE.match(_as_text(value))) and self._origin.id:
            value = self._origin.with_context(bin_size=False, bin_size_file=False).file
        if not value or SIZE_RE.match(_as_text(value)):
            raise UserError(_("Upload a CSV file first."))
        self._check_file_size(len(value) * 3 // 4)
        return base64.b64decode(value)

    def _check_file_size(self, size):
        """Refuse a file over the size limit before any of it is decoded or
        read (``size``: bytes, estimated from the base64 length)."""
        limit = self._get_max_file_size_mb()
        if size > limit * 1024 * 1024:
            raise UserError(
                _(
                    "The file is %(size)s MB, more than the %(limit)s MB an import "
                    "accepts: split it into several files.",
                    size=round(size / 1024 / 1024, 1),
                    limit=limit,
                )
            )

    @api.model
    def _get_max_file_size_mb(self):
        # sudo: a system parameter, read by every importer; only its value is used
        value = self.env["ir.config_parameter"].sudo().get_param(MAX_SIZE_PARAM)
        try:
            return max(1, int(value)) if value else MAX_SIZE_MB
        except ValueError:
            return MAX_SIZE_MB

    def _read_header(self, data):
        """The file's header; a file that cannot be read is the user's error."""
        self.ensure_one()
        with self._file_errors():
            return csv_import.read_header(data, self.separator, self.encoding)

    def _read_head(self, count):
        data = self._get_data()
        header = self._read_header(data)
        with self._file_errors():
            rows = itertools.islice(
                csv_import.iter_rows(data, self.separator, self.encoding), count
            )
            return header, [cells for _line, cells in rows]

    @contextlib.contextmanager
    def _file_errors(self):
        """A file that cannot be read is the user's error, in their language."""
        try:
            yield
        except CsvFileError as error:
            raise UserError(self.env._(error.problem.message)) from error

    def _get_mapping(self, header):
        self.ensure_one()
        if not self.column_ids:
            return csv_import.default_mapping(header)
        return {c.index: c.field_name for c in self.column_ids if c.field_name}

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_next(self):
        """Upload -> mapping: one line per file column, canonical headers
        pre-mapped, and a preview of the first rows."""
        self.ensure_one()
        header = self._read_header(self._get_data())
        mapping = csv_import.default_mapping(header)
        self.column_ids = [fields.Command.clear()] + [
            fields.Command.create(
                {"index": index, "name": name, "field_name": mapping.get(index)}
            )
            for index, name in enumerate(header)
        ]
        self.step = "mapping"
        return self._reopen()

    def action_back(self):
        self.ensure_one()
        self.write(
            {
                "step": "upload",
                "column_ids": [fields.Command.clear()],
                "check_result": False,
                "check_job_id": False,
            }
        )
        return self._reopen()

    def action_check(self):
        """Dry run: validate every row the way the import will (same code
        path), without writing anything, and keep what the import would do
        in ``check_result``. Files of more than 2,000 rows are checked by a
        background job of type ``check``."""
        self.ensure_one()
        data = self._get_data()
        payload = self._prepare_payload(data)
        total = payload.pop("total")
        if total > CHECK_SYNC_LIMIT:
            job = self._create_job(data, payload, total, "check")
            self.write({"check_job_id": job.id, "check_result": False})
            return self._reopen()
        with self._file_errors():
            records = list(csv_import.iter_rows(data, self.separator, self.encoding))
        result = self.env[IMPORTER]._check_rows(
            records, ImportOptions.from_payload(payload)
        )
        self.write({"check_result": result, "check_job_id": False})
        return self._reopen()

    @api.model
    def _get_template_csv(self, separator=","):
        """The import template: the canonical header and two example rows (an
        expiring and an always-valid one), in ``separator``."""
        return csv_import.template_csv(separator)

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": _("Import certification records via CSV"),
        }

    def action_import(self):
        """Queue the import job. With canonical headers no mapping step is
        needed, so this is callable from code as well as from the wizard."""
        self.ensure_one()
        return self._queue_job()._get_form_action()

    def _queue_job(self):
        self.ensure_one()
        data = self._get_data()
        payload = self._prepare_payload(data)
        total = payload.pop("total")
        return self._create_job(data, payload, total, "import")

    def _prepare_payload(self, data):
        """What a batch needs to read and validate the file, shared by the
        import and its dry run (``total``: the number of rows, to pop)."""
        self.ensure_one()
        header = self._read_header(data)
        mapping = self._get_mapping(header)
        with self._file_errors():
            csv_import.check_mapping(mapping)
            total, duplicates = csv_import.find_duplicates(
                data, mapping, self.separator, self.encoding
            )
        options = ImportOptions(
            mapping=mapping,
            tz=self.env.user.tz or "UTC",
            is_duplicate_renewal=self.is_duplicate_renewal,
            duplicates=duplicates,
            separator=self.separator,
            encoding=self.encoding,
        )
        return dict(
            options.to_payload(),
            header=csv_import.strip_failed_columns(header),
            total=total,
        )

    def _create_job(self, data, payload, total, job_type):
        filename = self.filename or "import.csv"
        program = self.env["certification.program"].browse(
            self.env.context.get("default_program_id")
        )
        program.check_access("read")  # the job only links a readable certification
        # read by the job only: never copied into the search index
        attachment = self.env["ir.attachment"]._create_unindexed(
            {"name": filename, "raw": data, "mimetype": "text/csv"}
        )
        name = (
            _("Check %(file)s", file=filename)
            if job_type == "check"
            else _("Import %(file)s", file=filename)
        )
        job = self.env["certification.job"]._create_for_requester(
            {
                "name": name,
                "job_type": job_type,
                "payload": payload,
                "progress_total": total,
                "file_attachment_id": attachment.id,
                "program_id": program.id,
            }
        )
        # the caller just created this attachment and the job, as requester
        attachment.sudo().write({"res_model": job._name, "res_id": job.id})
        return job
