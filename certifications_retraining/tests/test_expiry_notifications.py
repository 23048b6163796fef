# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import Form, RecordCapturer, tagged

from odoo.addons.base.tests.test_ir_cron import CronMixinCase

from .. import compat
from .common import CertificationCase, make_portal_learner, make_program

ISSUED = "certifications_retraining.mail_template_certification_issued"
EXPIRED = "certifications_retraining.mail_template_certification_expired"
REMINDER = "certifications_retraining.mail_template_certification_reminder"
CRON = "certifications_retraining.ir_cron_certification_expiry"

ISSUE_DATE = datetime(2024, 1, 10, 12, 0)
EXPIRY = datetime(2025, 1, 10, 12, 0)  # one year later


class ExpiryCase(CertificationCase, CronMixinCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Award = cls.env["certification.award"]
        cls.partner = cls.learner.partner_id

    def mails(self, awards):
        """Outgoing mails linked to ``awards`` (the chatter of each award)."""
        return self.env["mail.mail"].search(
            [("model", "=", "certification.award"), ("res_id", "in", awards.ids)],
            order="id",
        )

    def issue(self, partner=None, program=None, **vals):
        with freeze_time(vals.pop("at", ISSUE_DATE)):
            return self.Award._issue_awards(
                [
                    {
                        "program_id": (program or self.program).id,
                        "partner_id": (partner or self.partner).id,
                        **vals,
                    }
                ]
            )

    def run_cron(self, at, **kwargs):
        with freeze_time(at):
            return self.Award._cron_process_expiry(**kwargs)


@tagged("post_install", "-at_install")
class TestIssuedMail(ExpiryCase):
    def test_issued_mail_posted_on_award_to_learner(self):
        second = make_portal_learner(self.env, login="learner_two", name="Lea Two")
        awards = self.Award._issue_awards(
            [
                {"program_id": self.program.id, "partner_id": self.partner.id},
                {"program_id": self.program.id, "partner_id": second.partner_id.id},
            ]
        )
        mails = self.mails(awards)
        self.assertEqual(len(mails), 2, "one mail per new award")
        for award in awards:
            mail = mails.filtered(lambda m, award=award: m.res_id == award.id)
            self.assertEqual(mail.recipient_ids, award.partner_id)
            self.assertIn("Certification issued: Forklift Operator", mail.subject)
            self.assertIn(mail.mail_message_id, award.message_ids, "in the chatter")
            self.assertIn(award.partner_id.name, str(mail.body_html))

    def test_issued_mail_in_learner_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        template = self.env.ref(ISSUED)
        template.with_context(
            lang="fr_FR"
        ).subject = "Certification délivrée : {{ object.program_id.name }}"
        self.partner.lang = "fr_FR"
        other = make_portal_learner(self.env, login="learner_en", name="Eve English")
        awards = self.Award._issue_awards(
            [
                {"program_id": self.program.id, "partner_id": self.partner.id},
                {"program_id": self.program.id, "partner_id": other.partner_id.id},
            ]
        )
        subjects = {mail.res_id: mail.subject for mail in self.mails(awards)}
        by_partner = {award.partner_id: award.id for award in awards}
        self.assertEqual(
            subjects[by_partner[self.partner]],
            "Certification délivrée : Forklift Operator",
        )
        self.assertEqual(
            subjects[by_partner[other.partner_id]],
            "Certification issued: Forklift Operator",
        )

    def test_no_notify_argument_sends_nothing(self):
        award = self.Award._issue_awards(
            [{"program_id": self.program.id, "partner_id": self.partner.id}],
            notify=False,
        )
        self.assertFalse(self.mails(award))

    def test_no_notify_context_key_is_ignored(self):
        """A caller's context no longer silences the one door."""
        award = self.Award.with_context(certification_no_notify=True)._issue_awards(
            [{"program_id": self.program.id, "partner_id": self.partner.id}]
        )
        self.assertTrue(self.mails(award))

    @freeze_time("2024-06-01 12:00:00")
    def test_imported_already_expired_gets_no_mail(self):
        award = self.Award._issue_awards(
            [
                {
                    "program_id": self.program.id,
                    "partner_id": self.partner.id,
                    "date_issued": datetime(2022, 3, 1),
                }
            ]
        )
        self.assertEqual(award.state, "expired")
        self.Award._cron_process_expiry()
        self.assertFalse(self.mails(award), "no issued and no expired mail")


@tagged("post_install", "-at_install")
class TestExpiryCron(ExpiryCase):
    def test_expiry_transition_and_expired_mail(self):
        award = self.issue()
        issued_mails = self.mails(award)
        self.run_cron(EXPIRY - timedelta(minutes=1))
        self.assertEqual(award.state, "valid", "not expired before its expiry")
        self.run_cron(EXPIRY + timedelta(minutes=1))
        self.assertEqual(award.state, "expired")
        expired = self.mails(award) - issued_mails
        self.assertEqual(
            len(expired), 3, "the 7-day reminder, the expiry, the expiry-day step"
        )
        mail = expired.filtered(lambda m: "has expired" in m.subject)
        self.assertEqual(
            mail.subject, "Your certification Forklift Operator has expired"
        )
        self.assertEqual(mail.recipient_ids, self.partner)
        renew_url = f"{award.get_base_url()}/my/certifications/{award.id}"
        self.assertIn(f'href="{renew_url}"', str(mail.body_html))
        self.assertIn("Renew now", str(mail.body_html))
        self.assertIn(mail.mail_message_id, award.message_ids)

    def test_two_runs_send_nothing_new(self):
        award = self.issue()
        self.run_cron(EXPIRY + timedelta(hours=2))
        mails = self.mails(award)
        self.run_cron(EXPIRY + timedelta(hours=3))
        self.assertEqual(self.mails(award), mails)
        self.assertEqual(award.state, "expired")

    def test_each_reminder_fired_once(self):
        self.assertEqual(
            sorted(self.program.reminder_ids.mapped("interval_number")), [0, 7, 7, 30]
        )
        award = self.issue()
        before = self.mails(award)
        self.run_cron(EXPIRY - timedelta(days=30, hours=1))
        self.assertEqual(self.mails(award), before, "30-day reminder not yet due")
        self.run_cron(EXPIRY - timedelta(days=30) + timedelta(hours=1))
        first = self.mails(award) - before
        self.assertEqual(len(first), 1)
        self.assertEqual(
            first.subject, "Your certification Forklift Operator expires in 30 days"
        )
        self.assertEqual(first.recipient_ids, self.partner)
        self.run_cron(EXPIRY - timedelta(days=29))
        self.run_cron(EXPIRY - timedelta(days=8))
        self.assertEqual(self.mails(award), before | first, "fired once")
        self.run_cron(EXPIRY - timedelta(days=7) + timedelta(hours=1))
        self.run_cron(EXPIRY - timedelta(days=6))
        second = self.mails(award) - before - first
        self.assertEqual(len(second), 1)
        self.assertIn("expires in 7 days", second.subject)
        self.assertEqual(award.state, "valid")

    def test_days_to_renew_in_learner_timezone(self):
        self.partner.tz = "America/Los_Angeles"  # UTC-8 in winter
        award = self.issue()
        # Dec 12th 02:00 UTC is Dec 11th 18:00 in Los Angeles; the expiry
        # (Jan 10th 12:00 UTC) is Jan 10th there: 30 days, where UTC says 29.
        now = datetime(2024, 12, 12, 2, 0)
        self.run_cron(now)
        mail = self.mails(award)[-1]
        self.assertEqual(
            mail.subject, "Your certification Forklift Operator expires in 30 days"
        )
        self.assertIn("30 days to renew", " ".join(str(mail.body_html).split()))
        with freeze_time(now):
            self.assertEqual(award.days_to_expiry, 30)

    def test_reminder_rearmed_after_expiry_edit(self):
        award = self.issue()
        self.run_cron(EXPIRY - timedelta(days=29))
        sent_30 = self.mails(award)
        # One day earlier: the 30-day moment is still past, already fired.
        with freeze_time(EXPIRY - timedelta(days=29)):
            award.date_expiry = EXPIRY - timedelta(days=1)
        self.run_cron(EXPIRY - timedelta(days=28))
        self.assertEqual(self.mails(award), sent_30, "a fired reminder stays fired")
        # Sixty days later: the 30-day reminder is armed again for the new date.
        new_expiry = EXPIRY + timedelta(days=60)
        with freeze_time(EXPIRY - timedelta(days=28)):
            award.date_expiry = new_expiry
        self.run_cron(EXPIRY)
        self.assertEqual(self.mails(award), sent_30, "not due yet for the new date")
        self.run_cron(new_expiry - timedelta(days=29))
        again = self.mails(award) - sent_30
        self.assertEqual(len(again), 1)
        self.assertIn("expires in 29 days", again.subject)

    def test_renewal_starts_new_cycle(self):
        award = self.issue()
        self.run_cron(EXPIRY - timedelta(days=6))  # the 7-day reminder is sent
        self.assertEqual(len(award.reminder_sent_ids), 2)
        renewal = self.issue(at=EXPIRY - timedelta(days=5))
        self.assertEqual(award.state, "archived")
        self.assertEqual(renewal.previous_award_id, award)
        new_expiry = renewal.date_expiry
        self.run_cron(new_expiry - timedelta(days=30) + timedelta(hours=1))
        reminders = self.mails(renewal).filtered(lambda m: "expires in" in m.subject)
        self.assertEqual(len(reminders), 1, "the renewal is reminded again")
        self.assertEqual(
            self.mails(award).filtered(lambda m: "has expired" in m.subject),
            self.env["mail.mail"],
            "the archived award never expires",
        )

    def test_hours_based_reminder(self):
        program = make_program(
            self.env, name="Hot Work Permit", validity_number=2, validity_unit="days"
        )
        program.reminder_ids = [
            Command.clear(),
            Command.create({"interval_number": 12, "interval_unit": "hours"}),
        ]
        self.assertEqual(program.reminder_ids.interval_hours, 12)
        award = self.issue(program=program)
        expiry = ISSUE_DATE + timedelta(days=2)
        before = self.mails(award)
        self.run_cron(expiry - timedelta(hours=13))
        self.assertEqual(self.mails(award), before)
        self.run_cron(expiry - timedelta(hours=11))
        self.run_cron(expiry - timedelta(hours=10))
        reminder = self.mails(award) - before
        self.assertEqual(len(reminder), 1)
        self.assertIn("Hot Work Permit", reminder.subject)

    def test_reminders_due_together_send_the_closest_only(self):
        # Imported 360 days after issue: both the 30-day and 7-day moments passed.
        award = self.issue(at=EXPIRY - timedelta(days=5), date_issued=ISSUE_DATE)
        self.assertEqual(award.date_expiry, EXPIRY)
        before = self.mails(award)
        self.run_cron(EXPIRY - timedelta(days=5))
        reminder = self.mails(award) - before
        self.assertEqual(len(reminder), 1)
        self.assertIn("expires in 5 days", reminder.subject)
        markers = award.reminder_sent_ids
        self.assertEqual(len(markers), 2)
        self.assertEqual(
            markers.filtered("is_superseded").reminder_id.interval_number, 30
        )

    def test_reminder_longer_than_validity_skipped(self):
        program = make_program(
            self.env, name="Ladder Safety", validity_number=10, validity_unit="days"
        )
        award = self.issue(program=program)
        expiry = ISSUE_DATE + timedelta(days=10)
        before = self.mails(award)
        self.run_cron(ISSUE_DATE + timedelta(hours=1))
        self.assertEqual(self.mails(award), before, "30 days before is before issue")
        self.run_cron(expiry - timedelta(days=6))
        self.assertEqual(len(self.mails(award) - before), 1, "the 7-day one fires")

    def test_batches_retrigger_until_done(self):
        learners = [
            make_portal_learner(self.env, login=f"batch_{i}", name=f"Batch {i}")
            for i in range(3)
        ]
        awards = self.Award.browse()
        for learner in learners:
            awards |= self.issue(partner=learner.partner_id)
        with self.capture_triggers(CRON) as capture:
            remaining = self.run_cron(EXPIRY + timedelta(hours=1), batch_size=2)
        self.assertTrue(remaining)
        self.assertEqual(len(capture.records), 1, "re-triggered while work remains")
        self.assertEqual(len(awards.filtered(lambda a: a.state == "expired")), 2)
        with self.capture_triggers(CRON) as capture:
            remaining = self.run_cron(EXPIRY + timedelta(hours=1), batch_size=2)
        self.assertFalse(remaining)
        self.assertFalse(capture.records)
        self.assertEqual(set(awards.mapped("state")), {"expired"})
        expired_mails = self.mails(awards).filtered(lambda m: "expired" in m.subject)
        self.assertEqual(len(expired_mails), 3)

    def test_next_reminder_date_follows_the_cycle(self):
        award = self.issue()
        self.assertEqual(award.date_next_reminder, EXPIRY - timedelta(days=30))
        self.run_cron(EXPIRY - timedelta(days=29))
        self.assertEqual(award.date_next_reminder, EXPIRY - timedelta(days=7))
        self.program.reminder_ids = [
            Command.create({"interval_number": 2, "interval_unit": "days"})
        ]
        self.assertEqual(
            award.date_next_reminder,
            EXPIRY - timedelta(days=7),
            "a new rule is pending too",
        )
        self.run_cron(EXPIRY - timedelta(days=1))
        self.assertEqual(award.date_next_reminder, EXPIRY, "the expiry-day step")
        self.run_cron(EXPIRY + timedelta(hours=1))
        self.assertEqual(award.state, "expired")
        self.assertEqual(
            award.date_next_reminder,
            EXPIRY + timedelta(days=7),
            "the step after expiry (reminder ladder)",
        )
        self.run_cron(EXPIRY + timedelta(days=8))
        self.assertFalse(award.date_next_reminder, "nothing left in this cycle")

    def test_cron_reports_progress(self):
        self.issue()
        cron = self.env.ref(CRON)
        Progress = self.env["ir.cron.progress"].sudo()
        with (
            freeze_time(EXPIRY + timedelta(hours=1)),
            RecordCapturer(Progress, [("cron_id", "=", cron.id)]) as capture,
            compat.cron_runner_on_test_cursor(self),
        ):
            cron.method_direct_trigger()  # Odoo's own cron runner
        # expired, and the expiry-day step of the reminder ladder sent
        self.assertEqual(
            [(progress.done, progress.remaining) for progress in capture.records],
            [(2, 0)],
        )


@tagged("post_install", "-at_install")
class TestReminderRules(ExpiryCase):
    def test_new_certification_gets_default_rules(self):
        self.assertEqual(
            sorted(
                (r.interval_type, r.interval_number, r.interval_unit, r.template_id)
                for r in self.program.reminder_ids
            ),
            [
                ("after", 7, "days", self.env.ref(REMINDER)),
                ("before", 0, "days", self.env.ref(REMINDER)),
                ("before", 7, "days", self.env.ref(REMINDER)),
                ("before", 30, "days", self.env.ref(REMINDER)),
            ],
        )

    def test_defaults_editable_in_configuration(self):
        defaults = self.env["certification.reminder"].search(
            [("program_id", "=", False)]
        )
        defaults.with_user(self.manager).write({"interval_number": 14})
        program = make_program(self.env, name="Crane Operator")
        self.assertEqual(
            program.reminder_ids.mapped("interval_number"), [14, 14, 14, 14]
        )
        self.assertEqual(program.reminder_ids.program_id, program)
        self.assertEqual(
            len(
                self.env["certification.reminder"].search([("program_id", "=", False)])
            ),
            4,
            "defaults are copied, not moved",
        )

    def test_rules_on_certification_form(self):
        form = Form(self.program.with_user(self.manager))
        with form.reminder_ids.new() as line:
            line.interval_number = 2
            line.interval_unit = "weeks"
        form.save()
        rule = self.program.reminder_ids.filtered(lambda r: r.interval_unit == "weeks")
        self.assertEqual(rule.interval_hours, 2 * 7 * 24)
        self.assertEqual(rule.template_id, self.env.ref(REMINDER))
        self.assertEqual(rule.display_name, "2 weeks before expiry")

    def test_award_form_shows_reminders_sent(self):
        award = self.issue()
        self.run_cron(EXPIRY - timedelta(days=29))
        form = Form(award.with_user(self.officer))
        self.assertEqual(
            fields.Datetime.to_datetime(form.date_next_reminder),
            EXPIRY - timedelta(days=7),
        )
        self.assertEqual(len(form.reminder_sent_ids), 1)
        marker = award.reminder_sent_ids
        self.assertEqual(marker.reminder_id.interval_number, 30)
        self.assertEqual(marker.date_expiry, EXPIRY)
