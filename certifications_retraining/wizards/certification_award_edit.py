# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from ..models.certification_award import ASSOCIATION_TYPES

EDITED_FIELDS = ("date_issued", "date_expiry", "is_always_valid", "association_type")
# the editor's dates are calendar dates of the learner: the award's field
# holding that date for each of them
LEARNER_DATES = {
    "date_issued": "learner_date_issued",
    "date_expiry": "learner_date_expiry",
}


class CertificationAwardEdit(models.TransientModel):
    """The completion editor: officers change an award's dates, validity or
    type with a reason; the change and its reason go to the audit log.
    Revoking is done by the award's Revoke button (one way to revoke). Dates
    are picked as dates of the learner's calendar (their local midnight)."""

    _name = "certification.award.edit"
    _description = "Edit a Certification Award"

    award_id = fields.Many2one(
        "certification.award", required=True, ondelete="cascade", readonly=True
    )
    # The award's values unless the officer changes them, whatever way the
    # wizard is created (form, or an RPC create with one changed field).
    date_issued = fields.Date(
        "Issued On",
        compute="_compute_award_values",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        help="A date of the learner's calendar.",
    )
    date_expiry = fields.Date(
        "Expires On",
        compute="_compute_award_values",
        store=True,
        readonly=False,
        precompute=True,
        help="A date of the learner's calendar: the first day the certification "
        "is no longer valid.",
    )
    is_always_valid = fields.Boolean(
        "Always Valid",
        compute="_compute_award_values",
        store=True,
        readonly=False,
        precompute=True,
    )
    association_type = fields.Selection(
        ASSOCIATION_TYPES,
        "Earned By",
        compute="_compute_award_values",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    reason = fields.Text(required=True)
    current_state = fields.Selection(related="award_id.state", string="State Now")
    new_state = fields.Selection(
        selection="_selection_state", string="State After", compute="_compute_effect"
    )
    effect = fields.Html(compute="_compute_effect", sanitize=True)

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("award_id")
    def _compute_award_values(self):
        for wizard in self:
            for name in EDITED_FIELDS:
                wizard[name] = wizard.award_id[LEARNER_DATES.get(name, name)]

    @api.model
    def _selection_state(self):
        return self.env["certification.award"]._fields["state"].selection

    @api.depends("award_id", *EDITED_FIELDS)
    def _compute_effect(self):
        now = fields.Datetime.now()
        labels = {
            name: self.env["certification.award"]
            ._fields[name]
            ._description_string(self.env)
            for name in (*EDITED_FIELDS, "state")
        }
        for wizard in self:
            award = wizard.award_id
            if not award:
                wizard.new_state = False
                wizard.effect = False
                continue
            vals = wizard._get_changed_vals()
            wizard.new_state = wizard._get_new_state(vals, now)
            names = list(vals)
            if wizard.new_state != award.state:
                names.append("state")
            changes = []
            for name in names:
                old = wizard._display_value(award, name, wizard._get_old_value(name))
                new = wizard._display_value(award, name, wizard._get_new_value(name))
                changes.append(f"{labels[name]}: {old} → {new}")
            wizard.effect = self.env["ir.qweb"]._render(
                "certifications_retraining.certification_award_edit_effect",
                {"changes": changes, "no_change": _("No change.")},
            )

    def _get_old_value(self, name):
        return self.award_id[LEARNER_DATES.get(name, name)]

    def _get_new_value(self, name):
        if name == "state":
            return self.new_state
        if name == "date_expiry" and self.is_always_valid:
            return False
        return self[name]

    def _display_value(self, award, name, value):
        field = award._fields[name]
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, "")
        if name in LEARNER_DATES:
            return format_date(self.env, value) if value else "—"
        return str(value)

    def _get_changed_vals(self):
        """The award values to write: each changed date as the learner's
        local midnight (an unchanged date keeps its instant)."""
        self.ensure_one()
        award = self.award_id
        vals = {}
        for name in EDITED_FIELDS:
            if self[name] == self._get_old_value(name):
                continue
            vals[name] = (
                award._from_learner_date(self[name])
                if name in LEARNER_DATES
                else self[name]
            )
        if vals.get("is_always_valid"):
            vals["date_expiry"] = False
        return vals

    def _get_new_state(self, vals, now):
        award = self.award_id
        expiry = vals.get("date_expiry", award.date_expiry)
        grace_end = award._get_grace_end_for(expiry) if expiry else False
        return award._get_state_from_dates(
            now, date_expiry=expiry or False, date_grace_end=grace_end or False
        )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def _check_edit(self, vals, new_state):
        award = self.award_id
        issued = vals.get("date_issued", award.date_issued)
        expiry = vals.get("date_expiry", award.date_expiry)
        if expiry and issued and expiry <= issued:
            raise ValidationError(_("The expiry must come after the issue date."))
        if new_state != "archived":
            others = award.search_count(
                [
                    ("program_id", "=", award.program_id.id),
                    ("partner_id", "=", award.partner_id.id),
                    ("state", "!=", "archived"),
                    ("id", "!=", award.id),
                ]
            )
            if others:
                raise ValidationError(
                    _("The learner already holds another current award of it.")
                )

    def action_confirm(self):
        self.ensure_one()
        award = self.award_id
        award.check_access("write")
        if not self.reason or not self.reason.strip():
            raise UserError(_("Give the reason of the change."))
        vals = self._get_changed_vals()
        new_state = self._get_new_state(vals, fields.Datetime.now())
        self._check_edit(vals, new_state)
        if new_state != award.state:
            vals["state"] = new_state
        if vals:
            award._write_trusted(vals, action="edit", reason=self.reason.strip())
        return {"type": "ir.actions.act_window_close"}
