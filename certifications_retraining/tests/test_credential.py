# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64
import hashlib
import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import jsonschema
import jwt

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import mail_new_test_user

from .. import compat
from ..compat import USER_GROUPS
from ..tools import open_badges
from .common import (
    CertificationCase,
    make_officer,
    make_portal_learner,
    make_program,
)

DATA = Path(__file__).parent / "data"
ADDON = Path(__file__).parent.parent


def load_schema():
    return json.loads((DATA / "achievementcredential.json").read_text())


def revoke(award):
    """Revocation through the trust work's door: archived, ``revoked_on`` set."""
    award._revoke("Credential test")
    award.flush_recordset()


def tamper(token):
    """The JWS with one byte of its payload changed."""
    header, payload, signature = token.split(".")
    raw = bytearray(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    raw[10] ^= 0x01
    changed = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    return f"{header}.{changed}.{signature}"


class CredentialCase(CertificationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Award = cls.env["certification.award"]
        cls.company = cls.env.company
        cls.learner.partner_id.email = "Paula.Portal@Example.com"
        cls.award = cls.Award.create(
            {
                "program_id": cls.program.id,
                "partner_id": cls.learner.partner_id.id,
                "date_issued": datetime(2026, 3, 1, 9, 30),
                "date_expiry": datetime(2027, 3, 1, 9, 30),
            }
        )
        cls.other_award = cls.Award.create(
            {
                "program_id": cls.program.id,
                "partner_id": cls.employee_learner.partner_id.id,
            }
        )

    def _bit(self, award):
        status_list = self.Award._get_open_badge_status_list(
            award.open_badge_company_id
        )
        bits = open_badges.decode_status_list(
            status_list["credentialSubject"]["encodedList"]
        )
        index = int(
            award._get_open_badge_payload()["credentialStatus"]["statusListIndex"]
        )
        return open_badges.status_bit(bits, index)

    def _verify(self, token):
        jwks = self.Award._get_open_badge_jwks(self.company)
        return open_badges.verify_jws(token, jwks)


@tagged("post_install", "-at_install")
class TestCredentialPayload(CredentialCase):
    def test_credential_validates_against_ob30_schema(self):
        payload = self.award._get_open_badge_payload()
        jsonschema.validate(payload, load_schema())
        # The signed payload (credential + JWT claims) is still a valid credential.
        signed = self._verify(self.award._get_open_badge_credential())
        jsonschema.validate(signed, load_schema())
        self.assertEqual(
            payload["type"], ["VerifiableCredential", "OpenBadgeCredential"]
        )
        self.assertEqual(
            payload["@context"],
            [
                "https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            ],
        )

    def test_schema_rejects_a_broken_credential(self):
        """The stored schema really constrains the credential."""
        payload = self.award._get_open_badge_payload()
        del payload["credentialSubject"]["achievement"]
        with self.assertRaises(jsonschema.ValidationError):
            jsonschema.validate(payload, load_schema())

    def test_valid_from_and_until_equal_the_award_dates(self):
        payload = self.award._get_open_badge_payload()
        self.assertEqual(payload["validFrom"], "2026-03-01T09:30:00Z")
        self.assertEqual(payload["validUntil"], "2027-03-01T09:30:00Z")
        claims = self._verify(self.award._get_open_badge_credential())
        self.assertEqual(
            claims["nbf"], open_badges.to_timestamp(self.award.date_issued)
        )
        self.assertEqual(
            claims["exp"], open_badges.to_timestamp(self.award.date_expiry)
        )

    def test_never_expiring_award_has_no_valid_until(self):
        self.award.is_always_valid = True
        payload = self.award._get_open_badge_payload()
        self.assertNotIn("validUntil", payload)
        self.assertNotIn("exp", self._verify(self.award._get_open_badge_credential()))

    def test_credential_names_award_issuer_and_certification(self):
        payload = self.award._get_open_badge_payload()
        self.assertEqual(payload["id"], self.award._get_verification_url())
        issuer = payload["issuer"]
        self.assertEqual(
            issuer["id"],
            f"{self.award.get_base_url()}/certifications/issuer/{self.company.id}",
        )
        self.assertEqual(issuer["name"], self.company.name)
        achievement = payload["credentialSubject"]["achievement"]
        self.assertEqual(achievement["achievementType"], "Certification")
        self.assertEqual(achievement["name"], "Forklift Operator")
        self.assertIn("Forklift Basics", achievement["criteria"]["narrative"])
        self.assertIn("valid for 1 year", achievement["criteria"]["narrative"])
        entry = payload["credentialStatus"]
        self.assertEqual(entry["type"], "BitstringStatusListEntry")
        self.assertEqual(entry["statusPurpose"], "revocation")
        self.assertEqual(
            entry["statusListCredential"],
            f"{self.award.get_base_url()}/certifications/status/{self.company.id}",
        )

    def test_subject_is_the_verification_page_without_consent(self):
        """Default: no e-mail hash (a guess of the address would confirm it)."""
        subject = self.award._get_open_badge_payload()["credentialSubject"]
        self.assertEqual(subject["id"], self.award._get_verification_url())
        self.assertNotIn("identifier", subject)
        claims = self._verify(self.award._get_open_badge_credential())
        self.assertEqual(claims["sub"], self.award._get_verification_url())
        self.assertNotIn("identifier", claims["credentialSubject"])

    def test_subject_is_a_salted_hash_never_the_email(self):
        """With the learner's consent (portal setting): a salted hash."""
        partner = self.learner.partner_id.with_user(self.learner)
        partner._set_credential_email_shared(True)
        payload = self.award._get_open_badge_payload()
        jsonschema.validate(payload, load_schema())
        self.assertNotIn("paula.portal@example.com", json.dumps(payload).lower())
        identity = payload["credentialSubject"]["identifier"][0]
        self.assertEqual(identity["identityType"], "emailAddress")
        self.assertIs(identity["hashed"], True)
        self.assertTrue(identity["salt"])
        expected = hashlib.sha256(
            ("paula.portal@example.com" + identity["salt"]).encode()
        ).hexdigest()
        self.assertEqual(identity["identityHash"], f"sha256${expected}")
        # Stable from one download to the next; another award, another salt.
        self.assertEqual(
            self.award._get_open_badge_payload()["credentialSubject"],
            payload["credentialSubject"],
        )
        employee = self.employee_learner.partner_id
        employee.email = "ivan@example.com"
        employee.with_user(self.employee_learner)._set_credential_email_shared(True)
        other = self.other_award._get_open_badge_payload()["credentialSubject"]
        self.assertNotEqual(other["identifier"][0]["salt"], identity["salt"])

    def test_jws_header_and_claims(self):
        token = self.award._get_open_badge_credential()
        header = jwt.get_unverified_header(token)
        self.assertEqual(header["alg"], "EdDSA")
        self.assertEqual(header["typ"], "JWT")
        jwks = self.Award._get_open_badge_jwks(self.company)
        self.assertEqual(header["kid"], jwks["keys"][0]["kid"])
        claims = self._verify(token)
        self.assertEqual(claims["iss"], claims["issuer"]["id"])
        self.assertEqual(claims["jti"], claims["id"])
        self.assertEqual(claims["sub"], claims["credentialSubject"]["id"])

    def test_learner_gets_own_credential_not_anothers(self):
        token = self.award.with_user(self.learner)._get_open_badge_credential()
        self.assertEqual(self._verify(token)["id"], self.award._get_verification_url())
        stranger = make_portal_learner(self.env, login="stranger", name="Sam Stranger")
        with self.assertRaises(AccessError):
            self.award.with_user(stranger)._get_open_badge_credential()
        with self.assertRaises(AccessError):
            self.award.with_user(stranger)._get_open_badge_payload()

    def test_award_form_opens_the_credential(self):
        action = self.award.with_user(self.officer).action_open_open_badge_credential()
        self.assertEqual(
            action["url"],
            f"{self.award.get_base_url()}/certifications/credential/"
            f"{self.award.verification_token}.json",
        )

    def test_changed_payload_fails_verification(self):
        token = self.award._get_open_badge_credential()
        self.assertTrue(self._verify(token))
        with self.assertRaises(jwt.InvalidSignatureError):
            self._verify(tamper(token))
        result = self.award._verify_open_badge_credential(tamper(token))
        self.assertFalse(result["signature_valid"])


@tagged("post_install", "-at_install")
class TestCredentialStatus(CredentialCase):
    def test_status_list_is_large_enough_and_signed(self):
        status_list = self.Award._get_open_badge_status_list(self.company)
        self.assertEqual(
            status_list["type"],
            ["VerifiableCredential", "BitstringStatusListCredential"],
        )
        subject = status_list["credentialSubject"]
        self.assertEqual(subject["type"], "BitstringStatusList")
        self.assertEqual(subject["statusPurpose"], "revocation")
        bits = open_badges.decode_status_list(subject["encodedList"])
        self.assertGreaterEqual(len(bits) * 8, 131072)
        token = self.Award._get_open_badge_status_list_credential(self.company)
        self.assertEqual(self._verify(token)["credentialSubject"], subject)

    def test_award_without_company_uses_the_issuing_company(self):
        """A certification of all companies: its awards are issued (and listed)
        by the current company."""
        self.assertFalse(self.award.company_id)
        self.assertEqual(self.award.open_badge_company_id, self.env.company)
        revoke(self.award)
        status_list = self.Award._get_open_badge_status_list(self.award.company_id)
        bits = open_badges.decode_status_list(
            status_list["credentialSubject"]["encodedList"]
        )
        self.assertEqual(
            open_badges.status_bit(bits, self.award.open_badge_status_index), 1
        )

    def test_revoke_sets_the_status_bit_at_once(self):
        self.assertEqual(self._bit(self.award), 0)
        revoke(self.award)
        self.assertTrue(self.award.revoked_on)
        self.assertEqual(self._bit(self.award), 1)
        self.assertEqual(self._bit(self.other_award), 0)
        result = self.award._verify_open_badge_credential()
        self.assertTrue(result["signature_valid"])
        self.assertIs(result["revoked"], True)
        self.assertIs(
            self.other_award._verify_open_badge_credential()["revoked"], False
        )

    def test_renewal_sets_the_old_bit_and_gives_a_new_index(self):
        old_index = self.award.open_badge_status_index
        renewed = self.Award._issue_awards(
            [{"program_id": self.program.id, "partner_id": self.learner.partner_id.id}]
        )
        self.assertEqual(self.award.state, "archived")
        self.assertEqual(self._bit(self.award), 1)
        self.assertNotEqual(renewed.open_badge_status_index, old_index)
        self.assertEqual(self._bit(renewed), 0)

    def test_grace_and_expired_awards_keep_bit_zero(self):
        """Expiry needs no bit: validUntil says it."""
        yesterday = fields.Datetime.now() - timedelta(days=1)
        self.award.write({"date_expiry": yesterday, "state": "grace"})
        self.other_award.write({"date_expiry": yesterday, "state": "expired"})
        self.assertEqual(self._bit(self.award), 0)
        self.assertEqual(self._bit(self.other_award), 0)
        for award in self.award | self.other_award:
            result = award._verify_open_badge_credential()
            self.assertTrue(result["signature_valid"])
            self.assertIs(result["revoked"], False)
            self.assertIs(result["expired"], True)

    def test_indexes_are_distinct_per_company_and_stable(self):
        awards = self.Award.create(
            [
                {"program_id": self.program.id, "partner_id": partner.id}
                for partner in self.env["res.partner"].create(
                    [
                        {"name": f"Batch {n}", "email": f"b{n}@example.com"}
                        for n in range(5)
                    ]
                )
            ]
        )
        indexes = (awards | self.award | self.other_award).mapped(
            "open_badge_status_index"
        )
        self.assertEqual(len(set(indexes)), 7)
        before = self.award._get_open_badge_payload()["credentialStatus"][
            "statusListIndex"
        ]
        self.award.date_expiry = datetime(2028, 1, 1)
        after = self.award._get_open_badge_payload()["credentialStatus"][
            "statusListIndex"
        ]
        self.assertEqual(before, after)
        company_b = self.env["res.company"].create({"name": "Other Issuer"})
        program_b = make_program(self.env, name="Crane", company_id=company_b.id)
        award_b = self.Award.create(
            {"program_id": program_b.id, "partner_id": self.learner.partner_id.id}
        )
        self.assertEqual(award_b.open_badge_company_id, company_b)
        self.assertEqual(award_b.open_badge_status_index, 0)

    def test_reused_values_get_a_new_index(self):
        """The caller's values are not changed: created again, another index."""
        vals = {"program_id": self.program.id, "partner_id": self.manager.partner_id.id}
        first = self.Award.create(vals)
        self.assertNotIn("open_badge_status_index", vals)
        revoke(first)
        second = self.Award.create(vals)
        self.assertNotEqual(
            first.open_badge_status_index, second.open_badge_status_index
        )

    def test_award_without_index_gets_one_on_first_use(self):
        self.env.cr.execute(
            "UPDATE certification_award SET open_badge_company_id = NULL, "
            "open_badge_status_index = NULL WHERE id = %s",
            [self.other_award.id],
        )
        self.other_award.invalidate_recordset()
        index = self.other_award._get_open_badge_payload()["credentialStatus"][
            "statusListIndex"
        ]
        self.assertNotEqual(int(index), self.award.open_badge_status_index)
        self.assertEqual(self.other_award.open_badge_status_index, int(index))


@tagged("post_install", "-at_install")
class TestCredentialKeys(CredentialCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Key = cls.env["certification.signing.key"]
        cls.token = cls.award._get_open_badge_credential()
        cls.key = cls.Key.search([("company_id", "=", cls.company.id)])
        cls.admin = cls.env.ref("base.user_admin")

    def test_one_key_per_company_generated_on_first_use(self):
        self.assertEqual(len(self.key), 1)
        self.assertEqual(self.key.algorithm, "EdDSA")
        self.other_award._get_open_badge_credential()
        self.assertEqual(
            self.Key.search_count([("company_id", "=", self.company.id)]), 1
        )
        jwk = json.loads(self.key.public_jwk)
        self.assertNotIn("d", jwk)  # no private member in the published key

    def test_rotated_key_still_verifies_an_old_credential(self):
        self.key.with_user(self.manager).action_rotate()
        self.assertTrue(self.key.retired_on)
        new_token = self.award._get_open_badge_credential()
        new_kid = jwt.get_unverified_header(new_token)["kid"]
        self.assertNotEqual(new_kid, self.key.kid)
        jwks = self.Award._get_open_badge_jwks(self.company)
        self.assertEqual({k["kid"] for k in jwks["keys"]}, {self.key.kid, new_kid})
        self.assertEqual(
            self._verify(self.token)["id"], self.award._get_verification_url()
        )
        self.assertTrue(self._verify(new_token))
        self.assertTrue(
            self.award._verify_open_badge_credential(self.token)["signature_valid"]
        )

    def test_officer_cannot_rotate_or_read_keys(self):
        with self.assertRaises(AccessError):
            self.key.with_user(self.officer).action_rotate()
        with self.assertRaises(AccessError):
            self.Key.with_user(self.officer).search([])
        with self.assertRaises(AccessError):
            self.key.with_user(self.officer).read(["kid"])
        self.assertFalse(self.key.retired_on)

    def test_portal_user_cannot_read_keys(self):
        with self.assertRaises(AccessError):
            self.Key.with_user(self.learner).search_read([], ["private_key"])
        with self.assertRaises(AccessError):
            self.key.with_user(self.learner).read(["public_jwk"])

    def test_nobody_reads_the_private_key_by_rpc(self):
        """Administrators included: the field belongs to no group."""
        export = self.env.ref("base.group_allow_export")
        for user in (self.manager, self.admin):
            user[USER_GROUPS] |= export  # so that only the field rule stops export
            keys = self.Key.with_user(user)
            self.assertEqual(keys.search([]), self.key)  # the allowed path
            self.assertTrue(self.key.with_user(user).read(["kid", "public_jwk"]))
            self.assertNotIn("private_key", keys.fields_get())
            self.assertNotIn("private_key", self.key.with_user(user).read()[0])
            with self.assertRaises(AccessError):
                self.key.with_user(user).read(["private_key"])
            with self.assertRaises(AccessError):
                keys.search_read([], ["kid", "private_key"])
            with self.assertRaises(AccessError):
                keys.web_search_read([], {"private_key": {}})
            with self.assertRaises(AccessError):
                self.key.with_user(user).export_data(["private_key"])
            with self.assertRaises(AccessError):
                keys.search([("private_key", "like", "PRIVATE")])
            with self.assertRaises(AccessError):
                self.key.with_user(user).private_key  # noqa: B018
            with self.assertRaises(AccessError):
                keys.read_group([], ["private_key"], ["private_key"])

    def test_nobody_writes_keys(self):
        with self.assertRaises(AccessError):
            self.key.with_user(self.manager).write({"public_jwk": "{}"})
        with self.assertRaises(AccessError):
            self.Key.with_user(self.admin).create(
                {
                    "company_id": self.company.id,
                    "kid": "forged",
                    "algorithm": "EdDSA",
                    "public_jwk": "{}",
                    "private_key": "x",
                }
            )
        with self.assertRaises(AccessError):
            self.key.with_user(self.admin).unlink()

    def test_private_key_in_no_view(self):
        views = self.env["ir.ui.view"].search(
            [("model", "=", "certification.signing.key")]
        )
        self.assertTrue(views)
        for view in views:
            self.assertNotIn("private_key", view.arch_db)


@tagged("post_install", "-at_install")
class TestCredentialHttp(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.learner = make_portal_learner(cls.env, email="learner@example.com")
        cls.officer = make_officer(cls.env)
        cls.manager = mail_new_test_user(
            cls.env,
            login="key_manager",
            groups="base.group_user,certifications_retraining.group_certification_manager",
        )
        cls.program = make_program(cls.env, name="HTTP Certification")
        cls.Award = cls.env["certification.award"]
        cls.award = cls.Award.create(
            {"program_id": cls.program.id, "partner_id": cls.learner.partner_id.id}
        )
        cls.company = cls.award.open_badge_company_id
        cls.silent_company = cls.env["res.company"].create({"name": "Silent Ltd"})

    def _get(self, path, **kw):
        return self.url_open(path, **kw)

    def _fetch_jwks(self, issuer):
        return self._get(f"{issuer}/jwks.json").json()

    def _fetch_status_list(self, url):
        return self._get(url).text

    def test_jws_verifies_with_the_published_jwks(self):
        token = self._get(
            f"/certifications/credential/{self.award.verification_token}.jwt"
        )
        self.assertEqual(token.status_code, 200)
        self.assertIn("max-age", token.headers["Cache-Control"])
        self.assertIn("public", token.headers["Cache-Control"])
        jwks = self._get(f"/certifications/issuer/{self.company.id}/jwks.json")
        self.assertIn("max-age", jwks.headers["Cache-Control"])
        claims = open_badges.verify_jws(token.text, jwks.json())
        self.assertEqual(claims["id"], self.award._get_verification_url())
        with self.assertRaises(jwt.InvalidSignatureError):
            open_badges.verify_jws(tamper(token.text), jwks.json())
        result = open_badges.verify_credential(
            token.text, self._fetch_jwks, self._fetch_status_list, fields.Datetime.now()
        )
        self.assertEqual(
            (
                result["signature_valid"],
                result["revoked"],
                result["expired"],
                result["error"],
            ),
            (True, False, False, None),
        )

    def test_revocation_reaches_the_published_status_list(self):
        token = self.award._get_open_badge_credential()
        revoke(self.award)
        result = open_badges.verify_credential(
            token, self._fetch_jwks, self._fetch_status_list, fields.Datetime.now()
        )
        self.assertTrue(result["signature_valid"])
        self.assertIs(result["revoked"], True)
        status = self._get(
            f"/certifications/status/{self.company.id}?format=json"
        ).json()
        bits = open_badges.decode_status_list(
            status["credentialSubject"]["encodedList"]
        )
        self.assertEqual(
            open_badges.status_bit(bits, self.award.open_badge_status_index), 1
        )

    def test_json_and_issuer_routes(self):
        res = self._get(
            f"/certifications/credential/{self.award.verification_token}.json"
        )
        self.assertEqual(res.status_code, 200)
        jsonschema.validate(res.json(), load_schema())
        issuer = self._get(f"/certifications/issuer/{self.company.id}").json()
        self.assertEqual(issuer["id"], res.json()["issuer"]["id"])
        self.assertIn("Profile", issuer["type"])
        achievement_url = res.json()["credentialSubject"]["achievement"]["id"]
        self.assertEqual(
            self._get(achievement_url).json()["name"], "HTTP Certification"
        )

    @mute_logger("odoo.http")
    def test_unknown_token_is_404_like_the_verification_page(self):
        for path in (
            "/certifications/credential/nope.jwt",
            "/certifications/credential/nope.json",
            "/certifications/verify/nope",
            f"/certifications/credential/{self.award.verification_token[:-1]}.jwt",
            "/certifications/issuer/999999",
            "/certifications/status/999999",
            # A company that never issued a credential is not listed.
            f"/certifications/issuer/{self.silent_company.id}",
            f"/certifications/issuer/{self.silent_company.id}/jwks.json",
            f"/certifications/status/{self.silent_company.id}",
        ):
            self.assertEqual(self._get(path).status_code, 404, path)

    @mute_logger("odoo.http", "odoo.models")
    def test_private_key_by_no_route(self):
        self.award._get_open_badge_credential()
        key = self.env["certification.signing.key"].search(
            [("company_id", "=", self.company.id)]
        )
        private_pem = key.sudo().private_key
        marker = private_pem.splitlines()[1][:20]
        for user in (None, self.learner, self.officer, self.manager):
            if user:
                self.authenticate(user.login, user.login)
            for path in (
                f"/web/content/certification.signing.key/{key.id}/private_key",
                f"/web/content?model=certification.signing.key&id={key.id}&field=private_key",
                f"/certifications/issuer/{self.company.id}/jwks.json",
                f"/certifications/issuer/{self.company.id}",
                f"/certifications/status/{self.company.id}",
            ):
                res = self._get(path)
                self.assertNotIn(marker, res.text, (user, path))
                self.assertNotIn("PRIVATE KEY", res.text, (user, path))
        # The JSON-RPC door, as the certification administrator.
        self.authenticate(self.manager.login, self.manager.login)
        with self.assertRaises(Exception) as caught:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw",
                {
                    "model": "certification.signing.key",
                    "method": "read",
                    "args": [[key.id], ["private_key"]],
                    "kwargs": {},
                },
            )
        self.assertNotIn(marker, str(caught.exception))
        allowed = self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {
                "model": "certification.signing.key",
                "method": "read",
                "args": [[key.id], ["kid"]],
                "kwargs": {},
            },
        )
        self.assertEqual(allowed[0]["kid"], key.kid)

    def test_portal_detail_page_offers_the_credential(self):
        self.authenticate(self.learner.login, self.learner.login)
        res = self._get(f"/my/certifications/{self.award.id}")
        self.assertEqual(res.status_code, 200)
        self.assertIn("Download credential (Open Badges 3.0)", res.text)
        link = (
            f"/certifications/credential/{self.award.verification_token}.jwt?download=1"
        )
        self.assertIn(link.replace("&", "&amp;"), res.text)
        download = self._get(link)
        self.assertIn("attachment", download.headers["Content-Disposition"])
        self.assertEqual(len(download.text.split(".")), 3)

    def test_verification_page_shows_state_and_links_the_credential(self):
        """The page shows the award's state from the database and links to its
        credential; the signature is checked by who downloads it."""
        res = self._get(f"/certifications/verify/{self.award.verification_token}")
        self.assertIn("o_certification_verify_credential", res.text)
        self.assertIn(f"{self.award.verification_token}.json", res.text)
        self.assertIn(f"{self.award.verification_token}.jwt", res.text)
        self.assertRegex(res.text, r"o_certification_verify_status\">VALID<")
        revoke(self.award)
        res = self._get(f"/certifications/verify/{self.award.verification_token}")
        self.assertIn("REVOKED", res.text)
        self.assertNotIn(">VALID<", res.text)

    def test_readme_snippet_verifies_a_credential(self):
        """The README's copy-paste snippet, run against this server."""
        text = (ADDON / "readme" / "USAGE.md").read_text()
        snippet = re.search(
            r"```python\n(.*?verify_open_badge.*?)```", text, re.DOTALL
        ).group(1)
        namespace = {"__name__": "readme_snippet"}
        exec(compile(snippet, "README snippet", "exec"), namespace)  # noqa: S102
        url = self.award._get_open_badge_credential_url("jwt")
        with compat.plain_http_requests(self):
            report = namespace["verify_open_badge"](url)
        self.assertEqual(report["signature"], "valid")
        self.assertEqual(report["status"], "not revoked")
        self.assertEqual(report["credential"]["id"], self.award._get_verification_url())
        revoke(self.award)
        with compat.plain_http_requests(self):
            self.assertEqual(namespace["verify_open_badge"](url)["status"], "revoked")
