# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""What a learner's (or an officer's) context and defaults cannot do, tried as
the attacker over RPC: the same ``with_user``
and ``with_context`` that ``/web/dataset/call_kw`` gives any caller. Each
attack has the legitimate path next to it."""

from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, HttpCase, tagged, users

from .. import compat
from .common import (
    CertificationCase,
    current_award,
    enroll,
    make_course,
    make_internal_learner,
    make_learning_plan,
    make_portal_learner,
    make_program,
)

TRAINING_VALS = {
    "name": "Forklift workshop",
    "training_type": "workshop",
    "date_completed": "2024-05-06",
}
REASON = "Suspected cheating at the exam"


def complete_with_context(course, user, **context):
    """The learner completes every lesson through the public RPC method, with
    the context an RPC caller chooses."""
    enroll(course, user)
    slides = course.with_user(user).slide_ids.filtered(lambda s: not s.is_category)
    slides.with_context(**context).action_mark_completed()


# ------------------------------------------------------------
# The caller's defaults do not create what they could not write
# ------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestExternalTrainingDefaults(CertificationCase):
    def _create(self, user, context=None, **vals):
        Training = self.env["certification.external.training"].with_user(user)
        return Training.with_context(**(context or {})).create(
            dict(TRAINING_VALS, certification_program_id=self.program.id, **vals)
        )

    def _not_draft(self):
        learners = (self.learner | self.employee_learner).partner_id
        return self.env["certification.external.training"].search(
            [
                ("partner_id", "in", learners.ids),
                "|",
                ("state", "!=", "draft"),
                ("rejection_reason", "!=", False),
            ]
        )

    @users("learner_portal", "learner_internal")
    def test_learner_cannot_create_approved_through_default_state(self):
        for state in ("approved", "submitted", "rejected"):
            with self.subTest(state=state), self.assertRaises(AccessError):
                self._create(self.env.user, {"default_state": state})
        self.assertFalse(self._not_draft())

    def test_learner_cannot_default_another_learner_or_a_review(self):
        with self.assertRaises(AccessError):
            self._create(
                self.learner,
                {"default_partner_id": self.employee_learner.partner_id.id},
            )
        with self.assertRaises(AccessError):
            self._create(self.learner, {"default_rejection_reason": "Fine by me"})
        self.assertFalse(
            self.env["certification.external.training"].search(
                [("partner_id", "=", self.employee_learner.partner_id.id)]
            )
        )

    def test_employee_personal_default_cannot_approve(self):
        """An employee may store personal defaults (``ir.default``): they
        apply after the values are checked, like the context's."""
        user = self.employee_learner
        self.env["ir.default"].with_user(user).set(
            "certification.external.training", "state", "approved", user_id=True
        )
        with self.assertRaises(AccessError):
            self._create(user)
        self.assertFalse(self._not_draft())

    def test_approved_activity_from_default_is_not_accepted_by_grant(self):
        """The attack's goal: an approved proof the grant wizard accepts. The
        learner only ever gets a draft, which the award refuses."""
        with self.assertRaises(AccessError):
            self._create(self.learner, {"default_state": "approved"})
        draft = self._create(self.learner)
        with self.assertRaises(ValidationError):
            self.env["certification.award"].create(
                {
                    "program_id": self.program.id,
                    "partner_id": self.learner.partner_id.id,
                    "association_type": "external_training",
                    "external_training_id": draft.id,
                }
            )

    def test_learner_reports_draft_and_submission_schedules_review(self):
        """Legitimate path: a draft (harmless defaults still apply), then
        action_submit, which creates the officers' review activity."""
        training = self._create(self.learner, {"default_hours": 7.5})
        self.assertEqual(
            (training.state, training.partner_id, training.hours),
            ("draft", self.learner.partner_id, 7.5),
        )
        self.assertFalse(training.sudo().activity_ids)
        training.with_user(self.learner).action_submit()
        self.assertEqual(training.state, "submitted")
        review = training.sudo().activity_ids
        self.assertEqual(review.summary, "Review external training")
        self.assertFalse(review.user_id.share)
        training.with_user(self.officer).action_approve()
        self.assertEqual(training.state, "approved")
        self.assertTrue(current_award(self.env, self.program, self.learner.partner_id))

    def test_review_activity_takes_no_personal_default_of_the_learner(self):
        """Submitting creates the officers' review activity in the learner's
        name. An employee's personal defaults of ``mail.activity`` would hide
        it from the officers (archived, due in years) or make it requested by
        the administrator, with their note. The allowed path: the officer gets
        the review, due today on the officer's calendar (a day after the
        learner's here), requested by nobody in particular."""
        user = self.employee_learner
        user.tz = "America/Los_Angeles"  # 2026-06-01 16:30 there
        officers = self.env.ref(
            "certifications_retraining.group_certification_officer"
        )[compat.GROUP_USERS].filtered(lambda officer: not officer.share)
        officers.tz = "Asia/Tokyo"  # 2026-06-02 08:30 there
        admin = self.env.ref("base.user_admin")
        Default = self.env["ir.default"].with_user(user)
        for field, value in [
            ("active", False),
            ("date_deadline", "2099-01-01"),
            ("request_partner_id", admin.partner_id.id),
            ("note", "Approved by the administrator: please confirm."),
        ]:
            Default.set("mail.activity", field, value, user_id=True)
        training = self._create(user)
        with freeze_time("2026-06-01 23:30:00"):
            training.with_user(user).action_submit()
        review = (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search([("res_model", "=", training._name), ("res_id", "=", training.id)])
        )
        self.assertEqual(len(review), 1)
        self.assertTrue(review.active)
        self.assertIn(review.user_id, officers)
        self.assertEqual(review.date_deadline, date(2026, 6, 2))
        self.assertFalse(review.request_partner_id)
        self.assertFalse(review.note)
        self.assertEqual(review.summary, "Review external training")

    def test_officer_still_creates_for_a_learner(self):
        training = self._create(
            self.officer,
            {"default_partner_id": self.learner.partner_id.id},
        )
        self.assertEqual(training.partner_id, self.learner.partner_id)


