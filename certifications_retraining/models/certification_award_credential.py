# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Every award as a signed Open Badges 3.0 credential (VC-JWT).

The credential is a view of the award, built on request: only its place in
the company's status list (``open_badge_status_index``, with the company whose
list it is) is stored, allocated at issue from a per-company sequence.
An archived award (revoked, or superseded by a renewal) has its status bit
set; expiry needs no bit (``validUntil`` says it).

The place, its company and the verification token are server-owned: refused
in ``create``/``write`` from any caller, set only here. A place is never moved
back: when the credential an award had stops telling the truth (its validity
was cut short, the key that signed it was compromised), the old place is
revoked for ever (``certification.credential.revocation``) and the award gets
a new one, like a deleted award's place."""

import hashlib
import json
from collections import defaultdict

import jwt

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, html2plaintext
from odoo.tools import hmac as odoo_hmac
from odoo.tools.lru import LRU

from ..compat import Constraint
from ..tools import open_badges
from .certification_server_record_mixin import creating_server_records

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
STATUS_SEQUENCE_CODE = "certification.award.open_badge_status"
MAX_STATUS_INDEX = open_badges.STATUS_LIST_MAX_BITS - 1
# Set by the server only (refused in create/write from any caller).
SERVER_OWNED_FIELDS = (
    "open_badge_company_id",
    "open_badge_status_index",
    "open_badge_reissued_on",
    "verification_token",
)
# Signed credentials of this worker: {(database, key id, payload digest): JWS}.
# The JWS is a function of the payload and the key only, so an entry never
# goes stale: a changed award (or learner, certification, issuer) has another
# digest, a new key another kid. Bounded; each worker has its own.
SIGNED_CREDENTIALS = LRU(4096)


