# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models

from .certification_owned_defaults_mixin import reset_to_field_defaults


class SlideChannelPartner(models.Model):
    _inherit = "slide.channel.partner"

    date_enrolled = fields.Datetime(
        "Enrolled On",
        default=fields.Datetime.now,
        help="Start of the enrolment validity; reset when the course is retaken.",
    )
    date_completed = fields.Datetime(
        "Completed On", help="First completion since the last enrolment or retake."
    )

    def _add_missing_default_values(self, values):
        """The enrolment and completion dates are the server's. Joining a
        course creates the membership in the learner's name (as superuser,
        their personal ``ir.default`` rows still apply): a completion dated by
        the learner would date the award it issues."""
        return reset_to_field_defaults(
            self,
            super()._add_missing_default_values(values),
            values,
            ("date_enrolled", "date_completed"),
        )

    def _get_enrollment_deadline(self):
        self.ensure_one()
        return self.channel_id._get_enrollment_deadline_from(
            self.date_enrolled or self.create_date
        )

    def _post_completion_update_hook(self, completed=True):
        """A course was finished: date the completion, complete the learning plans
        it finishes, and issue (or renew) the certifications they earn."""
        res = super()._post_completion_update_hook(completed=completed)
        if not completed:
            return res
        self.filtered(
            lambda m: not m.date_completed
        ).date_completed = fields.Datetime.now()
        # website_slides recorded the completion of these memberships (the
        # learner's own): the one door issues what it earns
        Award = self.env["certification.award"].sudo()
        Award._process_item_completion(
            [(m.partner_id, m.channel_id, m.date_completed) for m in self]
        )
        # same completion: the learner's plans containing these courses
        self.env["slide.learning.plan.partner"].sudo()._check_plan_completion(self)
        return res
