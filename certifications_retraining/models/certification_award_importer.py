# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import io
import itertools

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools import csv_import, pg_array
from ..tools.csv_import import ImportOptions

# type column -> (model, award field)
ITEM_MODELS = {
    "course": ("slide.channel", "channel_id"),
    "learning_plan": ("slide.learning.plan", "learning_plan_id"),
    "external_training": ("certification.external.training", "external_training_id"),
}
COUNT_KEYS = ("created", "renewed", "history", "skipped", "failed")
# errors of a check shown on the mapping step
CHECK_ERRORS_SHOWN = 20
# Errors of one row (a rule it breaks, a unique index it hits): it fails, the
# others go on. Errors of concurrency (serialization failure, lock timeout,
# deadlock) are not the row's: they roll the batch back for the job to retry.
ROW_ERRORS = (UserError, ValidationError, psycopg2.IntegrityError)


class CertificationAwardImporter(models.AbstractModel):
    """The engine of the CSV import, run by ``certification.job`` (``import``
    and ``check`` jobs) and by the upload wizard's dry run: a batch of
    records is parsed (``tools/csv_import.py``), its references resolved
    with one query per model, planned (create, renew, file as history,
    skip), then issued through the one door, ``certification.award.
    _issue_awards``. The dry run and the import share every step but the
    last. Runs as the requester of the job: their rights, their companies."""

    _name = "certification.award.importer"
    _description = "Certification Record Import Engine"

    # ------------------------------------------------------------
    # JOB BATCHES
    # ------------------------------------------------------------

    @api.model
    def _process_job_batch(self, job):
        """Validate and apply one batch of the job's file. Returns the number
        of rows handled."""
        records, position = self._read_job_batch(job)
        options = ImportOptions.from_payload(job.payload)
        Importer = job._get_requester_env()[self._name]
        checked = Importer._validate_rows(records, options, job_id=job.id)
        results = Importer._apply_rows(checked["valid"], options)
        notes = sorted(checked["notes"] + results["notes"])
        job._append_log(
            checked["warnings"]
            + [
                Importer.env._("Line %(line)s: %(note)s", line=line, note=note)
                for line, note in notes
            ]
        )
        job._add_results(
            len(records),
            created=results["created"],
            renewed=results["renewed"],
            history=results["history"],
            skipped=checked["skipped"] + results["skipped"],
            failed_rows=checked["failed"] + results["failed"],
            position=position,
        )
        return len(records)

    @api.model
    def _process_check_batch(self, job):
        """Dry run of one batch of the job's file: the counts the import would
        produce, added to the job's check result. Writes no award."""
        records, position = self._read_job_batch(job)
        options = ImportOptions.from_payload(job.payload)
        Importer = job._get_requester_env()[self._name]
        job._add_check_result(
            len(records), Importer._check_rows(records, options), position
        )
        return len(records)

    @api.model
    def _read_job_batch(self, job):
        """``(records, position)``: (line, cells) of the rows [cursor, cursor +
        batch size) of the job's file, streamed from the filestore, and the
        position in the file after them. The reading starts where the batch
        before stopped (without it, at the top, skipping the header and the
        rows done)."""
        payload = job.payload
        size = job._get_batch_size("import")
        start = job._get_position()
        reader = csv_import.RecordReader(
            self._open_attachment(job._get_input_attachment()),
            payload["separator"],
            payload["encoding"],
            start=start,
        )
        skip = 0 if start else 1 + job.cursor  # the header, then the rows done
        try:
            records = list(itertools.islice(reader, skip, skip + size))
        except csv_import.CsvFileError as error:
            raise UserError(self.env._(error.problem.message)) from error
        return records, reader.position

    @api.model
    def _open_attachment(self, attachment):
        """The attachment's content as a binary stream, read from the
        filestore when it is stored there: the file is never held whole in
        memory."""
        if attachment.store_fname:
            return open(attachment._full_path(attachment.store_fname), "rb")
        return io.BytesIO(attachment.raw or b"")

    # ------------------------------------------------------------
    # VALIDATION: one code path for the dry run and the import
    # ------------------------------------------------------------

    @api.model
    def _validate_rows(self, records, options, job_id=None):
        """Parse and resolve ``records`` ((line, cells) pairs): every reason a
        row cannot be imported is collected, none stops at the first. Reads
        only. ``job_id``: the import job the values are for (audit log
        reason). Returns ``{"valid": [(row, award vals)], "failed": [(line,
        error, cells)], "skipped": n, "notes": [(line, reason)], "warnings":
        [str]}`` (``notes``: why each skipped row is skipped)."""
        translate = self.env._
        batch = csv_import.parse_rows(records, options)
        refs = self._resolve_references(batch.rows) if batch.rows else {}
        reason = None
        if job_id:
            # translated once, formatted per row
            reason = translate("CSV import, job %(job)s, line %(line)s")
        valid, failed = [], []
        for row in batch.rows:
            vals, errors = self._prepare_award_vals(row, refs, job_id, reason)
            if errors:
                failed.append((row.line, "; ".join(errors), row.cells))
            else:
                valid.append((row, vals))
        return {
            "valid": valid,
            "failed": failed,
            "skipped": len(batch.skipped),
            "notes": [
                (line, translate(problem.message)) for line, problem in batch.skipped
            ],
            "warnings": [translate(problem.message) for problem in batch.warnings],
        }

    @api.model
    def _check_rows(self, records, options):
        """The dry run of ``records``: what the import would do, without
        writing. Returns ``{"created", "renewed", "history", "skipped",
        "failed": n, "errors": [{"line", "error"}], "notes": [{"line",
        "note"}]}``."""
        checked = self._validate_rows(records, options)
        plan = self._plan_rows(checked["valid"], options)
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

    # ------------------------------------------------------------
    # RESOLVE: one query per referenced model
    # ------------------------------------------------------------

    @api.model
    def _resolve_references(self, rows):
        """Logins, certification codes and item codes, each in one query, only
        within the requester's selected companies, as plain values:
        ``users`` {login: (partner id, active)}, ``blocked`` {partner id},
        ``programs`` {code: programs}, per item type {code: (item id,
        certification id)}, ``external_training`` {(code, partner id): (id,
        certification id)}."""
        companies = self.env.companies
        users = self._get_users_by_login({row.username for row in rows} - {None, ""})
        programs = self.env["certification.program"].search_fetch(
            [
                ("code", "in", list({row.certification_code for row in rows} - {""})),
                ("company_id", "in", [False, *companies.ids]),
            ],
            ["code", "company_id"],
        )
        partners = self.env["res.partner"].browse(
            {partner_id for partner_id, _active in users.values()}
        )
        refs = {
            "users": users,
            "blocked": set(
                self.env["certification.award"]._get_blocked_partners(partners).ids
            ),
            "programs": {},
        }
        for program in programs:
            refs["programs"].setdefault(program.code, program.browse())
            refs["programs"][program.code] |= program
        for row_type in ("course", "learning_plan"):
            refs[row_type] = self._get_item_refs(rows, row_type)
        # an external training's code is free text: matched together with its
        # learner, among approved activities only
        refs["external_training"] = {
            (item.code, item.partner_id.id): (item.id, item.certification_program_id.id)
            for item in self._get_approved_trainings(rows)
        }
        return refs

    @api.model
    def _get_users_by_login(self, logins):
        """{login: (partner id, active)} of the users, archived ones included,
        of the requester's selected companies whose login is in ``logins``.
        Officers without user rights cannot search users: this reads logins,
        partners and the active flag only, in one query whose logins go as one
        array parameter (a batch has thousands of them)."""
        if not logins:
            return {}
        # past the ORM's rights like the sudo() search it replaces: the
        # requester may import (officers only: the access rights of
        # certification.award.import, checked when the job was created), and
        # only users of the companies they selected are read
        self.env["res.users"].flush_model(
            ["login", "partner_id", "active", "company_ids"]
        )
        self.env.cr.execute(
            SQL(
                "SELECT users.login, users.partner_id, users.active "
                "FROM res_users AS users "
                "WHERE users.login = ANY(%s::varchar[]) AND EXISTS ("
                "SELECT FROM res_company_users_rel AS rel "
                "WHERE rel.user_id = users.id AND rel.cid = ANY(%s))",
                pg_array.to_literal(logins),
                self.env.companies.ids,
            )
        )
        return {
            login: (partner_id, active)
            for login, partner_id, active in self.env.cr.fetchall()
        }

    @api.model
    def _get_item_refs(self, rows, row_type):
        """{code: (item id, certification id)} of the courses or learning
        plans the rows of ``row_type`` name, in the selected companies."""
        codes = {row.code for row in rows if row.type == row_type}
        if not codes:
            return {}
        companies = self.env.companies
        items = (
            self.env[ITEM_MODELS[row_type][0]]
            # item codes of the selected companies only; the requester may not
            # be an eLearning officer, only the code and the certification of
            # each item are read
            .sudo()
            .search_fetch(
                [
                    ("code", "in", list(codes)),
                    "|",
                    ("certification_program_id", "=", False),
                    (
                        "certification_program_id.company_id",
                        "in",
                        [False, *companies.ids],
                    ),
                ],
                ["code", "certification_program_id"],
            )
        )
        return {
            item.code: (item.id, item.certification_program_id.id) for item in items
        }

    @api.model
    def _get_approved_trainings(self, rows):
        codes = {row.code for row in rows if row.type == "external_training"}
        if not codes:
            return self.env["certification.external.training"]
        # as the requester (an officer): their companies' activities only
        return self.env["certification.external.training"].search_fetch(
            [("code", "in", list(codes)), ("state", "=", "approved")],
            ["code", "partner_id", "certification_program_id"],
        )

    @api.model
    def _prepare_award_vals(self, row, refs, job_id=None, reason=None):
        """``(award values, errors)`` of a parsed ``row``: ``errors`` lists
        every reason it cannot be imported (then the values are None). With
        ``job_id``, the values carry the audit action and ``reason`` (a
        translated "job, line" pattern) of that import job."""
        translate = self.env._
        errors = [translate(problem.message) for problem in row.errors]
        learner = refs["users"].get(row.username)
        if row.username and not learner:
            errors.append(translate("Unknown user %(login)s.", login=row.username))
        elif learner and (learner[0] in refs["blocked"] or not learner[1]):
            errors.append(
                translate(
                    "The user %(login)s is deactivated: deactivated users cannot "
                    "receive certifications.",
                    login=row.username,
                )
            )
        program = self._get_program(row, refs, errors)
        item_id = None
        if row.type in ITEM_MODELS and row.code:
            partner_id = learner[0] if learner else False
            item_id = self._get_item(row, refs, program, partner_id, errors)
        if errors:
            return None, errors
        vals = {
            "program_id": program.id,
            "partner_id": learner[0],
            "date_issued": row.date_issued,
            "date_expiry": row.date_expiry,
            "is_always_valid": row.is_always_valid,
            "association_type": row.type,
        }
        if item_id:
            vals[ITEM_MODELS[row.type][1]] = item_id
        if job_id:
            # read by the one door (``_issue_awards``), a private method
            vals["audit_action"] = "import"
            vals["audit_reason"] = reason % {"job": job_id, "line": row.line}
        return vals, errors

    @api.model
    def _get_program(self, row, refs, errors):
        """The certification of a row's code (empty with an error when the
        code is unknown or ambiguous)."""
        program = refs["programs"].get(row.certification_code)
        if row.certification_code and not program:
            errors.append(
                self.env._(
                    "Unknown certification code %(code)s.",
                    code=row.certification_code,
                )
            )
        if program and len(program) > 1:
            errors.append(
                self.env._(
                    "The certification code %(code)s matches several certifications "
                    "(%(companies)s): import this row with only one of their "
                    "companies selected.",
                    code=row.certification_code,
                    companies=", ".join(
                        program.mapped(lambda p: p.company_id.name or self.env._("all"))
                    ),
                )
            )
            return program.browse()
        return program or self.env["certification.program"]

    @api.model
    def _get_item(self, row, refs, program, partner_id, errors):
        """The id of the row's course, learning plan or approved external
        training, or None with an error."""
        if row.type == "external_training":
            item = refs["external_training"].get((row.code, partner_id))
            if not item:
                errors.append(
                    self.env._(
                        "No approved external training %(code)s of user %(login)s.",
                        code=row.code,
                        login=row.username,
                    )
                )
                return None
        else:
            item = refs[row.type].get(row.code)
        if not item:
            errors.append(
                self.env._(
                    "Unknown %(type)s code %(code)s.", type=row.type, code=row.code
                )
            )
            return None
        if program and item[1] != program.id:
            errors.append(
                self.env._(
                    "%(code)s is not assigned to the certification %(program)s.",
                    code=row.code,
                    program=program.code,
                )
            )
            return None
        return item[0]

    # ------------------------------------------------------------
    # PLAN AND ISSUE
    # ------------------------------------------------------------

    @api.model
    def _apply_rows(self, valid, options):
        """Issue the valid rows (``(row, vals)`` pairs from ``_validate_rows``)
        in one call to the one door."""
        result = dict.fromkeys(("created", "renewed", "history", "skipped"), 0)
        result.update(failed=[], notes=[])
        if not valid:
            return result
        plan = self._plan_rows(valid, options)
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
    def _plan_rows(self, valid, options):
        """What the one door will do with the valid rows: the rows to issue,
        and the expected counts (created, renewed, filed as history because
        older than the current award, skipped because already held or already
        imported: same learner, certification and issue date), with a note
        ``(line, text)`` for each skipped row and each row filed as history."""
        known = self._get_existing_records([vals for _row, vals in valid])
        current = self.env["certification.award"]._get_current_awards(
            {(vals["program_id"], vals["partner_id"]) for _row, vals in valid}
        )
        plan = dict.fromkeys(("created", "renewed", "history", "skipped"), 0)
        plan.update(issue=[], notes=[])
        for pair in valid:
            row, vals = pair
            award = current.get((vals["program_id"], vals["partner_id"]))
            note = self._get_skip_reason(row, vals, award, known, options)
            if note:
                plan["skipped"] += 1
                plan["notes"].append((row.line, note))
                continue
            plan["issue"].append(pair)  # the same pair: no copy per row
            if not award:
                plan["created"] += 1
            elif vals["date_issued"] < award.date_issued:
                plan["history"] += 1
                plan["notes"].append(
                    (
                        row.line,
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
    def _get_skip_reason(self, row, vals, award, known, options):
        """Why a valid row is not imported, or False."""
        if self._record_key(vals) in known:
            return self.env._(
                "skipped: already imported (same user, certification and issue date)."
            )
        if award and not options.is_duplicate_renewal:
            return self.env._(
                "skipped: %(learner)s already holds %(code)s (import duplicates as "
                "renewals to renew it).",
                learner=award.partner_id.name,
                code=row.certification_code,
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
    def _issue(self, rows_vals):
        """Issue all in one call; if that fails, row by row so that one bad row
        does not block the others (each row is all or nothing). Returns the
        awards issued and the failed rows ``(line, error, cells)``."""
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
                failed.append((row.line, str(error), row.cells))
        return issued, failed

    # ------------------------------------------------------------
    # SUMMARY
    # ------------------------------------------------------------

    @api.model
    def _render_check_result(self, result):
        """A check result as shown to the admin: counts and the first errors
        and notes (HTML, or False without a result)."""
        if not result:
            return False
        translate = self.env._
        values = {
            "kind": "warning" if result.get("failed") else "success",
            "counts": translate(
                "Created: %(created)s, renewed: %(renewed)s, filed as history: "
                "%(history)s, skipped: %(skipped)s, failed: %(failed)s.",
                **{key: result.get(key, 0) for key in COUNT_KEYS},
            ),
            "errors": [
                translate(
                    "Line %(line)s: %(error)s", line=item["line"], error=item["error"]
                )
                for item in result.get("errors", [])[:CHECK_ERRORS_SHOWN]
            ],
            "notes": [
                translate(
                    "Line %(line)s: %(note)s", line=item["line"], note=item["note"]
                )
                for item in result.get("notes", [])[:CHECK_ERRORS_SHOWN]
            ],
        }
        return self.env["ir.qweb"]._render(
            "certifications_retraining.certification_award_import_check_result", values
        )