# One concern per file extending the award (DESIGN.md), not one growing model file.
# pylint: disable=consider-merging-classes-inherited
class CertificationAward(models.Model):
    _inherit = "certification.award"

    open_badge_company_id = fields.Many2one(
        "res.company",
        "Credential Issuer",
        readonly=True,
        copy=False,
        help="The company whose key signs this award's Open Badges credential "
        "and whose status list holds its revocation bit; fixed at issue.",
    )
    open_badge_status_index = fields.Integer(
        "Status List Index",
        readonly=True,
        copy=False,
        help="The award's bit in its company's credential status list.",
    )
    open_badge_reissued_on = fields.Datetime(
        "Credential Issued Again On",
        readonly=True,
        copy=False,
        help="The award's credential was issued again (a new status list place) "
        "because the one it had no longer tells the truth: its validity was cut "
        "short or the key that signed it was compromised. Credentials downloaded "
        "before this date show as revoked.",
    )

    _open_badge_status_index_uniq = Constraint(
        "unique(open_badge_company_id, open_badge_status_index)",
        "Each award has its own place in the credential status list.",
    )
    _open_badge_status_index_range = Constraint(
        f"CHECK(open_badge_status_index BETWEEN 0 AND {MAX_STATUS_INDEX})",
        "Status list places are bounded.",
    )

    def init(self):
        res = super().init()
        # The status list reads the archived awards' indexes of one company.
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS "
                "certification_award_open_badge_archived_idx "
                "ON certification_award "
                "(open_badge_company_id, open_badge_status_index) "
                "WHERE state = 'archived'"
            )
        )
        return res

    # ------------------------------------------------------------
    # CRUD: the status list index, allocated at issue
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._check_server_owned_fields(vals_list)
        # Copies: the caller's dicts must not carry an index into a next create.
        # Explicit values, so that no ``default_*`` context key can set them.
        vals_list = [
            dict(
                vals,
                verification_token=self._generate_verification_token(),
                open_badge_reissued_on=False,
            )
            for vals in vals_list
        ]
        self._prepare_open_badge_status_vals(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_server_owned_fields([vals])
        if not {"date_issued", "date_expiry", "is_always_valid"} & set(vals):
            return super().write(vals)
        before = {award.id: award._get_open_badge_validity() for award in self}
        res = super().write(vals)
        # sudo: the caller just changed these awards' dates (their write access
        # was checked by the write above); only the server moves their places.
        self.sudo()._reissue_shortened_open_badges(before)
        return res

    @api.model
    def _check_server_owned_fields(self, vals_list):
        """The credential's company, status list place and verification token
        are the server's: no caller gives them, whatever their rights."""
        given = {
            name for vals in vals_list for name in SERVER_OWNED_FIELDS if name in vals
        }
        if given:
            raise AccessError(
                _(
                    "These fields are set by the system only: %(fields)s.",
                    fields=", ".join(sorted(given)),
                )
            )

    @api.model
    def _prepare_open_badge_status_vals(self, vals_list):
        """Give each new award its company's next status list index: the
        certification's company (the current company for a certification of
        all companies)."""
        todo = defaultdict(list)
        programs = self.env["certification.program"].browse(
            {vals["program_id"] for vals in vals_list if vals.get("program_id")}
        )
        # read once per certification, not once per award
        company_of = {
            program.id: program.company_id or self.env.company for program in programs
        }
        for vals in vals_list:
            if vals.get("program_id"):
                todo[company_of[vals["program_id"]]].append(vals)
        for company, company_vals in todo.items():
            # The first award of a company is the first use of its key: made
            # now, in this read/write transaction, not by a read-only page.
            self._get_open_badge_signing_key(company)
            indexes = self._next_open_badge_indexes(company, len(company_vals))
            for vals, index in zip(company_vals, indexes, strict=True):
                vals.update(
                    open_badge_company_id=company.id, open_badge_status_index=index
                )

    @api.model
    def _next_open_badge_indexes(self, company, count):
        """``count`` fresh indexes of the company's status list, from its own
        database sequence (no lock held, no index given twice)."""
        sequence = self._get_open_badge_sequence(company)
        self.env.cr.execute(
            SQL(
                "SELECT nextval(%s) - 1 FROM generate_series(1, %s)",
                f"ir_sequence_{sequence.id:03d}",
                count,
            )
        )
        indexes = [row[0] for row in self.env.cr.fetchall()]
        if indexes and indexes[-1] >= open_badges.STATUS_LIST_MAX_BITS:
            raise UserError(
                _(
                    "The credential status list of %(company)s is full "
                    "(%(count)s places).",
                    company=company.name,
                    count=open_badges.STATUS_LIST_MAX_BITS,
                )
            )
        return indexes

    @api.model
    def _get_open_badge_sequence(self, company):
        self.check_access("create")
        # sudo: the user may create awards (checked just above); the sequence
        # only numbers their status list places.
        Sequence = self.env["ir.sequence"].sudo()
        domain = [("code", "=", STATUS_SEQUENCE_CODE), ("company_id", "=", company.id)]
        sequence = Sequence.search(domain, limit=1)
        if sequence:
            return sequence
        self.env["certification.signing.key"]._lock_company(company)
        # made in the name of whoever issues the company's first award: none of
        # their personal defaults archives it or moves its start
        with creating_server_records():
            return Sequence.create(
                {
                    "name": _(
                        "Credential status list of %(company)s", company=company.name
                    ),
                    "code": STATUS_SEQUENCE_CODE,
                    "company_id": company.id,
                    "implementation": "standard",
                    "number_next": 1,
                    "number_increment": 1,
                }
            )

    def _ensure_open_badge_status_index(self):
        """Awards issued before credentials existed get their index now."""
        missing = self.filtered(lambda award: not award.open_badge_company_id)
        for company, awards in missing.grouped("company_id").items():
            awards._set_open_badge_places(company or self.env.company)
        missing.invalidate_recordset(
            ["open_badge_company_id", "open_badge_status_index"]
        )

    def _set_open_badge_places(self, company, reissued_on=None):
        """The private path that moves awards to fresh places of ``company``'s
        status list (one UPDATE): callers never write these fields."""
        indexes = self._next_open_badge_indexes(company, len(self))
        self.env.cr.execute(
            SQL(
                "UPDATE certification_award AS award "
                "SET open_badge_company_id = %s, open_badge_status_index = v.idx, "
                "open_badge_reissued_on = COALESCE(%s, award.open_badge_reissued_on) "
                "FROM unnest(%s::int[], %s::int[]) AS v(id, idx) "
                "WHERE award.id = v.id",
                company.id,
                reissued_on,
                self.ids,
                indexes,
            )
        )

    # ------------------------------------------------------------
    # REISSUE: a credential that no longer tells the truth
    # ------------------------------------------------------------

    def _get_open_badge_validity(self):
        """(valid from, valid until or None for never, always valid) as the
        award's credential states it."""
        self.ensure_one()
        until = False if self.is_always_valid else self.date_expiry
        return self.date_issued, until or None, self.is_always_valid

    def _reissue_shortened_open_badges(self, before):
        """Awards whose validity an edit cut short (issued later, expiring
        earlier, or no longer always valid): the credential already handed
        out claims more than is true, so its place is revoked and the award
        gets a new one. ``before``: ``{award id: _get_open_badge_validity()}``."""
        shortened = self.filtered(
            lambda award: self._is_open_badge_validity_shorter(
                before[award.id], award._get_open_badge_validity()
            )
        )
        shortened._reissue_open_badges()

    @api.model
    def _is_open_badge_validity_shorter(self, old, new):
        (old_from, old_until, old_always), (new_from, new_until, new_always) = old, new
        if new_from > old_from or (old_always and not new_always):
            return True
        return new_until is not None and (old_until is None or new_until < old_until)

    def _reissue_open_badges(self):
        """Revoke the current places of these awards for ever and give them new
        ones: a credential downloaded before shows as revoked, a new download
        verifies. Archived awards are left alone (their bit is already set)."""
        awards = self.filtered(
            lambda award: award.open_badge_company_id and award.state != "archived"
        )
        if not awards:
            return
        now = fields.Datetime.now()
        self.env["certification.credential.revocation"]._revoke_places(
            awards, "reissued"
        )
        for company, company_awards in awards.grouped("open_badge_company_id").items():
            company_awards._set_open_badge_places(company, reissued_on=now)
        awards.invalidate_recordset(
            ["open_badge_status_index", "open_badge_reissued_on"]
        )

    # ------------------------------------------------------------
    # URLS
    # ------------------------------------------------------------

    @api.model
    def _get_open_badge_issuer_url(self, company):
        return f"{self.get_base_url()}/certifications/issuer/{company.id}"

    @api.model
    def _get_open_badge_status_url(self, company):
        return f"{self.get_base_url()}/certifications/status/{company.id}"

    @api.model
    def _get_open_badge_achievement_url(self, program):
        return f"{self.get_base_url()}/certifications/achievement/{program.id}"

    def _get_open_badge_credential_url(self, extension="json"):
        self.ensure_one()
        return (
            f"{self.get_base_url()}/certifications/credential/"
            f"{self.verification_token}.{extension}"
        )

    # ------------------------------------------------------------
    # THE CREDENTIAL (model-level interface)
    # ------------------------------------------------------------

    def _get_open_badge_payload(self):
        """The award's OpenBadgeCredential (dict, unsigned)."""
        self.ensure_one()
        self.check_access("read")
        # sudo: the user may read this award (checked just above); the
        # credential shows the certification's items and the issuer's details.
        award = self.sudo()
        award._ensure_open_badge_status_index()
        company = award.open_badge_company_id
        status_url = self._get_open_badge_status_url(company)
        credential = {
            "@context": [VC_CONTEXT, OB_CONTEXT],
            "id": award._get_verification_url(),
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": award.program_id.name,
            "issuer": self._get_open_badge_issuer(company),
            "validFrom": open_badges.to_iso(award.date_issued),
            "awardedDate": open_badges.to_iso(award.date_issued),
            "credentialSubject": award._get_open_badge_subject(),
            "credentialStatus": {
                "id": f"{status_url}#{award.open_badge_status_index}",
                "type": "BitstringStatusListEntry",
                "statusPurpose": "revocation",
                "statusListIndex": str(award.open_badge_status_index),
                "statusListCredential": status_url,
            },
        }
        if award.date_expiry:
            credential["validUntil"] = open_badges.to_iso(award.date_expiry)
        return credential

    def _get_open_badge_subject(self):
        """The learner, as the award's verification page (``id``). The salted
        hash of their e-mail is added only when they chose it on the portal:
        anyone guessing the address could confirm it from the credential."""
        self.ensure_one()
        subject = {
            "id": self._get_verification_url(),
            "type": ["AchievementSubject"],
            "achievement": self._get_open_badge_achievement(self.program_id),
        }
        email = (self.partner_id.email or "").strip().lower()
        if email and self.partner_id.is_credential_email_shared:
            salt = odoo_hmac(self.env, "certification-open-badge-salt", self.id)[:32]
            digest = hashlib.sha256((email + salt).encode()).hexdigest()
            subject["identifier"] = [
                {
                    "type": "IdentityObject",
                    "identityHash": f"sha256${digest}",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": salt,
                }
            ]
        return subject

    @api.model
    def _get_open_badge_achievement(self, program):
        return {
            "id": self._get_open_badge_achievement_url(program),
            "type": ["Achievement"],
            "achievementType": "Certification",
            "name": program.name,
            "description": html2plaintext(program.description or "").strip()
            or program.name,
            "criteria": {"narrative": self._get_open_badge_narrative(program)},
        }

    @api.model
    def _get_open_badge_narrative(self, program):
        """How the certification is earned: its items and its validity rule."""
        items = [
            self.env._("course “%(name)s”", name=name)
            for name in program.channel_ids.mapped("name")
        ]
        items += [
            self.env._("learning plan “%(name)s”", name=name)
            for name in program.learning_plan_ids.mapped("name")
        ]
        validity = program._get_validity_label()
        if not items:
            return _(
                "Granted by the issuer; the certification is %(validity)s.",
                validity=validity,
            )
        return _(
            "Complete one of: %(items)s. The certification is %(validity)s.",
            items=", ".join(items),
            validity=validity,
        )

    @api.model
    def _get_open_badge_issuer(self, company):
        """The issuer ``Profile`` of a company (public information only)."""
        # sudo: the issuer's public profile only (name, website, e-mail, logo),
        # the same for every visitor of the public routes.
        company = company.sudo()
        profile = {
            "id": self._get_open_badge_issuer_url(company),
            "type": ["Profile"],
            "name": company.name,
            "url": company.website or self.get_base_url(),
        }
        if company.email:
            profile["email"] = company.email
        if company.logo:
            profile["image"] = {
                "id": f"{self.get_base_url()}/logo.png?company={company.id}",
                "type": "Image",
            }
        return profile

    def _get_open_badge_credential(self):
        """The award's credential as a compact JWS (VC-JWT), signed with its
        company's current key, once: the same payload with the same key is
        served from this worker's cache (:data:`SIGNED_CREDENTIALS`)."""
        self.ensure_one()
        payload = self._get_open_badge_payload()
        payload.update(
            open_badges.jwt_claims(payload, payload["credentialSubject"]["id"])
        )
        key = self._get_open_badge_signing_key(self.open_badge_company_id)
        digest = hashlib.sha256(
            json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()
        cache_key = (self.env.cr.dbname, key.kid, digest)
        token = SIGNED_CREDENTIALS.get(cache_key)
        if token is None:
            token = SIGNED_CREDENTIALS[cache_key] = key._sign(payload)
        return token

    @api.model
    def _get_open_badge_signing_key(self, company):
        # sudo (no user check on purpose): only the system signs; the private
        # key never leaves this record, which no user group can read.
        return self.env["certification.signing.key"].sudo()._get_current_key(company)

    @api.model
    def _get_open_badge_jwks(self, company):
        """The company's public keys (JWKS dict), retired ones included,
        compromised ones never. No company (a certification of all companies):
        the current company, the one such awards are issued by."""
        company = company or self.env.company
        self._get_open_badge_signing_key(company)  # generated on first use
        # sudo: public keys are published to anyone; only public fields are read.
        keys = (
            self.env["certification.signing.key"]
            .sudo()
            .search([("company_id", "=", company.id), ("compromised_on", "=", False)])
        )
        return keys._get_public_jwks()

    @api.model
    def _get_open_badge_status_list(self, company):
        """The company's ``BitstringStatusListCredential`` (dict, unsigned):
        the bits of its archived (revoked or superseded) awards and of the
        places revoked for ever (deleted awards, credentials issued again)
        are set."""
        company = company or self.env.company
        self.flush_model(["state", "open_badge_company_id", "open_badge_status_index"])
        self.env.cr.execute(self._get_open_badge_status_query(company))
        max_index, archived = self.env.cr.fetchone()
        url = self._get_open_badge_status_url(company)
        size = open_badges.status_list_size(max_index)
        return {
            "@context": [VC_CONTEXT],
            "id": url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": self._get_open_badge_issuer_url(company),
            "validFrom": open_badges.to_iso(fields.Datetime.now()),
            "credentialSubject": {
                "id": f"{url}#list",
                "type": "BitstringStatusList",
                "statusPurpose": "revocation",
                "encodedList": open_badges.encode_status_list(archived or [], size),
            },
        }

    @api.model
    def _get_open_badge_status_query(self, company):
        """The list's highest index (from the unique indexes on company and
        index) and the revoked indexes: archived awards' (from a partial
        index) and the places revoked for ever."""
        return SQL(
            "SELECT GREATEST("
            "         (SELECT MAX(open_badge_status_index) FROM certification_award "
            "          WHERE open_badge_company_id = %(company)s), "
            "         (SELECT MAX(status_index) "
            "          FROM certification_credential_revocation "
            "          WHERE company_id = %(company)s)), "
            "       ARRAY(SELECT open_badge_status_index FROM certification_award "
            "             WHERE open_badge_company_id = %(company)s "
            "               AND state = 'archived' "
            "             UNION ALL "
            "             SELECT status_index "
            "             FROM certification_credential_revocation "
            "             WHERE company_id = %(company)s)",
            company=company.id,
        )

    @api.model
    def _get_open_badge_status_list_credential(self, company):
        """The status list credential, signed like the credentials (JWS)."""
        company = company or self.env.company
        payload = self._get_open_badge_status_list(company)
        payload.update(
            open_badges.jwt_claims(payload, payload["credentialSubject"]["id"])
        )
        return self._get_open_badge_signing_key(company)._sign(payload)

    def action_open_open_badge_credential(self):
        """The award's credential (JSON), as the public route serves it."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": self._get_open_badge_credential_url("json"),
            "target": "new",
        }

    # ------------------------------------------------------------
    # VERIFICATION (the public page)
    # ------------------------------------------------------------

    def _verify_open_badge_credential(self, token=None):
        """Check ``token`` (by default the award's own credential) as a third
        party would, with :func:`open_badges.verify_credential`, reading the
        issuer's keys and status list from the database instead of HTTP."""
        self.ensure_one()
        token = token or self._get_open_badge_credential()
        # sudo: the caller reads this award (the credential above was built after
        # its check_access); the issuing company is only named in public URLs.
        company = self.sudo().open_badge_company_id
        issuer_url = self._get_open_badge_issuer_url(company)
        status_url = self._get_open_badge_status_url(company)

        def get_jwks(issuer):
            if issuer != issuer_url:
                raise jwt.InvalidTokenError("unknown issuer")
            return self._get_open_badge_jwks(company)

        def get_status_list(url):
            if url != status_url:
                raise jwt.InvalidTokenError("unknown status list")
            return self._get_open_badge_status_list_credential(company)

        return open_badges.verify_credential(
            token, get_jwks, get_status_list, fields.Datetime.now()
        )

    def _prepare_verification_values(self):
        """The page shows the award's state from the database and links to its
        credential: it signs nothing and checks nothing on each view (the
        signature is checked by whoever downloads the credential)."""
        values = super()._prepare_verification_values()
        values.update(
            credential_json_url=self._get_open_badge_credential_url("json"),
            credential_jwt_url=self._get_open_badge_credential_url("jwt"),
        )
        return values

    # ------------------------------------------------------------
    # PUBLIC ROUTES: what they build, cached per company version
    # ------------------------------------------------------------

    @api.model
    def _get_open_badge_etag(self, kind, company):
        """The ETag of the public document ``kind`` of ``company``: its
        credential version (changed by any bit or key of the company), the
        base URL its links use and, for the issuer profile, the company's
        last change."""
        version = self.env["certification.credential.revocation"]._get_company_version(
            company
        )
        parts = [kind, str(company.id), str(version), self.get_base_url()]
        if kind == "issuer":
            # sudo: the issuer's public profile only (its last change).
            parts.append(str(company.sudo().write_date))
        digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
        return f"{kind}-{company.id}-{version}-{digest}"
