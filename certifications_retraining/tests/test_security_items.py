# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Items (courses, learning plans) and the certifications they earn, attacked
as the user who must not succeed, with the values and context an RPC caller
sends; each class also checks the legitimate path."""

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from ..compat import USER_GROUPS, call_kw
from .common import (
    CertificationCase,
    complete_course,
    current_award,
    make_course,
    make_learning_plan,
    make_manager,
    make_program,
)

ELEARNING_OFFICER = "base.group_user,website_slides.group_website_slides_officer"
ELEARNING_MANAGER = "website_slides.group_website_slides_manager"


# ------------------------------------------------------------
# Linking an item needs the right to edit the certification
# ------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestItemLinkNeedsCertificationRights(CertificationCase):
    """An eLearning officer without certification rights must not make a
    course (or learning plan) of theirs earn a certification."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.teacher = mail_new_test_user(
            cls.env, login="elearning_officer", groups=ELEARNING_OFFICER, name="Tea"
        )
        cls.Course = cls.env["slide.channel"].with_user(cls.teacher)
        cls.manager[USER_GROUPS] = [Command.link(cls.env.ref(ELEARNING_MANAGER).id)]

    def _course_vals(self, **vals):
        return dict(
            {
                "name": "Self-made",
                "enroll": "public",
                "is_published": True,
                "slide_ids": [
                    Command.create(
                        {
                            "name": "Only lesson",
                            "slide_category": "document",
                            "is_published": True,
                        }
                    )
                ],
            },
            **vals,
        )

    def _assert_not_certified(self):
        self.assertFalse(
            current_award(self.env, self.program, self.teacher.partner_id),
            "the eLearning officer certified themself",
        )

    def test_elearning_officer_cannot_create_a_course_earning_a_certification(self):
        with self.assertRaises(AccessError):
            self.Course.create(
                self._course_vals(certification_program_id=self.program.id)
            )
        with self.assertRaises(AccessError):
            self.Course.with_context(
                default_certification_program_id=self.program.id
            ).create(self._course_vals())
        self.assertFalse(self.env["slide.channel"].search([("name", "=", "Self-made")]))
        self._assert_not_certified()

    def test_elearning_officer_cannot_link_their_course(self):
        course = self.Course.create(self._course_vals())
        with self.assertRaises(AccessError):
            course.write({"certification_program_id": self.program.id})
        self.assertFalse(course.certification_program_id)
        complete_course(course, self.teacher)
        self._assert_not_certified()

    def test_elearning_officer_cannot_move_or_unlink_a_linked_course(self):
        other = make_program(self.env, name="Other", code="OTHER")
        course = self.Course.create(self._course_vals())
        course.sudo().certification_program_id = self.program
        for value in (other.id, False):
            with self.assertRaises(AccessError):
                course.write({"certification_program_id": value})
        self.assertEqual(course.certification_program_id, self.program)

    def test_assigned_on_is_server_owned(self):
        past = fields.Datetime.to_datetime("2020-01-01 00:00:00")
        course = self.Course.create(self._course_vals())
        course.sudo().certification_program_id = self.program
        assigned_on = course.certification_assigned_on
        with self.assertRaises(AccessError):
            course.write({"certification_assigned_on": past})
        with self.assertRaises(AccessError):
            self.Course.create(self._course_vals(certification_assigned_on=past))
        # not even as superuser, nor through a context default
        with self.assertRaises(AccessError):
            course.sudo().write({"certification_assigned_on": past})
        plan = (
            self.env["slide.learning.plan"]
            .with_context(default_certification_assigned_on=past)
            .create({"name": "Plan", "certification_program_id": self.program.id})
        )
        self.assertGreater(plan.certification_assigned_on, past)
        self.assertEqual(course.certification_assigned_on, assigned_on)
        # the completion before the real assignment still earns nothing
        self.assertFalse(course._is_completion_after_assignment(past))

    def test_certification_officer_cannot_link_a_learning_plan(self):
        Plan = self.env["slide.learning.plan"].with_user(self.officer)
        with self.assertRaises(AccessError):
            Plan.create({"name": "Mine", "certification_program_id": self.program.id})
        plan = Plan.create(
            {"name": "Mine", "channel_ids": [Command.set(self.course.ids)]}
        )
        with self.assertRaises(AccessError):
            plan.write({"certification_program_id": self.program.id})
        self.assertFalse(plan.certification_program_id)

    def test_manager_with_elearning_rights_links_items(self):
        with freeze_time("2025-03-01 10:00:00"):
            course = (
                self.env["slide.channel"]
                .with_user(self.manager)
                .create(self._course_vals(certification_program_id=self.program.id))
            )
            self.assertEqual(
                course.certification_assigned_on,
                fields.Datetime.to_datetime("2025-03-01 10:00:00"),
            )
        form = Form(
            self.env["slide.channel"]
            .with_user(self.manager)
            .with_context(default_certification_program_id=self.program.id)
        )
        form.name = "From the certification"
        from_program = form.save()
        self.assertEqual(from_program.certification_program_id, self.program)
        self.assertTrue(from_program.certification_assigned_on)
        plan = (
            self.env["slide.learning.plan"]
            .with_user(self.manager)
            .create({"name": "Linked", "certification_program_id": self.program.id})
        )
        self.assertTrue(plan.certification_assigned_on)
        complete_course(course, self.learner)
        self.assertTrue(current_award(self.env, self.program, self.learner.partner_id))
        # unlinking clears the moment of the assignment
        course.with_user(self.manager).certification_program_id = False
        self.assertFalse(course.certification_assigned_on)


