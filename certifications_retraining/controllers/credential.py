# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Public, read-only Open Badges 3.0 routes: issuer profile, public keys,
status lists, achievements and each award's credential. No login; what they
show is public by design (the credential is what its holder hands out).
One portal route: the learner's choice to put their e-mail in credentials."""

import json

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request
from odoo.tools.lru import LRU

from ..models.certification_award_credential import OB_CONTEXT, VC_CONTEXT

CACHE_SECONDS = 300
# A revocation or a withdrawn key must reach verifiers quickly: the status
# list, the public keys and the issuer profile are cached briefly by clients,
# and revalidated with their ETag (304 when nothing changed).
STATUS_CACHE_SECONDS = 60
# What this worker built of the company documents: {(database, ETag): body}.
# The ETag names the company's credential version, changed in the transaction
# of any bit or key change: another worker's change is seen at once.
COMPANY_DOCUMENTS = LRU(256)


class CertificationCredential(http.Controller):
    def _credential_response(self, body, content_type, max_age=CACHE_SECONDS):
        if not isinstance(body, str):
            body = json.dumps(body, indent=2, ensure_ascii=False)
        return request.make_response(
            body,
            headers=[
                ("Content-Type", content_type),
                ("Cache-Control", f"public, max-age={max_age}"),
                ("Access-Control-Allow-Origin", "*"),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )

    def _company_document_response(self, kind, company, content_type, build):
        """The company document ``kind``, built by ``build()`` once per
        company version and worker; ``304`` to a client that has it."""
        # sudo: an issuing company (checked by the caller); its version only.
        etag = (
            request.env["certification.award"]
            .sudo()
            ._get_open_badge_etag(kind, company)
        )
        if request.httprequest.if_none_match.contains(etag):
            response = self._credential_response("", content_type, STATUS_CACHE_SECONDS)
            response.status_code = 304
        else:
            cache_key = (request.env.cr.dbname, etag)
            body = COMPANY_DOCUMENTS.get(cache_key)
            if body is None:
                body = build()
                if not isinstance(body, str):
                    body = json.dumps(body, indent=2, ensure_ascii=False)
                COMPANY_DOCUMENTS[cache_key] = body
            response = self._credential_response(
                body, content_type, STATUS_CACHE_SECONDS
            )
        response.set_etag(etag)
        response.headers["Vary"] = "Accept"
        return response

    def _credential_company(self, company_id):
        """A company that issues credentials (it has a signing key, made at its
        first award), or 404: other companies are not listed publicly."""
        # sudo: only public keys are searched; the company's public profile and
        # keys are shown, never anything else of it.
        keys = (
            request.env["certification.signing.key"]
            .sudo()
            .search([("company_id", "=", company_id)], limit=1)
        )
        if not keys:
            raise NotFound()
        return keys.company_id

    def _credential_award(self, token):
        """The award of a verification token, as superuser, or 404 (exactly
        like the verification page)."""
        award_sudo = request.env["certification.award"]._get_by_verification_token(
            token
        )
        if not award_sudo:
            raise NotFound()
        return award_sudo

    @http.route(
        ["/certifications/issuer/<int:company_id>"],
        type="http",
        auth="public",
        sitemap=False,
    )
    def credential_issuer(self, company_id, **kw):
        company = self._credential_company(company_id)
        # sudo: an issuing company (checked just above); its public profile only.
        Award = request.env["certification.award"].sudo()

        def build():
            profile = {"@context": [VC_CONTEXT, OB_CONTEXT]}
            profile.update(Award._get_open_badge_issuer(company))
            return profile

        return self._company_document_response(
            "issuer", company, "application/json", build
        )

    @http.route(
        ["/certifications/issuer/<int:company_id>/jwks.json"],
        type="http",
        auth="public",
        sitemap=False,
    )
    def credential_jwks(self, company_id, **kw):
        company = self._credential_company(company_id)
        # sudo: an issuing company (checked just above); public keys only.
        Award = request.env["certification.award"].sudo()
        return self._company_document_response(
            "jwks",
            company,
            "application/jwk-set+json",
            lambda: Award._get_open_badge_jwks(company),
        )

    @http.route(
        ["/certifications/status/<int:company_id>"],
        type="http",
        auth="public",
        sitemap=False,
    )
    def credential_status_list(self, company_id, **kw):
        """The signed status list credential (VC-JWT); ``?format=json`` or an
        ``Accept: application/json`` header gives its decoded JSON."""
        company = self._credential_company(company_id)
        # sudo: an issuing company (checked just above); the list holds one
        # anonymous bit per award.
        Award = request.env["certification.award"].sudo()
        accept = request.httprequest.headers.get("Accept", "")
        if kw.get("format") == "json" or (
            "application/json" in accept and "jwt" not in accept
        ):
            return self._company_document_response(
                "status-json",
                company,
                "application/json",
                lambda: Award._get_open_badge_status_list(company),
            )
        return self._company_document_response(
            "status-jwt",
            company,
            "application/vc+jwt",
            lambda: Award._get_open_badge_status_list_credential(company),
        )

    @http.route(
        ["/certifications/achievement/<int:program_id>"],
        type="http",
        auth="public",
        sitemap=False,
    )
    def credential_achievement(self, program_id, **kw):
        """The ``Achievement`` of a certification that has been awarded."""
        # sudo: only whether the certification was ever awarded is read here.
        Award = request.env["certification.award"].sudo()
        if not Award.search_count([("program_id", "=", program_id)], limit=1):
            raise NotFound()
        # sudo: the certification was awarded (checked just above): its
        # achievement is already public in its credentials.
        program = request.env["certification.program"].sudo().browse(program_id)
        return self._credential_response(
            Award._get_open_badge_achievement(program), "application/json"
        )

    @http.route(
        ["/certifications/credential/<string:token>.jwt"],
        type="http",
        auth="public",
        sitemap=False,
    )
    def credential_jwt(self, token, download=False, **kw):
        award_sudo = self._credential_award(token)
        response = self._credential_response(
            award_sudo._get_open_badge_credential(), "application/vc+jwt"
        )
        if download:
            filename = f"certification-{award_sudo.id}.jwt"
            response.headers["Content-Disposition"] = (
                f'attachment; filename="{filename}"'
            )
        return response

    @http.route(
        ["/certifications/credential/<string:token>.json"],
        type="http",
        auth="public",
        sitemap=False,
    )
    def credential_json(self, token, **kw):
        award_sudo = self._credential_award(token)
        return self._credential_response(
            award_sudo._get_open_badge_payload(), "application/json"
        )

    @http.route(
        ["/my/certifications/credential-email"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_credential_email(self, shared=None, **kw):
        """The learner's own choice (opt-in): their credentials carry a salted
        hash of their e-mail address, or not (the default)."""
        partner = request.env.user.partner_id
        partner._set_credential_email_shared(bool(shared))
        return request.redirect("/my/certifications?credential_email=saved")
