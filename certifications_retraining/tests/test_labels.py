# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Wording of counts and durations: singular and plural, units once, "Never expires"."""

from datetime import datetime

from freezegun import freeze_time

from .common import (
    CertificationCase,
    make_program,
)


class TestCountsAndDurations(CertificationCase):
    """Singular and plural wording, "Never expires" for 0, no unit twice."""

    def test_program_labels(self):
        program = make_program(self.env, name="One", validity_number=1)
        self.assertEqual(program.validity_label, "Valid for 1 year")
        self.assertEqual(program.award_count_label, "0 learners awarded")
        self.assertEqual(program.item_count_label, "0 items")
        program.validity_unit = "months"
        program.validity_number = 6
        self.assertEqual(program.validity_label, "Valid for 6 months")
        program.validity_number = 0
        self.assertEqual(program.validity_label, "Never expires")
        self.env["certification.award"].create(
            {"program_id": self.program.id, "partner_id": self.learner.partner_id.id}
        )
        self.assertEqual(self.program.award_count_label, "1 learner awarded")
        self.assertEqual(self.program.item_count_label, "1 item")

    def test_wizards_word_counts(self):
        wizard = self.env["certification.program.grant"].create(
            {"program_id": self.program.id, "user_ids": [(6, 0, self.learner.ids)]}
        )
        self.assertEqual(
            wizard.learner_count_label,
            "1 learner; 0 already hold it and will be renewed.",
        )
        wizard.action_next()
        wizard.action_confirm()
        self.assertIn("1 learner awarded Forklift Operator.", wizard.summary)
        delete = self.env["certification.program.delete"].create(
            {"program_id": self.program.id}
        )
        self.assertIn("also deletes its award (history", delete.warning)

    def test_no_unit_twice(self):
        field = self.env["slide.channel"]._fields["enrollment_validity_days"]
        self.assertNotIn("(days)", field.string)

    @freeze_time("2024-06-01 12:00:00")
    def test_days_left_label_and_reminder_subject(self):
        award = self.env["certification.award"].create(
            {
                "program_id": self.program.id,
                "partner_id": self.learner.partner_id.id,
                "date_issued": datetime(2023, 6, 1),
                "date_expiry": datetime(2024, 6, 2, 12, 0),
            }
        )
        self.assertEqual(award.days_left_label, "1 day")
        template = self.env.ref(
            "certifications_retraining.mail_template_certification_reminder"
        )
        subject = template._render_field("subject", award.ids)[award.id]
        self.assertTrue(subject.endswith("expires in 1 day"), subject)
        award.date_expiry = datetime(2024, 5, 29, 12, 0)
        self.assertEqual(award.days_left_label, "Expired 3 days ago")
        award.write({"date_expiry": False, "is_always_valid": True})
        self.assertFalse(award.days_left_label)
