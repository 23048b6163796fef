# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import json
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .. import compat
from ..compat import Constraint
from ..tools import open_badges

GROUP_MANAGER = "certifications_retraining.group_certification_manager"


class CertificationSigningKey(models.Model):
    """A company's key signing its Open Badges credentials.

    The private key is stored in a field no user group can read or write
    (``groups=fields.NO_ACCESS``): only code running as superuser reaches it,
    so no view, RPC call (read, search_read, export, domain) or route shows it.
    Retired keys stay published in the company's JWKS so that the credentials
    they signed still verify. A compromised key is withdrawn from the JWKS and
    signs nothing more; the credentials it may have signed are revoked (their
    awards get new status list places) and a new key signs their new copies."""

    _name = "certification.signing.key"
    _description = "Credential Signing Key"
    # made at a company's first award, in the name of whoever causes it: none
    # of their defaults makes the key born retired or compromised
    _inherit = ["certification.owned.defaults.mixin"]
    _order = "company_id, id desc"
    _rec_name = "kid"

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, ondelete="cascade"
    )
    kid = fields.Char(
        "Key ID",
        required=True,
        readonly=True,
        help="The key's JWK thumbprint (RFC 7638), named in each signature.",
    )
    algorithm = fields.Selection(
        [("EdDSA", "EdDSA (Ed25519)"), ("RS256", "RS256 (RSA 2048)")],
        required=True,
        readonly=True,
    )
    public_jwk = fields.Text("Public Key (JWK)", required=True, readonly=True)
    private_key = fields.Text(copy=False, groups=fields.NO_ACCESS)
    retired_on = fields.Datetime(
        readonly=True,
        help="Set when an administrator rotated the key: it no longer signs, "
        "but stays published so that older credentials still verify.",
    )
    compromised_on = fields.Datetime(
        readonly=True,
        help="Set when an administrator declared the key compromised: it is "
        "withdrawn from the published keys and the credentials it may have "
        "signed are revoked; their holders download new ones.",
    )
    is_current = fields.Boolean(compute="_compute_is_current")
    state = fields.Selection(
        [
            ("current", "Current"),
            ("retired", "Retired"),
            ("compromised", "Compromised"),
        ],
        compute="_compute_state",
    )

    _kid_uniq = Constraint("unique(kid)", "Key IDs are unique.")

    def init(self):
        # At most one current key per company.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS "
                "certification_signing_key_current_uniq "
                "ON certification_signing_key (company_id) WHERE retired_on IS NULL"
            )
        )

    @api.depends("retired_on")
    def _compute_is_current(self):
        for key in self:
            key.is_current = not key.retired_on

    @api.depends("retired_on", "compromised_on")
    def _compute_state(self):
        for key in self:
            key.state = (
                "compromised"
                if key.compromised_on
                else "retired"
                if key.retired_on
                else "current"
            )

    # ------------------------------------------------------------
    # BUSINESS (called as superuser by the credential code)
    # ------------------------------------------------------------

    @api.model
    def _get_current_key(self, company):
        """The company's signing key, generated on first use."""
        key = self.search(
            [("company_id", "=", company.id), ("retired_on", "=", False)], limit=1
        )
        if key:
            return key
        self._lock_company(company)
        return self._generate_keys(company)

    @api.model
    def _lock_company(self, company):
        """Serialize the first use of a company's credentials (its key, its
        status list sequence) by concurrent transactions: the second one fails
        with a serialization error, Odoo retries it and it then finds what
        the first one made, instead of making a second key or sequence."""
        self.env.cr.execute(
            SQL(
                "UPDATE res_company SET write_date = write_date WHERE id = %s",
                company.id,
            )
        )

    @api.model
    def _generate_keys(self, companies):
        """A new current key for each of ``companies``. The rows are inserted
        without their private key, which is written once the insert succeeded:
        a failed insert (a read-only request, a concurrent first use) is logged
        with its parameters, and the private key must never reach a log."""
        pems = {}
        vals_list = []
        for company in companies:
            algorithm, pems[company] = open_badges.generate_private_key()
            jwk = open_badges.public_jwk(pems[company], algorithm)
            vals_list.append(
                {
                    "company_id": company.id,
                    "kid": jwk["kid"],
                    "algorithm": algorithm,
                    "public_jwk": json.dumps(jwk, sort_keys=True),
                }
            )
        keys = self.create(vals_list)
        keys.flush_recordset()
        for key in keys:  # cache only: the flush writes them in one UPDATE
            key.private_key = pems[key.company_id]
        keys.flush_recordset(["private_key"])
        return keys

    def _sign(self, payload):
        self.ensure_one()
        if self.compromised_on:
            raise UserError(_("A compromised signing key signs nothing."))
        return open_badges.sign(payload, self.private_key, self.algorithm, self.kid)

    def _get_public_jwks(self):
        """The JWKS dict of these keys (current and retired)."""
        return {"keys": [json.loads(key.public_jwk) for key in self]}

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def _check_administrator(self):
        if not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(_("Only administrators may rotate signing keys."))
        self.check_access("read")

    def action_rotate(self):
        """Retire these current keys and generate their companies' new ones.
        Administrators only; the old public keys stay published."""
        self._check_administrator()
        # sudo: the user is a certification administrator who can read these
        # keys (checked just above); nobody may write keys directly.
        current = self.sudo().filtered(lambda key: not key.retired_on)
        current.write({"retired_on": fields.Datetime.now()})
        current.flush_recordset(["retired_on"])
        self.sudo()._generate_keys(current.company_id)
        return True

    def action_mark_compromised(self):
        """Withdraw these keys: out of the JWKS, never signing again, a new
        current key for their companies, and every credential they may have
        signed revoked (its award gets a new status list place, so that a
        new download, signed with the new key, verifies). Administrators only."""
        self._check_administrator()
        # sudo: the user is a certification administrator who can read these
        # keys (checked just above); nobody may write keys directly.
        keys = self.sudo().filtered(lambda key: not key.compromised_on)
        if not keys:
            return True
        now = fields.Datetime.now()
        awards = keys._get_signed_awards()
        current = keys.filtered(lambda key: not key.retired_on)
        current.write({"retired_on": now})
        keys.write({"compromised_on": now})
        keys.flush_recordset(["retired_on", "compromised_on"])
        keys._generate_keys(current.company_id)
        awards._reissue_open_badges()
        return True

    def _get_signed_awards(self):
        """The current awards whose credential these keys may have signed:
        those of their company that existed while the key was current (a
        credential is signed on request, by the key current at that moment).
        Retirement instants are whole seconds: the bound is one second later."""
        domain = compat.domain_or(
            [
                [("open_badge_company_id", "=", key.company_id.id)]
                + (
                    [("create_date", "<", key.retired_on + timedelta(seconds=1))]
                    if key.retired_on
                    else []
                )
                for key in self
            ]
        )
        return self.env["certification.award"].search(
            compat.domain_and([domain, [("state", "!=", "archived")]])
        )
