# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models

from ..compat import Constraint


class SlideLearningPlanLine(models.Model):
    _name = "slide.learning.plan.line"
    _description = "Learning Plan Course"
    _order = "plan_id, sequence, id"

    plan_id = fields.Many2one(
        "slide.learning.plan", required=True, index=True, ondelete="cascade"
    )
    channel_id = fields.Many2one(
        "slide.channel", "Course", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10, aggregator=False)

    _plan_channel_uniq = Constraint(
        "unique(plan_id, channel_id)",
        "A course appears once in a learning plan.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._check_channel_readable()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if "channel_id" in vals:
            self._check_channel_readable()
        return res

    def _check_channel_readable(self):
        """A plan holds only courses its author may read (enrolling in the plan
        enrols in them)."""
        self.channel_id.check_access("read")
