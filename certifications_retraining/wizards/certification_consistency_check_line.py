# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from ..models.certification_job import NO_ACTIVE_RECORD


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
    fix_summary = fields.Char("Fix", compute="_compute_fix_summary")

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

    def _compute_fix_summary(self):
        for line in self:
            line.fix_summary = line.is_fixable and line._get_fix_summary()

    def _get_fix_summary(self):
        """What the fix will do, in words: "Mark 1 award as expired"."""
        self.ensure_one()
        _ = self.env._
        awards = self.award_ids
        if self.code == "two_current":
            pairs = {(award.program_id, award.partner_id) for award in awards}
            count = len(awards) - len(pairs)
            return _("Archive %(count)s older award(s)", count=count)
        if self.code == "renewal_on_archived":
            count = len(awards.renewal_ids.filtered(lambda r: r.state == "open"))
            return _("Cancel %(count)s open renewal(s)", count=count)
        labels = dict(awards._fields["state"]._description_selection(self.env))
        now = fields.Datetime.now()
        groups = awards.grouped(lambda award: award._get_restored_state(now))
        return _(
            "Mark %(changes)s",
            changes=", ".join(
                _("1 award as %(state)s", state=labels[state].lower())
                if len(group) == 1
                else _(
                    "%(count)s awards as %(state)s",
                    count=len(group),
                    state=labels[state].lower(),
                )
                for state, group in groups.items()
            ),
        )

    def action_confirm_fix(self):
        """Ask before fixing, saying what the fix will do."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "name": self.message,
        }

    def action_fix(self):
        """Fix this kind of problem on its awards (logged as ``fix``), check
        again, and say what was done."""
        self.ensure_one()
        self.award_ids.check_access("write")
        summary = self.fix_summary
        # the problem's own query runs again: only what it still finds is fixed
        self.award_ids._fix_consistency(self.code)
        self.check_id.action_refresh()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Fixed: %(fix)s.", fix=summary),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_open_awards(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "certifications_retraining.certification_award_action"
        )
        action["domain"] = [("id", "in", self.award_ids.ids)]
        action["context"] = {**NO_ACTIVE_RECORD, "create": False}
        return action
