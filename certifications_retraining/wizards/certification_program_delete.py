# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from ..models.certification_job import NO_ACTIVE_RECORD


class CertificationProgramDelete(models.TransientModel):
    _name = "certification.program.delete"
    _description = "Delete a Certification"

    program_id = fields.Many2one(
        "certification.program", required=True, ondelete="cascade"
    )
    award_count = fields.Integer(compute="_compute_award_count")
    warning = fields.Char(compute="_compute_award_count")

    @api.depends("program_id")
    def _compute_award_count(self):
        counts = dict(
            self.env["certification.award"]._read_group(
                [("program_id", "in", self.program_id.ids)], ["program_id"], ["__count"]
            )
        )
        for wizard in self:
            count = counts.get(wizard.program_id, 0)
            wizard.award_count = count
            awards = (
                _("its award") if count == 1 else _("its %(count)s awards", count=count)
            )
            wizard.warning = _(
                "Deleting %(program)s also deletes %(awards)s (history "
                "included) and unassigns its courses and learning plans. This cannot "
                "be undone. Archiving keeps everything and hides the certification.",
                program=wizard.program_id.name,
                awards=awards,
            )

    def action_archive_program(self):
        self.program_id.action_archive()
        return {"type": "ir.actions.act_window_close"}

    def action_delete_program(self):
        if not self.env.user.has_group(
            "certifications_retraining.group_certification_manager"
        ):
            raise AccessError(
                _("Only certification administrators can delete certifications.")
            )
        self.program_id.unlink()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "certifications_retraining.certification_program_action"
        )
        action["context"] = dict(NO_ACTIVE_RECORD)
        return action
