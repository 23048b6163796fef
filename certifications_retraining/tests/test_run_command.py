# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""`make run` as a newcomer meets it."""

from pathlib import Path

from odoo.tests import tagged

from .common import CertificationCase


@tagged("post_install", "-at_install")
class TestRunCommand(CertificationCase):
    """`make run` says how long the first start takes."""

    def test_make_run_says_how_long_the_first_start_takes(self):
        run_sh = Path(__file__).resolve().parents[2] / "tools" / "run.sh"
        text = run_sh.read_text()
        self.assertIn("about a minute", text)
        self.assertNotIn("a few minutes", text)
