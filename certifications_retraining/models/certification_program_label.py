# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import _, api, fields, models


class CertificationProgram(models.Model):
    """Display labels of a certification, worded per number (singular or
    plural) so that lists, kanban cards and wizards never read "1 Years"."""

    _inherit = "certification.program"

    validity_label = fields.Char("Validity Text", compute="_compute_validity_label")
    award_count_label = fields.Char(compute="_compute_count_labels")
    item_count_label = fields.Char(compute="_compute_count_labels")
    channel_count = fields.Integer("Course Count", compute="_compute_item_counts")
    learning_plan_count = fields.Integer(compute="_compute_item_counts")

    @api.depends("validity_number", "validity_unit")
    def _compute_validity_label(self):
        for program in self:
            program.validity_label = program._get_validity_title()

    @api.depends("award_count", "item_count")
    def _compute_count_labels(self):
        for program in self:
            program.award_count_label = (
                _("1 learner awarded")
                if program.award_count == 1
                else _("%(count)s learners awarded", count=program.award_count)
            )
            program.item_count_label = (
                _("1 item")
                if program.item_count == 1
                else _("%(count)s items", count=program.item_count)
            )

    @api.depends("channel_ids", "learning_plan_ids")
    def _compute_item_counts(self):
        for program in self:
            program.channel_count = len(program.channel_ids)
            program.learning_plan_count = len(program.learning_plan_ids)

    def _get_validity_title(self):
        """The validity as a label starting a sentence: "Valid for 1 year",
        "Valid for 6 months", "Never expires"."""
        self.ensure_one()
        count = self.validity_number
        if not count:
            return _("Never expires")
        if count == 1:
            labels = {
                "days": _("Valid for 1 day"),
                "weeks": _("Valid for 1 week"),
                "months": _("Valid for 1 month"),
                "years": _("Valid for 1 year"),
            }
        else:
            labels = {
                "days": _("Valid for %(count)s days", count=count),
                "weeks": _("Valid for %(count)s weeks", count=count),
                "months": _("Valid for %(count)s months", count=count),
                "years": _("Valid for %(count)s years", count=count),
            }
        return labels[self.validity_unit]

    def action_view_learning_plans(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Learning Plans of %(program)s", program=self.name),
            "res_model": "slide.learning.plan",
            "view_mode": "list,form",
            "domain": [("certification_program_id", "=", self.id)],
            "context": {"default_certification_program_id": self.id},
        }
