# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import contextlib
import contextvars
import functools
import hashlib
import json

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .. import compat
from ..tools import pg_array

AUDIT_ACTIONS = [
    ("issue", "Issue"),
    ("renew", "Renew"),
    ("edit", "Edit"),
    ("revoke", "Revoke"),
    ("expire", "Expire"),
    ("grace", "Grace period"),
    ("unassign", "Unassign"),
    ("delete", "Delete certification"),
    ("import", "Import"),
    ("fix", "Fix"),
]
AUDIT_ACTION_NAMES = frozenset(action for action, _label in AUDIT_ACTIONS)
GENESIS_HASH = "0" * 64
# The columns a row is inserted with (:meth:`CertificationAuditLog._log`), and
# their PostgreSQL array types.
LOG_COLUMNS = {
    "award_id": "int4[]",
    "award_name": "varchar[]",
    "program_id": "int4[]",
    "program_name": "varchar[]",
    "partner_id": "int4[]",
    "partner_name": "varchar[]",
    "employee_id": "int4[]",
    "employee_company_id": "int4[]",
    "company_id": "int4[]",
    "user_id": "int4[]",
    "date": "timestamp[]",
    "action": "varchar[]",
    "field_name": "varchar[]",
    "old_value": "text[]",
    "new_value": "text[]",
    "reason": "text[]",
    "hash": "varchar[]",
    "previous_hash": "varchar[]",
    "chain": "int4[]",
}
# The content a row's hash covers, in this order (plus the previous hash):
# every column of the row, the company and employee columns that the record
# rules read included.
HASHED_FIELDS = tuple(
    name for name in LOG_COLUMNS if name not in ("hash", "previous_hash", "chain")
)
INTEGER_COLUMNS = frozenset(
    name for name, array_type in LOG_COLUMNS.items() if array_type == "int4[]"
)
# First key of the transaction-level advisory locks serializing the appends
# to one chain (the second key is the chain).
AUDIT_LOCK_KEY = 7_312_012
# Before chains were kept per company, one chain with its head in this table;
# its rows have no chain. Read (never written) when an upgraded database has it.
LEGACY_HEAD_TABLE = "certification_audit_log_head"


# Whether this transaction writes as the scheduler (a job batch, the expiry
# cron): set by ``_batch_writer()`` only, never by a caller's context.
BATCH_WRITER = contextvars.ContextVar("certification_audit_batch_writer", default=False)


def chain_of(company_id, batch=False):
    """The chain a row of ``company_id`` (falsy: no company) is appended to:
    each company has two, one for interactive writers (the company's id, 0
    without company) and one for the scheduler's batches (``-1 - that``), so
    that a learner never waits for, nor moves the head under, a batch."""
    chain = company_id or 0
    return -1 - chain if batch else chain


def chain_genesis(chain):
    """The previous hash of a chain's first row: one per chain, so that no
    two chains share a row to follow (the log never forks)."""
    if chain is None:
        return GENESIS_HASH
    return hashlib.sha256(f"{GENESIS_HASH}:{chain}".encode()).hexdigest()


@functools.lru_cache(maxsize=256)
def datetime_text(value):
    """``fields.Datetime.to_string``, once per instant: the rows of one
    append share theirs."""
    return fields.Datetime.to_string(value)


VERIFY_CHUNK = 5000