# ------------------------------------------------------------
# Items of the certification's company, unlink only its own items
# ------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestItemLinksStayInTheirCompany(CertificationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Company B"})
        website_b = cls.env["website"].create(
            {"name": "B site", "company_id": cls.company_b.id}
        )
        cls.program_a = make_program(
            cls.env, name="A only", code="AONLY", company_id=cls.company_a.id
        )
        cls.program_b = make_program(
            cls.env, name="B only", code="BONLY", company_id=cls.company_b.id
        )
        cls.course_a = make_course(
            cls.env, name="A course", certification_program_id=cls.program_a.id
        )
        cls.course_free = make_course(cls.env, name="Unlinked course")
        cls.course_of_b = make_course(
            cls.env, name="B site course", website_id=website_b.id
        )
        cls.course_linked_b = make_course(
            cls.env, name="B linked", certification_program_id=cls.program_b.id
        )
        cls.plan_linked_b = make_learning_plan(
            cls.env, cls.course_free, certification_program_id=cls.program_b.id
        )
        cls.manager_a = make_manager(
            cls.env,
            login="manager_a",
            name="Alma A",
            company_id=cls.company_a.id,
            company_ids=[Command.set(cls.company_a.ids)],
        )
        cls.as_manager_a = cls.program_a.with_user(cls.manager_a)

    def test_cannot_link_a_course_of_another_company(self):
        for command in (
            Command.link(self.course_of_b.id),
            Command.set([self.course_a.id, self.course_of_b.id]),
        ):
            with self.assertRaises(ValidationError):
                self.as_manager_a.write({"channel_ids": [command]})
        self.assertFalse(self.course_of_b.certification_program_id)
        self.assertEqual(self.course_a.certification_program_id, self.program_a)
        with self.assertRaises(ValidationError):
            self.env["certification.program"].with_user(self.manager_a).create(
                {
                    "name": "New A",
                    "company_id": self.company_a.id,
                    "channel_ids": [Command.link(self.course_of_b.id)],
                }
            )
        self.assertFalse(self.course_of_b.certification_program_id)

    def test_certification_cannot_move_to_another_company_than_its_items(self):
        shared = make_program(self.env, name="Shared", code="SHARED")
        self.course_of_b.certification_program_id = shared
        with self.assertRaises(ValidationError):
            shared.company_id = self.company_a
        shared.company_id = self.company_b
        self.assertEqual(self.course_of_b.certification_program_id, shared)

    def test_cannot_take_items_of_another_company_certification(self):
        with self.assertRaises(AccessError):
            self.as_manager_a.write({"channel_ids": [(4, self.course_linked_b.id)]})
        with self.assertRaises(AccessError):
            self.as_manager_a.write(
                {"learning_plan_ids": [Command.set(self.plan_linked_b.ids)]}
            )
        self.assertEqual(self.course_linked_b.certification_program_id, self.program_b)
        self.assertEqual(self.plan_linked_b.certification_program_id, self.program_b)

    def test_cannot_link_an_unreadable_course(self):
        hidden = make_course(self.env, name="Draft", is_published=False)
        with self.assertRaises(AccessError):
            self.as_manager_a.write({"channel_ids": [Command.link(hidden.id)]})
        self.assertFalse(hidden.certification_program_id)

    def test_unlink_only_items_of_this_certification(self):
        other_a = make_program(
            self.env, name="Other A", code="OA", company_id=self.company_a.id
        )
        course_other_a = make_course(
            self.env, name="Other A course", certification_program_id=other_a.id
        )
        self.as_manager_a.write(
            {
                "channel_ids": [
                    (3, self.course_linked_b.id),
                    (3, course_other_a.id),
                ],
                "learning_plan_ids": [(3, self.plan_linked_b.id)],
            }
        )
        self.assertEqual(self.course_linked_b.certification_program_id, self.program_b)
        self.assertEqual(course_other_a.certification_program_id, other_a)
        self.assertEqual(self.plan_linked_b.certification_program_id, self.program_b)
        self.as_manager_a.write({"channel_ids": [Command.clear()]})
        self.assertFalse(self.course_a.certification_program_id)
        self.assertEqual(course_other_a.certification_program_id, other_a)
        self.assertEqual(self.course_linked_b.certification_program_id, self.program_b)

    def test_manager_links_items_of_their_company(self):
        other_a = make_program(
            self.env, name="Other A", code="OA", company_id=self.company_a.id
        )
        course_other_a = make_course(
            self.env, name="Other A course", certification_program_id=other_a.id
        )
        self.as_manager_a.write(
            {
                "channel_ids": [
                    Command.link(self.course_free.id),
                    Command.link(course_other_a.id),
                    Command.unlink(self.course_a.id),
                ]
            }
        )
        self.assertEqual(self.course_free.certification_program_id, self.program_a)
        self.assertEqual(course_other_a.certification_program_id, self.program_a)
        self.assertFalse(self.course_a.certification_program_id)
        self.as_manager_a.write({"channel_ids": [Command.set(self.course_a.ids)]})
        self.assertEqual(self.program_a.channel_ids, self.course_a)
        self.assertFalse(self.course_free.certification_program_id)
        plan = make_learning_plan(self.env, self.course_a, name="A plan")
        program = (
            self.env["certification.program"]
            .with_user(self.manager_a)
            .create(
                {
                    "name": "New A",
                    "company_id": self.company_a.id,
                    "channel_ids": [Command.link(self.course_free.id)],
                    "learning_plan_ids": [Command.link(plan.id)],
                }
            )
        )
        self.assertEqual(program.channel_ids, self.course_free)
        self.assertEqual(program.learning_plan_ids, plan)
        wizard = (
            self.env["certification.program.assign"]
            .with_user(self.manager_a)
            .create(
                {
                    "program_id": self.program_a.id,
                    "channel_ids": [Command.set(self.course_free.ids)],
                }
            )
        )
        wizard.action_assign()
        self.assertEqual(self.course_free.certification_program_id, self.program_a)


