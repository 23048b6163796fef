# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .. import open_badges

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

    _sql_constraints = [
        (
            "company_index_uniq",
            "unique(company_id, status_index)",
            "A status list place is revoked once.",
        ),
        (
            "status_index_range",
            f"CHECK(status_index BETWEEN 0 AND {open_badges.STATUS_LIST_MAX_BITS - 1})",
            "Status list places are bounded.",
        ),
    ]

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
