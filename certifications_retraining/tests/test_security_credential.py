# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""What protects the Open Badges credentials: the fields the server
owns, the status list places of deleted and shortened awards, the learner's
e-mail, a compromised signing key. Each attack is made as the user who must
not succeed, with the values and context an RPC caller would send."""

from datetime import datetime

import jwt
import psycopg2

from odoo import fields, http
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged, users
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import mail_new_test_user

from ..tools import open_badges
from .common import (
    CertificationCase,
    make_manager,
    make_officer,
    make_portal_learner,
    make_program,
)


class CredentialSecurityCase(CertificationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Award = cls.env["certification.award"]
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Rival Issuer"})
        cls.program_a = make_program(
            cls.env, name="Crane Operator", company_id=cls.company_a.id
        )
        cls.learner.partner_id.email = "paula.portal@example.com"
        cls.award = cls.Award.create(
            {
                "program_id": cls.program_a.id,
                "partner_id": cls.learner.partner_id.id,
                "date_issued": datetime(2026, 3, 1, 9, 30),
                "date_expiry": datetime(2030, 3, 1, 9, 30),
            }
        )

    def _status_bit(self, company, index):
        status = self.Award._get_open_badge_status_list(company)
        bits = open_badges.decode_status_list(
            status["credentialSubject"]["encodedList"]
        )
        return open_badges.status_bit(bits, index)

    def _check_token(self, token, company):
        """``open_badges.verify_credential`` with the issuer's published keys
        and status list read from the database (the award may be gone)."""
        return open_badges.verify_credential(
            token,
            lambda issuer: self.Award._get_open_badge_jwks(company),
            lambda url: self.Award._get_open_badge_status_list_credential(company),
            fields.Datetime.now(),
        )


@tagged("post_install", "-at_install")
class TestCredentialServerOwnedFields(CredentialSecurityCase):
    """Credential company, status list place and verification token."""

    def test_officer_cannot_create_an_award_for_another_issuer(self):
        officer = self.officer.with_context(allowed_company_ids=[self.company_a.id])
        Award = self.Award.with_user(officer)
        base = {
            "program_id": self.program_a.id,
            "partner_id": self.manager.partner_id.id,
        }
        for forged in (
            {"open_badge_company_id": self.company_b.id},
            {"open_badge_status_index": self.award.open_badge_status_index},
            {"open_badge_status_index": 2**31 - 1},
            {"verification_token": self.award.verification_token},
            {"open_badge_reissued_on": fields.Datetime.now()},
        ):
            with self.assertRaises(AccessError, msg=forged):
                Award.create(dict(base, **forged))
        self.assertFalse(
            self.Award.search([("partner_id", "=", self.manager.partner_id.id)])
        )
        self.assertFalse(
            self.env["certification.signing.key"].search(
                [("company_id", "=", self.company_b.id)]
            ),
            "company B never became an issuer",
        )

    def test_default_context_keys_set_no_credential_field(self):
        award = (
            self.Award.with_user(self.officer)
            .with_context(
                default_open_badge_company_id=self.company_b.id,
                default_open_badge_status_index=99999,
                default_verification_token="forged-token",
                default_open_badge_reissued_on="2026-01-01 00:00:00",
            )
            .create(
                {
                    "program_id": self.program_a.id,
                    "partner_id": self.manager.partner_id.id,
                }
            )
        )
        self.assertEqual(award.open_badge_company_id, self.company_a)
        self.assertNotEqual(award.open_badge_status_index, 99999)
        self.assertNotEqual(award.verification_token, "forged-token")
        self.assertFalse(award.open_badge_reissued_on)

    def test_nobody_writes_credential_fields(self):
        """Not even the superuser through the ORM: only the credential code
        moves a place (its private path)."""
        self.award._revoke("Cheating")
        index = self.award.open_badge_status_index
        self.assertEqual(self._status_bit(self.company_a, index), 1)
        for vals in (
            {"open_badge_status_index": index + 1},
            {"open_badge_company_id": self.company_b.id},
            {"verification_token": "chosen-token"},
            {"open_badge_reissued_on": False},
        ):
            for award in (self.award.with_user(self.officer), self.award):
                with self.assertRaises(AccessError, msg=vals):
                    award.write(vals)
        self.assertEqual(self.award.open_badge_status_index, index)
        self.assertEqual(self._status_bit(self.company_a, index), 1)
        token = self.award._get_open_badge_credential()
        self.assertIs(self._check_token(token, self.company_a)["revoked"], True)

    @mute_logger("odoo.sql_db")
    def test_status_list_places_are_bounded(self):
        with (
            self.assertRaises(psycopg2.errors.CheckViolation),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                "UPDATE certification_award SET open_badge_status_index = %s "
                "WHERE id = %s",
                [2**31 - 1, self.award.id],
            )
        with self.assertRaises(ValueError):
            open_badges.status_list_size(open_badges.STATUS_LIST_MAX_BITS)
        # A full list refuses new places instead of growing past the bound.
        sequence = self.Award._get_open_badge_sequence(self.company_a)
        sequence.number_next = open_badges.STATUS_LIST_MAX_BITS + 1
        with self.assertRaises(UserError):
            self.Award.with_user(self.officer).create(
                {
                    "program_id": self.program_a.id,
                    "partner_id": self.manager.partner_id.id,
                }
            )

    def test_server_allocates_places_from_the_certification(self):
        """The allowed path: the officer's award gets the certification's
        company, a fresh place and a random token; a renewal another place."""
        award = self.Award.with_user(self.officer).create(
            {"program_id": self.program_a.id, "partner_id": self.manager.partner_id.id}
        )
        self.assertEqual(award.open_badge_company_id, self.company_a)
        self.assertGreater(
            award.open_badge_status_index, self.award.open_badge_status_index
        )
        self.assertGreaterEqual(len(award.verification_token), 32)
        renewed = self.Award.with_user(self.officer)._issue_awards(
            [
                {
                    "program_id": self.program_a.id,
                    "partner_id": self.manager.partner_id.id,
                }
            ]
        )
        self.assertGreater(
            renewed.open_badge_status_index, award.open_badge_status_index
        )
        self.assertEqual(
            self._status_bit(self.company_a, award.open_badge_status_index), 1
        )
        self.assertEqual(
            self._status_bit(self.company_a, renewed.open_badge_status_index), 0
        )

    def _first_award_of_new_company(self, name, **context):
        """The first award of a new issuing company, issued by the officer
        with ``context``."""
        company = self.env["res.company"].create({"name": name})
        self.officer.company_ids |= company
        program = make_program(self.env, name=f"Rigging {name}", company_id=company.id)
        return (
            self.Award.with_user(self.officer)
            .with_context(allowed_company_ids=[company.id], **context)
            .create(
                {"program_id": program.id, "partner_id": self.manager.partner_id.id}
            )
        )

    def test_first_key_takes_no_default_of_whoever_causes_it(self):
        """A company's signing key is made at its first award, in the name of
        whoever causes it (an officer issuing, a learner completing a course).
        The context's ``default_*`` keys or their personal defaults
        (``ir.default``: any employee's, kept through ``sudo()``) would make
        the key born compromised or retired: the company could sign no
        credential, or each credential would make another key. The allowed
        path: the key is the company's current one and signs a credential
        that verifies."""
        forged = "2020-01-01 00:00:00"
        Key = self.env["certification.signing.key"]
        for attack in ("context", "personal default"):
            with self.subTest(attack=attack):
                context = {}
                if attack == "context":
                    context = {
                        "default_compromised_on": forged,
                        "default_retired_on": forged,
                    }
                else:
                    for field in ("compromised_on", "retired_on"):
                        self.env["ir.default"].with_user(self.officer).set(
                            "certification.signing.key", field, forged, user_id=True
                        )
                award = self._first_award_of_new_company(attack, **context)
                company = award.open_badge_company_id
                key = Key.search([("company_id", "=", company.id)])
                self.assertEqual(key.mapped("state"), ["current"])
                token = award._get_open_badge_credential()
                self.assertEqual(Key.search([("company_id", "=", company.id)]), key)
                result = self._check_token(token, company)
                self.assertTrue(result["signature_valid"])
                self.assertIs(result["revoked"], False)

    def test_status_list_sequence_takes_no_default_of_whoever_causes_it(self):
        """The company's status list sequence is made at its first award too.
        Personal defaults of ``ir.sequence`` would archive it (each award
        would then make a new one and take place 0 again) or start it at the
        end of the list (the company's list full at once). The allowed path:
        the first places are 0 and 1."""
        Default = self.env["ir.default"].with_user(self.officer)
        Default.set("ir.sequence", "active", False, user_id=True)
        Default.set("ir.sequence", "number_next_actual", 10**7, user_id=True)
        first = self._first_award_of_new_company("Sequenced")
        second = (
            self.Award.with_user(self.officer)
            .with_context(allowed_company_ids=[first.open_badge_company_id.id])
            .create(
                {
                    "program_id": first.program_id.id,
                    "partner_id": self.officer.partner_id.id,
                }
            )
        )
        self.assertEqual(
            (first.open_badge_status_index, second.open_badge_status_index), (0, 1)
        )


@tagged("post_install", "-at_install")
class TestCredentialRevocationOfGoneAwards(CredentialSecurityCase):
    """Deleted or shortened awards stop verifying."""

    def test_unassigned_award_stays_revoked(self):
        token = self.award._get_open_badge_credential()
        index = self.award.open_badge_status_index
        self.assertIs(self._check_token(token, self.company_a)["revoked"], False)
        self.award.with_user(self.officer).action_unassign()
        self.assertFalse(self.award.exists())
        self.assertEqual(self._status_bit(self.company_a, index), 1)
        result = self._check_token(token, self.company_a)
        self.assertTrue(result["signature_valid"])
        self.assertIs(result["revoked"], True)

    def test_deleted_certification_revokes_its_awards(self):
        other = self.Award.create(
            {"program_id": self.program_a.id, "partner_id": self.manager.partner_id.id}
        )
        tokens = [award._get_open_badge_credential() for award in self.award | other]
        indexes = (self.award | other).mapped("open_badge_status_index")
        self.program_a.with_user(self.manager).unlink()
        self.assertFalse((self.award | other).exists())
        for token, index in zip(tokens, indexes, strict=True):
            self.assertEqual(self._status_bit(self.company_a, index), 1)
            self.assertIs(self._check_token(token, self.company_a)["revoked"], True)

    def test_shortened_expiry_revokes_the_old_credential(self):
        token = self.award._get_open_badge_credential()
        old_index = self.award.open_badge_status_index
        self.award.with_user(self.officer).write({"date_expiry": datetime(2028, 3, 1)})
        self.assertNotEqual(self.award.open_badge_status_index, old_index)
        self.assertTrue(self.award.open_badge_reissued_on)
        self.assertEqual(self._status_bit(self.company_a, old_index), 1)
        self.assertIs(self._check_token(token, self.company_a)["revoked"], True)
        result = self._check_token(
            self.award._get_open_badge_credential(), self.company_a
        )
        self.assertEqual((result["signature_valid"], result["revoked"]), (True, False))
        self.assertEqual(result["credential"]["validUntil"], "2028-03-01T00:00:00Z")

    def test_always_valid_removed_revokes_the_old_credential(self):
        self.award.is_always_valid = True
        token = self.award._get_open_badge_credential()
        self.assertNotIn(
            "validUntil", self._check_token(token, self.company_a)["credential"]
        )
        old_index = self.award.open_badge_status_index
        self.award.with_user(self.officer).write({"is_always_valid": False})
        self.assertNotEqual(self.award.open_badge_status_index, old_index)
        self.assertIs(self._check_token(token, self.company_a)["revoked"], True)

    def test_later_issue_date_revokes_the_old_credential(self):
        token = self.award._get_open_badge_credential()
        self.award.with_user(self.officer).write({"date_issued": datetime(2026, 6, 1)})
        self.assertIs(self._check_token(token, self.company_a)["revoked"], True)

    def test_longer_validity_keeps_the_credential(self):
        """The allowed path: an edit that only extends the validity (or
        changes nothing of it) keeps the place; the old credential still
        verifies as not revoked."""
        token = self.award._get_open_badge_credential()
        index = self.award.open_badge_status_index
        self.award.with_user(self.officer).write({"date_expiry": datetime(2031, 1, 1)})
        self.award.with_user(self.officer).write({"date_issued": datetime(2026, 2, 1)})
        self.award.with_user(self.officer).write({"is_always_valid": True})
        self.assertEqual(self.award.open_badge_status_index, index)
        self.assertFalse(self.award.open_badge_reissued_on)
        self.assertIs(self._check_token(token, self.company_a)["revoked"], False)


@tagged("post_install", "-at_install")
class TestCredentialEmailConsent(CredentialSecurityCase):
    """The learner's e-mail is in a credential only by their own choice."""

    def test_no_email_hash_without_consent(self):
        subject = self.award._get_open_badge_payload()["credentialSubject"]
        self.assertNotIn("identifier", subject)
        self.assertEqual(subject["id"], self.award._get_verification_url())
        self.assertFalse(self.learner.partner_id.is_credential_email_shared)

    def test_nobody_opts_a_learner_in(self):
        """Not even an officer who may edit and create contacts."""
        officer = mail_new_test_user(
            self.env,
            login="contact_officer",
            groups="base.group_user,base.group_partner_manager,"
            "certifications_retraining.group_certification_officer",
        )
        partner = self.learner.partner_id
        partner.with_user(officer).write({"phone": "+32 2 555 00 00"})  # may edit
        with self.assertRaises(AccessError):
            partner.with_user(officer).write({"is_credential_email_shared": True})
        with self.assertRaises(AccessError):
            partner.with_user(self.manager)._set_credential_email_shared(True)
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(officer).create(
                {"name": "Opted In", "is_credential_email_shared": True}
            )
        created = (
            self.env["res.partner"]
            .with_user(officer)
            .with_context(default_is_credential_email_shared=True)
            .create({"name": "Default Opted In"})
        )
        self.assertFalse(created.is_credential_email_shared)
        self.assertFalse(partner.is_credential_email_shared)
        subject = self.award._get_open_badge_payload()["credentialSubject"]
        self.assertNotIn("identifier", subject)

    def test_learner_opts_in_and_out(self):
        partner = self.learner.partner_id.with_user(self.learner)
        partner._set_credential_email_shared(True)
        identity = self.award._get_open_badge_payload()["credentialSubject"][
            "identifier"
        ]
        self.assertEqual(identity[0]["identityType"], "emailAddress")
        partner._set_credential_email_shared(False)
        subject = self.award._get_open_badge_payload()["credentialSubject"]
        self.assertNotIn("identifier", subject)


@tagged("post_install", "-at_install")
class TestCompromisedSigningKey(CredentialSecurityCase):
    """A compromised key is withdrawn and what it signed is revoked."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Key = cls.env["certification.signing.key"]
        cls.token = cls.award._get_open_badge_credential()
        cls.key = cls.Key.search([("company_id", "=", cls.company_a.id)])

    @users("cert_officer", "learner_portal")
    def test_officer_and_learner_cannot_withdraw_a_key(self):
        index = self.award.open_badge_status_index
        with self.assertRaises(AccessError):
            self.key.with_user(self.env.user).action_mark_compromised()
        self.assertFalse(self.key.compromised_on)
        self.assertEqual(self.award.open_badge_status_index, index)
        kids = {
            k["kid"] for k in self.Award._get_open_badge_jwks(self.company_a)["keys"]
        }
        self.assertIn(self.key.kid, kids)

    def test_compromised_key_is_withdrawn_and_its_credentials_revoked(self):
        old_index = self.award.open_badge_status_index
        revoked = self.Award.create(
            {"program_id": self.program_a.id, "partner_id": self.manager.partner_id.id}
        )
        revoked._revoke("Lost")
        revoked_index = revoked.open_badge_status_index
        self.key.with_user(self.manager).action_mark_compromised()
        self.assertEqual(self.key.state, "compromised")
        jwks = self.Award._get_open_badge_jwks(self.company_a)
        self.assertNotIn(self.key.kid, {k["kid"] for k in jwks["keys"]})
        new_key = self.Key.search(
            [("company_id", "=", self.company_a.id), ("retired_on", "=", False)]
        )
        self.assertEqual(len(new_key), 1)
        self.assertNotEqual(new_key, self.key)
        with self.assertRaises(UserError):
            self.key.sudo()._sign({"forged": True})
        # The credential it signed: its key is gone and its bit is set.
        result = self._check_token(self.token, self.company_a)
        self.assertFalse(result["signature_valid"])
        self.assertEqual(self._status_bit(self.company_a, old_index), 1)
        # Its holder downloads a new one: the new key, a new place, valid.
        self.assertNotEqual(self.award.open_badge_status_index, old_index)
        self.assertTrue(self.award.open_badge_reissued_on)
        token = self.award._get_open_badge_credential()
        self.assertEqual(jwt.get_unverified_header(token)["kid"], new_key.kid)
        result = self._check_token(token, self.company_a)
        self.assertEqual((result["signature_valid"], result["revoked"]), (True, False))
        # A revoked award keeps its place (its bit is already set).
        self.assertEqual(revoked.open_badge_status_index, revoked_index)
        self.assertEqual(self._status_bit(self.company_a, revoked_index), 1)

    def test_compromised_retired_key_revokes_only_what_it_could_sign(self):
        self.key.with_user(self.manager).action_rotate()
        self.env.cr.execute(
            "UPDATE certification_signing_key SET retired_on = %s WHERE id = %s",
            [datetime(2026, 1, 1), self.key.id],
        )
        self.env.cr.execute(
            "UPDATE certification_award SET create_date = %s WHERE id = %s",
            [datetime(2025, 6, 1), self.award.id],
        )
        self.key.invalidate_recordset()
        self.award.invalidate_recordset()
        later = self.Award.create(
            {"program_id": self.program_a.id, "partner_id": self.manager.partner_id.id}
        )
        later_index = later.open_badge_status_index
        old_index = self.award.open_badge_status_index
        current = self.Key.search(
            [("company_id", "=", self.company_a.id), ("retired_on", "=", False)]
        )
        self.key.with_user(self.manager).action_mark_compromised()
        self.assertNotEqual(self.award.open_badge_status_index, old_index)
        self.assertEqual(later.open_badge_status_index, later_index)
        self.assertFalse(current.retired_on, "the current key keeps signing")

    def test_administrator_rotates_without_revoking(self):
        """The allowed path next door: a rotation withdraws nothing."""
        index = self.award.open_badge_status_index
        self.key.with_user(self.manager).action_rotate()
        self.assertEqual(self.key.state, "retired")
        result = self._check_token(self.token, self.company_a)
        self.assertEqual((result["signature_valid"], result["revoked"]), (True, False))
        self.assertEqual(self.award.open_badge_status_index, index)


@tagged("post_install", "-at_install")
class TestCredentialPortalSecurity(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.learner = make_portal_learner(cls.env, email="learner@example.com")
        cls.other = make_portal_learner(
            cls.env, login="other_portal", name="Otto Other"
        )
        cls.officer = make_officer(cls.env)
        cls.manager = make_manager(cls.env)
        cls.program = make_program(cls.env, name="Portal Credential")
        cls.award = cls.env["certification.award"].create(
            {"program_id": cls.program.id, "partner_id": cls.learner.partner_id.id}
        )

    def _post(self, path, data):
        return self.url_open(
            path, data=dict(data, csrf_token=http.Request.csrf_token(self))
        )

    def test_learner_opts_in_from_the_portal(self):
        self.authenticate(self.learner.login, self.learner.login)
        page = self.url_open("/my/certifications")
        self.assertIn("Your e-mail address in your credentials", page.text)
        self.assertIn("anyone who guesses your address", page.text)
        res = self._post("/my/certifications/credential-email", {"shared": "1"})
        self.assertEqual(res.status_code, 200)
        self.assertIn("Your choice is saved", res.text)
        self.assertTrue(self.learner.partner_id.is_credential_email_shared)
        self.assertFalse(self.other.partner_id.is_credential_email_shared)
        subject = self.award._get_open_badge_payload()["credentialSubject"]
        self.assertEqual(subject["identifier"][0]["identityType"], "emailAddress")
        self._post("/my/certifications/credential-email", {})
        self.assertFalse(self.learner.partner_id.is_credential_email_shared)

    @mute_logger("odoo.http")
    def test_opt_in_needs_the_learners_session(self):
        res = self.url_open(
            "/my/certifications/credential-email",
            data={"shared": "1"},
            allow_redirects=False,
        )
        self.assertIn("/web/login", res.headers.get("Location", ""))
        self.authenticate(self.learner.login, self.learner.login)
        res = self.url_open("/my/certifications/credential-email", data={"shared": "1"})
        self.assertEqual(res.status_code, 400)  # no CSRF token
        self.assertFalse(self.learner.partner_id.is_credential_email_shared)

    def test_portal_tells_the_holder_to_download_again(self):
        self.authenticate(self.learner.login, self.learner.login)
        page = self.url_open(f"/my/certifications/{self.award.id}")
        self.assertNotIn("o_certification_open_badge_reissued", page.text)
        self.award._get_open_badge_credential()
        key = self.env["certification.signing.key"].search(
            [("company_id", "=", self.award.open_badge_company_id.id)]
        )
        key.with_user(self.manager).action_mark_compromised()
        page = self.url_open(f"/my/certifications/{self.award.id}")
        self.assertIn("o_certification_open_badge_reissued", page.text)
        self.assertIn("Download it again", page.text)
