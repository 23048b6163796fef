# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class CertificationProgramAssign(models.TransientModel):
    _name = "certification.program.assign"
    _description = "Assign Items to a Certification"

    program_id = fields.Many2one(
        "certification.program", required=True, ondelete="cascade"
    )
    channel_ids = fields.Many2many("slide.channel", string="Courses")
    learning_plan_ids = fields.Many2many("slide.learning.plan", string="Learning Plans")
    reassigned_warning = fields.Char(compute="_compute_reassigned_warning")

    @api.depends("channel_ids", "learning_plan_ids", "program_id")
    def _compute_reassigned_warning(self):
        for wizard in self:
            names = [
                item.display_name
                for items in (wizard.channel_ids, wizard.learning_plan_ids)
                # administrators pick items they may not read: only the name and
                # the current certification of the picked items are shown
                for item in items.sudo()
                if item.certification_program_id
                and item.certification_program_id != wizard.program_id
            ]
            wizard.reassigned_warning = names and _(
                "An item carries one certification: %(items)s will move to this one.",
                items=", ".join(names),
            )

    def action_assign(self):
        self.ensure_one()
        if not self.channel_ids and not self.learning_plan_ids:
            raise UserError(_("Pick at least one course or learning plan."))
        self.program_id.write(
            {
                "channel_ids": [(4, channel.id) for channel in self.channel_ids],
                "learning_plan_ids": [(4, plan.id) for plan in self.learning_plan_ids],
            }
        )
        return {"type": "ir.actions.act_window_close"}