@tagged("post_install", "-at_install")
class TestCallerDefaultsIgnored(CertificationCase):
    """The same hole on the other records a learner or an officer creates:
    awards (also through the one door, run as superuser for a learner's
    completion), renewals (Renew now) and background jobs."""

    def test_learner_completion_ignores_award_defaults(self):
        complete_with_context(
            self.course,
            self.learner,
            default_is_always_valid=True,
            default_date_grace_end="2099-01-01 00:00:00",
            default_revoked_on="2020-01-01 00:00:00",
            default_date_reminders_from="2099-01-01 00:00:00",
            default_external_url="https://example.com/forged",
            default_verification_token="chosen-by-the-learner",
        )
        award = current_award(self.env, self.program, self.learner.partner_id)
        self.assertTrue(award)
        self.assertFalse(award.is_always_valid)
        self.assertTrue(award.date_expiry)
        self.assertEqual(award.date_grace_end, award.date_expiry)
        self.assertFalse(award.revoked_on)
        self.assertFalse(award.learner_revoked_on)
        self.assertTrue(award.date_next_reminder)
        self.assertFalse(award.external_url)
        self.assertNotEqual(award.verification_token, "chosen-by-the-learner")

    def test_employee_personal_award_default_ignored_by_the_one_door(self):
        user = self.employee_learner
        self.env["ir.default"].with_user(user).set(
            "certification.award", "is_always_valid", True, user_id=True
        )
        complete_with_context(self.course, user)
        award = current_award(self.env, self.program, user.partner_id)
        self.assertFalse(award.is_always_valid)
        self.assertTrue(award.date_expiry)

    def test_officer_create_ignores_server_owned_defaults(self):
        award = (
            self.env["certification.award"]
            .with_user(self.officer)
            .with_context(
                default_state="archived",
                default_revoked_on="2020-01-01 00:00:00",
                default_date_grace_end="2099-01-01 00:00:00",
            )
            .create(
                {
                    "program_id": self.program.id,
                    "partner_id": self.learner.partner_id.id,
                }
            )
        )
        self.assertEqual(award.state, "valid")
        self.assertFalse(award.revoked_on)
        self.assertEqual(award.date_grace_end, award.date_expiry)

    def test_defaults_do_not_reach_the_stored_computations(self):
        """The learner's dates and the next reminder are stored when the award
        is created, computed from its values: a default in the context for a
        field the award is created without (its revocation, its reminder start,
        its grace days) must not feed them, for an officer (``sudo()`` drops
        the keys) as for code running as superuser (which keeps its context).
        Twin awards, one created with the forged context, one without, store
        the same."""
        forged = {
            "default_revoked_on": "2020-01-01 00:00:00",
            "default_date_reminders_from": "2099-01-01 00:00:00",
            "default_grace_period_days": 400,
        }
        learners = self.learner | self.employee_learner
        learners.partner_id.tz = "Europe/Brussels"
        issued = fields.Datetime.now() - timedelta(days=3)
        for Award in (
            self.env["certification.award"].with_user(self.officer),
            self.env["certification.award"].with_user(SUPERUSER_ID),
        ):
            with self.subTest(user=Award.env.user.login):
                program = make_program(
                    self.env, f"Twins {Award.env.uid}", grace_period_days=5
                )
                vals = {"program_id": program.id, "date_issued": issued}
                award = Award.with_context(**forged).create(
                    dict(vals, partner_id=self.learner.partner_id.id)
                )
                twin = Award.create(
                    dict(vals, partner_id=self.employee_learner.partner_id.id)
                )
                self._assert_twins(award, twin)

    def _assert_twins(self, award, twin):
        self.assertFalse(award.revoked_on)
        self.assertFalse(award.learner_revoked_on)
        self.assertEqual(award.grace_period_days, 5)
        stored = [
            "learner_date_issued",
            "learner_date_expiry",
            "learner_date_grace_end",
            "date_grace_end",
            "date_reminders_from",
            "date_next_reminder",
        ]
        self.assertEqual(
            award.read(stored)[0] | {"id": 0}, twin.read(stored)[0] | {"id": 0}
        )
        self.assertTrue(award.date_next_reminder)
        self.assertTrue(award.validity_label.startswith("Valid until"))

    def test_award_form_still_prefilled_from_context(self):
        """Legitimate path: the web client reads the context's defaults
        (``default_get``) and sends them as values."""
        form = Form(
            self.env["certification.award"]
            .with_user(self.officer)
            .with_context(
                default_program_id=self.program.id,
                default_partner_id=self.learner.partner_id.id,
            )
        )
        award = form.save()
        self.assertEqual(award.program_id, self.program)
        self.assertEqual(award.partner_id, self.learner.partner_id)

    def test_renew_now_ignores_defaults(self):
        self.program.allow_retake = True
        complete_with_context(self.course, self.learner)
        award = current_award(self.env, self.program, self.learner.partner_id)
        renewal = (
            award.with_user(self.learner)
            .with_context(
                default_state="done",
                default_date_started="2000-01-01 00:00:00",
                default_partner_id=self.employee_learner.partner_id.id,
            )
            .action_start_renewal(self.course)
        )
        self.assertEqual(renewal.state, "open")
        self.assertEqual(renewal.partner_id, self.learner.partner_id)
        self.assertGreater(renewal.date_started, datetime(2020, 1, 1))
        self.assertTrue(renewal.is_retake)

    def test_job_ignores_defaults(self):
        job = (
            self.env["certification.job"]
            .with_user(self.officer)
            .with_context(
                default_state="done",
                default_cursor=5,
                default_count_created=99,
                default_user_id=self.manager.id,
            )
            ._create_for_requester(
                {
                    "name": "Award",
                    "job_type": "grant",
                    "program_id": self.program.id,
                    "progress_total": 1,
                    "payload": {
                        "values": {"program_id": self.program.id},
                        "partner_ids": self.learner.partner_id.ids,
                    },
                }
            )
        )
        self.assertEqual(
            (job.state, job.cursor, job.count_created, job.user_id),
            ("queued", 0, 0, self.officer),
        )

    def test_course_membership_dates_ignore_personal_defaults(self):
        """The award of a completed course is dated by the completion. An
        employee's personal default of the membership's completion date
        (``ir.default``) dated their award in 2099, valid until 2100."""
        user = self.employee_learner
        Default = self.env["ir.default"].with_user(user)
        for field in ("date_completed", "date_enrolled"):
            Default.set(
                "slide.channel.partner", field, "2099-01-01 00:00:00", user_id=True
            )
        # what /slides/channel/join does for the learner, then the lessons
        self.course.with_user(user)._action_add_members(user.partner_id)
        complete_with_context(self.course, user)
        award = current_award(self.env, self.program, user.partner_id)
        self.assertLess(award.date_issued, datetime(2030, 1, 1))
        membership = self.course.channel_partner_all_ids.filtered(
            lambda m: m.partner_id == user.partner_id
        )
        self.assertLess(membership.date_enrolled, datetime(2030, 1, 1))
        self.assertEqual(membership.date_completed, award.date_issued)

    def test_quiz_is_not_completed_by_a_personal_default(self):
        """A quiz is completed by passing it. Opening a lesson creates its
        row in the learner's name: an employee's personal default of
        ``completed`` completed every lesson they opened, the quiz too, and
        the course issued the certification."""
        user = self.employee_learner
        quiz = self.env["slide.slide"].create(
            {
                "name": "Forklift exam",
                "channel_id": self.course.id,
                "slide_category": "quiz",
                "is_published": True,
                "question_ids": [
                    Command.create(
                        {
                            "question": "Forks up or down when driving?",
                            "answer_ids": [
                                Command.create({"text_value": "Up"}),
                                Command.create(
                                    {"text_value": "Down", "is_correct": True}
                                ),
                            ],
                        }
                    )
                ],
            }
        )
        self.course.with_user(user)._action_add_members(user.partner_id)
        self.env["ir.default"].with_user(user).set(
            "slide.slide.partner", "completed", True, user_id=True
        )
        self.course.slide_ids.with_user(user).action_set_viewed()
        self.assertFalse(quiz.with_user(user).user_has_completed)
        self.assertFalse(current_award(self.env, self.program, user.partner_id))
        # the legitimate path: the lessons completed, the quiz passed
        lessons = self.course.slide_ids - quiz
        lessons.with_user(user).action_mark_completed()
        quiz.with_user(user)._action_mark_completed()  # what passing it does
        self.assertTrue(current_award(self.env, self.program, user.partner_id))

    def _set_personal_mail_defaults(self, user, *extra):
        """The personal defaults (``ir.default``) that ``user`` sets to have
        the mails created in their name carry the administrator's private
        file and copies to a thief, and the ``extra`` ones ((model, field,
        value) triples). Returns the thief's partner id."""
        secret = (
            self.env["ir.attachment"]
            .with_user(self.env.ref("base.user_admin"))
            .create({"name": "salaries.csv", "raw": b"ceo,999999\n"})
        )
        thief = self.officer.partner_id.id
        Default = self.env["ir.default"].with_user(user)
        for model, field, value in [
            *extra,
            ("mail.compose.message", "attachment_ids", [secret.id]),
            ("mail.compose.message", "partner_ids", [thief]),
            ("mail.message", "attachment_ids", [secret.id]),
            ("mail.message", "partner_ids", [thief]),
            ("mail.mail", "recipient_ids", [thief]),
            ("mail.mail", "email_cc", "thief@example.com"),
        ]:
            Default.set(model, field, value, user_id=True)
        return thief

    def test_issued_mail_takes_no_personal_default_of_the_learner(self):
        """Completing a course sends the "issued" mail, composed in the
        learner's name. An employee's personal defaults of the composer
        (``ir.default``) would add any file of the database, read by its id,
        to the mail they receive, or more recipients."""
        user = self.employee_learner
        thief = self._set_personal_mail_defaults(user)
        complete_with_context(self.course, user)
        award = current_award(self.env, self.program, user.partner_id)
        mails = self.env["mail.mail"].search(
            [("model", "=", award._name), ("res_id", "=", award.id)]
        )
        self.assertEqual(len(mails), 1, "the issued mail")
        self.assertEqual(
            (mails.attachment_ids, mails.recipient_ids, mails.email_cc),
            (self.env["ir.attachment"], user.partner_id, False),
        )
        self.assertNotIn(thief, mails.mail_message_id.partner_ids.ids)

    def test_renewal_plan_enrolment_ignores_personal_defaults(self):
        """A learning plan counts the courses completed since enrolling in it.
        An employee's personal default of the enrolment date (``ir.default``)
        would date the enrolment that "Renew now" creates in their name back
        before their old completions: the plan renewed the certification when
        one course was completed, without retaking the other."""
        user = self.employee_learner
        program = make_program(self.env, name="Path Cert", allow_retake=True)
        course_a = make_course(self.env, name="Path A")
        course_b = make_course(self.env, name="Path B")
        plan = make_learning_plan(
            self.env, course_a + course_b, certification_program_id=program.id
        )
        self.course.certification_program_id = program
        complete_with_context(self.course, user)
        award = current_award(self.env, program, user.partner_id)
        with freeze_time(datetime.now() - timedelta(days=30)):
            complete_with_context(course_a, user)  # long before the plan
        self.env["ir.default"].with_user(user).set(
            "slide.learning.plan.partner",
            "date_enrolled",
            "2000-01-01 00:00:00",
            user_id=True,
        )
        award.with_user(user).action_start_renewal(plan)
        enrollment = plan.enrollment_ids
        self.assertGreater(enrollment.date_enrolled, datetime(2020, 1, 1))
        complete_with_context(course_b, user)
        self.assertEqual(award.state, "valid", "course A was not retaken")
        self.assertEqual(enrollment.state, "ongoing")
        # the legitimate path (every course of the plan completed after
        # enrolling renews it) is TestPlanRenewal's

    def test_certification_badge_takes_no_personal_default_of_the_learner(self):
        """The certification's badge is granted with the award, in the
        learner's name, and Odoo mails it to them. Their personal defaults
        (``ir.default``) would make the badge sent by someone else (the
        administrator, in their profile and the mail) and add any file of the
        database, read by its id, or more recipients to the badge mail."""
        user = self.employee_learner
        admin = self.env.ref("base.user_admin")
        self.program.badge_id = self.env["gamification.badge"].create(
            {"name": "Forklift Badge"}
        )
        thief = self._set_personal_mail_defaults(
            user, ("gamification.badge.user", "sender_id", admin.id)
        )
        complete_with_context(self.course, user)
        granted = self.env["gamification.badge.user"].search(
            [("badge_id", "=", self.program.badge_id.id), ("user_id", "=", user.id)]
        )
        self.assertEqual(len(granted), 1)
        self.assertFalse(granted.sender_id, "granted by the system, not by the admin")
        self.assertEqual(granted.comment, self.program.name)
        mails = self.env["mail.mail"].search(
            [("model", "=", granted._name), ("res_id", "=", granted.id)]
        )
        self.assertEqual(len(mails), 1, "Odoo's badge mail")
        self.assertFalse(mails.attachment_ids)
        self.assertFalse(mails.email_cc)
        self.assertNotIn(thief, mails.recipient_ids.ids)
        self.assertNotIn(thief, mails.mail_message_id.partner_ids.ids)
        self.assertEqual(mails.recipient_ids, user.partner_id, "the learner's mail")


