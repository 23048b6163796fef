# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Factories shared by the tests of this addon (and of addons extending it).

Import helpers from here, never test classes: a test class imported in another
test module is collected (and run) twice."""

from lxml import etree

from odoo import Command
from odoo.tests import TransactionCase

from odoo.addons.mail.tests.common import mail_new_test_user


def make_officer(env, login="cert_officer", **kwargs):
    return mail_new_test_user(
        env,
        login=login,
        groups="base.group_user,certifications_retraining.group_certification_officer",
        name=kwargs.pop("name", "Olivia Officer"),
        **kwargs,
    )


def make_manager(env, login="cert_manager", **kwargs):
    return mail_new_test_user(
        env,
        login=login,
        groups="base.group_user,certifications_retraining.group_certification_manager",
        name=kwargs.pop("name", "Mona Manager"),
        **kwargs,
    )


def make_portal_learner(env, login="learner_portal", **kwargs):
    return mail_new_test_user(
        env,
        login=login,
        groups="base.group_portal",
        name=kwargs.pop("name", "Paula Portal"),
        **kwargs,
    )


def make_internal_learner(env, login="learner_internal", **kwargs):
    return mail_new_test_user(
        env,
        login=login,
        groups="base.group_user",
        name=kwargs.pop("name", "Ivan Internal"),
        **kwargs,
    )


def make_program(env, name="Forklift Operator", **kwargs):
    vals = {"name": name, "validity_number": 1, "validity_unit": "years"}
    vals.update(kwargs)
    return env["certification.program"].create(vals)


def make_course(env, name="Forklift Basics", lessons=2, **kwargs):
    """A published public course with ``lessons`` published lessons."""
    vals = {
        "name": name,
        "enroll": "public",
        "visibility": "public",
        "is_published": True,
        "slide_ids": [
            Command.create(
                {
                    "name": f"{name} - lesson {index}",
                    "slide_category": "document",
                    "is_published": True,
                }
            )
            for index in range(1, lessons + 1)
        ],
    }
    vals.update(kwargs)
    return env["slide.channel"].create(vals)


def make_learning_plan(env, courses, name="Warehouse Path", **kwargs):
    vals = {"name": name, "channel_ids": [Command.set(courses.ids)]}
    vals.update(kwargs)
    return env["slide.learning.plan"].create(vals)


def enroll(course, user):
    return course.sudo()._action_add_members(user.partner_id)


def complete_course(course, user):
    """The learner completes every lesson of the course, as themself."""
    course.sudo()._action_add_members(user.partner_id)
    slides = course.with_user(user).slide_ids.filtered(lambda s: not s.is_category)
    slides._action_mark_completed()
    return course.sudo().channel_partner_all_ids.filtered(
        lambda m: m.partner_id == user.partner_id
    )


def current_award(env, program, partner):
    return env["certification.award"].search(
        [
            ("program_id", "=", program.id),
            ("partner_id", "=", partner.id),
            ("state", "!=", "archived"),
        ]
    )


class CertificationCase(TransactionCase):
    """Base class: a program, a two-lesson course linked to it, users per role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.officer = make_officer(cls.env)
        cls.manager = make_manager(cls.env)
        cls.learner = make_portal_learner(cls.env)
        cls.employee_learner = make_internal_learner(cls.env)
        cls.program = make_program(cls.env, code="FORK")
        cls.course = make_course(cls.env, code="FORK-101")
        cls.course.certification_program_id = cls.program


class AwardViewsCase(CertificationCase):
    """Base class of the view tests: the learner's award, and a view's arch as
    the web client receives it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Award = cls.env["certification.award"]
        cls.award = cls.Award._issue_awards(
            [{"program_id": cls.program.id, "partner_id": cls.learner.partner_id.id}]
        )

    def arch(self, model, view_type, xmlid=None):
        view_id = self.env.ref(xmlid).id if xmlid else False
        views = self.env[model].get_views([(view_id, view_type)])
        return etree.fromstring(views["views"][view_type]["arch"])
