# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64
import csv
import functools
import io
import itertools
import re
from datetime import datetime, time
from urllib.parse import urlencode

import psycopg2
import pytz
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..models.certification_job import csv_delimiter

COLUMNS = [
    ("username", "username"),
    ("certification_code", "certification_code"),
    ("certification_issue_date", "certification_issue_date"),
    ("always_valid", "always_valid"),
    ("certification_expire_date", "certification_expire_date"),
    ("type", "type"),
    ("code", "code"),
]
REQUIRED_COLUMNS = (
    "username",
    "certification_code",
    "certification_issue_date",
    "always_valid",
    "type",
)
ROW_TYPES = ("course", "learning_plan", "external_training", "manual")
# type column -> (model, award field)
ITEM_MODELS = {
    "course": ("slide.channel", "channel_id"),
    "learning_plan": ("slide.learning.plan", "learning_plan_id"),
    "external_training": ("certification.external.training", "external_training_id"),
}
TRUE_VALUES = ("1", "true", "yes")
FALSE_VALUES = ("0", "false", "no")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PREVIEW_ROWS = 5
# files up to this many rows are checked at once, larger ones by a job
CHECK_SYNC_LIMIT = 2000
# errors of a check shown on the mapping step
CHECK_ERRORS_SHOWN = 20
# the columns a failed-rows file adds after the original ones: ignored on upload
FAILED_ROWS_COLUMNS = ("line", "error")
COUNT_KEYS = ("created", "renewed", "history", "skipped", "failed")
# the two example rows of the template: an expiring and an always-valid one
TEMPLATE_ROWS = [
    ["jdoe", "FORK", "2024-01-15", "0", "2026-01-15", "course", "FORK-101"],
    ["asmith", "FIRSTAID", "2023-06-01", "1", "", "manual", ""],
]
# Errors of one row (a rule it breaks, a unique index it hits): it fails, the
# others go on. Errors of concurrency (serialization failure, lock timeout,
# deadlock) are not the row's: they roll the batch back for the job to retry.
ROW_ERRORS = (UserError, ValidationError, psycopg2.IntegrityError)
# what the web client holds for a binary field read with bin_size
SIZE_RE = re.compile(r"^\d+(\.\d+)? ?(bytes|[kKMGT]i?B|[kKMGT]b)$")


@functools.lru_cache(maxsize=4096)
def _day_start_in_utc(value, tz_name):
    """00:00 of the YYYY-MM-DD day ``value`` in ``tz_name``, in naive UTC
    (ValueError when it is no such day). Cached: an import's rows share few
    dates, and localizing each of them again is most of a row's parsing."""
    if not DATE_RE.match(value):
        raise ValueError(value)
    day = datetime.strptime(value, "%Y-%m-%d").date()
    local = pytz.timezone(tz_name).localize(datetime.combine(day, time.min))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


def _as_text(value):
    return value.decode(errors="replace") if isinstance(value, bytes) else value


class RowError(ValueError):
    """A row cannot be imported; the message is the reason shown to the user."""


