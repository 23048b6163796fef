# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import date, datetime

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from ..compat import USER_GROUPS
from .common import (
    CertificationCase,
    current_award,
    make_internal_learner,
)
from .test_award_import import run_jobs


@tagged("post_install", "-at_install")
class TestProgramGrant(CertificationCase):
    def _wizard(self, **vals):
        return (
            self.env["certification.program.grant"]
            .with_user(self.officer)
            .with_context(default_program_id=self.program.id)
            .create(vals)
        )

    def test_award_users_now_and_renewals_in_summary(self):
        old = self.env["certification.award"]._issue_awards(
            [
                {
                    "program_id": self.program.id,
                    "partner_id": self.learner.partner_id.id,
                    "date_issued": datetime(2023, 3, 1),
                }
            ]
        )
        wizard = self._wizard(
            user_ids=[Command.set((self.learner | self.employee_learner).ids)],
            date_issued=date(2024, 3, 1),
        )
        self.assertEqual((wizard.learner_count, wizard.renewal_count), (2, 1))
        self.assertEqual(wizard.date_expiry, date(2025, 3, 1))
        wizard.action_next()
        wizard.action_confirm()
        self.assertEqual(wizard.step, "done")
        renewed = current_award(self.env, self.program, self.learner.partner_id)
        self.assertEqual(renewed.previous_award_id, old)
        self.assertEqual(old.state, "archived")
        self.assertIn("1 renewed", wizard.summary)
        self.assertIn(self.learner.name, wizard.summary)
        new = current_award(self.env, self.program, self.employee_learner.partner_id)
        self.assertEqual(new.association_type, "manual")
        self.assertEqual(new.date_issued, datetime(2024, 3, 1))
        self.assertEqual(new.date_expiry, datetime(2025, 3, 1))

    def test_deactivated_users_listed_not_awarded(self):
        tag = self.env["res.partner.category"].create({"name": "Drivers"})
        gone = make_internal_learner(self.env, login="gone", name="Gone Learner")
        (gone | self.employee_learner).partner_id.category_id = tag
        gone.active = False
        wizard = self._wizard(partner_category_ids=[Command.set(tag.ids)])
        self.assertEqual(wizard.learner_count, 1)
        self.assertEqual(wizard.blocked_user_ids, gone)
        self.assertIn("Gone Learner (gone): user deactivated", wizard.blocked_summary)
        wizard.action_confirm()
        self.assertIn("Gone Learner", wizard.summary)
        self.assertFalse(current_award(self.env, self.program, gone.partner_id))
        self.assertTrue(
            current_award(self.env, self.program, self.employee_learner.partner_id)
        )

    def test_by_department(self):
        department = self.env["hr.department"].create({"name": "Warehouse"})
        self.env["hr.employee"].create(
            {
                "name": "Ivan",
                "user_id": self.employee_learner.id,
                "department_id": department.id,
            }
        )
        wizard = self._wizard(department_ids=[Command.set(department.ids)])
        self.assertEqual(wizard.learner_count, 1)
        wizard.action_confirm()
        award = current_award(self.env, self.program, self.employee_learner.partner_id)
        self.assertEqual(award.department_id, department)

    def test_by_company_skips_technical_users(self):
        company = self.env["res.company"].create({"name": "Depot"})
        self.officer.company_ids |= company
        worker = make_internal_learner(
            self.env, login="depot", company_id=company.id, company_ids=company.ids
        )
        wizard = self._wizard(company_ids=[Command.set(company.ids)])
        self.assertEqual(wizard.learner_count, 1)
        self.assertFalse(wizard.blocked_user_ids)
        wizard.action_confirm()
        self.assertTrue(current_award(self.env, self.program, worker.partner_id))

    def test_association_details(self):
        form = Form(
            self.env["certification.program.grant"]
            .with_user(self.officer)
            .with_context(default_program_id=self.program.id)
        )
        form.user_ids.add(self.learner)
        self.assertEqual(form.learner_count, 1)
        wizard = form.save()
        wizard.action_next()
        with Form(wizard) as form:
            form.association_type = "course"
            form.channel_id = self.course
            form.is_always_valid = True
        wizard.action_confirm()
        award = current_award(self.env, self.program, self.learner.partner_id)
        self.assertEqual(
            (award.association_type, award.channel_id), ("course", self.course)
        )
        self.assertTrue(award.is_always_valid)
        self.assertFalse(award.date_expiry)

    def test_external_certification(self):
        wizard = self._wizard(
            user_ids=[Command.set(self.learner.ids)],
            association_type="external_certification",
            external_source="credly",
            external_url="https://www.credly.com/badges/x",
        )
        wizard.action_confirm()
        award = current_award(self.env, self.program, self.learner.partner_id)
        self.assertEqual(award.external_source, "credly")
        self.assertEqual(award.external_url, "https://www.credly.com/badges/x")

    def test_item_required_and_expiry_not_before_issue(self):
        wizard = self._wizard(user_ids=[Command.set(self.learner.ids)])
        wizard.association_type = "course"
        with self.assertRaises(UserError):
            wizard.action_confirm()
        wizard.write({"association_type": "manual", "date_expiry": date(2000, 1, 1)})
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertFalse(current_award(self.env, self.program, self.learner.partner_id))

    def test_more_than_100_learners_goes_to_a_job(self):
        tag = self.env["res.partner.category"].create({"name": "Everyone"})
        users = self.env["res.users"].create(
            [
                {
                    "name": f"Bulk {index}",
                    "login": f"bulk{index}",
                    USER_GROUPS: [Command.set([self.env.ref("base.group_portal").id])],
                }
                for index in range(101)
            ]
        )
        users.partner_id.category_id = tag
        wizard = self._wizard(partner_category_ids=[Command.set(tag.ids)])
        self.assertEqual(wizard.learner_count, 101)
        action = wizard.action_confirm()
        self.assertEqual(action["tag"], "display_notification")
        job = self.env["certification.job"].search([("job_type", "=", "grant")])
        self.assertEqual(len(job), 1)
        self.assertEqual(
            action["params"]["links"][0]["url"], f"/odoo/certification.job/{job.id}"
        )
        self.assertFalse(self.program.award_ids)
        self.assertEqual(
            (job.state, job.user_id, job.progress_total), ("queued", self.officer, 101)
        )
        run_jobs(self.env, batch_size=40)
        self.assertEqual((job.state, job.count_created), ("done", 101))
        self.assertEqual(self.program.award_ids.partner_id, users.partner_id)
