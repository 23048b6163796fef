# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..compat import Constraint
from ..tools import open_badges

# A company's credential version: one row per company, never read by the ORM,
# set by the triggers below from a sequence (a value is never given twice,
# even by a transaction rolled back). It changes, in the transaction that made
# the change, whenever a bit or a key of the company changes, so that the
# public routes cache what they built per (company, version).
VERSION_SQL = """
CREATE SEQUENCE IF NOT EXISTS certification_credential_version_seq;
CREATE TABLE IF NOT EXISTS certification_credential_version (
    company_id integer PRIMARY KEY REFERENCES res_company(id) ON DELETE CASCADE,
    version bigint NOT NULL,
    blocks integer NOT NULL DEFAULT 0
);
CREATE OR REPLACE FUNCTION certification_credential_bump(
    company_ids integer[], block_counts integer[]
) RETURNS void LANGUAGE sql AS $$
    INSERT INTO certification_credential_version AS v
        (company_id, version, blocks)
    SELECT company_id, nextval('certification_credential_version_seq'), blocks
      FROM (SELECT company_id, MAX(blocks) AS blocks
              FROM unnest(company_ids, block_counts) AS t(company_id, blocks)
             WHERE company_id IS NOT NULL
             GROUP BY company_id ORDER BY company_id) AS changed
    ON CONFLICT (company_id) DO UPDATE
       SET version = EXCLUDED.version,
           blocks = GREATEST(v.blocks, EXCLUDED.blocks);
$$;

-- An award archived or made current again, or moved to another place.
CREATE OR REPLACE FUNCTION certification_award_credential_updated()
RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE changed integer[];
BEGIN
    changed := ARRAY(
        SELECT DISTINCT unnest(ARRAY[o.open_badge_company_id, n.open_badge_company_id])
          FROM old_awards o JOIN new_awards n ON n.id = o.id
         WHERE (o.state = 'archived') IS DISTINCT FROM (n.state = 'archived')
            OR o.open_badge_company_id IS DISTINCT FROM n.open_badge_company_id
            OR o.open_badge_status_index IS DISTINCT FROM n.open_badge_status_index);
    IF cardinality(changed) > 0 THEN
        PERFORM certification_credential_bump(
            changed, array_fill(0, ARRAY[cardinality(changed)]));
    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS certification_award_credential_updated ON certification_award;
CREATE TRIGGER certification_award_credential_updated
    AFTER UPDATE ON certification_award
    REFERENCING OLD TABLE AS old_awards NEW TABLE AS new_awards
    FOR EACH STATEMENT EXECUTE FUNCTION certification_award_credential_updated();

-- A new award whose place is beyond the company's list: the list grows.
CREATE OR REPLACE FUNCTION certification_award_credential_inserted()
RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE companies integer[]; block_counts integer[];
BEGIN
    SELECT array_agg(n.company_id), array_agg(n.blocks)
      INTO companies, block_counts
      FROM (SELECT open_badge_company_id AS company_id,
                   -- 131072: open_badges.STATUS_LIST_MIN_BITS, the places of one
                   -- block (TestCredentialRoutesCache grows a list past it)
                   MAX(open_badge_status_index) / 131072 + 1
                   AS blocks
              FROM new_awards WHERE open_badge_company_id IS NOT NULL
             GROUP BY open_badge_company_id) AS n
      LEFT JOIN certification_credential_version v ON v.company_id = n.company_id
     WHERE n.blocks > COALESCE(v.blocks, 0);
    IF companies IS NOT NULL THEN
        PERFORM certification_credential_bump(companies, block_counts);
    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS certification_award_credential_inserted ON certification_award;
CREATE TRIGGER certification_award_credential_inserted
    AFTER INSERT ON certification_award
    REFERENCING NEW TABLE AS new_awards
    FOR EACH STATEMENT EXECUTE FUNCTION certification_award_credential_inserted();

-- A place revoked for ever (deleted award, credential issued again), or a
-- key made, rotated or compromised.
CREATE OR REPLACE FUNCTION certification_credential_company_changed()
RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE changed integer[];
BEGIN
    changed := ARRAY(SELECT DISTINCT company_id FROM new_rows);
    IF cardinality(changed) > 0 THEN
        PERFORM certification_credential_bump(
            changed, array_fill(0, ARRAY[cardinality(changed)]));
    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS certification_credential_revocation_inserted
    ON certification_credential_revocation;
CREATE TRIGGER certification_credential_revocation_inserted
    AFTER INSERT ON certification_credential_revocation
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION certification_credential_company_changed();
DROP TRIGGER IF EXISTS certification_signing_key_inserted ON certification_signing_key;
CREATE TRIGGER certification_signing_key_inserted
    AFTER INSERT ON certification_signing_key
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION certification_credential_company_changed();
DROP TRIGGER IF EXISTS certification_signing_key_updated ON certification_signing_key;
CREATE TRIGGER certification_signing_key_updated
    AFTER UPDATE ON certification_signing_key
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION certification_credential_company_changed();
"""

