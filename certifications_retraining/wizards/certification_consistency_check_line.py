# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError


class CertificationConsistencyCheckLine(models.TransientModel):
    """One kind of problem found by the checker. Lines are written only by
    the checker (:meth:`certification.consistency.check._refresh_lines`):
    callers read them, and a fix re-runs the problem's own query."""

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

    @api.model_create_multi
    def create(self, vals_list):
        # the checker creates its lines as superuser after its own access check
        if not self.env.su:
            raise AccessError(_("Only the consistency checker writes its findings."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise AccessError(_("Only the consistency checker writes its findings."))
        return super().write(vals)

    def action_fix(self):
        """Fix this kind of problem on the awards of the line that the
        problem's query still finds (logged as ``fix``), then check again."""
        self.ensure_one()
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
