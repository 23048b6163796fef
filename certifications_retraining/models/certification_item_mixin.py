# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import timedelta

from odoo import api, fields, models


class CertificationItemMixin(models.AbstractModel):
    """What courses and learning plans share as items earning a certification:
    the link, the moment it was made (completions before it earn nothing), the
    enrolment validity and the values of the award a completion issues."""

    _name = "certification.item.mixin"
    _description = "Item Earning a Certification"

    # Set by each item model: the award's association type and item field.
    _certification_association_type = None
    _certification_item_field = None

    certification_program_id = fields.Many2one(
        "certification.program",
        "Certification",
        index="btree_not_null",
        ondelete="set null",
        tracking=True,
        help="Completing this item earns this certification.",
    )
    certification_assigned_on = fields.Datetime(
        readonly=True,
        copy=False,
        help="Completions before this moment do not earn the certification.",
    )
    enrollment_validity_days = fields.Integer(
        "Enrolment Validity",
        aggregator=False,
        help="Days after enrolment during which the learner may use this item to "
        "renew a certification (a learning plan's validity wins over its "
        "courses'). 0 means no limit.",
    )

    _sql_constraints = [
        (
            "enrollment_validity_days_positive",
            "CHECK(enrollment_validity_days >= 0)",
            "The enrolment validity cannot be negative.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        for vals in vals_list:
            if vals.get("certification_program_id"):
                vals["certification_assigned_on"] = now
        return super().create(vals_list)

    def write(self, vals):
        if "certification_program_id" in vals:
            vals = dict(
                vals,
                certification_assigned_on=vals["certification_program_id"]
                and fields.Datetime.now(),
            )
        return super().write(vals)

    def _is_completion_after_assignment(self, completed_on):
        self.ensure_one()
        return bool(
            completed_on
            and self.certification_assigned_on
            and completed_on >= self.certification_assigned_on
        )

    def _prepare_certification_award_vals(self, partner, completed_on):
        """Hook: the values of the award that completing this item issues."""
        self.ensure_one()
        return {
            "program_id": self.certification_program_id.id,
            "partner_id": partner.id,
            "association_type": self._certification_association_type,
            self._certification_item_field: self.id,
            "date_issued": completed_on or fields.Datetime.now(),
        }

    def _get_enrollment_deadline_from(self, date_enrolled):
        self.ensure_one()
        if not self.enrollment_validity_days or not date_enrolled:
            return False
        return date_enrolled + timedelta(days=self.enrollment_validity_days)
