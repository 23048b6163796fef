# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged
from odoo.tools import SQL

from .common import CertificationCase, make_portal_learner


@tagged("post_install", "-at_install")
class TestConsistency(CertificationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Award = cls.env["certification.award"]
        cls.Log = cls.env["certification.audit.log"]
        cls.award = cls.Award._issue_awards(
            [{"program_id": cls.program.id, "partner_id": cls.learner.partner_id.id}]
        )

    def problems(self):
        """The problems found among this test's awards (demo data may hold
        others)."""
        found = {}
        for problem in self.Award._check_consistency():
            ids = [i for i in problem["award_ids"] if i >= self.award.id]
            if ids:
                found[problem["code"]] = dict(problem, award_ids=ids)
        return found

    def sql(self, query, *args):
        self.env.flush_all()
        self.env.cr.execute(SQL(query, *args))
        self.env.invalidate_all()

    def fix(self, code, expected_ids):
        """Find ``code`` on exactly ``expected_ids``, fix it through the
        checker's wizard as an officer, and check it is gone and logged."""
        found = self.problems()
        self.assertIn(code, found)
        self.assertEqual(found[code]["award_ids"], sorted(expected_ids))
        since = self.Log.search([], limit=1).id
        check = Form(
            self.env["certification.consistency.check"].with_user(self.officer)
        ).save()
        line = check.line_ids.filtered(lambda line: line.code == code)
        self.assertTrue(line.is_fixable)
        line.action_fix()
        self.assertNotIn(code, self.problems())
        rows = self.Log.search([("id", ">", since)])
        self.assertTrue(rows)
        self.assertEqual(set(rows.mapped("action")), {"fix"})
        self.assertEqual(rows.user_id, self.officer)
        return rows

    def test_clean_database_has_no_problem(self):
        self.assertEqual(self.problems(), {})

    def test_two_current_awards(self):
        self.sql("DROP INDEX certification_award_current_uniq")
        second = self.Award.create(
            {
                "program_id": self.program.id,
                "partner_id": self.learner.partner_id.id,
                "date_issued": fields.Datetime.now() + timedelta(hours=1),
            }
        )
        self.fix("two_current", (self.award | second).ids)
        self.assertEqual(self.award.state, "archived", "the older one is archived")
        self.assertEqual(second.state, "valid")

    def test_current_award_archived_without_successor(self):
        self.award._write_trusted({"state": "archived"})
        rows = self.fix("archived_orphan", self.award.ids)
        self.assertEqual(self.award.state, "valid")
        self.assertEqual(rows.new_value, "valid")

    def test_revoked_award_is_no_problem(self):
        self.award._revoke("Fraud")
        self.assertNotIn("archived_orphan", self.problems())

    def test_valid_award_past_expiry(self):
        past = fields.Datetime.now() - timedelta(days=1)
        self.sql(
            "UPDATE certification_award SET date_expiry = %s, date_grace_end = %s "
            "WHERE id = %s",
            past,
            past,
            self.award.id,
        )
        self.fix("valid_past_expiry", self.award.ids)
        self.assertEqual(self.award.state, "expired")

    def test_expiry_before_issue_found_not_fixable(self):
        self.sql(
            "UPDATE certification_award "
            "SET date_expiry = date_issued - interval '1 day' WHERE id = %s",
            self.award.id,
        )
        found = self.problems()
        self.assertEqual(found["expiry_before_issue"]["award_ids"], self.award.ids)
        self.assertFalse(found["expiry_before_issue"]["fixable"])

    def test_open_renewal_on_archived_award(self):
        renewal = self.env["certification.renewal"].create(
            {"award_id": self.award.id, "channel_id": self.course.id}
        )
        successor = self.Award._issue_awards(
            [{"program_id": self.program.id, "partner_id": self.learner.partner_id.id}]
        )
        self.assertEqual(successor.previous_award_id, self.award)
        # the one door cancels it; an older version of the code did not
        self.sql(
            "UPDATE certification_renewal SET state = 'open' WHERE id = %s",
            renewal.id,
        )
        self.assertEqual(renewal.state, "open")
        self.fix("renewal_on_archived", self.award.ids)
        self.assertEqual(renewal.state, "cancelled")

    def test_award_of_deactivated_user_after_deactivation(self):
        late = make_portal_learner(self.env, login="gone", name="Gone Learner")
        award = self.Award._issue_awards(
            [{"program_id": self.program.id, "partner_id": late.partner_id.id}]
        )
        late.active = False
        self.env.flush_all()
        self.sql(
            "UPDATE certification_award SET date_issued = "
            "(SELECT write_date FROM res_users WHERE id = %s) + interval '1 hour' "
            "WHERE id = %s",
            late.id,
            award.id,
        )
        found = self.problems()
        self.assertEqual(found["deactivated_learner"]["award_ids"], award.ids)
        self.assertFalse(found["deactivated_learner"]["fixable"])

    def test_state_disagreeing_with_dates(self):
        self.sql(
            "UPDATE certification_award SET state = 'expired' WHERE id = %s",
            self.award.id,
        )
        self.fix("state_dates_mismatch", self.award.ids)
        self.assertEqual(self.award.state, "valid")

    def test_daily_cron_notifies_administrators(self):
        self.award._write_trusted({"state": "archived"})
        admin = self.env.ref("base.user_admin").partner_id
        self.Award._cron_check_consistency()
        message = self.env["mail.message"].search(
            [("message_type", "=", "user_notification")], limit=1, order="id desc"
        )
        self.assertIn(admin, message.partner_ids)
        self.assertIn("archived without a successor", str(message.body))

    def test_learner_cannot_run_the_checker(self):
        with self.assertRaises(AccessError):
            self.env["certification.consistency.check"].with_user(
                self.employee_learner
            ).create({})