# ------------------------------------------------------------
# Deleting a certification over RPC
# ------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestProgramUnlinkOverRpc(CertificationCase):
    """``call_kw`` is what ``/web/dataset/call_kw`` runs: ``unlink`` with ids."""

    def _issue(self):
        return self.env["certification.award"]._issue_awards(
            [{"program_id": self.program.id, "partner_id": self.learner.partner_id.id}]
        )

    def test_officer_cannot_delete_over_rpc(self):
        award = self._issue()
        Program = self.env(user=self.officer)["certification.program"]
        with self.assertRaises(AccessError):
            call_kw(Program, "unlink", [self.program.ids], {})
        self.assertTrue(self.program.exists())
        self.assertTrue(award.exists())

    def test_manager_deletes_over_rpc(self):
        award = self._issue()
        award_id = award.id
        Program = self.env(user=self.manager)["certification.program"]
        self.assertTrue(call_kw(Program, "unlink", [self.program.ids], {}))
        self.assertFalse(self.program.exists())
        self.assertFalse(award.exists())
        self.assertTrue(
            self.env["certification.audit.log"].search(
                [("award_id", "=", award_id), ("action", "=", "delete")]
            )
        )


# ------------------------------------------------------------
# Learning plan enrolments follow the courses' rules
# ------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestPlanEnrolmentFollowsCourseRules(CertificationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.open_course = make_course(cls.env, name="Open")
        cls.invite_course = make_course(cls.env, name="Invite only", enroll="invite")
        cls.hidden_course = make_course(cls.env, name="Hidden", is_published=False)
        cls.Enrollment = cls.env["slide.learning.plan.partner"].with_user(cls.officer)

    def _members(self, course):
        return course.sudo().channel_partner_ids.partner_id

    def test_officer_cannot_enrol_in_an_invite_only_course(self):
        plan = make_learning_plan(self.env, self.open_course + self.invite_course)
        with self.assertRaises(AccessError):
            self.Enrollment.create(
                {"plan_id": plan.id, "partner_id": self.learner.partner_id.id}
            )
        with self.assertRaises(AccessError):
            plan.with_user(self.officer)._action_add_members(self.learner.partner_id)
        self.assertNotIn(self.learner.partner_id, self._members(self.invite_course))
        self.assertFalse(plan.enrollment_ids)

    def test_officer_cannot_use_an_unreadable_course(self):
        with self.assertRaises(AccessError):
            self.env["slide.learning.plan"].with_user(self.officer).create(
                {"name": "Sneaky", "channel_ids": [Command.set(self.hidden_course.ids)]}
            )
        plan = make_learning_plan(self.env, self.hidden_course)
        with self.assertRaises(AccessError):
            self.Enrollment.create(
                {"plan_id": plan.id, "partner_id": self.learner.partner_id.id}
            )
        self.assertNotIn(self.learner.partner_id, self._members(self.hidden_course))

    def test_officer_enrols_in_open_courses(self):
        plan = (
            self.env["slide.learning.plan"]
            .with_user(self.officer)
            .create(
                {
                    "name": "Open path",
                    "channel_ids": [Command.set(self.open_course.ids)],
                }
            )
        )
        enrollment = self.Enrollment.create(
            {"plan_id": plan.id, "partner_id": self.learner.partner_id.id}
        )
        self.assertEqual(enrollment.plan_id, plan)
        self.assertIn(self.learner.partner_id, self._members(self.open_course))

    def test_course_editor_enrols_in_their_invite_only_course(self):
        teacher = mail_new_test_user(
            self.env,
            login="teacher_officer",
            name="Theo",
            groups=ELEARNING_OFFICER
            + ",certifications_retraining.group_certification_officer",
        )
        self.invite_course.user_id = teacher
        plan = make_learning_plan(self.env, self.open_course + self.invite_course)
        self.env["slide.learning.plan.partner"].with_user(teacher).create(
            {"plan_id": plan.id, "partner_id": self.learner.partner_id.id}
        )
        self.assertIn(self.learner.partner_id, self._members(self.invite_course))

    def test_renew_now_through_a_plan_still_enrols(self):
        """Renew now enrols as superuser once the renewal was checked: an
        invite-only course of a plan offered for renewal is no obstacle."""
        program = make_program(self.env, name="Path Cert", allow_retake=True)
        plan = make_learning_plan(
            self.env,
            self.open_course + self.invite_course,
            certification_program_id=program.id,
        )
        award = self.env["certification.award"]._issue_awards(
            [{"program_id": program.id, "partner_id": self.learner.partner_id.id}]
        )
        award.with_user(self.learner).action_start_renewal(plan)
        self.assertIn(self.learner.partner_id, self._members(self.invite_course))
        self.assertTrue(plan.enrollment_ids)
