# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import re
from datetime import timedelta
from urllib.parse import urlsplit

from werkzeug.exceptions import NotFound

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import make_portal_learner, make_program


@tagged("post_install", "-at_install")
class TestRenewLink(HttpCase):
    """The renew link of the "has expired" mail is the award's portal page:
    it opens for the learner (after login) and never for anyone else."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.learner = make_portal_learner(
            cls.env, login="renew_learner", password="renew_learner"
        )
        cls.stranger = make_portal_learner(
            cls.env,
            login="renew_stranger",
            name="Sam Stranger",
            password="renew_stranger",
        )
        cls.program = make_program(cls.env, name="Scaffold Inspector")
        cls.award = cls.env["certification.award"]._issue_awards(
            [{"program_id": cls.program.id, "partner_id": cls.learner.partner_id.id}]
        )
        # Expired an hour ago; the cron expires it and sends the mail.
        cls.award.date_expiry = fields.Datetime.now() - timedelta(hours=1)
        cls.env["certification.award"]._cron_process_expiry()
        cls.mail = cls.env["mail.mail"].search(
            [
                ("model", "=", "certification.award"),
                ("res_id", "=", cls.award.id),
                ("subject", "ilike", "has expired"),
            ]
        )

    def _renew_path(self):
        links = re.findall(
            r'href="([^"]+)"[^>]*>\s*Renew now', str(self.mail.body_html)
        )
        self.assertEqual(len(links), 1, "one Renew now link")
        url = urlsplit(links[0])
        self.assertEqual(
            f"{url.scheme}://{url.netloc}", self.award.get_base_url(), "absolute link"
        )
        self.assertEqual(url.path, f"/my/certifications/{self.award.id}")
        self.assertFalse(url.query, "no access token: the page opens after login")
        return url.path

    def _route_exists(self, path):
        try:
            self.env["ir.http"].routing_map().bind("localhost").match(path)
        except NotFound:
            return False
        return True

    def test_expired_mail_has_renew_link(self):
        self.assertEqual(self.award.state, "expired")
        self.assertEqual(len(self.mail), 1)
        self.assertEqual(self.mail.recipient_ids, self.learner.partner_id)
        self._renew_path()

    def test_renew_link_refused_to_others(self):
        path = self._renew_path()
        anonymous = self.url_open(path, allow_redirects=False)
        self.assertNotEqual(anonymous.status_code, 200, "anonymous: login or 404")
        self.authenticate("renew_stranger", "renew_stranger")
        response = self.url_open(path, allow_redirects=False)
        self.assertIn(response.status_code, (303, 302, 403, 404))
        self.assertNotIn("Scaffold Inspector", response.text)

    def test_renew_link_opens_for_learner(self):
        path = self._renew_path()
        self.authenticate("renew_learner", "renew_learner")
        response = self.url_open(path)
        if self._route_exists(path):
            self.assertEqual(response.status_code, 200)
            self.assertIn("Scaffold Inspector", response.text)
        else:
            # The portal page is built by the portal issue; until it is merged
            # the link resolves to no route. This branch fails loudly once the
            # route exists but does not open for the learner.
            self.assertEqual(response.status_code, 404)
