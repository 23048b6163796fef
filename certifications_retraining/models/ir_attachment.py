# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import _, api, models
from odoo.exceptions import AccessError

from .. import compat

PROOF_MODEL = "certification.external.training"


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self._check_training_proofs_frozen(vals_list)
        attachments = super().create(vals_list)
        attachments._check_certification_proofs()
        return attachments

    def write(self, vals):
        if not self.env.su:
            self._check_training_proofs_frozen([vals])
        res = super().write(vals)
        if {"res_model", "raw", "datas", "db_datas", "url", "type"} & set(vals):
            self._check_certification_proofs()
        return res

    @api.model
    def _create_unindexed(self, vals):
        """Create an attachment whose content is stored but never copied into
        the search index (``index_content`` keeps only the kind of file, as
        for any binary): the input file of a certification job, read by the
        job, never searched by content, where indexing would copy a
        100,000-row CSV into the database once more (and its words into
        memory several times). Odoo indexes the words of a text file on
        create: the content is stored under a binary type, which has none to
        index, then the real type is set."""
        mimetype = vals.get("mimetype") or "application/octet-stream"
        attachment = self.create(dict(vals, mimetype="application/octet-stream"))
        attachment.write(
            {"mimetype": mimetype, "index_content": mimetype.split("/")[0]}
        )
        return attachment

    def _is_readable_by_caller(self):
        """Whether the current user may read these attachments (ir.attachment's
        own check: the record they belong to, or their creator for loose files;
        ``check_access`` does not look at it)."""
        try:
            compat.check_attachment_read(self)
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

    def unlink(self):
        if not self.env.su:
            self._check_training_proofs_frozen([])
        return super().unlink()

    def _check_training_proofs_frozen(self, vals_list):
        """The proofs of a submitted or approved external training are frozen
        for learners: they cannot add, replace or remove them (``self``: the
        attachments changed or removed, ``vals_list``: the values written or
        created)."""
        if self.env.user.has_group(
            "certifications_retraining.group_certification_officer"
        ):
            return
        training_ids = {
            vals.get("res_id")
            for vals in vals_list
            if vals.get("res_model") == PROOF_MODEL
        }
        if self:
            # reads the links of the attachments being changed, whatever the
            # caller may read: the result only refuses more
            attachments = self.sudo()
            training_ids.update(
                a.res_id for a in attachments if a.res_model == PROOF_MODEL
            )
            # likewise, which activities link them (the caller's are checked)
            linking = self.env[PROOF_MODEL].sudo()
            training_ids.update(
                linking.search([("attachment_ids", "in", self.ids)]).ids
            )
        # only the state of those activities is read, to refuse the change
        trainings = self.env[PROOF_MODEL].sudo().browse(training_ids - {0, None})
        if trainings.exists().filtered(lambda t: t.state in ("submitted", "approved")):
            raise AccessError(
                _(
                    "The proofs of a submitted or approved external training "
                    "cannot be changed."
                )
            )
