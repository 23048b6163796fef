# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import _, models
from odoo.exceptions import AccessError

TRAINING_MODEL = "certification.external.training"


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def check(self, mode, values=None):
        res = super().check(mode, values=values)
        if mode != "read" and not self.env.su:
            self._check_training_proofs_frozen(values)
        return res

    def _check_training_proofs_frozen(self, values):
        """The proofs of a submitted or approved external training are frozen
        for learners: they cannot add, replace or remove them."""
        if self.env.user.has_group(
            "certifications_retraining.group_certification_officer"
        ):
            return
        training_ids = set()
        if values and values.get("res_model") == TRAINING_MODEL:
            training_ids.add(values.get("res_id"))
        if self:
            # reads the links of the attachments being changed, whatever the
            # caller may read: the result only refuses more
            attachments = self.sudo()
            training_ids.update(
                a.res_id for a in attachments if a.res_model == TRAINING_MODEL
            )
            training_ids.update(
                self.env[TRAINING_MODEL]
                .sudo()
                .search([("attachment_ids", "in", self.ids)])
                .ids
            )
        trainings = self.env[TRAINING_MODEL].sudo().browse(training_ids - {0, None})
        if trainings.exists().filtered(lambda t: t.state in ("submitted", "approved")):
            raise AccessError(
                _(
                    "The proofs of a submitted or approved external training "
                    "cannot be changed."
                )
            )