class CertificationAwardImport(models.TransientModel):
    """Upload a CSV of certification records. Importing queues a
    ``certification.job``; the rows are validated and applied by the job, in
    batches, through ``certification.award._issue_awards``."""

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
        result = job.check_result if job.state == "done" else self.check_result
        if job.state == "failed":
            return Markup(
                '<div class="alert alert-danger o_certification_import_checking">%s '
                '<a href="%s">%s</a></div>'
            ) % (_("The background check failed."), job._get_form_url(), job.name)
        if job and job.state != "done":
            return Markup(
                '<div class="alert alert-info o_certification_import_checking">%s '
                '<a href="%s">%s</a></div>'
            ) % (
                _(
                    "The file is being checked in the background (%(done)s / %(total)s "
                    "rows).",
                    done=job.progress_done,
                    total=job.progress_total,
                ),
                job._get_form_url(),
                job.name,
            )
        return self._render_check_result(result)

    @api.model
    def _render_check_result(self, result):
        """A check result as shown to the admin: counts and the first errors."""
        if not result:
            return False
        counts = _(
            "Created: %(created)s, renewed: %(renewed)s, filed as history: "
            "%(history)s, skipped: %(skipped)s, failed: %(failed)s.",
            **{key: result.get(key, 0) for key in COUNT_KEYS},
        )
        errors = Markup("").join(
            Markup("<li>%s</li>")
            % self.env._(
                "Line %(line)s: %(error)s", line=item["line"], error=item["error"]
            )
            for item in result.get("errors", [])[:CHECK_ERRORS_SHOWN]
        )
        notes = Markup("").join(
            Markup("<li>%s</li>")
            % self.env._(
                "Line %(line)s: %(note)s", line=item["line"], note=item["note"]
            )
            for item in result.get("notes", [])[:CHECK_ERRORS_SHOWN]
        )
        kind = "warning" if result.get("failed") else "success"
        return Markup(
            '<div class="alert alert-%s o_certification_import_check" role="status">'
            '<p class="mb-1 o_certification_import_check_counts">%s</p>'
            '<ul class="mb-0 o_certification_import_check_errors">%s</ul>'
            '<ul class="mb-0 o_certification_import_check_notes">%s</ul></div>'
        ) % (kind, counts, errors, notes)

    def _render_preview(self):
        """The first rows as they will be read: one column per mapped field."""
        self.ensure_one()
        columns = self.column_ids.filtered("field_name").sorted("index")
        try:
            _header, rows = self._read_head(PREVIEW_ROWS)
        except UserError as error:
            return Markup("<p>%s</p>") % error.args[0]
        head = Markup("").join(
            Markup("<th>%s</th>") % column.field_name for column in columns
        )
        body = Markup("").join(
            Markup("<tr>%s</tr>")
            % Markup("").join(
                Markup("<td>%s</td>")
                % (row[column.index] if column.index < len(row) else "")
                for column in columns
            )
            for row in rows
        )
        return Markup(
            '<table class="table table-sm o_certification_import_preview">'
            "<thead><tr>%s</tr></thead><tbody>%s</tbody></table>"
        ) % (head, body)

    # ------------------------------------------------------------
    # FILE READING
    # ------------------------------------------------------------

    @api.model
    def _iter_csv(self, data, separator, encoding):
        """(line number, cells) of every record, header included, decoded on
        the fly so that memory does not grow with the file. ``data``: bytes or
        a binary stream (closed when the iteration ends)."""
        stream = data if hasattr(data, "read") else io.BytesIO(data)
        try:
            with io.TextIOWrapper(stream, encoding=encoding, newline="") as text:
                reader = csv.reader(text, delimiter=csv_delimiter(separator))
                for index, cells in enumerate(reader):
                    if not index and cells:
                        cells[0] = cells[0].removeprefix("\ufeff")
                    yield reader.line_num, cells
        except (UnicodeDecodeError, LookupError) as error:
            raise UserError(
                _(
                    "The file cannot be read with the charset %(encoding)s: pick "
                    "another charset. (%(error)s)",
                    encoding=encoding,
                    error=error,
                )
            ) from error

    @api.model
    def _iter_rows(self, data, separator, encoding):
        """(line number, cells) of every data row, header excluded."""
        return itertools.islice(self._iter_csv(data, separator, encoding), 1, None)

    @api.model
    def _read_header(self, data, separator, encoding):
        _line, header = next(self._iter_csv(data, separator, encoding), (0, []))
        if not header or not any(cell.strip() for cell in header):
            raise UserError(_("The file is empty: the first line must hold headers."))
        return [cell.strip() for cell in header]

    @api.model
    def _open_attachment(self, attachment):
        """The attachment's content as a binary stream, read from the
        filestore when it is stored there: the file is never held whole in
        memory."""
        if attachment.store_fname:
            return open(attachment._full_path(attachment.store_fname), "rb")
        return io.BytesIO(attachment.raw or b"")

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
        return base64.b64decode(value)

    def _read_head(self, count):
        data = self._get_data()
        header = self._read_header(data, self.separator, self.encoding)
        rows = itertools.islice(
            self._iter_rows(data, self.separator, self.encoding), count
        )
        return header, [cells for _line, cells in rows]

    @api.model
    def _default_mapping(self, header):
        """{column index: canonical field} for headers named like a field."""
        names = dict(COLUMNS)
        return {
            index: name.lower()
            for index, name in enumerate(header)
            if name.lower() in names
        }

    def _get_mapping(self, header):
        self.ensure_one()
        if not self.column_ids:
            return self._default_mapping(header)
        return {c.index: c.field_name for c in self.column_ids if c.field_name}

    @api.model
    def _check_mapping(self, mapping):
        fields_mapped = list(mapping.values())
        twice = {name for name in fields_mapped if fields_mapped.count(name) > 1}
        if twice:
            raise UserError(
                _(
                    "Several columns are mapped to %(fields)s: map each field once.",
                    fields=", ".join(sorted(twice)),
                )
            )
        missing = [name for name in REQUIRED_COLUMNS if name not in fields_mapped]
        if missing:
            raise UserError(
                _(
                    "Mandatory columns are missing: %(columns)s. Expected headers: "
                    "%(expected)s.",
                    columns=", ".join(missing),
                    expected=", ".join(name for name, _label in COLUMNS),
                )
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_next(self):
        """Upload -> mapping: one line per file column, canonical headers
        pre-mapped, and a preview of the first rows."""
        self.ensure_one()
        header = self._read_header(self._get_data(), self.separator, self.encoding)
        mapping = self._default_mapping(header)
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
        rows = list(self._iter_rows(data, self.separator, self.encoding))
        result = self._check_rows(rows, payload)
        self.write({"check_result": result, "check_job_id": False})
        return self._reopen()

    @api.model
    def _get_template_csv(self, separator=","):
        """The import template: the canonical header and two example rows (an
        expiring and an always-valid one), in ``separator``."""
        buffer = io.StringIO()
        writer = csv.writer(
            buffer, delimiter=csv_delimiter(separator), lineterminator="\n"
        )
        writer.writerow([name for name, _label in COLUMNS])
        writer.writerows(TEMPLATE_ROWS)
        return buffer.getvalue()

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
        header = self._read_header(data, self.separator, self.encoding)
        mapping = self._get_mapping(header)
        self._check_mapping(mapping)
        payload = {
            "separator": self.separator,
            "encoding": self.encoding,
            "is_duplicate_renewal": self.is_duplicate_renewal,
            "mapping": {str(index): name for index, name in mapping.items()},
            "tz": self.env.user.tz or "UTC",
            "header": self._strip_failed_columns(header),
        }
        payload["total"], payload["duplicates"] = self._find_duplicates(data, mapping)
        return payload

    @api.model
    def _strip_failed_columns(self, header):
        """The header without the trailing ``line`` and ``error`` columns of a
        failed-rows file uploaded again."""
        if tuple(name.lower() for name in header[-2:]) == FAILED_ROWS_COLUMNS:
            return header[:-2]
        return header

    def _create_job(self, data, payload, total, job_type):
        filename = self.filename or "import.csv"
        program = self.env["certification.program"].browse(
            self.env.context.get("default_program_id")
        )
        program.check_access("read")  # the job only links a readable certification
        attachment = (
            self.env["ir.attachment"]
            .with_context(certification_job_file=True)
            .create({"name": filename, "raw": data, "mimetype": "text/csv"})
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

    def _find_duplicates(self, data, mapping):
        """(number of rows, {"username\\x1fcode": [line, ...]} for keys on
        several rows). A first pass keeps only hashes of the keys, a second
        one the lines of the few keys seen twice: memory stays small."""
        by_field = {name: index for index, name in mapping.items()}
        columns = (by_field["username"], by_field["certification_code"])
        seen, twice, total = set(), set(), 0
        for _line, key in self._iter_keys(data, columns):
            total += 1
            if key is None:
                continue
            digest = hash(key)
            (twice if digest in seen else seen).add(digest)
        if not twice:
            return total, {}
        lines_by_key = {}
        for line, key in self._iter_keys(data, columns):
            if key is not None and hash(key) in twice:
                lines_by_key.setdefault(key, []).append(line)
        duplicates = {
            key: lines for key, lines in lines_by_key.items() if len(lines) > 1
        }
        return total, duplicates

    def _iter_keys(self, data, columns):
        for line, cells in self._iter_rows(data, self.separator, self.encoding):
            if max(columns) >= len(cells):
                yield line, None
                continue
            yield line, f"{cells[columns[0]].strip()}\x1f{cells[columns[1]].strip()}"

    # ------------------------------------------------------------
    # JOB: one batch of rows (import, or check)
    # ------------------------------------------------------------

    @api.model
    def _read_job_batch(self, job):
        """(line, cells) of the rows [cursor, cursor + batch size) of the job's
        file."""
        payload = job.payload
        size = job._get_batch_size("import")
        return list(
            itertools.islice(
                self._iter_rows(
                    self._open_attachment(job._get_input_attachment()),
                    payload["separator"],
                    payload["encoding"],
                ),
                job.cursor,
                job.cursor + size,
            )
        )

    @api.model
    def _process_job_batch(self, job):
        """Validate and apply one batch of the job's file. Returns the number
        of rows handled."""
        rows = self._read_job_batch(job)
        Import = job._get_requester_env()["certification.award.import"]
        checked = Import._validate_rows(rows, job.payload, job_id=job.id)
        results = Import._apply_rows(checked["valid"], job.payload)
        job._append_log(
            checked["warnings"]
            + [
                Import.env._("Line %(line)s: %(note)s", line=line, note=note)
                for line, note in sorted(checked["notes"] + results["notes"])
            ]
        )
        job._add_results(
            len(rows),
            created=results["created"],
            renewed=results["renewed"],
            history=results["history"],
            skipped=checked["skipped"] + results["skipped"],
            failed_rows=checked["failed"] + results["failed"],
        )
        return len(rows)

    @api.model
    def _process_check_batch(self, job):
        """Dry run of one batch of the job's file: the counts the import would
        produce, added to the job's check result. Writes no award."""
        rows = self._read_job_batch(job)
        Import = job._get_requester_env()["certification.award.import"]
        job._add_check_result(len(rows), Import._check_rows(rows, job.payload))
        return len(rows)

    # ------------------------------------------------------------
    # VALIDATION: one code path for the dry run and the import
    # ------------------------------------------------------------

    @api.model
    def _validate_rows(self, rows, payload, job_id=None):
        """Parse and resolve ``rows`` ((line, cells) pairs): every reason a row
        cannot be imported is collected, none stops at the first. Reads only.
        ``job_id``: the import job the values are for (audit log reason).
        Returns ``{"valid": [(row, award vals)], "failed": [(line, error,
        cells)], "skipped": n, "notes": [(line, reason)], "warnings": [str]}``
        (``notes``: why each skipped row is skipped)."""
        mapping = {int(index): name for index, name in payload["mapping"].items()}
        parsed, notes, warnings = [], [], []
        for line, cells in rows:
            if not any(cell.strip() for cell in cells):
                continue  # a blank line is no record
            row = self._parse_row(line, cells, mapping, payload)
            if isinstance(row, str):
                notes.append((line, row))
                continue
            warnings.extend(row.pop("warnings"))
            parsed.append(row)
        refs = self._resolve_references(parsed) if parsed else {}
        valid, failed = [], []
        for row in parsed:
            vals = self._prepare_award_vals(row, refs, job_id=job_id)
            if row["errors"]:
                failed.append((row["line"], "; ".join(row["errors"]), row["cells"]))
            else:
                valid.append((row, vals))
        return {
            "valid": valid,
            "failed": failed,
            "skipped": len(notes),
            "notes": notes,
            "warnings": warnings,
        }

    @api.model
    def _check_rows(self, rows, payload):
        """The dry run of ``rows``: what the import would do, without writing.
        Returns ``{"created", "renewed", "history", "skipped", "failed": n,
        "errors": [{"line", "error"}]}``."""
        checked = self._validate_rows(rows, payload)
        plan = self._plan_rows(checked["valid"], payload)
        return {
            "created": plan["created"],
            "renewed": plan["renewed"],
            "history": plan["history"],
            "skipped": checked["skipped"] + plan["skipped"],
            "failed": len(checked["failed"]),
            "errors": [
                {"line": line, "error": error}
                for line, error, _cells in checked["failed"]
            ],
            "notes": [
                {"line": line, "note": note}
                for line, note in sorted(checked["notes"] + plan["notes"])
            ],
        }

    @api.model
    def _parse_row(self, line, cells, mapping, payload):
        """Checks that need no database. Returns the row as a dict (its
        ``errors`` list empty when the row is fine), or the reason it is
        skipped (a string) for a duplicate that another row replaces."""
        values = {
            name: cells[index].strip() if index < len(cells) else ""
            for index, name in mapping.items()
        }
        row = {"line": line, "cells": cells, "warnings": [], "errors": []}
        errors = row["errors"]
        key = f"{values.get('username', '')}\x1f{values.get('certification_code', '')}"
        duplicates = payload["duplicates"].get(key)
        if duplicates:
            if not payload["is_duplicate_renewal"]:
                errors.append(
                    _(
                        "Duplicate rows for user %(user)s and certification %(code)s "
                        "on lines %(lines)s: fix the file or import duplicates as "
                        "renewals.",
                        user=values["username"],
                        code=values["certification_code"],
                        lines=", ".join(map(str, duplicates)),
                    )
                )
            elif line != duplicates[-1]:
                return _(
                    "skipped: line %(last)s replaces it (duplicate rows imported as "
                    "renewals: the last one wins).",
                    last=duplicates[-1],
                )
        for name in ("username", "certification_code"):
            if not values.get(name):
                errors.append(_("%(column)s is mandatory.", column=name))
        row["username"] = values.get("username")
        row["certification_code"] = values.get("certification_code")
        self._parse_validity(values, payload["tz"], row, errors)
        self._parse_type(values, row, errors)
        return row

    @api.model
    def _parse_validity(self, values, tz, row, errors):
        try:
            row["date_issued"] = self._parse_date(
                values.get("certification_issue_date"), "certification_issue_date", tz
            )
        except RowError as error:
            errors.append(str(error))
        try:
            row["is_always_valid"] = self._parse_bool(values.get("always_valid"))
        except RowError as error:
            errors.append(str(error))
            return
        expire = values.get("certification_expire_date")
        row["date_expiry"] = False
        if row["is_always_valid"]:
            if expire:
                row["warnings"].append(
                    _(
                        "Line %(line)s: certification_expire_date ignored, the "
                        "certification is always valid.",
                        line=row["line"],
                    )
                )
            return
        try:
            row["date_expiry"] = self._parse_date(
                expire, "certification_expire_date", tz
            )
        except RowError as error:
            errors.append(str(error))
            return
        if row.get("date_issued") and row["date_expiry"] < row["date_issued"]:
            errors.append(
                _(
                    "certification_expire_date %(expiry)s is before "
                    "certification_issue_date %(issued)s.",
                    expiry=values["certification_expire_date"],
                    issued=values["certification_issue_date"],
                )
            )

    @api.model
    def _parse_type(self, values, row, errors):
        row_type = values.get("type", "").lower()
        if row_type not in ROW_TYPES:
            errors.append(
                _(
                    "type must be one of %(types)s (got %(value)s).",
                    types=", ".join(ROW_TYPES),
                    value=values.get("type") or _("nothing"),
                )
            )
            return
        row["type"] = row_type
        row["code"] = values.get("code") if row_type != "manual" else False
        if row_type != "manual" and not row["code"]:
            errors.append(_("code is mandatory for the type %(type)s.", type=row_type))

    @api.model
    def _parse_date(self, value, column, tz_name):
        """A YYYY-MM-DD day as 00:00 in the uploader's timezone, in UTC."""
        if not value:
            raise RowError(_("%(column)s is mandatory.", column=column))
        try:
            return _day_start_in_utc(value, tz_name or "UTC")
        except ValueError as error:
            raise RowError(
                _(
                    "%(column)s: %(value)s is not a date in the expected format "
                    "YYYY-MM-DD (e.g. 2021-11-18).",
                    column=column,
                    value=value,
                )
            ) from error

    @api.model
    def _parse_bool(self, value):
        lowered = (value or "").lower()
        if lowered in TRUE_VALUES:
            return True
        if lowered in FALSE_VALUES:
            return False
        raise RowError(
            _(
                "always_valid must be 1/0, true/false or yes/no (got %(value)s).",
                value=value or _("nothing"),
            )
        )

    # ------------------------------------------------------------
    # JOB: resolve and apply (one query per referenced model)
    # ------------------------------------------------------------

    @api.model
    def _apply_rows(self, valid, payload):
        """Issue the valid rows (``(row, vals)`` pairs from ``_validate_rows``)
        in one call to the one door."""
        result = {
            "created": 0,
            "renewed": 0,
            "history": 0,
            "skipped": 0,
            "failed": [],
            "notes": [],
        }
        if not valid:
            return result
        plan = self._plan_rows(valid, payload)
        result["skipped"] = plan["skipped"]
        result["notes"] = plan["notes"]
        issued, result["failed"] = self._issue(plan["issue"])
        # the one door files a record older than the current award as history
        history = issued.filtered(lambda a: a.state == "archived")
        result["history"] = len(history)
        result["renewed"] = len((issued - history).filtered("previous_award_id"))
        result["created"] = len(issued) - result["renewed"] - result["history"]
        return result

    @api.model
    def _plan_rows(self, valid, payload):
        """What the one door will do with the valid rows: the rows to issue,
        and the expected counts (created, renewed, filed as history because
        older than the current award, skipped because already held or already
        imported: same learner, certification and issue date), with a note
        ``(line, text)`` for each skipped row and each row filed as history."""
        known = self._get_existing_records([vals for _row, vals in valid])
        current = self.env["certification.award"]._get_current_awards(
            {(vals["program_id"], vals["partner_id"]) for _row, vals in valid}
        )
        plan = {
            "issue": [],
            "created": 0,
            "renewed": 0,
            "history": 0,
            "skipped": 0,
            "notes": [],
        }
        for row, vals in valid:
            award = current.get((vals["program_id"], vals["partner_id"]))
            note = self._get_skip_reason(row, vals, award, known, payload)
            if note:
                plan["skipped"] += 1
                plan["notes"].append((row["line"], note))
                continue
            plan["issue"].append((row, vals))
            if not award:
                plan["created"] += 1
            elif vals["date_issued"] < award.date_issued:
                plan["history"] += 1
                plan["notes"].append(
                    (
                        row["line"],
                        self.env._(
                            "filed as history: %(learner)s already holds a newer "
                            "award.",
                            learner=award.partner_id.name,
                        ),
                    )
                )
            else:
                plan["renewed"] += 1
        return plan

    @api.model
    def _get_skip_reason(self, row, vals, award, known, payload):
        """Why a valid row is not imported, or False."""
        if self._record_key(vals) in known:
            return self.env._(
                "skipped: already imported (same user, certification and issue date)."
            )
        if award and not payload["is_duplicate_renewal"]:
            return self.env._(
                "skipped: %(learner)s already holds %(code)s (import duplicates as "
                "renewals to renew it).",
                learner=award.partner_id.name,
                code=row["certification_code"],
            )
        return False

    @api.model
    def _record_key(self, vals):
        """(certification, learner, issue date) of award values."""
        return (
            vals["program_id"],
            vals["partner_id"],
            fields.Datetime.to_datetime(vals["date_issued"]),
        )

    @api.model
    def _get_existing_records(self, vals_list):
        """{(program_id, partner_id, date_issued)} of the awards, current or
        archived, that match the values' learner, certification and issue
        date (one query)."""
        if not vals_list:
            return set()
        keys = {self._record_key(vals) for vals in vals_list}
        # as the requester (an officer, who reads every award of the
        # certifications it imports)
        awards = self.env["certification.award"].search_fetch(
            [
                ("program_id", "in", list({key[0] for key in keys})),
                ("partner_id", "in", list({key[1] for key in keys})),
                ("date_issued", "in", list({key[2] for key in keys})),
            ],
            ["program_id", "partner_id", "date_issued"],
        )
        return {
            (a.program_id.id, a.partner_id.id, a.date_issued) for a in awards
        } & keys

    @api.model
    def _resolve_references(self, rows):
        """Logins, certification codes and item codes, each in one query, only
        within the requester's selected companies."""
        companies = self.env.companies
        # runs as the requester (an officer): logins of users of the selected
        # companies are resolved, which officers without user rights cannot search
        Users = self.env["res.users"].sudo().with_context(active_test=False)
        users = Users.search_fetch(
            [
                ("login", "in", list({row["username"] for row in rows} - {None, ""})),
                ("company_ids", "in", companies.ids),
            ],
            ["login", "partner_id", "active"],
        )
        programs = self.env["certification.program"].search_fetch(
            [
                (
                    "code",
                    "in",
                    list({row["certification_code"] for row in rows} - {None, ""}),
                ),
                ("company_id", "in", [False, *companies.ids]),
            ],
            ["code", "company_id"],
        )
        refs = {
            "users": {user.login: user for user in users},
            "blocked": self.env["certification.award"]._get_blocked_partners(
                users.partner_id
            ),
            "programs": {},
        }
        for program in programs:
            refs["programs"].setdefault(program.code, program.browse())
            refs["programs"][program.code] |= program
        in_companies = [
            "|",
            ("certification_program_id", "=", False),
            ("certification_program_id.company_id", "in", [False, *companies.ids]),
        ]
        for row_type in ("course", "learning_plan"):
            model = ITEM_MODELS[row_type][0]
            codes = {row.get("code") for row in rows if row.get("type") == row_type}
            items = (
                self.env[model]
                # item codes of the selected companies only; the requester may
                # not be an eLearning officer, only the code and the
                # certification of each item are read
                .sudo()
                .search_fetch(
                    [("code", "in", list(codes)), *in_companies],
                    ["code", "certification_program_id"],
                )
                if codes
                else self.env[model]
            )
            refs[row_type] = {item.code: item for item in items}
        # an external training's code is free text: matched together with its
        # learner, among approved activities only
        refs["external_training"] = {
            (item.code, item.partner_id.id): item
            for item in self._get_approved_trainings(rows)
        }
        return refs

    @api.model
    def _get_approved_trainings(self, rows):
        codes = {
            row.get("code") for row in rows if row.get("type") == "external_training"
        }
        if not codes:
            return self.env["certification.external.training"]
        # as the requester (an officer): their companies' activities only
        return self.env["certification.external.training"].search_fetch(
            [("code", "in", list(codes)), ("state", "=", "approved")],
            ["code", "partner_id", "certification_program_id"],
        )

    @api.model
    def _prepare_award_vals(self, row, refs, job_id=None):
        """The award values of ``row``; every reason it cannot be imported is
        added to ``row["errors"]`` (then None is returned). With ``job_id``,
        the values carry the audit action and reason of that import job."""
        errors = row["errors"]
        learner = refs["users"].get(row["username"])
        if row["username"] and not learner:
            errors.append(_("Unknown user %(login)s.", login=row["username"]))
        elif learner and (learner.partner_id in refs["blocked"] or not learner.active):
            errors.append(
                _(
                    "The user %(login)s is deactivated: deactivated users cannot "
                    "receive certifications.",
                    login=row["username"],
                )
            )
        program = refs["programs"].get(row["certification_code"])
        if row["certification_code"] and not program:
            errors.append(
                _(
                    "Unknown certification code %(code)s.",
                    code=row["certification_code"],
                )
            )
        if program and len(program) > 1:
            errors.append(
                _(
                    "The certification code %(code)s matches several certifications "
                    "(%(companies)s): import this row with only one of their "
                    "companies selected.",
                    code=row["certification_code"],
                    companies=", ".join(
                        program.mapped(lambda p: p.company_id.name or self.env._("all"))
                    ),
                )
            )
            program = program.browse()
        item = None
        if row.get("type") in ITEM_MODELS and row.get("code"):
            try:
                partner = learner.partner_id if learner else self.env["res.partner"]
                item = self._get_item(row, refs, program, partner)
            except RowError as error:
                errors.append(str(error))
        if errors:
            return None
        vals = {
            "program_id": program.id,
            "partner_id": learner.partner_id.id,
            "date_issued": row["date_issued"],
            "date_expiry": row["date_expiry"],
            "is_always_valid": row["is_always_valid"],
            "association_type": row["type"],
        }
        if item:
            vals[ITEM_MODELS[row["type"]][1]] = item.id
        if job_id:
            # read by the one door (``_issue_awards``), a private method
            vals["audit_action"] = "import"
            vals["audit_reason"] = _(
                "CSV import, job %(job)s, line %(line)s", job=job_id, line=row["line"]
            )
        return vals

    @api.model
    def _get_item(self, row, refs, program, partner):
        if row["type"] == "external_training":
            item = refs["external_training"].get((row["code"], partner.id))
            if not item:
                raise RowError(
                    _(
                        "No approved external training %(code)s of user %(login)s.",
                        code=row["code"],
                        login=row["username"],
                    )
                )
        else:
            item = refs[row["type"]].get(row["code"])
        if not item:
            raise RowError(
                _(
                    "Unknown %(type)s code %(code)s.",
                    type=row["type"],
                    code=row["code"],
                )
            )
        if program and item.certification_program_id != program:
            raise RowError(
                _(
                    "%(code)s is not assigned to the certification %(program)s.",
                    code=row["code"],
                    program=program.code,
                )
            )
        return item

    @api.model
    def _issue(self, rows_vals):
        """Issue all in one call; if that fails, row by row so that one bad row
        does not block the others (each row is all or nothing)."""
        Award = self.env["certification.award"]
        if not rows_vals:
            return Award, []
        try:
            with self.env.cr.savepoint():
                return Award._issue_awards([vals for _row, vals in rows_vals]), []
        except ROW_ERRORS:  # isolated below, row by row
            self.env.invalidate_all()
        issued, failed = Award, []
        for row, vals in rows_vals:
            try:
                with self.env.cr.savepoint():
                    issued |= Award._issue_awards([vals])
            except ROW_ERRORS as error:  # reported on the row
                self.env.invalidate_all()
                failed.append((row["line"], str(error), row["cells"]))
        return issued, failed