# ------------------------------------------------------------
# The revoke reason is the officers'
# ------------------------------------------------------------


class RevokedCase(CertificationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_award = cls._revoked_award(cls.learner)
        cls.employee_award = cls._revoked_award(cls.employee_learner)

    @classmethod
    def _revoked_award(cls, user):
        award = cls.env["certification.award"].create(
            {"program_id": cls.program.id, "partner_id": user.partner_id.id}
        )
        award.with_user(cls.officer)._revoke(REASON)
        return award


@tagged("post_install", "-at_install")
class TestRevokeReason(RevokedCase):
    def test_learner_cannot_read_the_revoke_reason(self):
        for user, award in (
            (self.learner, self.portal_award),
            (self.employee_learner, self.employee_award),
        ):
            with self.subTest(user=user.login):
                award.invalidate_recordset()
                mine = award.with_user(user)
                with self.assertRaises(AccessError):
                    mine.read(["revoke_reason"])
                with self.assertRaises(AccessError):
                    mine.search([("revoke_reason", "ilike", "cheating")])
                # what they may know: that and when it was revoked
                values = mine.read(["revoked_on", "state"])[0]
                self.assertTrue(values["revoked_on"])
                self.assertEqual(values["state"], "archived")

    def test_learner_cannot_export_the_revoke_reason(self):
        """Odoo gives new employees the export right (``export_data``, over
        RPC too), which reads fields as ``read`` does: the reason stays out,
        the fields they may know still export."""
        user = self.employee_learner
        user.write(
            {
                compat.USER_GROUPS: [
                    Command.link(self.env.ref("base.group_allow_export").id)
                ]
            }
        )
        self.employee_award.invalidate_recordset()
        mine = self.employee_award.with_user(user)
        with self.assertRaises(AccessError):
            mine.export_data(["revoke_reason"])
        self.employee_award.invalidate_recordset()
        self.assertEqual(mine.export_data(["state"])["datas"], [["Archived"]])

    def test_revoke_note_does_not_carry_the_reason(self):
        """An employee reads the internal notes of their own award."""
        messages = (
            self.env["mail.message"]
            .with_user(self.employee_learner)
            .search(
                [
                    ("model", "=", "certification.award"),
                    ("res_id", "=", self.employee_award.id),
                ]
            )
        )
        self.assertTrue(messages.filtered(lambda m: "revoked" in (m.body or "")))
        self.assertFalse(
            messages.filtered(lambda m: "cheating" in (m.body or "").lower())
        )

    def test_officer_reads_the_revoke_reason(self):
        award = self.portal_award.with_user(self.officer)
        self.assertEqual(award.read(["revoke_reason"])[0]["revoke_reason"], REASON)
        self.assertEqual(
            award.search([("revoke_reason", "ilike", "cheating")]),
            self.portal_award | self.employee_award,
        )


@tagged("post_install", "-at_install")
class TestRevokeReasonPages(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program = make_program(cls.env, name="Revoked Certification", code="REV")
        cls.learner = make_portal_learner(cls.env, login="revoked_learner")
        cls.award = cls.env["certification.award"].create(
            {"program_id": cls.program.id, "partner_id": cls.learner.partner_id.id}
        )
        cls.award._revoke(REASON)
        cls.revoked_day = cls.award._to_learner_date(cls.award.revoked_on)

    def _assert_revoked_without_reason(self, html):
        self.assertIn("Revoked on", html)
        self.assertIn(self.revoked_day.strftime("%m/%d/%Y"), html)
        self.assertNotIn("cheating", html.lower())

    def test_portal_page_says_revoked_on_date_only(self):
        self.authenticate(self.learner.login, self.learner.login)
        res = self.url_open(f"/my/certifications/{self.award.id}")
        self.assertEqual(res.status_code, 200)
        self._assert_revoked_without_reason(res.text)

    def test_public_page_says_revoked_on_date_only(self):
        res = self.url_open(f"/certifications/verify/{self.award.verification_token}")
        self.assertEqual(res.status_code, 200)
        self.assertIn("REVOKED", res.text)
        self._assert_revoked_without_reason(res.text)


# ------------------------------------------------------------
# The caller's timezone never moves a learner's dates
# ------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestLearnerCalendar(CertificationCase):
    ISSUED = datetime(2024, 6, 30, 22, 0)  # 1 July in Brussels, 30 June in UTC
    LINKED = datetime(2024, 1, 1)  # completions count from the item's link

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program.write({"validity_number": 6, "validity_unit": "months"})
        with freeze_time(cls.LINKED):
            cls.course = make_course(cls.env, name="Calendar course")
            cls.course.certification_program_id = cls.program
        cls.env.company.partner_id.tz = False
        (cls.learner | cls.employee_learner).partner_id.tz = False
        cls.other = make_internal_learner(cls.env, login="calendar_other", tz=False)

    def _complete(self, user, **context):
        with freeze_time(self.ISSUED):
            complete_with_context(self.course, user, **context)
        return current_award(self.env, self.program, user.partner_id)

    def test_learner_context_timezone_does_not_move_own_expiry(self):
        """Nobody has a timezone: the learner's context ``tz`` (east or west
        of UTC) leaves the expiry where the UTC calendar puts it."""
        east = self._complete(self.learner, tz="Pacific/Kiritimati")
        west = self._complete(self.employee_learner, tz="Pacific/Pago_Pago")
        plain = self._complete(self.other)
        self.assertEqual(plain.date_issued, self.ISSUED)
        self.assertEqual(plain.date_expiry, datetime(2024, 12, 30, 22, 0))
        self.assertEqual(east.date_expiry, plain.date_expiry)
        self.assertEqual(west.date_expiry, plain.date_expiry)

    def test_requester_timezone_does_not_move_the_learners_dates(self):
        """An officer in Honolulu approves the external training of a learner
        without a timezone: the learner's calendar (UTC here), not hers."""
        self.officer.tz = "Pacific/Honolulu"
        training = (
            self.env["certification.external.training"]
            .with_user(self.learner)
            .create(dict(TRAINING_VALS, certification_program_id=self.program.id))
        )
        training.with_user(self.learner).action_submit()
        training.with_user(self.officer).with_context(
            tz="Pacific/Honolulu"
        ).action_approve()
        award = current_award(self.env, self.program, self.learner.partner_id)
        self.assertEqual(award.date_issued, datetime(2024, 5, 6))
        self.assertEqual(award.date_expiry, datetime(2024, 11, 6))

    def test_learner_and_company_timezones_still_count(self):
        """Legitimate path: the learner's own timezone, else the company's."""
        self.learner.partner_id.tz = "Europe/Brussels"
        own = self._complete(self.learner, tz="Pacific/Kiritimati")
        self.assertEqual(own.date_expiry, datetime(2024, 12, 31, 23, 0))
        self.assertEqual(own.learner_date_expiry, date(2025, 1, 1))
        self.env.company.partner_id.tz = "Europe/Brussels"
        company = self._complete(self.employee_learner, tz="Pacific/Pago_Pago")
        self.assertEqual(company.date_expiry, datetime(2024, 12, 31, 23, 0))

    def test_learner_company_timezone_for_a_shared_certification(self):
        """A certification of no company: the learner's company's calendar."""
        shared = make_program(
            self.env, name="Shared", validity_number=6, validity_unit="months"
        )
        shared.company_id = False
        with freeze_time(self.LINKED):
            course = make_course(self.env, name="Shared course")
            course.certification_program_id = shared
        self.env.company.partner_id.tz = "Europe/Brussels"
        with freeze_time(self.ISSUED):
            complete_with_context(course, self.learner, tz="Pacific/Kiritimati")
        award = current_award(self.env, shared, self.learner.partner_id)
        self.assertEqual(award.date_expiry, datetime(2024, 12, 31, 23, 0))
        self.assertEqual(award.learner_date_expiry, date(2025, 1, 1))
