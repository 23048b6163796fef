# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import Command, api, fields, models


class CertificationConsistencyCheck(models.TransientModel):
    """Lists what ``certification.award._check_consistency`` finds, one line
    per kind of problem, with a one-click fix where the fix is certain."""

    _name = "certification.consistency.check"
    _description = "Certification Consistency Check"

    line_ids = fields.One2many(
        "certification.consistency.check.line", "check_id", "Problems"
    )
    problem_count = fields.Integer(compute="_compute_problem_count")

    @api.depends("line_ids")
    def _compute_problem_count(self):
        for check in self:
            check.problem_count = len(check.line_ids)

    @api.model_create_multi
    def create(self, vals_list):
        """The lines are the checker's findings, never the caller's: given
        lines are ignored and found again."""
        checks = super().create([dict(vals, line_ids=[]) for vals in vals_list])
        for check in checks:
            check._refresh_lines()
        return checks

    @api.model
    def _prepare_line_vals(self):
        self.env["certification.award"].check_access("write")
        return [
            {
                "code": problem["code"],
                "message": problem["message"],
                "award_ids": [Command.set(problem["award_ids"])],
                "is_fixable": problem["fixable"],
            }
            for problem in self.env["certification.award"]._check_consistency()
        ]

    def _refresh_lines(self):
        """Replace the lines by what the checker finds now."""
        self.ensure_one()
        vals_list = self._prepare_line_vals()
        # the caller may write awards (checked just above): the lines are the
        # checker's own findings, written for them
        Line = self.env["certification.consistency.check.line"].sudo()
        self.line_ids.sudo().unlink()
        Line.create([dict(vals, check_id=self.id) for vals in vals_list])

    def _compute_display_name(self):
        self.display_name = self.env._("Consistency Check")

    @api.model
    def action_open(self):
        """The menu's entry: a saved check (no "New", nothing to save)."""
        return self.create({})._reopen()

    def action_refresh(self):
        """Check again in place: the form reloads (no new breadcrumb)."""
        self.ensure_one()
        self._refresh_lines()
        return True

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "name": self.env._("Consistency Check"),
        }
