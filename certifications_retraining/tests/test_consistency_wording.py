# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""How the consistency check words its findings and fixes."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL

from .common import AwardViewsCase, make_portal_learner, make_program


@tagged("post_install", "-at_install")
class TestConsistencyWording(AwardViewsCase):
    """The check's title, fix text and message."""

    def test_consistency_check_title_fix_text_and_message(self):
        Check = self.env["certification.consistency.check"].with_user(self.officer)
        action = Check.action_open()
        check = Check.browse(action["res_id"])
        self.assertTrue(check.exists(), "the menu opens a saved check (no 'New')")
        self.assertEqual(check.display_name, "Consistency Check")
        self.assertEqual(action["target"], "current")
        past = fields.Datetime.now() - timedelta(days=1)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE certification_award SET date_expiry = %s, date_grace_end = %s "
                "WHERE id = %s",
                past,
                past,
                self.award.id,
            )
        )
        self.env.invalidate_all()
        self.assertIs(check.action_refresh(), True, "checks again in place")
        line = check.line_ids.filtered(lambda line: line.code == "valid_past_expiry")
        line = line.with_context(active_test=False)
        self.assertIn(self.award, line.award_ids)
        count = len(line.award_ids)
        awards = "1 award" if count == 1 else f"{count} awards"
        self.assertEqual(line.fix_summary, f"Mark {awards} as expired")
        confirm = line.action_confirm_fix()
        self.assertEqual((confirm["res_id"], confirm["target"]), (line.id, "new"))
        done = line.action_fix()
        self.assertEqual(done["tag"], "display_notification")
        self.assertEqual(done["params"]["message"], f"Fixed: Mark {awards} as expired.")
        self.assertEqual(self.award.state, "expired")


@tagged("post_install", "-at_install")
class TestConsistencyFixTour(HttpCase):
    """Fixing a finding in the browser."""

    def test_tour_consistency_fix(self):
        program = make_program(self.env, name="Tour Consistency Certification")
        learner = make_portal_learner(self.env, login="tour_consistency")
        award = self.env["certification.award"]._issue_awards(
            [{"program_id": program.id, "partner_id": learner.partner_id.id}]
        )
        past = fields.Datetime.now() - timedelta(days=1)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE certification_award SET date_expiry = %s, date_grace_end = %s "
                "WHERE id = %s",
                past,
                past,
                award.id,
            )
        )
        self.env.invalidate_all()
        self.start_tour("/odoo", "certifications_retraining_consistency", login="admin")
        self.assertEqual(award.state, "expired")
