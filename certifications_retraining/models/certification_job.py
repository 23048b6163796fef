# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64
import csv
import io
import logging

from odoo import _, api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

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
    _inherit = ["mail.thread"]
    _order = "id desc"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, readonly=True)
    job_type = fields.Selection(
        [("grant", "Award users"), ("import", "CSV import")],
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
    count_created = fields.Integer("Created", readonly=True)
    count_renewed = fields.Integer("Renewed", readonly=True)
    count_skipped = fields.Integer("Skipped", readonly=True)
    count_failed = fields.Integer("Failed", readonly=True)
    payload = fields.Json(readonly=True, copy=False)
    failed_rows = fields.Json(
        "Failed Rows Data", readonly=True, copy=False, default=list
    )
    log = fields.Text(readonly=True)
    file_attachment_id = fields.Many2one("ir.attachment", "File", readonly=True)
    result_attachment_id = fields.Many2one(
        "ir.attachment", "Failed Rows", readonly=True
    )
    result_file = fields.Binary(
        "Failed Rows File", related="result_attachment_id.datas", readonly=True
    )
    result_filename = fields.Char(
        "Failed Rows Filename", related="result_attachment_id.name"
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

    # ------------------------------------------------------------
    # QUEUE
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        jobs = super().create(vals_list)
        jobs._trigger_cron()
        return jobs

    def _trigger_cron(self):
        cron = self.env.ref(
            "certifications_retraining.certification_job_cron",
            raise_if_not_found=False,
        )
        if cron:
            cron.sudo()._trigger()

    @api.model
    def _get_batch_size(self, job_type):
        """Rows (or learners) handled per cron call."""
        size = self.env.context.get("certification_job_batch_size")
        if size:
            return size
        return 5000 if job_type == "import" else 1000

    # ------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------

    @api.model
    def _cron_process_jobs(self):
        """One bounded batch of the oldest open job. The cron runner commits
        after each call and calls again while progress says work remains."""
        job = self._take_next_job()
        if not job:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return False
        done = job._run_batch()
        remaining = job._get_remaining_work()
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        if remaining:
            self._trigger_cron()
        return True

    @api.model
    def _take_next_job(self):
        """Lock the oldest queued or interrupted job; jobs locked by another
        worker are skipped, so several workers never run the same job."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM certification_job WHERE state IN %s "
                "ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
                ("queued", "running"),
            )
        )
        row = self.env.cr.fetchone()
        return self.sudo().browse(row[0]) if row else self.browse()

    def _get_remaining_work(self):
        """Rows left in this job plus a unit per other open job."""
        self.ensure_one()
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
            with self.env.cr.savepoint():
                done = self._get_batch_handler()(self)
        except Exception as error:
            _logger.exception("Certification job %s failed", self.id)
            self._finish("failed", error=str(error))
            return 0
        if self.cursor >= self.progress_total:
            self._finish("done")
        elif not done:
            # nothing left to read before the expected end: never loop forever
            self._finish(
                "failed",
                error=_("The input ended before row %(row)s.", row=self.cursor + 1),
            )
        return done

    def _get_batch_handler(self):
        """Hook: the method applying one batch of a job of this type."""
        handlers = {
            "grant": self.env["certification.program.grant"]._process_job_batch,
            "import": self.env["certification.award.import"]._process_job_batch,
        }
        return handlers[self.job_type]

    def _get_requester_env(self):
        """The environment batches apply in: the requester, in all their
        companies, without chatter noise on every award (no creation note,
        follower or tracking message per award: the job's log, the issued
        mail and the award's own fields say it)."""
        self.ensure_one()
        user = self.user_id
        return (
            self.with_user(user)
            .with_context(
                allowed_company_ids=user.company_ids.ids,
                tz=user.tz,
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
                tracking_disable=True,
            )
            .env
        )

    def _add_results(self, done, created=0, renewed=0, skipped=0, failed_rows=None):
        """Record a batch: move the cursor and add its counts, in the same
        transaction as the awards it created."""
        self.ensure_one()
        failed_rows = failed_rows or []
        vals = {
            "cursor": self.cursor + done,
            "progress_done": min(self.progress_done + done, self.progress_total),
            "count_created": self.count_created + created,
            "count_renewed": self.count_renewed + renewed,
            "count_skipped": self.count_skipped + skipped,
            "count_failed": self.count_failed + len(failed_rows),
        }
        if failed_rows:
            vals["failed_rows"] = (self.failed_rows or []) + [
                list(row) for row in failed_rows
            ]
        self.write(vals)

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

    def _make_failed_rows_attachment(self):
        self.ensure_one()
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["line", "reason"])
        writer.writerows(self.failed_rows)
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": f"failed_rows_job_{self.id}.csv",
                    "mimetype": "text/csv",
                    "datas": base64.b64encode(buffer.getvalue().encode()),
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )

    def _get_summary(self):
        self.ensure_one()
        return _(
            "%(job)s: %(state)s. Created: %(created)s, renewed: %(renewed)s, "
            "skipped: %(skipped)s, failed: %(failed)s.",
            job=self.name,
            state=dict(JOB_STATES)[self.state],
            created=self.count_created,
            renewed=self.count_renewed,
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
        """Queue a failed job again from where it stopped."""
        self.filtered(lambda j: j.state == "failed").write({"state": "queued"})
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

    def _get_form_url(self):
        self.ensure_one()
        return f"/odoo/certification.job/{self.id}"
