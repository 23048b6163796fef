# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import date, datetime
from pathlib import Path

from odoo.tests import HttpCase, tagged

from .browser_tools import browser_timezone, capture_last_page
from .common import make_portal_learner, make_program

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SCREENSHOTS_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@tagged("post_install", "-at_install")
class TestLearnerDatesTour(HttpCase):
    browser_size = "1440x900"

    def test_tour_learner_dates_in_new_york(self):
        """A UTC officer with a browser in New York sees the Brussels learner's
        31 December expiry as 31 December in the list and the form."""
        self.env.ref("base.user_admin").tz = "UTC"
        program = make_program(
            self.env,
            name="Year End Safety",
            code="YEAREND",
            renewal_base="fixed",
            fixed_expiry_date=date(2024, 12, 31),
        )
        learner = make_portal_learner(
            self.env, login="tour_brussels", name="Bea Brussels", tz="Europe/Brussels"
        )
        award = self.env["certification.award"]._issue_awards(
            [
                {
                    "program_id": program.id,
                    "partner_id": learner.partner_id.id,
                    "date_issued": datetime(2025, 3, 1, 10, 0),
                }
            ]
        )
        # the instant is 30 December in UTC and in New York
        self.assertEqual(award.date_expiry, datetime(2025, 12, 30, 23, 0))
        with browser_timezone("America/New_York"):
            self.start_tour(
                "/odoo", "certifications_retraining_learner_dates", login="admin"
            )


@tagged("post_install", "-at_install", "-standard", "certifications_screenshots")
class TestReadmeScreenshots(HttpCase):
    """The README's screenshots, taken by tours on the demo data. Not part of
    ``make test`` (it rewrites files of the repository): run it with
    ``make screenshots``."""

    browser_size = "1440x900"

    def _shoot(self, url, tour, login, filename):
        shots = []
        with capture_last_page(shots):
            self.start_tour(url, tour, login=login)
        self.assertTrue(shots and shots[-1].startswith(PNG_SIGNATURE), filename)
        SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS_DIR / filename).write_bytes(shots[-1])

    def test_screenshots(self):
        self.assertTrue(
            self.env.ref(
                "certifications_retraining.res_users_lena_demo",
                raise_if_not_found=False,
            ),
            "the screenshots show the demo data",
        )
        self._shoot(
            "/odoo",
            "certifications_retraining_screenshot_awards",
            "admin",
            "awarded_users.png",
        )
        self._shoot(
            "/odoo",
            "certifications_retraining_screenshot_compliance",
            "admin",
            "compliance_report.png",
        )
        self._shoot(
            "/my", "certifications_retraining_screenshot_portal", "omar", "portal.png"
        )
