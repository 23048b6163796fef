# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import date, datetime, timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from ..compat import USER_GROUPS
from .common import (
    CertificationCase,
    complete_course,
    current_award,
    make_course,
    make_learning_plan,
    make_program,
)


@tagged("post_install", "-at_install")
class TestProgram(CertificationCase):
    def test_validity_calendar_months(self):
        program = make_program(self.env, validity_number=1, validity_unit="months")
        self.assertEqual(
            program._compute_date_expiry(datetime(2023, 1, 31, 9, 0)),
            datetime(2023, 2, 28, 9, 0),
        )
        self.assertEqual(
            program._compute_date_expiry(datetime(2024, 1, 31)), datetime(2024, 2, 29)
        )
        for unit, expected in (
            ("days", datetime(2024, 2, 3)),
            ("weeks", datetime(2024, 2, 21)),
            ("years", datetime(2027, 1, 31)),
        ):
            program.write({"validity_unit": unit, "validity_number": 3})
            self.assertEqual(
                program._compute_date_expiry(datetime(2024, 1, 31)), expected
            )

    def test_never_expires(self):
        program = make_program(self.env, validity_number=0)
        award = self.env["certification.award"].create(
            {"program_id": program.id, "partner_id": self.learner.partner_id.id}
        )
        self.assertFalse(award.date_expiry)
        self.assertFalse(award.days_to_expiry)
        self.assertEqual(award.state, "valid")

    def test_negative_validity_refused(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            make_program(self.env, validity_number=-1)

    def test_code_unique_per_company(self):
        company_b = self.env["res.company"].create({"name": "Company B"})
        make_program(self.env, name="Other", code="FORK", company_id=company_b.id)
        with self.assertRaises(ValidationError):
            make_program(self.env, name="Duplicate", code="FORK")
        # no code at all is fine, many times
        make_program(self.env, name="A")
        make_program(self.env, name="B")

    def test_validity_label(self):
        program = make_program(self.env, validity_number=1, validity_unit="years")
        self.assertEqual(program._get_validity_label(), "valid for 1 year")
        program.write({"validity_number": 6, "validity_unit": "months"})
        self.assertEqual(program._get_validity_label(), "valid for 6 months")
        program.validity_number = 0
        self.assertEqual(program._get_validity_label(), "never expires")

    def test_name_translatable(self):
        self.assertTrue(self.env["certification.program"]._fields["name"].translate)


@tagged("post_install", "-at_install")
class TestAward(CertificationCase):
    def test_create_computes_expiry_and_user(self):
        award = self.env["certification.award"].create(
            {
                "program_id": self.program.id,
                "partner_id": self.learner.partner_id.id,
                "date_issued": datetime(2024, 3, 15, 10, 0),
            }
        )
        self.assertEqual(award.date_expiry, datetime(2025, 3, 15, 10, 0))
        self.assertEqual(award.user_id, self.learner)
        self.assertEqual(award.state, "expired")  # 2025 is in the past now

    def test_always_valid(self):
        award = self.env["certification.award"].create(
            {
                "program_id": self.program.id,
                "partner_id": self.learner.partner_id.id,
                "is_always_valid": True,
            }
        )
        self.assertFalse(award.date_expiry)
        self.assertEqual(award.state, "valid")

    def test_one_current_award_in_database(self):
        Award = self.env["certification.award"]
        vals = {"program_id": self.program.id, "partner_id": self.learner.partner_id.id}
        Award.create(vals)
        # the unique index refuses it; the violation is turned into a message
        with mute_logger("odoo.sql_db"), self.assertRaises(UserError):
            Award.create(vals)

    def test_archived_awards_do_not_count(self):
        Award = self.env["certification.award"]
        vals = {"program_id": self.program.id, "partner_id": self.learner.partner_id.id}
        # each issue renews the previous one: two archived, one current
        for issued in (
            datetime(2022, 1, 1),
            datetime(2023, 1, 1),
            datetime(2024, 1, 1),
        ):
            Award._issue_awards([dict(vals, date_issued=issued)], notify=False)
        self.assertEqual(
            Award.search_count([("partner_id", "=", vals["partner_id"])]), 3
        )
        self.assertEqual(
            Award.search_count(
                [("partner_id", "=", vals["partner_id"]), ("state", "=", "archived")]
            ),
            2,
        )

    @freeze_time("2024-06-01 12:00:00")
    def test_days_to_expiry_in_learner_timezone(self):
        self.learner.partner_id.tz = "Asia/Tokyo"  # UTC+9
        award = self.env["certification.award"].create(
            {
                "program_id": self.program.id,
                "partner_id": self.learner.partner_id.id,
                "date_issued": datetime(2023, 6, 1),
                "date_expiry": datetime(2024, 6, 10, 16, 0),  # June 11th in Tokyo
            }
        )
        self.assertEqual(award.days_to_expiry, 10)
        self.learner.partner_id.tz = "America/New_York"  # June 10th
        award.invalidate_recordset(["days_to_expiry"])
        self.assertEqual(award.days_to_expiry, 9)
        award.date_expiry = datetime(2024, 5, 20)
        self.assertLess(award.days_to_expiry, 0)

    def test_issue_renews_current_award(self):
        Award = self.env["certification.award"]
        first = Award._issue_awards(
            [{"program_id": self.program.id, "partner_id": self.learner.partner_id.id}]
        )
        second = Award._issue_awards(
            [{"program_id": self.program.id, "partner_id": self.learner.partner_id.id}]
        )
        self.assertEqual(first.state, "archived")
        self.assertEqual(second.previous_award_id, first)
        self.assertEqual(second.state, "valid")
        self.assertEqual(
            current_award(self.env, self.program, self.learner.partner_id), second
        )

    def test_renewal_base_previous_expiry(self):
        self.program.renewal_base = "expiry"
        Award = self.env["certification.award"]
        partner = self.learner.partner_id
        with freeze_time("2024-01-10"):
            first = Award._issue_awards(
                [{"program_id": self.program.id, "partner_id": partner.id}]
            )
        self.assertEqual(first.date_expiry, datetime(2025, 1, 10))
        with freeze_time("2024-12-01"):
            second = Award._issue_awards(
                [{"program_id": self.program.id, "partner_id": partner.id}]
            )
        self.assertEqual(
            second.date_expiry, datetime(2026, 1, 10), "an early renewal loses no time"
        )
        self.program.renewal_base = "completion"
        with freeze_time("2025-12-01"):
            third = Award._issue_awards(
                [{"program_id": self.program.id, "partner_id": partner.id}]
            )
        self.assertEqual(third.date_expiry, datetime(2026, 12, 1))

    def test_deactivated_user_refused(self):
        self.learner.active = False
        with self.assertRaises(UserError):
            self.env["certification.award"].create(
                {
                    "program_id": self.program.id,
                    "partner_id": self.learner.partner_id.id,
                }
            )

    def test_employee_work_contact_without_user(self):
        contact = self.env["res.partner"].create({"name": "Walter Worker"})
        employee = self.env["hr.employee"].create(
            {"name": "Walter Worker", "work_contact_id": contact.id}
        )
        award = self.env["certification.award"].create(
            {"program_id": self.program.id, "partner_id": contact.id}
        )
        self.assertFalse(award.user_id)
        self.assertEqual(award.employee_id, employee)

    def test_badge_granted(self):
        badge = self.env["gamification.badge"].create({"name": "Forklift Badge"})
        self.program.badge_id = badge
        self.env["certification.award"].create(
            {"program_id": self.program.id, "partner_id": self.learner.partner_id.id}
        )
        self.assertTrue(
            self.env["gamification.badge.user"].search(
                [("badge_id", "=", badge.id), ("user_id", "=", self.learner.id)]
            )
        )

    def test_edit_expiry_revives_expired_award(self):
        award = self.env["certification.award"].create(
            {
                "program_id": self.program.id,
                "partner_id": self.learner.partner_id.id,
                "date_issued": datetime(2020, 1, 1),
            }
        )
        self.assertEqual(award.state, "expired")
        award.date_expiry = fields.Datetime.now().replace(
            year=fields.Datetime.now().year + 1
        )
        self.assertEqual(award.state, "valid")


@tagged("post_install", "-at_install")
class TestEarning(CertificationCase):
    def test_course_completion_awards(self):
        complete_course(self.course, self.learner)
        award = current_award(self.env, self.program, self.learner.partner_id)
        self.assertEqual(len(award), 1)
        self.assertEqual(award.association_type, "course")
        self.assertEqual(award.channel_id, self.course)
        self.assertEqual(award.state, "valid")

    def test_any_one_item_is_enough(self):
        other_course = make_course(self.env, name="Forklift Advanced")
        other_course.certification_program_id = self.program
        complete_course(other_course, self.learner)
        self.assertTrue(current_award(self.env, self.program, self.learner.partner_id))

    def test_no_retroactive_award(self):
        course = make_course(self.env, name="Unlinked")
        membership = complete_course(course, self.learner)
        self.assertEqual(membership.member_status, "completed")
        with freeze_time(
            fields.Datetime.now().replace(year=fields.Datetime.now().year + 1)
        ):
            course.certification_program_id = self.program
            self.assertFalse(
                current_award(self.env, self.program, self.learner.partner_id)
            )
            # later: completion hooks fire again for that old completion
            membership._post_completion_update_hook(completed=True)
        self.assertFalse(current_award(self.env, self.program, self.learner.partner_id))

    def test_completing_again_does_not_renew(self):
        complete_course(self.course, self.learner)
        award = current_award(self.env, self.program, self.learner.partner_id)
        other = make_course(self.env, name="Forklift Refresher")
        other.certification_program_id = self.program
        complete_course(other, self.learner)
        self.assertEqual(
            current_award(self.env, self.program, self.learner.partner_id), award
        )
        self.assertEqual(award.state, "valid")

    def test_deactivated_user_skipped_on_completion(self):
        membership = complete_course(
            make_course(self.env, name="Temp"), self.employee_learner
        )
        membership.channel_id.certification_program_id = self.program
        self.employee_learner.active = False
        membership.date_completed = fields.Datetime.now()
        membership._post_completion_update_hook(completed=True)
        self.assertFalse(
            current_award(self.env, self.program, self.employee_learner.partner_id)
        )

    def test_course_form_shows_certification(self):
        self.manager[USER_GROUPS] = [
            Command.link(self.env.ref("website_slides.group_website_slides_manager").id)
        ]
        form = Form(self.env["slide.channel"].with_user(self.manager))
        form.name = "Reach Truck"
        form.certification_program_id = self.program
        form.enrollment_validity_days = 30
        course = form.save()
        self.assertIn(course, self.program.channel_ids)
        self.assertTrue(course.certification_assigned_on)

    def test_assign_items_from_certification_form(self):
        course = make_course(self.env, name="Pallet Jack")
        plan = make_learning_plan(self.env, course, name="Pallet Path")
        with Form(self.program.with_user(self.manager)) as form:
            form.channel_ids.add(course)
            form.learning_plan_ids.add(plan)
        self.assertEqual(course.certification_program_id, self.program)
        self.assertEqual(plan.certification_program_id, self.program)


@tagged("post_install", "-at_install")
class TestLearningPlan(CertificationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan_program = make_program(cls.env, name="Warehouse Safety", code="WHS")
        cls.course_a = make_course(cls.env, name="Course A")
        cls.course_b = make_course(cls.env, name="Course B")
        cls.plan = make_learning_plan(
            cls.env,
            cls.course_b + cls.course_a,
            code="WH-PATH",
            certification_program_id=cls.plan_program.id,
        )

    def test_ordered_courses(self):
        self.assertEqual(
            self.plan.channel_ids.ids, [self.course_b.id, self.course_a.id]
        )
        self.plan.line_ids.filtered(
            lambda l: l.channel_id == self.course_a
        ).sequence = -1
        self.plan.invalidate_recordset(["channel_ids"])
        self.assertEqual(self.plan.channel_ids[0], self.course_a)

    def test_enrolment_enrols_in_courses(self):
        self.plan._action_add_members(self.learner.partner_id)
        members = (self.course_a + self.course_b).channel_partner_ids.partner_id
        self.assertIn(self.learner.partner_id, members)

    def test_plan_completion_awards(self):
        self.plan._action_add_members(self.learner.partner_id)
        complete_course(self.course_a, self.learner)
        self.assertFalse(
            current_award(self.env, self.plan_program, self.learner.partner_id)
        )
        complete_course(self.course_b, self.learner)
        enrollment = self.plan.enrollment_ids
        self.assertEqual(enrollment.state, "completed")
        award = current_award(self.env, self.plan_program, self.learner.partner_id)
        self.assertEqual(award.association_type, "learning_plan")
        self.assertEqual(award.learning_plan_id, self.plan)

    def test_courses_completed_before_enrolling_do_not_count(self):
        with freeze_time("2024-01-01"):
            complete_course(self.course_a, self.learner)
        with freeze_time("2024-02-01"):
            self.plan._action_add_members(self.learner.partner_id)
            complete_course(self.course_b, self.learner)
        self.assertEqual(self.plan.enrollment_ids.state, "ongoing")
        self.assertFalse(
            current_award(self.env, self.plan_program, self.learner.partner_id)
        )


@tagged("post_install", "-at_install")
class TestExternalTraining(CertificationCase):
    def _report(self, user, **kwargs):
        vals = {
            "name": "First Aid",
            "training_type": "course",
            "provider": "Red Cross",
            "date_completed": date(2024, 5, 2),
            "hours": 8,
            "score": "Pass",
            "certification_program_id": self.program.id,
        }
        vals.update(kwargs)
        return self.env["certification.external.training"].with_user(user).create(vals)

    def test_learner_reports_officer_approves(self):
        training = self._report(self.learner)
        self.assertEqual(training.partner_id, self.learner.partner_id)
        training.action_submit()
        self.assertEqual(training.state, "submitted")
        with self.assertRaises(AccessError):
            training.action_approve()
        training.with_user(self.officer).action_approve()
        award = current_award(self.env, self.program, self.learner.partner_id)
        self.assertEqual(award.association_type, "external_training")
        self.assertEqual(award.external_training_id, training)
        self.assertEqual(award.date_issued, datetime(2024, 5, 2))
        self.assertEqual(training.award_id, award)

    def test_reject(self):
        training = self._report(self.learner)
        training.action_submit()
        training.with_user(self.officer).action_reject()
        self.assertEqual(training.state, "rejected")
        self.assertFalse(current_award(self.env, self.program, self.learner.partner_id))

    def test_learner_sees_only_own(self):
        own = self._report(self.learner)
        other = self._report(self.employee_learner, name="Other's")
        Training = self.env["certification.external.training"].with_user(self.learner)
        self.assertEqual(Training.search([]), own)
        with self.assertRaises(AccessError):
            other.with_user(self.learner).read(["name"])

    def test_submitted_locked_for_learner(self):
        training = self._report(self.learner)
        training.action_submit()
        with self.assertRaises(UserError):
            training.with_user(self.learner).hours = 100


@tagged("post_install", "-at_install")
class TestRenewal(CertificationCase):
    def _award(self):
        complete_course(self.course, self.learner)
        return current_award(self.env, self.program, self.learner.partner_id)

    def test_retake_resets_progress_and_renews(self):
        self.program.allow_retake = True
        award = self._award()
        self.assertTrue(award.with_user(self.learner).can_renew)
        mails_before = self.env["mail.mail"].search_count([])
        renewal = award.with_user(self.learner).action_start_renewal(self.course)
        self.assertTrue(renewal.is_retake)
        self.assertTrue(renewal.previous_date_completed)
        membership = self.course.channel_partner_ids.filtered(
            lambda m: m.partner_id == self.learner.partner_id
        )
        self.assertEqual(membership.member_status, "joined")
        self.assertEqual(membership.completion, 0)
        self.assertGreater(self.env["mail.mail"].search_count([]), mails_before)
        self.assertEqual(award.state, "valid", "starting a renewal changes nothing yet")
        complete_course(self.course, self.learner)
        new_award = current_award(self.env, self.program, self.learner.partner_id)
        self.assertNotEqual(new_award, award)
        self.assertEqual(award.state, "archived")
        self.assertEqual(new_award.previous_award_id, award)
        self.assertEqual(renewal.state, "done")
        self.assertEqual(renewal.new_award_id, new_award)

    def test_without_retake_only_uncompleted_items(self):
        award = self._award()
        self.assertFalse(award.can_renew, "the only item is completed")
        with self.assertRaises(UserError):
            award.with_user(self.learner).action_start_renewal(self.course)
        refresher = make_course(self.env, name="Refresher")
        refresher.certification_program_id = self.program
        award.invalidate_recordset(["can_renew"])
        self.assertTrue(award.can_renew)
        award.with_user(self.learner).action_start_renewal(refresher)
        complete_course(refresher, self.learner)
        self.assertEqual(award.state, "archived")

    def test_expired_award_can_renew(self):
        self.program.allow_retake = True
        award = self._award()
        award.write(
            {"date_issued": datetime(2020, 1, 1), "date_expiry": datetime(2021, 1, 1)}
        )
        award.sudo().write({"state": "expired"})
        self.assertTrue(award.can_renew)

    def test_unassigned_item_refused(self):
        self.program.allow_retake = True
        award = self._award()
        with self.assertRaises(UserError):
            award.with_user(self.learner).action_start_renewal(
                make_course(self.env, name="X")
            )

    def test_someone_else_cannot_renew(self):
        self.program.allow_retake = True
        award = self._award()
        with self.assertRaises(AccessError):
            award.with_user(self.employee_learner).action_start_renewal(self.course)

    def test_recertification_window(self):
        self.program.write({"allow_retake": True, "recertification_window_days": 30})
        award = self._award()
        self.assertFalse(award.can_renew, "a year before expiry is outside the window")
        with freeze_time(award.date_expiry - timedelta(days=10)):
            award.invalidate_recordset(["can_renew"])
            self.assertTrue(award.can_renew)

    def test_enrollment_validity_over(self):
        self.program.allow_retake = True
        self.course.enrollment_validity_days = 10
        award = self._award()
        self.assertTrue(award.can_renew)
        later = fields.Datetime.now().replace(year=fields.Datetime.now().year + 1)
        with freeze_time(later):
            award.invalidate_recordset(["can_renew"])
            self.assertFalse(award.can_renew)
            with self.assertRaises(UserError):
                award.with_user(self.learner).action_start_renewal(self.course)

    def test_plan_validity_wins_over_course(self):
        self.program.allow_retake = True
        self.course.enrollment_validity_days = 10
        plan = make_learning_plan(self.env, self.course, enrollment_validity_days=1000)
        plan._action_add_members(self.learner.partner_id)
        award = self._award()
        later = fields.Datetime.now().replace(year=fields.Datetime.now().year + 1)
        with freeze_time(later):
            award.invalidate_recordset(["can_renew"])
            self.assertTrue(award.can_renew)

    def test_completion_without_renewal_renews_nothing(self):
        self.program.allow_retake = True
        award = self._award()
        other = make_course(self.env, name="Other")
        other.certification_program_id = self.program
        complete_course(other, self.learner)
        self.assertEqual(award.state, "valid")
        self.assertFalse(award.next_award_ids)


@tagged("post_install", "-at_install")
class TestDeletion(CertificationCase):
    def test_officer_cannot_delete(self):
        with self.assertRaises(AccessError):
            self.program.with_user(self.officer).unlink()

    def test_manager_deletes_through_confirmation(self):
        complete_course(self.course, self.learner)
        wizard = (
            self.env["certification.program.delete"]
            .with_user(self.manager)
            .create({"program_id": self.program.id})
        )
        self.assertEqual(wizard.award_count, 1)
        self.assertIn("also deletes its award (history", wizard.warning)
        wizard.action_delete_program()
        self.assertFalse(self.program.exists())
        self.assertFalse(
            self.env["certification.award"].search(
                [("channel_id", "=", self.course.id)]
            )
        )
        self.assertFalse(self.course.certification_program_id)

    def test_archive_offered_first(self):
        wizard = (
            self.env["certification.program.delete"]
            .with_user(self.manager)
            .create({"program_id": self.program.id})
        )
        wizard.action_archive_program()
        self.assertFalse(self.program.active)
        self.assertTrue(self.program.exists())


@tagged("post_install", "-at_install")
class TestSecurity(CertificationCase):
    def test_learner_reads_only_own_awards(self):
        Award = self.env["certification.award"]
        own = Award.create(
            {"program_id": self.program.id, "partner_id": self.learner.partner_id.id}
        )
        other = Award.create(
            {
                "program_id": self.program.id,
                "partner_id": self.employee_learner.partner_id.id,
            }
        )
        self.assertEqual(Award.with_user(self.learner).search([]), own)
        self.assertEqual(Award.with_user(self.employee_learner).search([]), other)
        learners = (self.learner + self.employee_learner).partner_id
        self.assertEqual(
            Award.with_user(self.officer).search([("partner_id", "in", learners.ids)]),
            own + other,
        )
        with self.assertRaises(AccessError):
            own.with_user(self.learner).write({"is_always_valid": True})

    def test_multi_company(self):
        company_b = self.env["res.company"].create({"name": "Company B"})
        program_b = make_program(self.env, name="B only", company_id=company_b.id)
        Program = self.env["certification.program"].with_user(self.officer)
        self.assertNotIn(program_b, Program.search([]))
        self.officer.company_ids = [Command.link(company_b.id)]
        self.assertIn(
            program_b,
            Program.with_context(allowed_company_ids=[company_b.id]).search([]),
        )

    def test_officer_cannot_configure(self):
        with self.assertRaises(AccessError):
            make_program(self.env(user=self.officer), name="Nope")


@tagged("post_install", "-at_install")
class TestPlanRenewal(CertificationCase):
    def test_plan_retake_resets_courses_and_renews(self):
        program = make_program(self.env, name="Path Cert", allow_retake=True)
        course_a = make_course(self.env, name="Path A")
        course_b = make_course(self.env, name="Path B")
        plan = make_learning_plan(
            self.env, course_a + course_b, certification_program_id=program.id
        )
        plan._action_add_members(self.learner.partner_id)
        complete_course(course_a, self.learner)
        complete_course(course_b, self.learner)
        award = current_award(self.env, program, self.learner.partner_id)
        self.assertEqual(award.learning_plan_id, plan)
        renewal = award.with_user(self.learner).action_start_renewal(plan)
        self.assertTrue(renewal.is_retake)
        self.assertTrue(renewal.previous_date_completed)
        enrollment = plan.enrollment_ids
        self.assertEqual(enrollment.state, "ongoing")
        members = (course_a + course_b).channel_partner_ids.filtered(
            lambda m: m.partner_id == self.learner.partner_id
        )
        self.assertEqual(set(members.mapped("member_status")), {"joined"})
        complete_course(course_a, self.learner)
        self.assertEqual(award.state, "valid", "half the plan renews nothing")
        complete_course(course_b, self.learner)
        self.assertEqual(award.state, "archived")
        new_award = current_award(self.env, program, self.learner.partner_id)
        self.assertEqual(new_award.previous_award_id, award)
        self.assertEqual(renewal.state, "done")


@tagged("post_install", "-at_install")
class TestAssignItems(CertificationCase):
    def test_assign_items_wizard(self):
        other_program = make_program(self.env, name="Other")
        course = make_course(
            self.env, name="Moved", certification_program_id=other_program.id
        )
        plan = make_learning_plan(self.env, course, name="Plan to assign")
        form = Form(
            self.env["certification.program.assign"]
            .with_user(self.manager)
            .with_context(default_program_id=self.program.id)
        )
        form.channel_ids.add(course)
        form.learning_plan_ids.add(plan)
        self.assertIn("Moved", form.reassigned_warning)
        form.save().action_assign()
        self.assertEqual(course.certification_program_id, self.program)
        self.assertEqual(plan.certification_program_id, self.program)

    def test_assign_nothing_is_an_error(self):
        wizard = self.env["certification.program.assign"].create(
            {"program_id": self.program.id}
        )
        with self.assertRaises(UserError):
            wizard.action_assign()
