# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import math

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.mimetypes import guess_mimetype

from .. import compat
from ..compat import Constraint
from ..tools import schedule
from .certification_server_record_mixin import creating_server_records

# Proofs of external training: PDF and images, recognised on their content.
PROOF_MIMETYPES = (
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
)
PROOF_MAX_SIZE = 10 * 1024 * 1024

# Fields only certification officers write; learners use action_submit.
OFFICER_FIELDS = {"partner_id", "state", "rejection_reason"}
# States in which the learner may still edit their activity.
EDITABLE_STATES = ("draft", "rejected")


class CertificationExternalTraining(models.Model):
    _name = "certification.external.training"
    _description = "External Training Activity"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_completed desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char("Title", required=True, tracking=True)
    code = fields.Char(
        copy=False,
        help="Used to address the activity from a CSV import.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        "Learner",
        required=True,
        index=True,
        default=lambda self: self.env.user.partner_id,
        tracking=True,
    )
    training_type = fields.Selection(
        [
            ("course", "Course"),
            ("workshop", "Workshop"),
            ("conference", "Conference"),
            ("webinar", "Webinar"),
            ("certification", "Certification exam"),
            ("other", "Other"),
        ],
        "Type",
        required=True,
        default="course",
    )
    provider = fields.Char()
    date_completed = fields.Date("Completed On", required=True, tracking=True)
    hours = fields.Float()
    score = fields.Char(help="As given by the provider, e.g. 85% or Pass.")
    attachment_ids = fields.Many2many(
        "ir.attachment", string="Attachments", help="Certificate or proof."
    )
    certification_program_id = fields.Many2one(
        "certification.program",
        "Certification",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        help="Awarded to the learner when an officer approves the activity.",
    )
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, index=True
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
        ],
        default="draft",
        required=True,
        index=True,
        tracking=True,
    )
    rejection_reason = fields.Text(tracking=True)
    award_id = fields.Many2one("certification.award", compute="_compute_award_id")

    _hours_positive = Constraint("CHECK(hours >= 0)", "Hours cannot be negative.")

    def _compute_award_id(self):
        awards = self.env["certification.award"].search(
            [("external_training_id", "in", self.ids)], order="id"
        )
        by_training = {award.external_training_id: award for award in awards}
        for training in self:
            training.award_id = by_training.get(training._origin, False)

    @api.constrains("date_completed")
    def _check_date_completed(self):
        today = fields.Date.context_today(self)
        if any(training.date_completed > today for training in self):
            raise UserError(_("The completion date cannot be in the future."))

    @api.model_create_multi
    def create(self, vals_list):
        if self._is_officer():
            return super().create(vals_list)
        self._check_learner_create(vals_list)
        trainings = super().create(vals_list)
        # Defaults apply after the values were checked: a ``default_state``
        # context key (any RPC caller sets it) or a personal ``ir.default``
        # would fill the state, the learner or the reason. Check what was made.
        trainings._check_learner_created()
        return trainings

    def write(self, vals):
        if not self._is_officer():
            self._check_learner_write(vals)
        return super().write(vals)

    @api.model
    def _check_learner_create(self, vals_list):
        """Learners report drafts, for themselves only."""
        own = self.env.user.partner_id.id
        for vals in vals_list:
            if (
                vals.get("partner_id", own) != own
                or vals.get("state", "draft") != "draft"
                or vals.get("rejection_reason")
            ):
                raise self._error_learner_create()

    def _check_learner_created(self):
        """What a learner created, defaults applied: drafts of their own, with
        no review outcome (submitting goes through action_submit, which
        schedules the officers' review)."""
        own = self.env.user.partner_id
        if self.filtered(
            lambda t: t.partner_id != own or t.state != "draft" or t.rejection_reason
        ):
            raise self._error_learner_create()

    @api.model
    def _error_learner_create(self):
        return AccessError(
            _(
                "You can only report a draft external training for "
                "yourself; it is reviewed by a certification officer."
            )
        )

    def _check_learner_write(self, vals):
        """Learners edit the description (and proofs) of their drafts and
        rejected activities; the learner, the state and the rejection reason
        are officers' fields (submitting goes through action_submit)."""
        officer_fields = set(vals) & OFFICER_FIELDS
        if officer_fields:
            raise AccessError(
                _(
                    "Only certification officers can change %(fields)s of an "
                    "external training.",
                    fields=", ".join(
                        self._fields[name].string for name in sorted(officer_fields)
                    ),
                )
            )
        if self.filtered(lambda t: t.state not in EDITABLE_STATES):
            raise UserError(
                _("Only certification officers can change a submitted activity.")
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_submit(self):
        self.check_access("write")
        if self.filtered(lambda t: t.state not in EDITABLE_STATES):
            raise UserError(_("Only draft or rejected activities can be submitted."))
        # write access and draft/rejected state checked just above
        self.sudo().write({"state": "submitted", "rejection_reason": False})
        self._schedule_review_activity()
        return True

    def action_approve(self):
        self._check_officer()
        if self.filtered(lambda t: t.state != "submitted"):
            raise UserError(_("Only submitted activities can be approved."))
        self.write({"state": "approved"})
        self.activity_feedback(["mail.mail_activity_data_todo"])
        awards = self.env["certification.award"]._issue_awards(
            [t._prepare_award_vals() for t in self.filtered("certification_program_id")]
        )
        notices = awards._get_filed_as_history_notices()
        if not notices:
            return True
        # the officer approved a record older than the learner's current award:
        # say so, the current award stays current
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "title": _("Approved"),
                "message": "\n".join(notices),
                "sticky": True,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_reject(self, reason=False):
        self._check_officer()
        if self.filtered(lambda t: t.state != "submitted"):
            raise UserError(_("Only submitted activities can be rejected."))
        self.write({"state": "rejected", "rejection_reason": reason})
        self.activity_feedback(["mail.mail_activity_data_todo"])
        return True

    def action_reset_to_draft(self):
        self._check_officer()
        self.filtered(lambda t: t.state == "rejected").write({"state": "draft"})
        return True

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _is_officer(self):
        return self.env.su or self.env.user.has_group(
            "certifications_retraining.group_certification_officer"
        )

    def _check_officer(self):
        if not self._is_officer():
            raise AccessError(
                _("Only certification officers can review external training.")
            )

    def _schedule_review_activity(self):
        group = self.env.ref("certifications_retraining.group_certification_officer")
        # action_submit checked the learner's write on their own activities;
        # only the officer to assign the review to is read
        officer = group.sudo()[compat.GROUP_USERS].filtered(lambda u: not u.share)[:1]
        if not officer:
            return
        # due today on the officer's calendar, not on the learner's (who may
        # already be a day ahead or behind)
        today = fields.Date.context_today(self.with_context(tz=officer.tz))
        # same check: learners cannot create activities for officers themselves;
        # made in the learner's name, it takes none of their personal defaults
        with creating_server_records():
            self.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=today,
                user_id=officer.id,
                summary=_("Review external training"),
            )

    def _get_date_issued(self):
        """The completion date, at 00:00 on the learner's calendar (the
        award's: the learner's timezone, else their company's, never the
        approving officer's), in UTC."""
        self.ensure_one()
        tz = self.env["certification.award"]._get_issue_tz(
            self.partner_id, self.certification_program_id
        )
        return schedule.local_midnight_utc(self.date_completed, tz)

    def _prepare_award_vals(self):
        self.ensure_one()
        return {
            "program_id": self.certification_program_id.id,
            "partner_id": self.partner_id.id,
            "association_type": "external_training",
            "external_training_id": self.id,
            "date_issued": self._get_date_issued(),
        }

    # ------------------------------------------------------------
    # UPLOADS: proof files and hours
    # ------------------------------------------------------------

    @api.constrains("hours")
    def _check_hours(self):
        for training in self:
            if not math.isfinite(training.hours) or training.hours < 0:
                raise ValidationError(_("The hours must be a positive number."))

    @api.constrains("attachment_ids")
    def _check_attachment_ids(self):
        attachments = self.attachment_ids
        if not self.env.su:
            # a learner links only files they may read themselves
            compat.check_attachment_read(attachments)
        self._check_proof_files(attachments)

    @api.model
    def _get_proof_error(self, content):
        """Why ``content`` is not an acceptable proof (too large, not a PDF or
        an image, judged on the bytes, not on the file name), or False."""
        if len(content) > PROOF_MAX_SIZE:
            return _(
                "The certificate file is too large (at most %(size)s MB).",
                size=PROOF_MAX_SIZE // (1024 * 1024),
            )
        if guess_mimetype(content or b"") not in PROOF_MIMETYPES:
            return _("The certificate must be a PDF file or an image (PNG, JPEG).")
        return False

    @api.model
    def _check_proof_files(self, attachments):
        # the content of files the caller just uploaded or linked is checked;
        # nothing of it leaves this method
        for attachment in attachments.sudo():
            if attachment.type != "binary":
                raise ValidationError(_("The certificate must be an uploaded file."))
            error = self._get_proof_error(attachment.raw or b"")
            if error:
                raise ValidationError(error)
