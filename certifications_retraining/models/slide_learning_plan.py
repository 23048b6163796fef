# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).

from odoo import Command, _, api, fields, models

from ..compat import Constraint


class SlideLearningPlan(models.Model):
    _name = "slide.learning.plan"
    _description = "Learning Plan"
    _inherit = ["mail.thread", "mail.activity.mixin", "certification.item.mixin"]
    _order = "sequence, name, id"
    _certification_association_type = "learning_plan"
    _certification_item_field = "learning_plan_id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(
        copy=False, help="Used to address the learning plan from a CSV import."
    )
    description = fields.Html(translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10, aggregator=False)
    line_ids = fields.One2many(
        "slide.learning.plan.line", "plan_id", "Courses (ordered)", copy=True
    )
    channel_ids = fields.Many2many(
        "slide.channel",
        string="Courses",
        compute="_compute_channel_ids",
        inverse="_inverse_channel_ids",
        search="_search_channel_ids",
        help="The courses of the plan, in order.",
    )
    enrollment_ids = fields.One2many(
        "slide.learning.plan.partner", "plan_id", "Enrolments"
    )
    member_count = fields.Integer("Learners", compute="_compute_member_count")

    _code_uniq = Constraint("unique(code)", "A learning plan code must be unique.")

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("line_ids.sequence", "line_ids.channel_id")
    def _compute_channel_ids(self):
        for plan in self:
            plan.channel_ids = plan.line_ids.sorted(
                lambda l: (l.sequence, l.id)
            ).channel_id

    def _inverse_channel_ids(self):
        for plan in self:
            existing = plan.line_ids.channel_id
            wanted = plan.channel_ids
            commands = [
                Command.unlink(line.id)
                for line in plan.line_ids
                if line.channel_id not in wanted
            ]
            last = max(plan.line_ids.mapped("sequence"), default=0)
            commands += [
                Command.create({"channel_id": channel.id, "sequence": last + index})
                for index, channel in enumerate(wanted - existing, start=1)
            ]
            plan.line_ids = commands

    def _search_channel_ids(self, operator, value):
        return [("line_ids.channel_id", operator, value)]

    def _compute_member_count(self):
        counts = dict(
            self.env["slide.learning.plan.partner"]._read_group(
                [("plan_id", "in", self.ids)], ["plan_id"], ["__count"]
            )
        )
        for plan in self:
            plan.member_count = counts.get(plan, 0)

    # ------------------------------------------------------------
    # ENROLMENT
    # ------------------------------------------------------------

    def _action_add_members(self, partners):
        """Enrol ``partners`` into the plans of ``self`` and so into all of their
        courses. Archived enrolments are reactivated as new enrolments.
        Returns the enrolments. Called as superuser by "Renew now" once the
        renewal was checked (``certification.award.action_start_renewal``)."""
        Enrollment = self.env["slide.learning.plan.partner"]
        existing = Enrollment.with_context(active_test=False).search(
            [("plan_id", "in", self.ids), ("partner_id", "in", partners.ids)]
        )
        existing.filtered(lambda e: not e.active)._restart()
        known = {(e.plan_id.id, e.partner_id.id) for e in existing}
        created = Enrollment.create(
            [
                {"plan_id": plan.id, "partner_id": partner.id}
                for plan in self
                for partner in partners
                if (plan.id, partner.id) not in known
            ]
        )
        return existing + created

    def action_view_enrollments(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Learners of %(plan)s", plan=self.name),
            "res_model": "slide.learning.plan.partner",
            "view_mode": "list,form",
            "domain": [("plan_id", "=", self.id)],
            "context": {"default_plan_id": self.id},
        }

    # ------------------------------------------------------------
    # CERTIFICATION
    # ------------------------------------------------------------

    def _get_certification_status(self, partners):
        """{(plan, partner): {"is_completed", "is_expired"}}."""
        enrollments = (
            self.env["slide.learning.plan.partner"]
            # for awards the caller reads (renewal options): only two booleans
            # per (plan, learner) leave
            .sudo()
            .search([("plan_id", "in", self.ids), ("partner_id", "in", partners.ids)])
        )
        by_key = {(e.plan_id, e.partner_id): e for e in enrollments}
        now = fields.Datetime.now()
        status = {}
        for plan in self:
            for partner in partners:
                enrollment = by_key.get((plan, partner))
                deadline = enrollment and enrollment._get_enrollment_deadline()
                status[(plan, partner)] = {
                    "is_completed": bool(enrollment and enrollment.date_completed),
                    "is_expired": bool(deadline and deadline < now),
                }
        return status
