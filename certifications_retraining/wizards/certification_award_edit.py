# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..models.certification_award import ASSOCIATION_TYPES

EDITED_FIELDS = ("date_issued", "date_expiry", "is_always_valid", "association_type")


class CertificationAwardEdit(models.TransientModel):
    """The completion editor: officers change an award's dates, validity or
    type, or revoke it, with a reason; the change and its reason go to the
    audit log."""

    _name = "certification.award.edit"
    _description = "Edit a Certification Award"

    award_id = fields.Many2one(
        "certification.award", required=True, ondelete="cascade", readonly=True
    )
    # The award's values unless the officer changes them, whatever way the
    # wizard is created (form, or an RPC create with one changed field).
    date_issued = fields.Datetime(
        "Issued On",
        compute="_compute_award_values",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    date_expiry = fields.Datetime(
        "Expires On",
        compute="_compute_award_values",
        store=True,
        readonly=False,
        precompute=True,
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
    is_revoke = fields.Boolean(
        "Revoke Award",
        help="Revoke the award instead of editing it (archived, revoked).",
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
                wizard[name] = wizard.award_id[name]

    @api.model
    def _selection_state(self):
        return self.env["certification.award"]._fields["state"].selection

    @api.depends("award_id", "is_revoke", *EDITED_FIELDS)
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
            if wizard.is_revoke:
                wizard.new_state = "archived"
                wizard.effect = escape(_("The award will be revoked and archived."))
                continue
            vals = wizard._get_changed_vals()
            wizard.new_state = wizard._get_new_state(vals, now)
            if wizard.new_state != award.state:
                vals["state"] = wizard.new_state
            items = Markup().join(
                Markup("<li>%s: %s → %s</li>")
                % (
                    labels[name],
                    wizard._display_value(award, name, award[name]),
                    wizard._display_value(award, name, value),
                )
                for name, value in vals.items()
            )
            wizard.effect = (
                Markup("<ul>%s</ul>") % items if items else escape(_("No change."))
            )

    def _display_value(self, award, name, value):
        field = award._fields[name]
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, "")
        if field.type == "datetime":
            return fields.Datetime.to_string(value) if value else "—"
        return str(value)

    def _get_changed_vals(self):
        self.ensure_one()
        award = self.award_id
        vals = {name: self[name] for name in EDITED_FIELDS if self[name] != award[name]}
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
        if self.is_revoke:
            return self._revoke(award)
        vals = self._get_changed_vals()
        new_state = self._get_new_state(vals, fields.Datetime.now())
        self._check_edit(vals, new_state)
        if new_state != award.state:
            vals["state"] = new_state
        if vals:
            award._write_trusted(vals, action="edit", reason=self.reason.strip())
        return {"type": "ir.actions.act_window_close"}

    def _revoke(self, award):
        if award.state == "archived":
            raise UserError(_("An archived award cannot be revoked."))
        award._revoke(self.reason)
        return {"type": "ir.actions.act_window_close"}
