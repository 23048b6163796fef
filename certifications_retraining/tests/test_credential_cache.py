# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The public credential routes scale: the status list, the public keys and
the issuer profile are built once per company version (ETag, 304), the
verification page signs nothing, and an award's credential is signed once."""

from datetime import datetime
from unittest.mock import patch

import jwt

from odoo.tests import HttpCase, tagged
from odoo.tools import SQL

from ..models.certification_award_credential import STATUS_SEQUENCE_CODE
from ..tools import open_badges
from .common import make_manager, make_officer, make_portal_learner, make_program


def refuse_to_sign(*args, **kwargs):
    raise AssertionError("nothing may be signed here")


@tagged("post_install", "-at_install")
class TestCredentialRoutesCache(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.learner = make_portal_learner(cls.env, email="learner@example.com")
        cls.officer = make_officer(cls.env)
        cls.manager = make_manager(cls.env)
        cls.program = make_program(cls.env, name="Cached Certification")
        cls.Award = cls.env["certification.award"]
        cls.award = cls.Award.create(
            {
                "program_id": cls.program.id,
                "partner_id": cls.learner.partner_id.id,
                "date_issued": datetime(2026, 3, 1, 9, 30),
                "date_expiry": datetime(2030, 3, 1, 9, 30),
            }
        )
        cls.company = cls.award.open_badge_company_id
        cls.Key = cls.env["certification.signing.key"]
        cls.paths = {
            "status": f"/certifications/status/{cls.company.id}",
            "status-json": f"/certifications/status/{cls.company.id}?format=json",
            "jwks": f"/certifications/issuer/{cls.company.id}/jwks.json",
            "issuer": f"/certifications/issuer/{cls.company.id}",
        }

    def _no_signing(self):
        """Signing (and verifying) refused for the ``with`` block only."""
        return patch.object(type(self.Key), "_sign", refuse_to_sign)

    def _status(self):
        res = self.url_open(self.paths["status-json"])
        self.assertEqual(res.status_code, 200)
        bits = open_badges.decode_status_list(
            res.json()["credentialSubject"]["encodedList"]
        )
        return res.headers["ETag"], bits

    def test_etag_cache_control_and_304(self):
        for name, path in self.paths.items():
            res = self.url_open(path)
            self.assertEqual(res.status_code, 200, name)
            etag = res.headers["ETag"]
            self.assertTrue(etag.startswith('"') and len(etag) > 10, name)
            self.assertEqual(res.headers["Cache-Control"], "public, max-age=60", name)
            again = self.url_open(path, headers={"If-None-Match": etag})
            self.assertEqual(again.status_code, 304, name)
            self.assertEqual(again.content, b"", name)
            self.assertEqual(again.headers["ETag"], etag, name)
            self.assertEqual(again.headers["Access-Control-Allow-Origin"], "*", name)
            self.assertEqual(again.headers["Cache-Control"], "public, max-age=60", name)
            other = self.url_open(path, headers={"If-None-Match": '"stale"'})
            self.assertEqual(other.status_code, 200, name)
            self.assertEqual(other.text, res.text, name)
        # The two representations of the status list have their own ETags.
        self.assertNotEqual(
            self.url_open(self.paths["status"]).headers["ETag"],
            self.url_open(self.paths["status-json"]).headers["ETag"],
        )

    def test_served_from_cache_without_signing(self):
        first = self.url_open(self.paths["status"])
        self.assertEqual(first.status_code, 200)
        with self._no_signing():
            again = self.url_open(self.paths["status"])
        self.assertEqual(again.status_code, 200)
        self.assertEqual(again.text, first.text)
        claims = open_badges.verify_jws(
            again.text, self.url_open(self.paths["jwks"]).json()
        )
        self.assertEqual(
            claims["iss"], self.Award._get_open_badge_issuer_url(self.company)
        )

    def test_revoke_changes_the_status_list(self):
        etag, bits = self._status()
        index = self.award.open_badge_status_index
        self.assertEqual(open_badges.status_bit(bits, index), 0)
        self.award._revoke("Cache test")
        self.award.flush_recordset()
        new_etag, bits = self._status()
        self.assertNotEqual(new_etag, etag)
        self.assertEqual(open_badges.status_bit(bits, index), 1)
        stale = self.url_open(
            self.paths["status-json"], headers={"If-None-Match": etag}
        )
        self.assertEqual(stale.status_code, 200)

    def test_moved_place_and_unassign_change_the_status_list(self):
        """A place moved by SQL (a shortened validity) and a deleted award
        change the list like a revocation."""
        etag, _bits = self._status()
        old_index = self.award.open_badge_status_index
        self.award.with_user(self.officer).write({"date_expiry": datetime(2028, 3, 1)})
        self.assertNotEqual(self.award.open_badge_status_index, old_index)
        moved_etag, bits = self._status()
        self.assertNotEqual(moved_etag, etag)
        self.assertEqual(open_badges.status_bit(bits, old_index), 1)
        index = self.award.open_badge_status_index
        self.assertEqual(open_badges.status_bit(bits, index), 0)
        self.award.with_user(self.officer).action_unassign()
        gone_etag, bits = self._status()
        self.assertNotEqual(gone_etag, moved_etag)
        self.assertEqual(open_badges.status_bit(bits, index), 1)

    def test_unrelated_edit_keeps_the_etag(self):
        etag, _bits = self._status()
        self.award.with_user(self.officer).write({"date_expiry": datetime(2031, 3, 1)})
        self.award.flush_recordset()
        self.assertEqual(self._status()[0], etag)

    def test_new_award_beyond_the_list_grows_it(self):
        """A new award is no bit change, unless its place is beyond the
        list's size: then the list grows at once."""
        company = self.env["res.company"].create({"name": "Growing Issuer"})
        program = make_program(self.env, name="Growing", company_id=company.id)
        first = self.Award.create(
            {"program_id": program.id, "partner_id": self.learner.partner_id.id}
        )
        path = f"/certifications/status/{company.id}?format=json"
        etag = self.url_open(path).headers["ETag"]
        second = self.Award.create(
            {"program_id": program.id, "partner_id": self.officer.partner_id.id}
        )
        self.assertEqual(self.url_open(path).headers["ETag"], etag)
        sequence = self.env["ir.sequence"].search(
            [("code", "=", STATUS_SEQUENCE_CODE), ("company_id", "=", company.id)]
        )
        # This company's own sequence, made in this test's transaction.
        self.env.cr.execute(
            SQL(
                "SELECT setval(%s, %s)",
                f"ir_sequence_{sequence.id:03d}",
                open_badges.STATUS_LIST_MIN_BITS,
            )
        )
        beyond = self.Award.create(
            {"program_id": program.id, "partner_id": self.manager.partner_id.id}
        )
        self.assertEqual(
            beyond.open_badge_status_index, open_badges.STATUS_LIST_MIN_BITS
        )
        res = self.url_open(path)
        self.assertNotEqual(res.headers["ETag"], etag)
        bits = open_badges.decode_status_list(
            res.json()["credentialSubject"]["encodedList"]
        )
        self.assertEqual(len(bits) * 8, 2 * open_badges.STATUS_LIST_MIN_BITS)
        self.assertEqual((first | second).mapped("open_badge_status_index"), [0, 1])

    def test_key_rotation_and_compromise_change_the_jwks(self):
        res = self.url_open(self.paths["jwks"])
        etag, kids = res.headers["ETag"], {k["kid"] for k in res.json()["keys"]}
        key = self.Key.search([("company_id", "=", self.company.id)])
        key.with_user(self.manager).action_rotate()
        res = self.url_open(self.paths["jwks"])
        self.assertNotEqual(res.headers["ETag"], etag)
        new_kids = {k["kid"] for k in res.json()["keys"]}
        self.assertLess(kids, new_kids)
        key.with_user(self.manager).action_mark_compromised()
        res = self.url_open(self.paths["jwks"])
        self.assertNotIn(key.kid, {k["kid"] for k in res.json()["keys"]})

    def test_issuer_profile_follows_the_company(self):
        etag = self.url_open(self.paths["issuer"]).headers["ETag"]
        self.company.name = "Renamed Issuer"
        self.company.flush_recordset()
        res = self.url_open(self.paths["issuer"])
        self.assertNotEqual(res.headers["ETag"], etag)
        self.assertEqual(res.json()["name"], "Renamed Issuer")

    def test_verification_page_signs_nothing(self):
        path = f"/certifications/verify/{self.award.verification_token}"
        with (
            self._no_signing(),
            patch.object(open_badges, "verify_credential", refuse_to_sign),
        ):
            res = self.url_open(path)
        self.assertEqual(res.status_code, 200)
        self.assertIn(">VALID<", res.text)
        self.assertIn(f"{self.award.verification_token}.jwt", res.text)

    def test_credential_is_signed_once_until_the_award_changes(self):
        path = f"/certifications/credential/{self.award.verification_token}.jwt"
        first = self.url_open(path)
        self.assertEqual(first.status_code, 200)
        with self._no_signing():
            second = self.url_open(f"{path}?download=1")
        self.assertEqual(second.status_code, 200)
        self.assertEqual(second.text, first.text)
        self.award.with_user(self.officer).write({"date_expiry": datetime(2031, 3, 1)})
        self.award.flush_recordset()
        changed = self.url_open(path)
        self.assertNotEqual(changed.text, first.text)
        claims = open_badges.verify_jws(
            changed.text, self.url_open(self.paths["jwks"]).json()
        )
        self.assertEqual(claims["validUntil"], "2031-03-01T00:00:00Z")
        # A new key signs again: the cache never serves the old key's copy.
        key = self.Key.search(
            [("company_id", "=", self.company.id), ("retired_on", "=", False)]
        )
        key.with_user(self.manager).action_rotate()
        rotated = self.url_open(path)
        self.assertNotEqual(
            jwt.get_unverified_header(rotated.text)["kid"],
            jwt.get_unverified_header(changed.text)["kid"],
        )
