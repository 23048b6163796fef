# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The audit log keeps one hash chain per company: each verifies on its own,
a change in one is found, and writers of different companies do not wait on
each other (proven with a second real connection)."""

import psycopg2.errors

from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from ..models.certification_audit_log import (
    GENESIS_HASH,
    HASHED_FIELDS,
    chain_genesis,
)
from .common import CertificationCase, make_portal_learner, make_program


class ChainCase(CertificationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Log = cls.env["certification.audit.log"]
        cls.Award = cls.env["certification.award"]
        # the main program belongs to no company: its rows go to chain 0
        cls.main_chain = cls.program.company_id.id or 0
        cls.other_company = cls.env["res.company"].create({"name": "Other Branch"})
        cls.other_program = make_program(
            cls.env, name="Crane Operator", company_id=cls.other_company.id
        )
        cls.second = make_portal_learner(cls.env, login="chain_second", name="Second")

    def issue(self, program, partner):
        return self.Award._issue_awards(
            [{"program_id": program.id, "partner_id": partner.id}]
        )

    def rows_of(self, awards):
        return self.Log.search([("award_id", "in", awards.ids)], order="id")

    def sql(self, query, *args):
        self.env.flush_all()
        self.env.cr.execute(SQL(query, *args))
        self.env.invalidate_all()

    def without_triggers(self, query, *args):
        """Run ``query`` on the log as a database owner who disabled the
        append-only triggers would."""
        self.sql("ALTER TABLE certification_audit_log DISABLE TRIGGER USER")
        self.sql(query, *args)
        self.sql("ALTER TABLE certification_audit_log ENABLE TRIGGER USER")


@tagged("post_install", "-at_install")
class TestAuditChains(ChainCase):
    def test_each_company_appends_to_its_own_chain(self):
        ours = self.issue(self.program, self.learner.partner_id)
        theirs = self.issue(self.other_program, self.second.partner_id)
        ours |= self.issue(self.program, self.second.partner_id)
        self.assertEqual(set(self.rows_of(ours).mapped("chain")), {self.main_chain})
        their_rows = self.rows_of(theirs)
        self.assertEqual(their_rows.chain, self.other_company.id)
        # the other company's first row starts its own chain, whatever was
        # appended to ours in between
        self.assertEqual(their_rows.previous_hash, chain_genesis(self.other_company.id))
        first, second = self.rows_of(ours)[-2:]
        self.assertEqual(second.previous_hash, first.hash)
        self.assertFalse(self.Log._verify_chain())

    def test_a_change_in_one_chain_is_found(self):
        self.issue(self.program, self.learner.partner_id)
        theirs = self.issue(self.other_program, self.second.partner_id)
        row = self.rows_of(theirs)
        self.assertFalse(self.Log._verify_chain())
        for query, args in (
            ("UPDATE certification_audit_log SET reason = 'forged' WHERE id = %s", ()),
            # moved to another company's chain: its links no longer hold
            (
                "UPDATE certification_audit_log SET chain = %s WHERE id = %s",
                (self.main_chain,),
            ),
        ):
            with self.subTest(query=query), self.env.cr.savepoint():
                self.without_triggers(query, *args, row.id)
                self.assertEqual(self.Log._verify_chain(), row)

    def test_a_chain_cut_at_its_end_is_found(self):
        """The last row of a chain deleted (triggers disabled): its head no
        longer matches; the row before is reported. The whole chain deleted:
        the genesis (row 0)."""
        awards = self.issue(self.other_program, self.second.partner_id)
        awards |= self.issue(self.other_program, self.learner.partner_id)
        first, last = self.rows_of(awards)
        self.without_triggers(
            "DELETE FROM certification_audit_log WHERE id = %s", last.id
        )
        self.assertEqual(self.Log._verify_chain(), first)
        self.without_triggers(
            "DELETE FROM certification_audit_log WHERE id = %s", first.id
        )
        genesis = self.Log._verify_chain()
        self.assertEqual(len(genesis), 1, "the chain is reported broken")
        self.assertFalse(genesis.id, "at its genesis")

    def test_rows_of_the_single_chain_era_still_verify(self):
        """A database upgraded from the single chain: its rows (no chain)
        follow each other from the old genesis up to the old head; new rows
        go to the companies' chains; both verify and both are checked."""
        self.issue(self.program, self.learner.partner_id)
        self.sql(
            "CREATE TABLE certification_audit_log_head ("
            "id integer PRIMARY KEY, hash varchar NOT NULL)"
        )
        previous = GENESIS_HASH
        legacy = []
        for reason in ("first", "second"):
            vals = {name: None for name in HASHED_FIELDS}
            vals.update(action="fix", reason=reason)
            row_hash = self.Log._compute_row_hash(vals, previous)
            self.sql(
                "INSERT INTO certification_audit_log (action, reason, date, "
                "previous_hash, hash) VALUES ('fix', %s, NULL, %s, %s) RETURNING id",
                reason,
                previous,
                row_hash,
            )
            legacy.append(self.Log.search([("reason", "=", reason)]))
            previous = row_hash
        self.sql("INSERT INTO certification_audit_log_head VALUES (1, %s)", previous)
        self.assertFalse(legacy[0].chain)
        self.assertFalse(self.Log._verify_chain())
        self.without_triggers(
            "UPDATE certification_audit_log SET reason = 'forged' WHERE id = %s",
            legacy[0].id,
        )
        self.assertEqual(self.Log._verify_chain(), legacy[0])


@tagged("post_install", "-at_install")
class TestAuditChainsDoNotWait(ChainCase):
    """Its own transaction: a second connection holds the head of the
    chain of the main program (chain 0, seeded at install), as an append in
    progress does."""

    def hold_head(self, other_cr, chain):
        other_cr.execute(SQL("SET LOCAL lock_timeout = '5s'"))
        other_cr.execute(
            SQL(
                "SELECT hash FROM certification_audit_log_chain WHERE chain = %s "
                "FOR UPDATE",
                chain,
            )
        )
        self.assertEqual(other_cr.rowcount, 1, "the chain has its head")

    @mute_logger("odoo.sql_db")
    def test_other_company_appends_while_one_is_held(self):
        with self.registry.cursor() as other_cr:
            self.hold_head(other_cr, self.main_chain)
            self.env.cr.execute(SQL("SET LOCAL lock_timeout = '1s'"))
            try:
                # the same chain waits for the append in progress ...
                with (
                    self.assertRaises(psycopg2.errors.LockNotAvailable),
                    self.env.cr.savepoint(),
                ):
                    self.issue(self.program, self.learner.partner_id)
                # ... another company does not
                theirs = self.issue(self.other_program, self.second.partner_id)
                self.env.flush_all()
            finally:
                self.env.cr.execute(SQL("SET LOCAL lock_timeout = 0"))
            other_cr.rollback()
        self.assertEqual(self.rows_of(theirs).mapped("action"), ["issue"])
        # once the other transaction ended, the first chain appends again
        ours = self.issue(self.program, self.learner.partner_id)
        self.assertEqual(self.rows_of(ours).mapped("action"), ["issue"])
        self.assertFalse(self.Log._verify_chain())
