# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import CertificationCase, make_internal_learner, make_program

REMINDER = "certifications_retraining.mail_template_certification_reminder"
MANAGER = "certifications_retraining.mail_template_certification_manager_reminder"
ISSUE_DATE = datetime(2024, 1, 10, 12, 0)
EXPIRY = datetime(2025, 1, 10, 12, 0)


@tagged("post_install", "-at_install")
class TestReminderLadder(CertificationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Award = cls.env["certification.award"]
        cls.boss = mail_new_test_user(
            cls.env, login="ladder_boss", groups="base.group_user", name="Bea Boss"
        )
        Employee = cls.env["hr.employee"]
        cls.boss_employee = Employee.create(
            {"name": "Bea Boss", "user_id": cls.boss.id}
        )
        cls.worker = make_internal_learner(
            cls.env, login="ladder_worker", name="Walt Worker"
        )
        cls.worker_employee = Employee.create(
            {
                "name": "Walt Worker",
                "user_id": cls.worker.id,
                "parent_id": cls.boss_employee.id,
            }
        )
        cls.ladder_program = make_program(cls.env, name="Scaffolding", code="SCAF")

    def issue(self, user):
        with freeze_time(ISSUE_DATE):
            return self.Award._issue_awards(
                [
                    {
                        "program_id": self.ladder_program.id,
                        "partner_id": user.partner_id.id,
                    }
                ]
            )

    def run_cron(self, at):
        with freeze_time(at):
            self.Award._cron_process_expiry()

    def reminder_mails(self, award):
        """{template xml id: mails} of the ladder for ``award``."""
        mails = self.env["mail.mail"].search(
            [("model", "=", "certification.award"), ("res_id", "=", award.id)]
        )
        learner = mails.filtered(lambda m: "expires in" in (m.subject or ""))
        manager = mails.filtered(lambda m: m.subject and m.subject.startswith("Walt"))
        return learner, manager

    def step(self, award, at):
        """Run the cron at ``at`` twice; returns the new (learner, manager) mails
        of the first run and checks the second sends nothing."""
        learner, manager = self.reminder_mails(award)
        self.run_cron(at)
        new_learner, new_manager = self.reminder_mails(award)
        self.run_cron(at + timedelta(hours=1))
        self.assertEqual(self.reminder_mails(award), (new_learner, new_manager))
        return new_learner - learner, new_manager - manager

    def test_new_certification_gets_the_ladder(self):
        self.assertEqual(
            sorted(
                (r.interval_type, r.interval_number, r.recipient)
                for r in self.ladder_program.reminder_ids
            ),
            [
                ("after", 7, "manager"),
                ("before", 0, "both"),
                ("before", 7, "learner"),
                ("before", 30, "learner"),
            ],
        )

    def test_each_step_one_mail_per_recipient(self):
        award = self.issue(self.worker)
        boss = self.boss.partner_id
        learner, manager = self.step(award, EXPIRY - timedelta(days=30, hours=-1))
        self.assertEqual((len(learner), len(manager)), (1, 0))
        self.assertEqual(learner.recipient_ids, self.worker.partner_id)
        learner, manager = self.step(award, EXPIRY - timedelta(days=7, hours=-1))
        self.assertEqual((len(learner), len(manager)), (1, 0))
        learner, manager = self.step(award, EXPIRY + timedelta(hours=1))
        self.assertEqual(award.state, "expired")
        self.assertEqual((len(learner), len(manager)), (1, 1), "expiry day: both")
        self.assertEqual(manager.recipient_ids, boss)
        body = str(manager.body_html)
        self.assertIn("Walt Worker", body)
        self.assertIn("Scaffolding", body)
        self.assertIn(f"/odoo/certification.award/{award.id}", body)
        learner, manager = self.step(award, EXPIRY + timedelta(days=7, hours=1))
        self.assertEqual((len(learner), len(manager)), (0, 1), "7 days after: manager")
        self.assertEqual(manager.recipient_ids, boss)
        learner, manager = self.step(award, EXPIRY + timedelta(days=60))
        self.assertEqual((len(learner), len(manager)), (0, 0), "ladder done")
        self.assertFalse(award.date_next_reminder)

    def test_award_created_expired_skips_passed_steps_only(self):
        """An award recorded after its expiry (a history import) gets no
        reminder for the steps already passed (none is marked sent: they
        never fire), and its next reminder date is the first step still
        ahead, from the creation on."""
        recorded = EXPIRY + timedelta(days=3)
        with freeze_time(recorded):
            award = self.Award._issue_awards(
                [
                    {
                        "program_id": self.ladder_program.id,
                        "partner_id": self.worker.partner_id.id,
                        "date_issued": ISSUE_DATE,
                        "date_expiry": EXPIRY,
                    }
                ]
            )
        self.assertEqual(award.state, "expired")
        self.assertEqual(award.date_reminders_from, recorded)
        self.assertFalse(award.reminder_sent_ids)
        # "before" steps never apply past the expiry; the expiry-day step had
        # passed: the next one is 7 days after
        self.assertEqual(award.date_next_reminder, EXPIRY + timedelta(days=7))
        learner, manager = self.step(award, recorded + timedelta(hours=1))
        self.assertEqual((len(learner), len(manager)), (0, 0), "passed: never sent")
        self.assertEqual(self.reminder_mails(award), (self.env["mail.mail"],) * 2)
        learner, manager = self.step(award, EXPIRY + timedelta(days=7, hours=1))
        self.assertEqual((len(learner), len(manager)), (0, 1), "the step ahead fires")
        self.assertFalse(award.date_next_reminder)

    def test_learner_without_manager_gets_own_copy_only(self):
        self.worker_employee.parent_id = False
        award = self.issue(self.worker)
        self.run_cron(EXPIRY - timedelta(days=1))
        learner, manager = self.step(award, EXPIRY + timedelta(hours=1))
        self.assertEqual((len(learner), len(manager)), (1, 0))
        learner, manager = self.step(award, EXPIRY + timedelta(days=8))
        self.assertEqual((len(learner), len(manager)), (0, 0))
        self.assertEqual(len(award.reminder_sent_ids), 4, "the step is still done")

    def test_outage_of_ten_days_catches_up_once_with_latest_step(self):
        award = self.issue(self.worker)
        self.run_cron(EXPIRY - timedelta(days=29))  # 30-day reminder sent
        before = self.reminder_mails(award)
        # cron down from 3 days before expiry to 7 days after: the 7-day,
        # expiry-day and 7-days-after steps are all due at once
        learner, manager = self.step(award, EXPIRY + timedelta(days=7, hours=2))
        self.assertEqual((len(learner), len(manager)), (0, 1), "only the latest step")
        self.assertEqual(award.state, "expired")
        markers = award.reminder_sent_ids
        self.assertEqual(len(markers), 3, "the 7-day one no longer applies")
        self.assertEqual(
            [
                (r.interval_type, r.interval_number)
                for r in markers.filtered("is_superseded").reminder_id
            ],
            [("before", 0)],
        )
        self.assertEqual(len(before[0]), 1, "the 30-day one was sent in time")

    def test_awards_in_grace_get_after_steps_not_before_steps(self):
        award = self.issue(self.worker)
        with freeze_time(EXPIRY - timedelta(days=8)):
            award.write({"state": "grace"})
        learner, manager = self.step(award, EXPIRY - timedelta(days=6))
        self.assertEqual((len(learner), len(manager)), (0, 0), "no before step")
        with freeze_time(EXPIRY + timedelta(days=8)):
            award.write({"state": "grace"})
        learner, manager = self.step(award, EXPIRY + timedelta(days=8))
        self.assertEqual(len(manager), 1, "after step sent in grace")

    def test_award_created_already_expired_gets_no_stale_step(self):
        with freeze_time(EXPIRY + timedelta(days=30)):
            award = self.Award._issue_awards(
                [
                    {
                        "program_id": self.ladder_program.id,
                        "partner_id": self.worker.partner_id.id,
                        "date_issued": ISSUE_DATE,
                    }
                ]
            )
        self.assertEqual(award.state, "expired")
        learner, manager = self.step(award, EXPIRY + timedelta(days=31))
        self.assertEqual((len(learner), len(manager)), (0, 0))

    def test_manager_activity_not_duplicated_on_mail_day(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "certifications_retraining.manager_activity", "True"
        )
        department = self.env["hr.department"].create(
            {"name": "Site", "certification_program_ids": [self.ladder_program.id]}
        )
        self.worker_employee.department_id = department
        award = self.issue(self.worker)
        at = EXPIRY + timedelta(hours=1)
        self.step(award, at)
        with freeze_time(at):
            self.env["hr.employee"]._cron_notify_certification_noncompliance()
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", "hr.employee"),
                ("res_id", "=", self.worker_employee.id),
            ]
        )
        self.assertFalse(activities, "the manager got the ladder's mail today")
        self.assertTrue(self.worker_employee.certification_noncompliant_since)
