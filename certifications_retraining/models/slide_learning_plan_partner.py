# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models

from .. import compat
from ..compat import Constraint


class SlideLearningPlanPartner(models.Model):
    _name = "slide.learning.plan.partner"
    _description = "Learning Plan Enrolment"
    # created in the learner's name ("Renew now", enrolment): the learner's
    # personal defaults would date it, and the plan counts the courses
    # completed since that date
    _inherit = ["certification.owned.defaults.mixin"]
    _order = "date_enrolled desc, id desc"
    _rec_name = "partner_id"

    plan_id = fields.Many2one(
        "slide.learning.plan",
        "Learning Plan",
        required=True,
        index=True,
        ondelete="cascade",
    )
    partner_id = fields.Many2one(
        "res.partner", "Learner", required=True, index=True, ondelete="cascade"
    )
    active = fields.Boolean(default=True)
    date_enrolled = fields.Datetime(
        "Enrolled On", required=True, default=fields.Datetime.now
    )
    date_completed = fields.Datetime("Completed On")
    state = fields.Selection(
        [("ongoing", "Ongoing"), ("completed", "Completed")],
        compute="_compute_state",
        store=True,
    )

    _plan_partner_uniq = Constraint(
        "unique(plan_id, partner_id)",
        "A learner is enrolled once in a learning plan.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        enrollments = super().create(vals_list)
        enrollments._enroll_in_courses()
        return enrollments

    def _enroll_in_courses(self):
        """Enrol the learners in the courses of their plans, with the caller's
        rights: the caller must read each course, and eLearning's own rule
        (``_filter_add_members``: anyone adds members to a course open to
        enrolment, only its editors to an invite-only course) must let them."""
        for plan, enrollments in self.grouped("plan_id").items():
            courses = plan.channel_ids
            courses.check_access("read")
            compat.filter_add_members(
                courses, enrollments.partner_id, raise_on_access=True
            )
            # checked just above: the caller reads these courses and eLearning's
            # invite rule lets them add members (it subscribes the learners as
            # followers, which needs the course's write access)
            courses.sudo()._action_add_members(enrollments.partner_id)

    def _restart(self):
        """A new enrolment in the same plan: new dates, courses enrolled again."""
        self.write(
            {
                "active": True,
                "date_enrolled": fields.Datetime.now(),
                "date_completed": False,
            }
        )
        self._enroll_in_courses()

    @api.depends("date_completed")
    def _compute_state(self):
        for enrollment in self:
            enrollment.state = "completed" if enrollment.date_completed else "ongoing"

    def _get_enrollment_deadline(self):
        self.ensure_one()
        return self.plan_id._get_enrollment_deadline_from(self.date_enrolled)

    def _is_finished(self, completed_on):
        """Every course of the plan completed since enrolling in it
        (``completed_on``: {(partner, course): completion datetime})."""
        self.ensure_one()
        channels = self.plan_id.channel_ids
        return bool(channels) and all(
            completed_on.get((self.partner_id, channel))
            and completed_on[(self.partner_id, channel)] >= self.date_enrolled
            for channel in channels
        )

    @api.model
    def _check_plan_completion(self, memberships):
        """Courses were completed (``memberships``): complete the enrolments of
        their learners in plans containing them, when every course of the plan
        was completed after enrolling in the plan."""
        enrollments = self.search(
            [
                ("partner_id", "in", memberships.partner_id.ids),
                ("plan_id.line_ids.channel_id", "in", memberships.channel_id.ids),
                ("date_completed", "=", False),
            ]
        )
        return self._check_plan_completion_of(enrollments)

    @api.model
    def _check_plan_completion_of(self, enrollments):
        """Called as superuser from the course completion hook."""
        enrollments = enrollments.filtered(lambda e: not e.date_completed)
        if not enrollments:
            return self.browse()
        done = self.env["slide.channel.partner"].search(
            [
                ("partner_id", "in", enrollments.partner_id.ids),
                ("channel_id", "in", enrollments.plan_id.channel_ids.ids),
                ("member_status", "=", "completed"),
            ]
        )
        completed_on = {(m.partner_id, m.channel_id): m.date_completed for m in done}
        finished = enrollments.filtered(lambda e: e._is_finished(completed_on))
        if not finished:
            return finished
        now = fields.Datetime.now()
        finished.write({"date_completed": now})
        self.env["certification.award"]._process_item_completion(
            [(e.partner_id, e.plan_id, now) for e in finished]
        )
        return finished
