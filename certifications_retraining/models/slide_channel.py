# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).

from odoo import _, fields, models

from ..compat import Constraint


class SlideChannel(models.Model):
    _name = "slide.channel"
    _inherit = ["slide.channel", "certification.item.mixin"]
    _certification_association_type = "course"
    _certification_item_field = "channel_id"

    code = fields.Char(
        "Course Code", copy=False, help="Used to address the course from a CSV import."
    )
    learning_plan_line_ids = fields.One2many(
        "slide.learning.plan.line", "channel_id", "Learning Plan Lines"
    )

    _code_uniq = Constraint("unique(code)", "A course code must be unique.")

    # ------------------------------------------------------------
    # CERTIFICATION
    # ------------------------------------------------------------

    def _get_certification_company(self):
        """A course published on one website belongs to that website's
        company."""
        self.ensure_one()
        return self.website_id.company_id

    def _get_certification_status(self, partners):
        """{(course, partner): {"is_completed", "is_expired"}}: completed courses,
        and courses whose enrolment validity is over. The validity of a learning
        plan the learner follows wins over the validity of its courses."""
        memberships = (
            self.env["slide.channel.partner"]
            # for awards the caller reads (renewal options): only two booleans
            # per (course, learner) leave
            .sudo()
            .search(
                [("channel_id", "in", self.ids), ("partner_id", "in", partners.ids)]
            )
        )
        by_key = {(m.channel_id, m.partner_id): m for m in memberships}
        plan_deadlines = self._get_plan_enrollment_deadlines(partners)
        now = fields.Datetime.now()
        status = {}
        for channel in self:
            for partner in partners:
                key = (channel, partner)
                membership = by_key.get(key)
                deadline = plan_deadlines.get(key)
                if key not in plan_deadlines and membership:
                    deadline = membership._get_enrollment_deadline()
                status[key] = {
                    "is_completed": bool(
                        membership and membership.member_status == "completed"
                    ),
                    "is_expired": bool(deadline and deadline < now),
                }
        return status

    def _get_plan_enrollment_deadlines(self, partners):
        """{(course, partner): deadline} from enrolments in learning plans that
        contain the course and carry an enrolment validity (the latest wins)."""
        enrollments = (
            self.env["slide.learning.plan.partner"]
            # same as above: deadlines of the learners of awards the caller reads
            .sudo()
            .search(
                [
                    ("partner_id", "in", partners.ids),
                    ("plan_id.line_ids.channel_id", "in", self.ids),
                    ("plan_id.enrollment_validity_days", ">", 0),
                ]
            )
        )
        deadlines = {}
        for enrollment in enrollments:
            deadline = enrollment._get_enrollment_deadline()
            for channel in enrollment.plan_id.channel_ids & self:
                key = (channel, enrollment.partner_id)
                deadlines[key] = max(deadline, deadlines.get(key, deadline))
        return deadlines

    def action_view_certification(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Certification"),
            "res_model": "certification.program",
            "res_id": self.certification_program_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------
    # COURSE PAGE: the learner's certification on the course
    # ------------------------------------------------------------

    def _get_certification_page_values(self):
        """What the course page shows about the certification the course earns:
        its name, its validity and, once the visitor completed the course and
        holds a current award of it, the link to that award in the portal."""
        self.ensure_one()
        # the course page is readable by the visitor (website_slides checked it);
        # public visitors cannot read certifications: only plain values leave
        program = self.sudo().certification_program_id
        if not program:
            return {}
        validity = program._get_validity_label()
        award = self.env["certification.award"]
        user = self.env.user
        if self.completed and not user._is_public():
            award = award.search(
                [
                    ("program_id", "=", program.id),
                    ("partner_id", "=", user.partner_id.id),
                    ("state", "!=", "archived"),
                ],
                limit=1,
            )
        return {
            "program_name": program.name,
            "validity": validity,
            "award_url": award.access_url if award else False,
        }

    def _get_certification_renewal_banner(self):
        """The banner of the course page while the visitor renews a
        certification through this course or a learning plan holding it:
        "You are renewing X: complete this course to renew it", or False."""
        self.ensure_one()
        user = self.env.user
        if user._is_public():
            return False
        # renewals are officers' records: the domain keeps the visitor's own
        renewals = (
            self.env["certification.renewal"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", user.partner_id.id),
                    ("state", "=", "open"),
                    "|",
                    ("channel_id", "=", self.id),
                    ("learning_plan_id.line_ids.channel_id", "=", self.id),
                ],
                limit=1,
            )
        )
        if not renewals:
            return False
        if renewals.channel_id:
            return _(
                "You are renewing %(program)s: complete this course to renew it.",
                program=renewals.program_id.name,
            )
        return _(
            "You are renewing %(program)s: complete the learning plan %(plan)s to "
            "renew it.",
            program=renewals.program_id.name,
            plan=renewals.learning_plan_id.name,
        )
