# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class CertificationConsistencyCheckLine(models.TransientModel):
    _name = "certification.consistency.check.line"
    _description = "Certification Consistency Problem"

    check_id = fields.Many2one(
        "certification.consistency.check", required=True, ondelete="cascade"
    )
    code = fields.Char(required=True, readonly=True)
    message = fields.Char("Problem", readonly=True)
    award_ids = fields.Many2many("certification.award", string="Awards", readonly=True)
    award_count = fields.Integer("Number of Awards", compute="_compute_award_count")
    is_fixable = fields.Boolean("Fixable", readonly=True)

    def _compute_award_count(self):
        for line in self:
            line.award_count = len(line.award_ids)

    def action_fix(self):
        """Fix this kind of problem on its awards (logged as ``fix``), then
        check again."""
        self.ensure_one()
        self.award_ids.check_access("write")
        if self.is_fixable:
            self.award_ids._fix_consistency(self.code)
        return self.check_id.action_refresh()

    def action_open_awards(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "certifications_retraining.certification_award_action"
        )
        action["domain"] = [("id", "in", self.award_ids.ids)]
        action["context"] = {"create": False}
        return action
