# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64
import contextlib
import io
import logging
from datetime import timedelta

import psycopg2.errors

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .. import compat
from ..tools import csv_import

_logger = logging.getLogger(__name__)

# Fields no one changes once the job exists: who it runs as, and what it reads.
JOB_IMMUTABLE_FIELDS = ("user_id", "file_attachment_id")
# Rows (or learners) per cron call, unless the system parameters below say
# otherwise. A batch's fixed cost (locking the job, resolving its references,
# the audit chain's head, the job's counters, mail templates) is paid per
# call: 10,000 CSV rows (a few seconds) keep the import near the ORM's own
# floor (1.09x at 10,000 rows; 2,000-row batches measured 1.53x). A batch
# holds the audit log's batch chains (``_batch_writer``): the next batch (the
# expiry cron, another job) waits for it; users never do.
# Learners get mails rendered and queued, so fewer per call.
IMPORT_BATCH_SIZE = 10_000
GRANT_BATCH_SIZE = 1000
BATCH_SIZE_PARAMS = {
    "import": ("certifications_retraining.import_batch_size", IMPORT_BATCH_SIZE),
    "check": ("certifications_retraining.import_batch_size", IMPORT_BATCH_SIZE),
    "grant": ("certifications_retraining.grant_batch_size", GRANT_BATCH_SIZE),
}
# A concurrent transaction got in the way of a batch (a serialization failure,
# a lock waited for too long, a deadlock): the batch is rolled back and run
# again by the cron later, never recorded as failed rows. After this many
# attempts in a row the job fails with a message saying so.
RETRYABLE_ERRORS = (
    psycopg2.errors.SerializationFailure,
    psycopg2.errors.LockNotAvailable,
    psycopg2.errors.DeadlockDetected,
)
MAX_BATCH_ATTEMPTS = 5
RETRY_DELAY_SECONDS = 30  # times the attempt number
# The context of an action returned by a wizard's button: without it the web
# client keeps the wizard's id as ``active_id`` in the URL, and a reload of the
# page reads it back as a record of the previous action (bogus breadcrumb).
NO_ACTIVE_RECORD = {"active_id": False, "active_ids": [], "active_model": False}


JOB_STATES = [
    ("queued", "Queued"),
    ("running", "Running"),
    ("done", "Done"),
    ("failed", "Failed"),
]


