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

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if "line_ids" in fields_list:
            res["line_ids"] = self._prepare_line_commands()
        return res

    @api.model
    def _prepare_line_commands(self):
        self.env["certification.award"].check_access("write")
        return [
            Command.create(
                {
                    "code": problem["code"],
                    "message": problem["message"],
                    "award_ids": [Command.set(problem["award_ids"])],
                    "is_fixable": problem["fixable"],
                }
            )
            for problem in self.env["certification.award"]._check_consistency()
        ]

    def _compute_display_name(self):
        self.display_name = self.env._("Consistency Check")

    @api.model
    def action_open(self):
        """The menu's entry: a saved check (no "New", nothing to save)."""
        return self.create({})._reopen()

    def action_refresh(self):
        """Check again in place: the form reloads (no new breadcrumb)."""
        self.ensure_one()
        self.line_ids.unlink()
        self.write({"line_ids": self._prepare_line_commands()})
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
