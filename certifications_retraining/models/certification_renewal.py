# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.db_errors import translate_unique_violation
from .certification_server_record_mixin import creating_server_records


class CertificationRenewal(models.Model):
    """A learner started renewing an award through an item ("Renew now").

    Short-lived: open until the item is completed (then ``done``, with the new
    award) or replaced by another renewal (``cancelled``). It also keeps the
    dates of the enrolment it reset, since ``slide.channel.partner`` is unique per
    course and learner and is reused by the retake."""

    _name = "certification.renewal"
    _description = "Certification Renewal"
    _inherit = ["certification.owned.defaults.mixin"]
    _order = "date_started desc, id desc"
    _rec_name = "award_id"

    award_id = fields.Many2one(
        "certification.award", required=True, index=True, ondelete="cascade"
    )
    program_id = fields.Many2one(related="award_id.program_id", store=True, index=True)
    partner_id = fields.Many2one(related="award_id.partner_id", store=True, index=True)
    channel_id = fields.Many2one("slide.channel", "Course", ondelete="cascade")
    learning_plan_id = fields.Many2one("slide.learning.plan", ondelete="cascade")
    date_started = fields.Datetime(
        "Started On", required=True, default=fields.Datetime.now
    )
    state = fields.Selection(
        [("open", "In Progress"), ("done", "Renewed"), ("cancelled", "Cancelled")],
        default="open",
        required=True,
        index=True,
    )
    new_award_id = fields.Many2one(
        "certification.award", compute="_compute_new_award_id"
    )
    is_retake = fields.Boolean(readonly=True)
    previous_date_enrolled = fields.Datetime("Previous Enrolment", readonly=True)
    previous_date_completed = fields.Datetime("Previous Completion", readonly=True)
    previous_completion = fields.Integer(
        "Previous Progress (%)", readonly=True, aggregator=False
    )

    def init(self):
        # At most one open renewal per award: two "Renew now" at once give one.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS certification_renewal_open_uniq "
                "ON certification_renewal (award_id) WHERE state = 'open'"
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        with translate_unique_violation(
            self.env, "certification_renewal_open_uniq", self._error_already_renewing
        ):
            return super().create(vals_list)

    @api.depends("state", "award_id.next_award_ids")
    def _compute_new_award_id(self):
        for renewal in self:
            renewal.new_award_id = (
                renewal.state == "done" and renewal.award_id.next_award_ids[:1]
            )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _start(self, award, item):
        """Open a renewal of ``award`` through ``item`` (a course or a learning
        plan), retaking the item when the learner completed it already."""
        previous = self.search([("award_id", "=", award.id), ("state", "=", "open")])
        previous.write({"state": "cancelled"})
        previous.flush_recordset(["state"])  # before the new open one is inserted
        vals = {"award_id": award.id}
        if item._name == "slide.channel":
            vals.update(
                channel_id=item.id, **self._restart_course(item, award.partner_id)
            )
        else:
            vals.update(
                learning_plan_id=item.id, **self._restart_plan(item, award.partner_id)
            )
        return self.create(vals)

    @api.model
    def _error_already_renewing(self):
        return UserError(
            _(
                "A renewal of this certification was started at the same moment "
                "(a second click?). Reload the page to follow it."
            )
        )

    @api.model
    def _restart_course(self, channel, partner):
        """Enrol the learner in the course again. A completed enrolment is
        archived here (its dates), its progress reset, and the row reused: Odoo
        re-activates it and recomputes completion. Odoo's enrolment mail is sent."""
        membership = (
            self.env["slide.channel.partner"]
            .with_context(active_test=False)
            .search([("channel_id", "=", channel.id), ("partner_id", "=", partner.id)])
        )
        archive = {}
        if membership and membership.member_status == "completed":
            archive = {
                "is_retake": True,
                "previous_date_enrolled": membership.date_enrolled
                or membership.create_date,
                "previous_date_completed": membership.date_completed,
                "previous_completion": membership.completion,
            }
            self._reset_progress(channel, partner)
            membership.write(
                {
                    "active": False,
                    "date_completed": False,
                    "date_enrolled": fields.Datetime.now(),
                }
            )
        memberships = channel._action_add_members(partner)
        self._send_enroll_mail(memberships)
        return archive

    @api.model
    def _restart_plan(self, plan, partner):
        enrollment = (
            self.env["slide.learning.plan.partner"]
            .with_context(active_test=False)
            .search([("plan_id", "=", plan.id), ("partner_id", "=", partner.id)])
        )
        archive = {}
        if enrollment and enrollment.date_completed:
            archive = {
                "is_retake": True,
                "previous_date_enrolled": enrollment.date_enrolled,
                "previous_date_completed": enrollment.date_completed,
                "previous_completion": 100,
            }
            for channel in plan.channel_ids:
                self._restart_course(channel, partner)
            enrollment.write({"active": False})
        plan._action_add_members(partner)
        return archive

    @api.model
    def _reset_progress(self, channel, partner):
        self.env["slide.slide.partner"].search(
            [
                ("channel_id", "=", channel.id),
                ("partner_id", "=", partner.id),
                ("completed", "=", True),
            ]
        ).write({"completed": False, "quiz_attempts_count": 0})

    @api.model
    def _send_enroll_mail(self, memberships):
        template = self.env.ref(
            "website_slides.mail_template_slide_channel_enroll",
            raise_if_not_found=False,
        )
        if not template:
            return
        with creating_server_records():  # no default of the learner's
            for membership in memberships:
                template.send_mail(
                    membership.id,
                    email_values={
                        "recipient_ids": [Command.link(membership.partner_id.id)]
                    },
                    email_layout_xmlid="mail.mail_notification_light",
                )

    @api.model
    def _get_open_renewals(self, keys):
        """{(program_id, partner_id): renewal} of the open renewals for ``keys``."""
        renewals = self.search(
            [
                ("state", "=", "open"),
                ("program_id", "in", list({k[0] for k in keys})),
                ("partner_id", "in", list({k[1] for k in keys})),
            ],
            order="date_started, id",
        )
        return {
            (r.program_id.id, r.partner_id.id): r
            for r in renewals
            if (r.program_id.id, r.partner_id.id) in keys
        }

    def _close(self):
        """The renewals in ``self`` were completed: the new awards point back to
        their awards through ``previous_award_id``."""
        self.write({"state": "done"})