class CertificationAuditLog(models.Model):
    """Append-only journal of what happened to awards, chained by SHA-256.

    The award, certification and learner are stored as plain ids plus the
    names they had at write time (no foreign key: deleting an award or a
    certification must not update or delete a log row); computed Many2one
    fields make them clickable while they exist. Rows are only added by
    :meth:`_log`; ``write``/``unlink`` raise and a database trigger refuses
    UPDATE and DELETE."""

    _name = "certification.audit.log"
    _description = "Certification Audit Log"
    _order = "id desc"
    _rec_name = "award_name"
    # Like Odoo's ``ir.logging``, no ORM log-access columns: a row's writer
    # and instant are ``user_id`` and ``date``, which the hash covers; an
    # unhashed create_uid/write_uid would repeat them and cost two foreign-key
    # checks per row on the bulk path (an import logs one row per award).
    _log_access = False

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    award_id = fields.Integer("Award ID", readonly=True, index=True, aggregator=None)
    award_name = fields.Char("Award", readonly=True)
    award_ref_id = fields.Many2one(
        "certification.award",
        "Award Record",
        compute="_compute_refs",
        search="_search_award_ref_id",
    )
    program_id = fields.Integer(
        "Certification ID", readonly=True, index=True, aggregator=None
    )
    program_name = fields.Char("Certification", readonly=True)
    program_ref_id = fields.Many2one(
        "certification.program", "Certification Record", compute="_compute_refs"
    )
    partner_id = fields.Integer(
        "Learner ID", readonly=True, index=True, aggregator=None
    )
    partner_name = fields.Char("Learner", readonly=True)
    partner_ref_id = fields.Many2one(
        "res.partner", "Learner Record", compute="_compute_refs"
    )
    employee_id = fields.Integer(
        "Employee ID",
        readonly=True,
        aggregator=None,
        help="The learner's employee when the row was written (HR access).",
    )
    employee_company_id = fields.Many2one(
        "res.company", readonly=True, ondelete="restrict"
    )
    company_id = fields.Many2one(
        "res.company", readonly=True, ondelete="restrict", index=True
    )
    user_id = fields.Many2one(
        "res.users", "By", readonly=True, ondelete="restrict", index=True
    )
    date = fields.Datetime(readonly=True, index=True)
    action = fields.Selection(AUDIT_ACTIONS, readonly=True, required=True, index=True)
    field_name = fields.Char("Changed Field", readonly=True)
    old_value = fields.Text(readonly=True)
    new_value = fields.Text(readonly=True)
    reason = fields.Text(readonly=True)
    hash = fields.Char(readonly=True, required=True)
    previous_hash = fields.Char(readonly=True, required=True)
    chain = fields.Integer(
        readonly=True,
        aggregator=None,
        help="The hash chain of the row. Each company has two, each with its own "
        "lock: the company's id (0: rows without a company) for changes made "
        "by users, and a negative number for those of background jobs and "
        "scheduled actions, so that writers of different companies, and users "
        "and background batches, never wait on each other. Empty on rows "
        "written when the log had a single chain.",
    )

    def init(self):
        # The head of each chain: one row per chain, locked and moved by each
        # append to it. Under Odoo's REPEATABLE READ, a writer whose snapshot
        # predates another writer's commit gets a serialization failure there
        # (retried like any concurrent update) instead of chaining to a stale
        # head.
        self.env.cr.execute(
            SQL(
                "CREATE TABLE IF NOT EXISTS certification_audit_log_chain ("
                "chain integer PRIMARY KEY, hash varchar NOT NULL)"
            )
        )
        # the chains of the companies there are start here; a later company's
        # starts on its first append
        chains = self._get_all_chains()
        self.env.cr.execute(
            SQL(
                "INSERT INTO certification_audit_log_chain (chain, hash) "
                "VALUES %s ON CONFLICT (chain) DO NOTHING",
                SQL(", ").join(
                    SQL("(%s, %s)", chain, chain_genesis(chain)) for chain in chains
                ),
            )
        )
        # A chain never forks: two rows cannot follow the same row.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS certification_audit_log_chain_uniq "
                "ON certification_audit_log (previous_hash)"
            )
        )
        # Refuse UPDATE, DELETE and TRUNCATE, even through SQL on the ORM cursor.
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE FUNCTION certification_audit_log_refuse()
                RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION USING MESSAGE =
                        'certification_audit_log is append-only: ' || TG_OP
                        || ' refused';
                END $$;
                DROP TRIGGER IF EXISTS certification_audit_log_append_only
                    ON certification_audit_log;
                CREATE TRIGGER certification_audit_log_append_only
                    BEFORE UPDATE OR DELETE ON certification_audit_log
                    FOR EACH ROW EXECUTE FUNCTION certification_audit_log_refuse();
                DROP TRIGGER IF EXISTS certification_audit_log_no_truncate
                    ON certification_audit_log;
                CREATE TRIGGER certification_audit_log_no_truncate
                    BEFORE TRUNCATE ON certification_audit_log
                    FOR EACH STATEMENT
                    EXECUTE FUNCTION certification_audit_log_refuse();
                """
            )
        )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    def _compute_refs(self):
        targets = {
            "award_ref_id": ("certification.award", "award_id"),
            "program_ref_id": ("certification.program", "program_id"),
            "partner_ref_id": ("res.partner", "partner_id"),
        }
        for ref_field, (model, id_field) in targets.items():
            Model = self.env[model].with_context(active_test=False)
            existing = set(Model.browse(set(self.mapped(id_field)) - {0}).exists().ids)
            for row in self:
                row[ref_field] = Model.browse(
                    row[id_field] if row[id_field] in existing else []
                )

    def _search_award_ref_id(self, operator, value):
        return [("award_id", operator, value)]

    # ------------------------------------------------------------
    # CRUD: append only
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # rows are only added by _log (SQL insert), never through the ORM,
        # whatever the caller's context
        self.check_access("create")
        if vals_list:
            raise UserError(_("Audit log rows are only written by the application."))
        return super().create(vals_list)

    def write(self, vals):
        if vals:
            raise UserError(_("The audit log cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_always(self):
        raise UserError(_("The audit log cannot be deleted."))

    # ------------------------------------------------------------
    # BUSINESS: the one writer and the chain
    # ------------------------------------------------------------

    @api.model
    def _log(self, rows):
        """Append ``rows`` (dicts of the log's fields; ``award`` may be given
        instead of the ids and names) in one INSERT, each chained to the last
        row of its company's chain. Appends to one chain are serialized by a
        transaction-level advisory lock; chains are taken in a fixed order."""
        if not rows:
            return self.browse()
        now = fields.Datetime.now()
        awards = [row["award"] for row in rows if row.get("award") is not None]
        columns = self._get_award_columns(awards[0].concat(*awards)) if awards else {}
        vals_list = [self._prepare_log_vals(row, now, columns) for row in rows]
        heads = {}
        batch = BATCH_WRITER.get()
        for vals in vals_list:
            vals["chain"] = chain_of(vals.get("company_id"), batch)
        for chain in sorted({vals["chain"] for vals in vals_list}):
            heads[chain] = self._lock_chain(chain)
        for vals in vals_list:
            vals["previous_hash"] = heads[vals["chain"]]
            vals["hash"] = heads[vals["chain"]] = self._compute_row_hash(
                vals, vals["previous_hash"]
            )
        # the caller changed the awards it logs (checked by their own access
        # rules); nobody may create log rows through the ORM
        ids = self._insert_rows(vals_list)
        self.env.cr.execute(
            SQL(
                "UPDATE certification_audit_log_chain AS head SET hash = moved.hash "
                "FROM (VALUES %s) AS moved(chain, hash) WHERE head.chain = moved.chain",
                SQL(", ").join(SQL("(%s, %s)", *head) for head in heads.items()),
            )
        )
        return self.browse(ids)

    @api.model
    def _insert_rows(self, vals_list):
        """INSERT the prepared rows in one statement, like Odoo's own
        ``ir.logging`` handler: a journal row has no default, no computed
        column and no side effect for the ORM to apply, and a bulk path (an
        import of 100,000 rows) logs one row per award. Each column goes as
        one array literal (one parameter) that ``unnest`` spreads into rows;
        psycopg2 would send a list as an ``ARRAY[…]`` expression of one
        constant per value, which PostgreSQL parses element by element.
        Returns the ids."""
        self.env.cr.execute(
            SQL(
                "INSERT INTO certification_audit_log (%(columns)s) "
                "SELECT * FROM unnest(%(arrays)s) RETURNING id",
                columns=SQL(", ").join(SQL.identifier(name) for name in LOG_COLUMNS),
                arrays=SQL(", ").join(
                    SQL(
                        "%s::%s",
                        pg_array.to_literal(
                            vals[name] if name == "chain" else vals.get(name) or None
                            for vals in vals_list
                        ),
                        SQL(array_type),
                    )
                    for name, array_type in LOG_COLUMNS.items()
                ),
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _lock_chain(self, chain):
        """Serialize the appends to ``chain``: a transaction-level advisory
        lock, waited for at most 15 s (then ``LockNotAvailable``, which Odoo
        retries like a serialization failure), then its head row, created at
        the chain's genesis on its first append. Returns the head's hash."""
        cr = self.env.cr
        self._lock_chains([chain])
        # one statement creates the head at the chain's genesis on its first
        # append, or locks it (as FOR UPDATE would) and reads it
        cr.execute(
            SQL(
                "INSERT INTO certification_audit_log_chain AS head (chain, hash) "
                "VALUES (%s, %s) ON CONFLICT (chain) DO UPDATE SET hash = head.hash "
                "RETURNING hash",
                chain,
                chain_genesis(chain),
            )
        )
        return cr.fetchone()[0]

    @api.model
    def _get_all_chains(self, batch=None):
        """The chains of every company and of rows without company: both
        kinds, or only the batch (``True``) or interactive (``False``) ones."""
        self.env.cr.execute(SQL("SELECT 0 UNION SELECT id FROM res_company"))
        companies = [company for (company,) in self.env.cr.fetchall()]
        kinds = (False, True) if batch is None else (batch,)
        return sorted(
            chain_of(company, kind) for company in companies for kind in kinds
        )

    @contextlib.contextmanager
    def _batch_writer(self):
        """Within it, this transaction is a batch of the scheduler (a job
        batch, an expiry cron call): its rows go to the batch chains, all
        taken first, before the batch reads anything. Batches then wait for
        each other instead of moving a head under another's REPEATABLE READ
        snapshot (which fails a whole batch at its first append); users'
        changes go to the other chains and never wait for a batch."""
        token = BATCH_WRITER.set(True)
        try:
            # a batch waits for the one before it (seconds), in the background
            self._lock_chains(self._get_all_chains(batch=True), timeout="60s")
            yield
        finally:
            BATCH_WRITER.reset(token)

    @api.model
    def _lock_chains(self, chains, timeout="15s"):
        """Take the advisory locks of ``chains`` (see :func:`chain_of`) in
        their fixed order, each waited for at most ``timeout`` (then
        ``LockNotAvailable``); a lock already held by this transaction is
        taken at once."""
        cr = self.env.cr
        for chain in sorted(set(chains)):
            key = SQL("%s, %s", AUDIT_LOCK_KEY, chain)
            cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s)", key))
            if not cr.fetchone()[0]:
                cr.execute(SQL("SET LOCAL lock_timeout = %s", timeout))
                cr.execute(SQL("SELECT pg_advisory_xact_lock(%s)", key))
                cr.execute(SQL("SET LOCAL lock_timeout = DEFAULT"))

    @api.model
    def _prepare_log_vals(self, row, now, award_columns=None):
        """The stored values of one row: the writer (the current user) and the
        instant are the server's; ``award`` gives the ids and names (read
        beforehand for many rows: ``award_columns``, see
        :meth:`_get_award_columns`). Values are coerced to their column's
        type here, so that the hash covers exactly what is stored."""
        vals = {}
        award = row.get("award")
        if award is not None:
            if not award_columns or award.id not in award_columns:
                award_columns = self._get_award_columns(award)
            vals.update(award_columns[award.id])
        vals.update(row)
        vals.pop("award", None)
        vals["user_id"] = self.env.uid
        vals["date"] = now
        if vals.get("action") not in AUDIT_ACTION_NAMES:
            raise ValueError(f"Unknown audit log action: {vals.get('action')!r}")
        return self._coerce_log_vals(vals)

    @api.model
    def _get_award_columns(self, awards):
        """{award id: the award columns of a log row}: the ids of the award,
        its certification, learner, company and employee, and the names they
        have now. One query reads the ids and the learners' names (a bulk path
        logs 100,000 awards: reading them record by record costs twice as
        much); the certifications' names, translated and few, are read
        through the ORM."""
        awards.flush_recordset(
            ["program_id", "partner_id", "employee_id", "company_id"]
        )
        awards.partner_id.flush_recordset(["name"])
        awards.employee_id.flush_recordset(["company_id"])
        # past the ORM's rights: the caller creates, changes or deletes these
        # awards (their access rules checked there), and the log stores their
        # learners' names as they are
        self.env.cr.execute(
            SQL(
                "SELECT award.id, award.program_id, award.partner_id, partner.name, "
                "award.company_id, award.employee_id, employee.company_id "
                "FROM certification_award AS award "
                "LEFT JOIN res_partner AS partner ON partner.id = award.partner_id "
                "LEFT JOIN hr_employee AS employee ON employee.id = award.employee_id "
                "WHERE award.id = ANY(%s::int4[])",
                pg_array.to_literal(awards.ids),
            )
        )
        rows = self.env.cr.fetchall()
        programs = self.env["certification.program"].browse({row[1] for row in rows})
        program_names = {program.id: program.name for program in programs}
        return {
            award_id: {
                "award_id": award_id,
                # its display name, from the names read once above
                "award_name": awards._format_display_name(
                    program_names.get(program_id, False), partner_name
                ),
                "program_id": program_id,
                "program_name": program_names.get(program_id, False),
                "partner_id": partner_id or False,
                "partner_name": partner_name or False,
                "company_id": company_id or False,
                "employee_id": employee_id or False,
                "employee_company_id": employee_company_id or False,
            }
            for (
                award_id,
                program_id,
                partner_id,
                partner_name,
                company_id,
                employee_id,
                employee_company_id,
            ) in rows
        }

    @api.model
    def _coerce_log_vals(self, vals):
        """``vals`` as the database stores them: integers, text, a datetime to
        the second, None for empty."""
        coerced = {}
        for name in HASHED_FIELDS:
            value = vals.get(name)
            if isinstance(value, models.BaseModel):
                value = value.id
            if name in INTEGER_COLUMNS:
                value = int(value) if value else None
            elif name == "date":
                value = fields.Datetime.to_datetime(value) if value else None
            else:
                value = str(value) if value not in (None, False, "") else None
            coerced[name] = value
        return coerced

    @api.model
    def _compute_row_hash(self, vals, previous_hash):
        content = []
        for name in HASHED_FIELDS:
            value = vals.get(name)
            if name == "date":
                value = datetime_text(value) if value else None
            elif name in INTEGER_COLUMNS:
                value = int(value or 0)
            else:
                value = value or None
            content.append(value)
        content.append(previous_hash)
        payload = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(payload.encode()).hexdigest()

    @api.model
    def _verify_chain(self):
        """The first row whose hash does not match its content or whose
        previous hash is not the hash of the row before in its chain; empty
        when every chain verifies. Reads the table in chunks, oldest first,
        all chains at once."""
        cr = self.env.cr
        self.flush_model()
        last_hash, last_row, after = {}, {}, 0
        columns = SQL(", ").join(SQL.identifier(name) for name in HASHED_FIELDS)
        while True:
            cr.execute(
                SQL(
                    "SELECT id, chain, %(columns)s, previous_hash, hash "
                    "FROM certification_audit_log WHERE id > %(after)s "
                    "ORDER BY id LIMIT %(limit)s",
                    columns=columns,
                    after=after,
                    limit=VERIFY_CHUNK,
                )
            )
            rows = cr.fetchall()
            if not rows:
                return self._check_chain_heads(last_hash, last_row)
            for row in rows:
                chain = row[1]
                previous = last_hash.get(chain, chain_genesis(chain))
                vals = dict(zip(HASHED_FIELDS, row[2:-2], strict=True))
                if row[-2] != previous or row[-1] != self._compute_row_hash(
                    vals, previous
                ):
                    return self.browse(row[0])
                last_hash[chain], last_row[chain], after = row[-1], row[0], row[0]

    @api.model
    def _check_chain_heads(self, last_hash, last_row):
        """Each chain's head must be its last row's hash: rows deleted at the
        end of a chain, or all of them (triggers disabled, TRUNCATE), break
        it. Returns the last row of the first chain whose head differs, or
        the pseudo-row 0 (the genesis) when that chain has no row left."""
        cr = self.env.cr
        cr.execute(SQL("SELECT chain, hash FROM certification_audit_log_chain"))
        heads = dict(cr.fetchall())
        cr.execute(SQL("SELECT to_regclass(%s) IS NOT NULL", LEGACY_HEAD_TABLE))
        if cr.fetchone()[0]:
            cr.execute(
                SQL(
                    "SELECT hash FROM %s WHERE id = 1",
                    SQL.identifier(LEGACY_HEAD_TABLE),
                )
            )
            heads.update((None, hash_) for (hash_,) in cr.fetchall())
        for chain in sorted(heads.keys() | last_hash.keys(), key=lambda c: c or 0):
            head = heads.get(chain, chain_genesis(chain))
            if head != last_hash.get(chain, chain_genesis(chain)):
                return self.browse([last_row.get(chain, 0)])
        return self.browse()

    @api.model
    def get_chain_broken_row(self):
        """The id of the first broken row found by the last verification (0:
        the log was emptied), or False when it verified (the banner of the
        list view)."""
        self.check_access("read")
        # readers of the log may know whether it verifies
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("certifications_retraining.audit_chain_broken_id")
        )
        return int(value) if value else False

    @api.model
    def _run_chain_verification(self):
        """Verify the chain, remember the result (banner) and tell the
        certification administrators when it is broken."""
        self.check_access("read")
        broken = self._verify_chain()
        # readers of the log (checked above) may record whether it verifies
        params = self.env["ir.config_parameter"].sudo()
        params.set_param(
            "certifications_retraining.audit_chain_broken_id",
            str(broken.id) if broken else "",
        )
        if broken:
            self._notify_administrators(
                _("Audit log: the hash chain is broken"),
                _(
                    "The audit log row %(id)s does not match its hash: the log "
                    "was changed outside the application.",
                    id=broken.id,
                )
                if broken.id
                else _(
                    "The audit log has no row left but its chain had rows: the "
                    "log was emptied outside the application."
                ),
            )
        return broken

    @api.model
    def _cron_verify_chain(self):
        broken = self._run_chain_verification()
        compat.report_cron_progress(self.env, 1, 0)
        return broken

    @api.model
    def _notify_administrators(self, subject, body):
        """Post ``body`` to the certification administrators (a message in
        their inbox, from OdooBot)."""
        group = self.env.ref("certifications_retraining.group_certification_manager")
        # called by the daily crons and by readers of the log (checked by the
        # callers): only the administrators' partners are read
        partners = group.sudo()[compat.GROUP_USERS].filtered("active").partner_id
        if not partners:
            return
        odoobot = self.env.ref("base.partner_root")
        # internal notification to the group's members, posted by the system
        self.env["mail.thread"].sudo().message_notify(
            partner_ids=partners.ids,
            author_id=odoobot.id,
            subject=subject,
            body=self.env["ir.qweb"]._render(
                "certifications_retraining.certification_admin_notification_body",
                {"body": body},
            ),
            model=False,
        )

    @api.model
    def action_verify_chain(self):
        """Settings button: verify now and say the result."""
        broken = self._run_chain_verification()
        message = (
            _("The audit log chain is broken at row %(id)s.", id=broken.id)
            if broken
            else _("The audit log chain verifies.")
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Audit log"),
                "message": message,
                "type": "danger" if broken else "success",
                "sticky": bool(broken),
            },
        }