class CertificationJob(models.Model):
    """Background work (grant many learners, CSV import) run by one cron,
    ``_cron_process_jobs``, in bounded batches from a cursor stored on the job:
    a batch and the cursor move are committed together, so a killed worker
    resumes at the next line without applying a row twice."""

    _name = "certification.job"
    _description = "Certification Background Job"
    _inherit = ["mail.thread", "certification.owned.defaults.mixin"]
    _order = "id desc"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, readonly=True)
    job_type = fields.Selection(
        [("grant", "Award users"), ("import", "CSV import"), ("check", "CSV check")],
        "Type",
        required=True,
        readonly=True,
    )
    state = fields.Selection(
        JOB_STATES,
        default="queued",
        required=True,
        index=True,
        readonly=True,
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users",
        "Requested By",
        default=lambda self: self.env.user,
        required=True,
        readonly=True,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, readonly=True
    )
    program_id = fields.Many2one(
        "certification.program", "Certification", readonly=True, ondelete="cascade"
    )
    progress_done = fields.Integer("Done", readonly=True)
    progress_total = fields.Integer("Total", readonly=True)
    progress = fields.Float(compute="_compute_progress")
    cursor = fields.Integer(
        readonly=True, help="Index of the next row (or learner) to process."
    )
    # where the batches stopped reading the file: the next batch reads on
    # from there instead of parsing every row before its own
    cursor_chars = fields.Integer(
        "Characters Read",
        readonly=True,
        help="Characters of the file read by the batches so far.",
    )
    cursor_line = fields.Integer(
        "Lines Read",
        readonly=True,
        help="Lines of the file read by the batches so far.",
    )
    count_created = fields.Integer("Created", readonly=True)
    count_renewed = fields.Integer("Renewed", readonly=True)
    count_skipped = fields.Integer("Skipped", readonly=True)
    count_history = fields.Integer(
        "Filed as History",
        readonly=True,
        help="Records older than the learner's current award: archived in its "
        "history, the current award stays current.",
    )
    count_failed = fields.Integer("Failed", readonly=True)
    payload = fields.Json(readonly=True, copy=False)
    failed_rows = fields.Json(
        "Failed Rows Data", readonly=True, copy=False, default=list
    )
    check_result = fields.Json(
        readonly=True,
        copy=False,
        help="CSV check (dry run): what the import would do, counts and errors.",
    )
    check_summary = fields.Html(compute="_compute_check_summary", sanitize=False)
    log = fields.Text(readonly=True)
    file_attachment_id = fields.Many2one("ir.attachment", "File", readonly=True)
    result_attachment_id = fields.Many2one(
        "ir.attachment", "Failed Rows", readonly=True
    )
    # Read with the reader's own rights (a related field would be read as
    # superuser): the reader sees the file only if they may read the attachment.
    result_file = fields.Binary(
        "Failed Rows File", compute="_compute_result_file", compute_sudo=False
    )
    result_filename = fields.Char(
        "Failed Rows Filename", compute="_compute_result_file", compute_sudo=False
    )
    batch_attempts = fields.Integer(
        "Interrupted Attempts",
        readonly=True,
        copy=False,
        help="Attempts of the current batch rolled back because of a concurrent "
        "change; the cron runs it again later, and the job fails after five in "
        "a row.",
    )
    date_next_attempt = fields.Datetime(
        "Next Attempt",
        readonly=True,
        copy=False,
        help="The cron runs the interrupted batch again from this time.",
    )
    date_started = fields.Datetime("Started On", readonly=True)
    date_done = fields.Datetime("Finished On", readonly=True)

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("progress_done", "progress_total")
    def _compute_progress(self):
        for job in self:
            total = job.progress_total
            job.progress = 100.0 * job.progress_done / total if total else 0.0

    def _compute_result_file(self):
        for job in self:
            attachment = job.result_attachment_id
            readable = bool(attachment) and attachment._is_readable_by_caller()
            job.result_file = attachment.datas if readable else False
            job.result_filename = attachment.name if readable else False

    @api.depends("check_result")
    def _compute_check_summary(self):
        Importer = self.env["certification.award.importer"]
        for job in self:
            job.check_summary = Importer._render_check_result(job.check_result)

    # ------------------------------------------------------------
    # QUEUE
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        """Jobs are created by the wizards (as superuser, once the wizard checked
        the caller) and run as their requester: no access rule lets anyone
        create one directly."""
        jobs = super().create(vals_list)
        jobs._trigger_cron()
        return jobs

    def write(self, vals):
        changed = [name for name in JOB_IMMUTABLE_FIELDS if name in vals]
        if changed and any(
            job[name].id != vals[name] for job in self for name in changed
        ):
            raise UserError(
                _("The requester and the file of a background job cannot change.")
            )
        return super().write(vals)

    @api.model
    def _create_for_requester(self, vals):
        """Create a job for the current user, in their selected companies. Called
        by the wizards once they checked the caller's rights on what the job
        will do; the batches run with the requester's rights only."""
        self.env["certification.award"].check_access("create")
        vals = dict(
            vals,
            user_id=self.env.user.id,
            company_id=self.env.company.id,
            payload=dict(vals.get("payload") or {}, company_ids=self.env.companies.ids),
        )
        # checked just above: the caller may issue awards (certification officer);
        # every field of a job is the server's: neither the caller's context
        # defaults nor their personal ``ir.default`` apply (the mixin)
        job = self.sudo().create(vals)
        return job.with_env(self.env)

    def _trigger_cron(self, at=None):
        cron = self.env.ref(
            "certifications_retraining.certification_job_cron",
            raise_if_not_found=False,
        )
        if cron:
            # only wakes the cron up earlier; it runs jobs as their requesters
            cron.sudo()._trigger(at)

    @api.model
    def _get_batch_size(self, job_type):
        """Rows (or learners) handled per cron call: the system parameter
        ``certifications_retraining.import_batch_size`` (CSV import and check)
        or ``certifications_retraining.grant_batch_size``, a positive integer,
        else the default."""
        key, default = BATCH_SIZE_PARAMS[job_type]
        # a tuning knob read by the cron for any requester's job
        value = self.env["ir.config_parameter"].sudo().get_param(key)
        try:
            size = int(value or 0)
        except ValueError:
            size = 0
        return size if size > 0 else default

    # ------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------

    @api.model
    def _cron_process_jobs(self):
        """One bounded batch of the oldest open job. The cron runner commits
        after each call and calls again while progress says work remains."""
        job = self._take_next_job()
        if not job:
            compat.report_cron_progress(self.env, 0, 0)
            return False
        done = job._run_batch()
        remaining = job._get_remaining_work()
        if remaining:
            self._trigger_cron()
        compat.report_cron_progress(self.env, done, remaining)
        return True

    @api.model
    def _take_next_job(self):
        """Lock the oldest queued or interrupted job; jobs locked by another
        worker are skipped, so several workers never run the same job. When
        another worker committed a batch of that job since this transaction
        began (REPEATABLE READ: a serialization failure), none is taken: that
        worker runs it, and the next call starts from a fresh snapshot."""
        self.env.flush_all()
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM certification_job WHERE state IN %s "
                        "AND (date_next_attempt IS NULL OR date_next_attempt <= %s) "
                        "ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
                        ("queued", "running"),
                        fields.Datetime.now(),
                    ),
                    log_exceptions=False,  # expected, handled below
                )
                row = self.env.cr.fetchone()
        except psycopg2.errors.SerializationFailure:
            return self.browse()
        # the cron advances every job; each batch then runs as its requester
        return self.sudo().browse(row[0]) if row else self.browse()

    def _get_remaining_work(self):
        """Rows left in this job plus a unit per other open job."""
        self.ensure_one()
        # called by the cron only (a count of open jobs, no data leaves)
        others = self.sudo().search_count(
            [("state", "in", ("queued", "running")), ("id", "!=", self.id)]
        )
        own = 0
        if self.state in ("queued", "running"):
            own = max(self.progress_total - self.progress_done, 1)
        return own + others

    def _run_batch(self):
        """Process the next batch; returns the number of rows handled."""
        self.ensure_one()
        if self.state == "queued":
            self.write({"state": "running", "date_started": fields.Datetime.now()})
        try:
            with self.env.cr.savepoint(), self._get_batch_writer():
                done = self._get_batch_handler()(self)
        except RETRYABLE_ERRORS as error:
            self._retry_batch_later(error)
            return 0
        except Exception as error:
            _logger.exception("Certification job %s failed", self.id)
            self._finish("failed", error=str(error))
            return 0
        if self.batch_attempts or self.date_next_attempt:
            self.write({"batch_attempts": 0, "date_next_attempt": False})
        if self.cursor >= self.progress_total:
            self._finish("done")
        elif not done:
            # nothing left to read before the expected end: never loop forever
            self._finish(
                "failed",
                error=_("The input ended before row %(row)s.", row=self.cursor + 1),
            )
        return done

    def _retry_batch_later(self, error):
        """A concurrent transaction interrupted the batch, which was rolled
        back whole (nothing of it is applied, no row is failed): the cron runs
        it again after a delay growing with the attempts; once they run out,
        the job fails and says why (Retry queues it again)."""
        self.ensure_one()
        attempts = self.batch_attempts + 1
        _logger.info(
            "Certification job %s: batch interrupted by a concurrent change "
            "(attempt %s of %s): %s",
            self.id,
            attempts,
            MAX_BATCH_ATTEMPTS,
            error,
        )
        if attempts >= MAX_BATCH_ATTEMPTS:
            self.write({"batch_attempts": attempts, "date_next_attempt": False})
            self._finish(
                "failed",
                error=_(
                    "the batch from row %(row)s was interrupted by concurrent "
                    "changes %(count)s times in a row and rolled back each time "
                    "(nothing of it was applied). Retry the job once the other "
                    "work is done. Last error: %(error)s",
                    row=self.cursor + 1,
                    count=attempts,
                    error=str(error).strip(),
                ),
            )
            return
        retry_at = fields.Datetime.now() + timedelta(
            seconds=RETRY_DELAY_SECONDS * attempts
        )
        self.write({"batch_attempts": attempts, "date_next_attempt": retry_at})
        self._append_log(
            [
                _(
                    "The batch from row %(row)s was interrupted by a concurrent "
                    "change and rolled back; attempt %(count)s of %(max)s, "
                    "run again at %(time)s (UTC).",
                    row=self.cursor + 1,
                    count=attempts,
                    max=MAX_BATCH_ATTEMPTS,
                    time=fields.Datetime.to_string(retry_at),
                )
            ]
        )
        self._trigger_cron(at=retry_at)
        self._notify_job_updated()

    def _get_batch_writer(self):
        """What a batch of this job holds while it runs: the scheduler's audit
        chains (``certification.audit.log._batch_writer``) for the jobs that
        write awards; nothing for a dry run (CSV check), which writes none and
        so neither waits for another batch nor makes one wait."""
        self.ensure_one()
        if self.job_type == "check":
            return contextlib.nullcontext()
        return self.env["certification.audit.log"]._batch_writer()

    def _get_batch_handler(self):
        """Hook: the method applying one batch of a job of this type."""
        handlers = {
            "grant": self.env["certification.award.granter"]._process_job_batch,
            "import": self.env["certification.award.importer"]._process_job_batch,
            "check": self.env["certification.award.importer"]._process_check_batch,
        }
        return handlers[self.job_type]

    def _get_requester_env(self):
        """The environment batches apply in: the requester, in all their
        companies, without chatter noise on every award (no creation note,
        follower or tracking message per award: the job's log, the issued
        mail and the award's own fields say it)."""
        self.ensure_one()
        user = self.user_id
        selected = (self.payload or {}).get("company_ids") or user.company_ids.ids
        companies = user.company_ids.filtered(lambda c: c.id in selected)
        return (
            self.with_user(user)
            .with_context(
                allowed_company_ids=(companies or user.company_id).ids,
                tz=user.tz,
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
                tracking_disable=True,
            )
            .env
        )

    def _add_results(
        self,
        done,
        created=0,
        renewed=0,
        skipped=0,
        failed_rows=None,
        history=0,
        position=None,
    ):
        """Record a batch: move the cursor (and the position in the file it
        read up to, a :class:`~..tools.csv_import.Position`) and add its counts,
        in the same transaction as the awards it created."""
        self.ensure_one()
        failed_rows = failed_rows or []
        vals = {
            **self._get_position_vals(position),
            "cursor": self.cursor + done,
            "progress_done": min(self.progress_done + done, self.progress_total),
            "count_created": self.count_created + created,
            "count_renewed": self.count_renewed + renewed,
            "count_skipped": self.count_skipped + skipped,
            "count_history": self.count_history + history,
            "count_failed": self.count_failed + len(failed_rows),
        }
        if failed_rows:
            vals["failed_rows"] = (self.failed_rows or []) + [
                list(row) for row in failed_rows
            ]
        self.write(vals)
        self._notify_job_updated()

    def _notify_job_updated(self):
        """Tell the requester's open job form to reload (progress, counts)."""
        for job in self:
            job.user_id.partner_id._bus_send(
                "certification_job_updated", {"id": job.id, "state": job.state}
            )

    def _get_position_vals(self, position):
        if not position:
            return {}
        return {"cursor_chars": position.chars, "cursor_line": position.line}

    def _get_position(self):
        """Where the batches stopped reading the job's file, or None (no batch
        yet, or one that recorded no position)."""
        self.ensure_one()
        if not (self.cursor and self.cursor_line):
            return None
        return csv_import.Position(self.cursor_chars, self.cursor_line)

    def _add_check_result(self, done, result, position=None):
        """Record a batch of a CSV check: move the cursor (and the position in
        the file) and add its counts and errors to ``check_result``."""
        self.ensure_one()
        total = dict(
            self.check_result or {}, errors=(self.check_result or {}).get("errors", [])
        )
        for key in ("created", "renewed", "history", "skipped", "failed"):
            total[key] = total.get(key, 0) + result[key]
        total["errors"] = total["errors"] + result["errors"]
        total["notes"] = total.get("notes", []) + result.get("notes", [])
        self.write(
            {
                **self._get_position_vals(position),
                "cursor": self.cursor + done,
                "progress_done": min(self.progress_done + done, self.progress_total),
                "check_result": total,
                "count_failed": total["failed"],
            }
        )
        self._notify_job_updated()

    def _get_input_raw(self):
        """The content of the job's file (see :meth:`_get_input_attachment`)."""
        return self._get_input_attachment().raw

    def _get_input_attachment(self):
        """The job's file, only if it is the file uploaded for this job and its
        requester may read it: a job never reads (nor echoes in its failed
        rows) a file its requester could not read. The import streams it from
        the filestore."""
        self.ensure_one()
        attachment = self.file_attachment_id
        if (attachment.res_model, attachment.res_id) != (self._name, self.id):
            raise UserError(_("The file of this job was not uploaded for it."))
        if not attachment.with_user(self.user_id)._is_readable_by_caller():
            raise UserError(_("The requester of this job cannot read its file."))
        return attachment

    def _append_log(self, lines):
        self.ensure_one()
        if lines:
            self.log = "\n".join(filter(None, [self.log or "", *lines]))

    # ------------------------------------------------------------
    # END OF A JOB
    # ------------------------------------------------------------

    def _finish(self, state, error=None):
        self.ensure_one()
        vals = {"state": state, "date_done": fields.Datetime.now()}
        if self.failed_rows:
            vals["result_attachment_id"] = self._make_failed_rows_attachment().id
        if error:
            self._append_log([_("Error: %(error)s", error=error)])
        self.write(vals)
        self._notify_requester()
        self._notify_job_updated()

    def _make_failed_rows_attachment(self):
        self.ensure_one()
        buffer = io.StringIO()
        self._write_failed_rows(buffer)
        return (
            self.env["ir.attachment"]
            # run by the cron on the job it took: the file is linked to the job,
            # so only those who may read the job may read it
            .sudo()
            .create(
                {
                    "name": f"failed_rows_job_{self.id}.csv",
                    "mimetype": "text/csv",
                    "datas": base64.b64encode(
                        buffer.getvalue().encode(
                            (self.payload or {}).get("encoding") or "utf-8",
                            errors="replace",
                        )
                    ),
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )

    def _write_failed_rows(self, buffer):
        """The failed rows as CSV. An import's file keeps the original header
        and columns of each failed row, then ``line`` and ``error``: fixed, it
        can be uploaded again as is (those two columns are ignored)."""
        payload = self.payload or {}
        if self.job_type != "import" or "header" not in payload:
            csv_import.write_failed_rows(buffer, self.failed_rows)
            return
        csv_import.write_failed_rows(
            buffer, self.failed_rows, payload["header"], payload["separator"]
        )

    def _get_summary(self):
        self.ensure_one()
        return _(
            "%(job)s: %(state)s. Created: %(created)s, renewed: %(renewed)s, "
            "filed as history: %(history)s, skipped: %(skipped)s, "
            "failed: %(failed)s.",
            job=self.name,
            state=dict(JOB_STATES)[self.state],
            created=self.count_created,
            renewed=self.count_renewed,
            history=self.count_history,
            skipped=self.count_skipped,
            failed=self.count_failed,
        )

    def _notify_requester(self):
        """A message on the job and a notification in the requester's browser."""
        self.ensure_one()
        summary = self._get_summary()
        self.message_post(
            body=summary,
            attachment_ids=self.result_attachment_id.ids,
            partner_ids=self.user_id.partner_id.ids,
            subtype_xmlid="mail.mt_note",
        )
        self.user_id.partner_id._bus_send(
            "simple_notification",
            {
                "title": _("Certification job finished"),
                "message": summary,
                "type": "success" if self.state == "done" else "danger",
                "sticky": False,
            },
        )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_retry(self):
        """Queue a failed job again from where it stopped (its requester, or a
        certification administrator)."""
        self.check_access("read")
        manager = self.env.user.has_group(
            "certifications_retraining.group_certification_manager"
        )
        if not manager and self.filtered(lambda j: j.user_id != self.env.user):
            raise UserError(_("Only the requester of a job can retry it."))
        # checked just above: the caller may read these jobs and requested them
        self.sudo().filtered(lambda j: j.state == "failed").write(
            {"state": "queued", "batch_attempts": 0, "date_next_attempt": False}
        )
        self._trigger_cron()
        return True

    def action_open_awards(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "certifications_retraining.certification_award_action"
        )
        if self.program_id:
            action["domain"] = [("program_id", "=", self.program_id.id)]
        return action

    def _get_form_action(self):
        """The job's form within the Jobs action, so that the breadcrumb
        reads "Jobs / <job>" and survives a reload of the page."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "certifications_retraining.certification_job_action"
        )
        action.update(
            {
                "res_id": self.id,
                "view_mode": "form",
                "views": [(False, "form")],
                "context": dict(NO_ACTIVE_RECORD),
            }
        )
        return action

    def _get_form_url(self):
        self.ensure_one()
        return f"/odoo/certification.job/{self.id}"
