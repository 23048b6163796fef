# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Retryable database errors are not failures, proven with
two real connections: this test's transaction runs the job; a second cursor
(``registry.cursor()``, its own PostgreSQL connection) is the concurrent
audited change that holds or moves the audit log's head.

Each class has its own transaction: a class whose second connection commits a
change of the head must not share its snapshot with one that expects none."""

import base64
from datetime import timedelta

import psycopg2.errors
from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.tests import RecordCapturer, TransactionCase, tagged
from odoo.tools import SQL, mute_logger

from ..models.certification_audit_log import AUDIT_LOCK_KEY, chain_of
from ..models.certification_job import MAX_BATCH_ATTEMPTS
from ..tools.csv_import import ImportRow
from ..wizards.certification_award_import import CHECK_SYNC_LIMIT
from .test_award_import import ImportCase, make_csv

HEADS = SQL.identifier("certification_audit_log_chain")


def set_lock_timeout(cr, value):
    cr.execute(SQL("SET LOCAL lock_timeout = %s", value))


def lock_head(cr, chain):
    """Hold the head of the audit log's chain ``chain``, as an append in
    progress does."""
    set_lock_timeout(cr, "5s")
    cr.execute(SQL("SELECT hash FROM %s WHERE chain = %s FOR UPDATE", HEADS, chain))
    assert cr.rowcount == 1, "the chain's head exists"


class JobRetryCase(ImportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = cls.env["res.users"].create(
            [{"name": f"Retry {index}", "login": f"retry{index}"} for index in range(3)]
        )

    def _queue_import(self):
        wizard = (
            self.env["certification.award.import"]
            .with_user(self.officer)
            .create(
                {
                    "file": base64.b64encode(
                        make_csv([self._row(user.login) for user in self.users])
                    ),
                    "filename": "awards.csv",
                }
            )
        )
        with RecordCapturer(self.env["certification.job"], []) as capture:
            wizard.action_import()
        return capture.records

    def _queue_grant(self):
        wizard = (
            self.env["certification.program.grant"]
            .with_user(self.officer)
            .create(
                {
                    "program_id": self.program.id,
                    "user_ids": [Command.set(self.users.ids)],
                }
            )
        )
        with RecordCapturer(self.env["certification.job"], []) as capture:
            wizard._queue_job(self.users.partner_id)
        return capture.records

    def _awards(self):
        return self.env["certification.award"].search(
            [("partner_id", "in", self.users.partner_id.ids)]
        )

    def _run_batch(self):
        """One call of the cron, as the cron runner makes it."""
        self.env["certification.job"]._cron_process_jobs()
        self.env.invalidate_all()

    def _set_lock_timeout(self, value):
        set_lock_timeout(self.env.cr, value)


@tagged("post_install", "-at_install")
class TestJobLockedHead(JobRetryCase):
    @mute_logger("odoo.sql_db")
    def test_locked_head_rolls_the_batch_back_and_the_cron_retries_it(self):
        """A concurrent transaction holds the head of the company's audit
        chain: the import batch
        times out on it (LockNotAvailable): nothing of the batch is applied,
        no row fails (the job does not say done), and the next attempt
        imports every row."""
        job = self._queue_import()
        start = fields.Datetime.now()
        with self.registry.cursor() as other_cr:
            lock_head(other_cr, chain_of(self.program.company_id.id, batch=True))
            self._set_lock_timeout("1s")
            try:
                with freeze_time(start):
                    self._run_batch()
            finally:
                self._set_lock_timeout("0")
            other_cr.rollback()
        self.assertEqual(job.state, "running")
        self.assertEqual((job.count_failed, job.count_created, job.cursor), (0, 0, 0))
        self.assertFalse(job.failed_rows)
        self.assertFalse(self._awards())
        self.assertEqual(job.batch_attempts, 1)
        self.assertGreater(job.date_next_attempt, start)
        self.assertIn("interrupted by a concurrent change", job.log)
        # the cron skips the job until the next attempt, then imports it all
        with freeze_time(start):
            self._run_batch()
        self.assertEqual((job.state, job.batch_attempts), ("running", 1))
        with freeze_time(job.date_next_attempt + timedelta(seconds=1)):
            self._run_batch()
        self.assertEqual(job.state, "done", job.log)
        self.assertEqual((job.count_created, job.count_failed), (3, 0))
        self.assertEqual(job.batch_attempts, 0)
        self.assertFalse(job.date_next_attempt)
        self.assertEqual(self._awards().partner_id, self.users.partner_id)

    @mute_logger("odoo.sql_db")
    def test_row_errors_still_fail_their_row_only(self):
        """Legitimate path: a row the one door refuses (deactivated learner)
        is a failed row, the others are imported; a retryable error is not
        caught by the row isolation."""
        Import = self.env["certification.award.importer"].with_user(self.officer)
        gone = self.users[0]
        gone.active = False
        rows_vals = [
            (
                ImportRow(line=index + 2, cells=[]),
                {"program_id": self.program.id, "partner_id": user.partner_id.id},
            )
            for index, user in enumerate(self.users)
        ]
        # first, while nothing of this transaction holds the head
        with self.registry.cursor() as other_cr:
            lock_head(other_cr, chain_of(self.program.company_id.id))
            self._set_lock_timeout("1s")
            try:
                with (
                    self.assertRaises(psycopg2.errors.LockNotAvailable),
                    self.env.cr.savepoint(),
                ):
                    Import._issue(rows_vals[1:])
            finally:
                self._set_lock_timeout("0")
            other_cr.rollback()
        self.assertFalse(self._awards())
        issued, failed = Import._issue(rows_vals)
        self.assertEqual(issued.partner_id, self.users[1:].partner_id)
        self.assertEqual([line for line, _error, _cells in failed], [2])
        self.assertIn("Deactivated users", failed[0][1])


@tagged("post_install", "-at_install")
class TestJobTakesItsChainsFirst(JobRetryCase):
    """A job batch writes to the batch chains of the audit log, all taken
    before it reads anything: another batch waits for it instead of moving a
    head under its snapshot (which would fail the whole batch), and a learner,
    who writes to the interactive chain of their company, never waits for it."""

    def _chains_held(self, cr):
        cr.execute(
            SQL(
                "SELECT objid::int FROM pg_locks WHERE locktype = 'advisory' "
                "AND classid = %s AND pid = pg_backend_pid() AND granted",
                AUDIT_LOCK_KEY,
            )
        )
        return {row[0] for row in cr.fetchall()}

    def _can_take(self, chain):
        with self.registry.cursor() as other_cr:
            other_cr.execute(
                SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", AUDIT_LOCK_KEY, chain)
            )
            return other_cr.fetchone()[0]

    def test_batch_holds_the_batch_chains_from_its_start(self):
        Log = self.env["certification.audit.log"]
        company = self.program.company_id.id
        batch_chains = set(Log._get_all_chains(batch=True))
        self.assertIn(chain_of(company, batch=True), batch_chains)
        self.assertIn(chain_of(False, batch=True), batch_chains)
        self.assertFalse(batch_chains & set(Log._get_all_chains(batch=False)))
        with Log._batch_writer():
            # pg_locks shows the second key as an unsigned oid
            held = {
                chain if chain < 2**31 else chain - 2**32
                for chain in self._chains_held(self.env.cr)
            }
            self.assertEqual(held, batch_chains)
            # another batch cannot take them; a learner's chain is free
            self.assertFalse(self._can_take(chain_of(company, batch=True)))
            self.assertTrue(self._can_take(chain_of(company)))

    def test_check_job_neither_waits_for_nor_holds_the_batch_chains(self):
        """A dry run writes no award: while another connection holds every
        batch chain (an import batch in progress), a CSV check job's batch
        runs at once and takes none of them."""
        rows = [self._row(f"nobody{index}") for index in range(CHECK_SYNC_LIMIT + 1)]
        wizard = (
            self.env["certification.award.import"]
            .with_user(self.officer)
            .create({"file": base64.b64encode(make_csv(rows)), "filename": "c.csv"})
        )
        wizard.action_check()
        job = wizard.check_job_id
        self.assertEqual((job.job_type, job.state), ("check", "queued"))
        Log = self.env["certification.audit.log"]
        with self.registry.cursor() as other_cr:
            for chain in Log._get_all_chains(batch=True):
                other_cr.execute(
                    SQL("SELECT pg_advisory_xact_lock(%s, %s)", AUDIT_LOCK_KEY, chain)
                )
            self._run_batch()
            held = self._chains_held(self.env.cr)
            other_cr.rollback()
        self.assertEqual(job.state, "done", job.log)
        self.assertEqual(job.check_result["failed"], CHECK_SYNC_LIMIT + 1)
        self.assertFalse(held)

    def test_batch_rows_go_to_the_batch_chain(self):
        job = self._queue_import()
        self._run_batch()
        self.assertEqual(job.state, "done", job.log)
        rows = self.env["certification.audit.log"].search(
            [("award_id", "in", self._awards().ids)]
        )
        self.assertTrue(rows)
        self.assertEqual(
            set(rows.mapped("chain")), {chain_of(self.program.company_id.id, True)}
        )
        self.assertFalse(self.env["certification.audit.log"]._verify_chain())
        # an officer's award, issued by hand, goes to the company's own chain
        learner = self.env["res.users"].create({"name": "By Hand", "login": "byhand"})
        award = (
            self.env["certification.award"]
            .with_user(self.officer)
            .create(
                {"program_id": self.program.id, "partner_id": learner.partner_id.id}
            )
        )
        latest = self.env["certification.audit.log"].search(
            [("award_id", "=", award.id)], order="id desc", limit=1
        )
        self.assertEqual(latest.chain, chain_of(self.program.company_id.id))
        self.assertFalse(self.env["certification.audit.log"]._verify_chain())


@tagged("post_install", "-at_install")
class TestJobSerializationFailure(JobRetryCase):
    def _move_head_concurrently(self):
        """Another transaction appends to the audit log and commits after
        this test's snapshot: the batch's ``SELECT … FOR UPDATE`` of the head
        then raises a serialization failure (the hash is kept: nothing else
        in the database changes)."""
        with self.registry.cursor() as other_cr:
            set_lock_timeout(other_cr, "5s")
            other_cr.execute(
                SQL(
                    "UPDATE %s SET hash = hash WHERE chain = %s",
                    HEADS,
                    chain_of(self.program.company_id.id, batch=True),
                )
            )
            self.assertEqual(other_cr.rowcount, 1)

    @mute_logger("odoo.sql_db")
    def test_attempts_run_out_with_a_clear_message(self):
        job = self._queue_import()
        self._move_head_concurrently()
        now = fields.Datetime.now()
        for attempt in range(1, MAX_BATCH_ATTEMPTS + 1):
            with freeze_time(now):
                self._run_batch()
            self.assertEqual(job.batch_attempts, attempt)
            self.assertFalse(self._awards())
            self.assertEqual(job.count_failed, 0)
            if attempt < MAX_BATCH_ATTEMPTS:
                self.assertEqual(job.state, "running")
                now = job.date_next_attempt + timedelta(seconds=1)
        self.assertEqual(job.state, "failed")
        self.assertIn(
            f"interrupted by concurrent changes {MAX_BATCH_ATTEMPTS} times", job.log
        )
        self.assertIn("could not serialize", job.log)
        self.assertFalse(job.result_attachment_id, "no row was recorded as failed")
        # the requester queues it again: the attempts start over
        job.with_user(self.officer).action_retry()
        self.assertEqual((job.state, job.batch_attempts), ("queued", 0))

    @mute_logger("odoo.sql_db")
    def test_grant_batch_is_retried_not_failed(self):
        job = self._queue_grant()
        self._move_head_concurrently()
        self._run_batch()
        self.assertEqual(job.state, "running", job.log)
        self.assertEqual((job.batch_attempts, job.count_created), (1, 0))
        self.assertFalse(self._awards())
        self.assertNotIn("Error:", job.log or "")


@tagged("post_install", "-at_install")
class TestJobTakenByAnotherRunner(TransactionCase):
    """Two job runners (cron workers) on one queue, with real connections: a
    runner whose snapshot predates another runner's committed batch of the
    oldest job skips it (no serialization failure raised into the cron)."""

    def open_job(self):
        with self.registry.cursor() as cr:
            cr.execute(
                SQL(
                    "INSERT INTO certification_job (name, job_type, state, user_id, "
                    "create_date, write_date) VALUES ('Runner drill', 'grant', "
                    "'queued', %s, now(), now()) RETURNING id",
                    SUPERUSER_ID,
                )
            )
            return cr.fetchone()[0]

    def take(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {})[
            "certification.job"
        ]._take_next_job()

    def test_a_job_moved_by_another_runner_is_skipped(self):
        job_id = self.open_job()
        try:
            with self.registry.cursor() as cr, self.registry.cursor() as other_cr:
                cr.execute(SQL("SELECT 1"))  # this runner's snapshot begins
                other_cr.execute(
                    SQL(
                        "UPDATE certification_job SET progress_done = 1 WHERE id = %s",
                        job_id,
                    )
                )
                other_cr.commit()  # the other runner's batch
                self.assertFalse(self.take(cr), "left to the other runner")
                cr.execute(SQL("SELECT 1"))  # the transaction is still usable
            # the next call, on a fresh snapshot, takes it
            with self.registry.cursor() as cr:
                self.assertEqual(self.take(cr).id, job_id)
        finally:
            with self.registry.cursor() as cr:
                cr.execute(SQL("DELETE FROM certification_job WHERE id = %s", job_id))