REVOCATION_REASONS = [
    ("deleted", "Award deleted"),
    ("reissued", "Credential issued again"),
]


class CertificationCredentialRevocation(models.Model):
    """A status list place revoked for ever, without an award holding it.

    An award's own place is revoked while the award is archived. A place
    outlives its award in two cases: the award was deleted (unassigned, or its
    certification deleted: a database trigger keeps the place, whatever path
    deleted the row), or the award got a new place because the credential it
    had no longer tells the truth (validity shortened, signing key
    compromised). The status list sets the bits of these rows too, so a
    credential downloaded earlier never verifies as not revoked."""

    _name = "certification.credential.revocation"
    _description = "Revoked Credential Status"
    _order = "company_id, status_index"
    _rec_name = "status_index"
    _log_access = False

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, ondelete="cascade"
    )
    status_index = fields.Integer(
        "Status List Index", required=True, readonly=True, aggregator=False
    )
    award_id = fields.Integer(
        "Award ID",
        readonly=True,
        aggregator=False,
        help="The award that held the place (may be gone).",
    )
    reason = fields.Selection(REVOCATION_REASONS, required=True, readonly=True)
    revoked_on = fields.Datetime(required=True, readonly=True)

    _company_index_uniq = Constraint(
        "unique(company_id, status_index)",
        "A status list place is revoked once.",
    )
    _status_index_range = Constraint(
        f"CHECK(status_index BETWEEN 0 AND {open_badges.STATUS_LIST_MAX_BITS - 1})",
        "Status list places are bounded.",
    )

    def init(self):
        # Every deleted award keeps its place revoked: ORM unlink, the database
        # cascade of a deleted certification, or plain SQL alike.
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE FUNCTION certification_award_revoke_deleted()
                RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO certification_credential_revocation
                        (company_id, status_index, award_id, reason, revoked_on)
                    SELECT open_badge_company_id, open_badge_status_index, id,
                           'deleted', now() AT TIME ZONE 'UTC'
                      FROM deleted_awards
                     WHERE open_badge_company_id IS NOT NULL
                       AND open_badge_status_index IS NOT NULL
                    ON CONFLICT (company_id, status_index) DO NOTHING;
                    RETURN NULL;
                END $$;
                DROP TRIGGER IF EXISTS certification_award_revoke_deleted
                    ON certification_award;
                CREATE TRIGGER certification_award_revoke_deleted
                    AFTER DELETE ON certification_award
                    REFERENCING OLD TABLE AS deleted_awards
                    FOR EACH STATEMENT
                    EXECUTE FUNCTION certification_award_revoke_deleted();
                """
            )
        )
        self.env.cr.execute(SQL(VERSION_SQL))

    # ------------------------------------------------------------
    # CRUD: rows are made by the server only, never changed
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if vals_list:
            raise UserError(_("Revoked credential places are recorded by the system."))
        return super().create(vals_list)

    def write(self, vals):
        if vals:
            raise UserError(_("A revoked credential place cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(_("A revoked credential place stays revoked."))

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _get_company_version(self, company):
        """The company's credential version (0 before its first credential):
        it changes with any bit or key of the company, in the same
        transaction; a value is never given twice."""
        self.env.cr.execute(
            SQL(
                "SELECT version FROM certification_credential_version "
                "WHERE company_id = %s",
                company.id,
            )
        )
        row = self.env.cr.fetchone()
        return row[0] if row else 0

    @api.model
    def _revoke_places(self, awards, reason):
        """Revoke the current places of ``awards`` (one INSERT); the caller
        gives them new places right after."""
        awards = awards.filtered("open_badge_company_id")
        if not awards:
            return
        awards.flush_recordset(["open_badge_company_id", "open_badge_status_index"])
        self.env.cr.execute(
            SQL(
                "INSERT INTO certification_credential_revocation "
                "(company_id, status_index, award_id, reason, revoked_on) "
                "SELECT open_badge_company_id, open_badge_status_index, id, %s, %s "
                "FROM certification_award WHERE id = ANY(%s) "
                "AND open_badge_status_index IS NOT NULL "
                "ON CONFLICT (company_id, status_index) DO NOTHING",
                reason,
                fields.Datetime.now(),
                awards.ids,
            )
        )
