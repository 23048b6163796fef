# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models
from odoo.exceptions import AccessError

PROOF_MODEL = "certification.external.training"


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.model_create_multi
    def create(self, vals_list):
        attachments = super().create(vals_list)
        attachments._check_certification_proofs()
        return attachments

    def write(self, vals):
        res = super().write(vals)
        if {"res_model", "raw", "datas", "db_datas", "url", "type"} & set(vals):
            self._check_certification_proofs()
        return res

    def _is_readable_by_caller(self):
        """Whether the current user may read these attachments (ir.attachment's
        own check: the record they belong to, or their creator for loose files;
        ``check_access`` does not look at it)."""
        try:
            self.check("read")
        except AccessError:
            return False
        return True

    def _check_certification_proofs(self):
        """Files attached to an external training (back office upload, chatter,
        portal) are proofs: PDF or images of at most 10 MB, checked on content."""
        # only the model of the attachments just written by the caller is read
        proofs = self.sudo().filtered(
            lambda a: a.res_model == PROOF_MODEL and not a.res_field
        )
        if proofs:
            self.env[PROOF_MODEL]._check_proof_files(proofs)
