# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


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

    _sql_constraints = [
        (
            "plan_channel_uniq",
            "unique(plan_id, channel_id)",
            "A course appears once in a learning plan.",
        )
    ]
