# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64
import json
from urllib.parse import urlencode

from odoo import _, api, fields, models
from odoo.tools import consteq
from odoo.tools.image import image_data_uri
from odoo.tools.misc import hmac

# An award expiring within this many days shows as "expiring" in the portal.
PORTAL_EXPIRING_DAYS = 30


# One concern per file extending the award (DESIGN.md), not one growing model file.
# pylint: disable=consider-merging-classes-inherited
class CertificationAward(models.Model):
    """What the learner's portal, the PDF certificate and the public
    verification page show of an award."""

    _inherit = "certification.award"

    @api.model
    def _get_by_verification_token(self, token):
        """The award whose public verification token is ``token`` (compared
        in constant time), as superuser, or an empty recordset. The public
        routes (verification page, credential) look awards up only here."""
        if not token or not isinstance(token, str):
            return self.browse()
        # public routes: anyone holding the token may see the award's
        # certificate; the callers show only what it shows
        award = self.sudo().search([("verification_token", "=", token)], limit=1)
        if not award or not consteq(award.verification_token, token):
            return self.browse()
        return award

    def _compute_access_url(self):
        for award in self:
            award.access_url = f"/my/certifications/{award.id}"

    def _get_report_base_filename(self):
        self.ensure_one()
        return _(
            "Certificate %(program)s %(learner)s",
            program=self.program_id.name,
            learner=self.partner_id.name,
        )

    def _get_verification_url(self):
        self.ensure_one()
        return f"{self.get_base_url()}/certifications/verify/{self.verification_token}"

    def _get_verification_qr_src(self, size=150):
        """The QR code of the verification URL as a data URI, drawn in this
        process by Odoo's report barcode helper: wkhtmltopdf does not ask a
        worker for it while the worker that renders waits on wkhtmltopdf."""
        self.ensure_one()
        barcode = self.env["ir.actions.report"].barcode(
            "QR", self._get_verification_url(), width=size, height=size
        )
        return image_data_uri(base64.b64encode(barcode))

    def _get_certificate_attachment_name(self):
        """The name the certificate PDF is stored under (the report's
        ``attachment``, reloaded with ``attachment_use``): rendered once, then
        served from the attachment until something it prints changes. The name
        holds an HMAC (keyed by the database secret) of everything printed, so
        that a change prints a new certificate and a file attached by hand
        under a guessed name is never served as the certificate."""
        self.ensure_one()
        award = self.with_context(lang=self.partner_id.lang or self.env.lang)
        company = award._get_issuer_company()
        printed = [
            award.id,
            award.env.lang,
            company.id,
            company.name,
            company.write_date,
            award.partner_id.name,
            award.program_id.name,
            award.program_id.code,
            award._to_learner_date(award.date_issued),
            award._to_learner_date(award.date_expiry),
            award._get_verification_url(),
        ]
        # su: Odoo's hmac reads only database.secret with it (its key); the
        # caller reads this award already (the report or the portal checked it)
        digest = hmac(
            self.env(su=True),
            "certifications_retraining-certificate",
            json.dumps(printed, default=str),
        )[:20]
        return f"{award._get_report_base_filename()} {digest}.pdf"

    def _get_issuer_company(self):
        self.ensure_one()
        return self.company_id or self.env.company

    def _get_linkedin_url(self):
        """LinkedIn's "add a certification to your profile" link, pointing to
        the public verification page as credential URL."""
        self.ensure_one()
        issued = self._to_learner_date(self.date_issued)
        params = {
            "startTask": "CERTIFICATION_NAME",
            "name": self.program_id.name,
            "organizationName": self._get_issuer_company().name,
            "issueYear": issued.year,
            "issueMonth": issued.month,
        }
        if self.date_expiry:
            expiry = self._to_learner_date(self.date_expiry)
            params.update(expirationYear=expiry.year, expirationMonth=expiry.month)
        params.update(
            certUrl=self._get_verification_url(), certId=self.verification_token
        )
        return f"https://www.linkedin.com/profile/add?{urlencode(params)}"

    def _get_previous_awards(self):
        """The earlier awards this one renews, newest first (the history chain
        through ``previous_award_id``)."""
        self.ensure_one()
        history = self.browse()
        award = self.previous_award_id
        while award and award not in history and award != self:
            history |= award
            award = award.previous_award_id
        return history

    def _get_portal_status(self):
        """valid / expiring (within 30 days) / grace / expired, as shown to the
        learner (also right when the expiry cron has not run yet)."""
        self.ensure_one()
        now = fields.Datetime.now()
        if self.state == "expired":
            return "expired"
        if self.state == "grace" or (self.date_expiry and self.date_expiry <= now):
            grace_end = self.date_grace_end or self.date_expiry
            return "grace" if grace_end > now else "expired"
        if self.date_expiry and self.days_to_expiry <= PORTAL_EXPIRING_DAYS:
            return "expiring"
        return "valid"

    def _get_verification_status(self):
        """The public status: ``valid``, ``expired``, ``superseded`` (archived
        because a newer award replaced it) or ``revoked`` (revoked by an
        officer: ``revoked_on`` set). Unassigned awards are deleted: their
        token answers 404."""
        self.ensure_one()
        if self.revoked_on:
            return "revoked"
        if self.state == "archived":
            return "superseded"
        status = self._get_portal_status()
        return status if status in ("grace", "expired") else "valid"

    def _prepare_verification_values(self):
        """Only what the certificate itself shows; nothing else about the
        learner reaches the public page."""
        self.ensure_one()
        status = self._get_verification_status()
        superseded_on = False
        renewal = self.next_award_ids.sorted("date_issued")[:1]
        if status == "superseded" and renewal:
            superseded_on = renewal._to_learner_date(renewal.date_issued)
        return {
            "holder_name": self.partner_id.name,
            "program_name": self.program_id.name,
            "program_code": self.program_id.code or "",
            "company_name": self._get_issuer_company().name,
            "date_issued": self._to_learner_date(self.date_issued),
            "date_expiry": self._to_learner_date(self.date_expiry),
            "date_grace_end": self._to_learner_date(self.date_grace_end),
            "status": status,
            "superseded_on": superseded_on,
            "revoked_on": self._to_learner_date(self.revoked_on),
        }
