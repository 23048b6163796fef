# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from dateutil.relativedelta import relativedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL

from .certification_award import translate_unique_violation

# Commands that only link or unlink existing items.
LINK_COMMANDS = (Command.UNLINK, Command.LINK, Command.CLEAR, Command.SET)


class CertificationProgram(models.Model):
    _name = "certification.program"
    _description = "Certification"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "sequence, name, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(
        tracking=True,
        help="Unique per company. Needed to address the certification from a CSV "
        "import.",
    )
    description = fields.Html(translate=True)
    active = fields.Boolean(default=True, tracking=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    company_id = fields.Many2one("res.company", index=True, tracking=True)
    validity_number = fields.Integer(
        "Validity",
        default=1,
        tracking=True,
        help="How long an award stays valid. 0 means the certification never expires.",
    )
    validity_unit = fields.Selection(
        [
            ("days", "Days"),
            ("weeks", "Weeks"),
            ("months", "Months"),
            ("years", "Years"),
        ],
        default="years",
        required=True,
        tracking=True,
    )
    is_never_expiring = fields.Boolean(
        "Never Expires", compute="_compute_is_never_expiring"
    )
    allow_retake = fields.Boolean(
        tracking=True,
        help="Renewing retakes a completed course or learning plan: the learner's "
        "progress on it is reset.",
    )
    renewal_base = fields.Selection(
        [
            ("completion", "Completion date"),
            ("expiry", "Previous expiry date"),
            ("fixed", "Fixed date"),
        ],
        "New Expiry From",
        default="completion",
        required=True,
        help="After a renewal, the new expiry is computed from the completion date, "
        "or from the previous expiry date so that an early renewal loses no time.",
    )
    fixed_expiry_date = fields.Date(
        help="With a fixed-date cycle: the anchor of the cycles. Awards expire on "
        "this date moved by whole validity periods.",
    )
    minimum_active_days = fields.Integer(
        "Minimum Active Period",
        default=0,
        help="An award is never issued with fewer days than this before expiry.",
    )
    grace_period_days = fields.Integer(
        "Grace Period",
        default=0,
        help="Days after the expiry during which the award is in grace: not "
        "compliant, not yet expired, still renewable.",
    )
    grace_restarts_cycle = fields.Boolean(
        "Renewal in Grace Restarts the Cycle",
        help="When renewing during the grace period, count the next expiry from the "
        "completion instead of from the missed expiry.",
    )
    recertification_window_days = fields.Integer(
        "Recertification Window",
        default=0,
        help="Number of days before expiry during which Renew now is offered. "
        "0 means any time.",
    )
    badge_id = fields.Many2one(
        "gamification.badge", help="Granted to the learner with each award."
    )
    channel_ids = fields.One2many(
        "slide.channel", "certification_program_id", "Courses"
    )
    learning_plan_ids = fields.One2many(
        "slide.learning.plan", "certification_program_id", "Learning Plans"
    )
    external_training_ids = fields.One2many(
        "certification.external.training",
        "certification_program_id",
    )
    award_ids = fields.One2many("certification.award", "program_id", "Awards")
    # Reminders before expiry (notifications issue): new certifications copy
    # the default rules (those without a certification).
    reminder_ids = fields.One2many(
        "certification.reminder",
        "program_id",
        "Reminders",
        copy=True,
        default=lambda self: self.env[
            "certification.reminder"
        ]._default_program_commands(),
    )
    award_count = fields.Integer("Awarded Users", compute="_compute_award_count")
    item_count = fields.Integer("Assigned Items", compute="_compute_item_count")

    _sql_constraints = [
        (
            "validity_number_positive",
            "CHECK(validity_number >= 0)",
            "The validity of a certification cannot be negative.",
        ),
        (
            "recertification_window_positive",
            "CHECK(recertification_window_days >= 0)",
            "The recertification window cannot be negative.",
        ),
    ]

    # ------------------------------------------------------------
    # COMPUTE / CONSTRAINTS
    # ------------------------------------------------------------

    @api.depends("validity_number")
    def _compute_is_never_expiring(self):
        for program in self:
            program.is_never_expiring = not program.validity_number

    def _compute_award_count(self):
        counts = dict(
            self.env["certification.award"]._read_group(
                [("program_id", "in", self.ids), ("state", "!=", "archived")],
                ["program_id"],
                ["__count"],
            )
        )
        for program in self:
            program.award_count = counts.get(program, 0)

    @api.depends("channel_ids", "learning_plan_ids")
    def _compute_item_count(self):
        for program in self:
            program.item_count = len(program.channel_ids) + len(
                program.learning_plan_ids
            )

    def init(self):
        # A code is unique per company (and among certifications of no company).
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS "
                "certification_program_code_company_uniq ON certification_program "
                "(code, COALESCE(company_id, 0)) WHERE code IS NOT NULL AND code != ''"
            )
        )

    def _check_codes_free(self, pairs):
        """Refuse (code, company id) pairs already used by another certification:
        the clear message of the usual case; the unique index catches the race."""
        pairs = [(code, company) for code, company in pairs if code]
        if not pairs:
            return
        clashes = [pair for pair in set(pairs) if pairs.count(pair) > 1]
        domain = expression.OR(
            [
                [("code", "=", code), ("company_id", "=", company)]
                for code, company in pairs
            ]
        )
        others = self.with_context(active_test=False).search_fetch(
            expression.AND([domain, [("id", "not in", self.ids)]]),
            ["code", "company_id"],
            limit=1,
        )
        clashes += [(p.code, p.company_id.id) for p in others]
        if clashes:
            code, company = clashes[0]
            raise ValidationError(
                _(
                    "The code %(code)s is already used by another certification "
                    "of %(company)s.",
                    code=code,
                    company=self.env["res.company"].browse(company).name
                    or _("all companies"),
                )
            )

    def _error_code_used(self):
        return ValidationError(
            _(
                "This code is already used by another certification of the same "
                "company (it may have been created at the same moment)."
            )
        )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        items = [self._pop_item_commands(vals) for vals in vals_list]
        self._check_codes_free(
            [(vals.get("code"), vals.get("company_id") or False) for vals in vals_list]
        )
        with translate_unique_violation(
            self.env, "certification_program_code_company_uniq", self._error_code_used
        ):
            programs = super().create(vals_list)
        for program, commands in zip(programs, items, strict=True):
            program._write_items(commands)
        return programs

    def write(self, vals):
        commands = self._pop_item_commands(vals)
        if {"code", "company_id"} & set(vals):
            self._check_codes_free(
                [
                    (
                        vals.get("code", program.code),
                        vals.get("company_id", program.company_id.id) or False,
                    )
                    for program in self
                ]
            )
        with translate_unique_violation(
            self.env, "certification_program_code_company_uniq", self._error_code_used
        ):
            res = super().write(vals)
            if {"code", "company_id"} & set(vals):
                self.flush_recordset(["code", "company_id"])
        if commands:
            self._write_items(commands)
        return res

    @api.model
    def unlink(self):
        """Deleting a certification deletes its awards (database cascade):
        each is logged as ``delete`` in the audit log first."""
        self.check_access("unlink")
        # the caller may delete these certifications, hence all their awards
        awards = (
            self.env["certification.award"]
            .sudo()
            .search([("program_id", "in", self.ids)])
        )
        self.env["certification.audit.log"]._log(
            [
                {
                    "award": award,
                    "action": "delete",
                    "old_value": award._get_audit_summary(),
                }
                for award in awards
            ]
        )
        return super().unlink()

    def _pop_item_commands(self, vals):
        if self.env.context.get("certification_items_checked"):
            return {}
        return {
            name: vals.pop(name)
            for name in ("channel_ids", "learning_plan_ids")
            if name in vals
        }

    def _write_items(self, commands):
        """Assigning courses and learning plans from the certification form.
        Certification administrators may link and unlink any existing course
        without being eLearning officers: once the write access on the
        certification itself is checked, only those link/unlink commands are
        applied as superuser. Any other command (create, update, delete an item)
        needs the caller's own rights on the item."""
        if not commands:
            return
        self.check_access("write")
        links, others = {}, {}
        for name, field_commands in commands.items():
            for command in field_commands:
                is_link = (
                    isinstance(command, (list, tuple))
                    and command
                    and command[0] in LINK_COMMANDS
                )
                (links if is_link else others).setdefault(name, []).append(command)
        for name, field_commands in links.items():
            self._check_item_ids_exist(name, field_commands)
        Checked = self.with_context(certification_items_checked=True)
        if links:
            # checked just above: write access on these certifications, and the
            # commands only link or unlink existing items
            Checked.sudo().write(links)
        if others:
            Checked.write(others)

    def _check_item_ids_exist(self, name, field_commands):
        ids = set()
        for command in field_commands:
            if command[0] == Command.LINK:
                ids.add(command[1])
            elif command[0] == Command.SET:
                ids.update(command[2] or [])
        Items = self.env[self._fields[name].comodel_name]
        # existence only: no field of the items is read
        if len(Items.sudo().browse(ids).exists()) != len(ids):
            raise UserError(_("Some of the courses or learning plans do not exist."))

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _get_validity_label(self):
        """The validity as a learner reads it: "valid for 1 year", "valid for 6
        months" or "never expires"."""
        self.ensure_one()
        count = self.validity_number
        if not count:
            return _("never expires")
        if count == 1:
            labels = {
                "days": _("valid for 1 day"),
                "weeks": _("valid for 1 week"),
                "months": _("valid for 1 month"),
                "years": _("valid for 1 year"),
            }
        else:
            labels = {
                "days": _("valid for %(count)s days", count=count),
                "weeks": _("valid for %(count)s weeks", count=count),
                "months": _("valid for %(count)s months", count=count),
                "years": _("valid for %(count)s years", count=count),
            }
        return labels[self.validity_unit]

    def _get_validity_delta(self):
        self.ensure_one()
        return relativedelta(**{self.validity_unit: self.validity_number})

    def _compute_date_expiry(self, date_from):
        """Expiry of an award of this certification counted from ``date_from``
        (calendar aware: Jan 31 + 1 month is the last day of February).
        Returns False when the certification never expires."""
        self.ensure_one()
        if not self.validity_number or not date_from:
            return False
        return fields.Datetime.to_datetime(date_from) + self._get_validity_delta()

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_awards(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "certifications_retraining.certification_award_action"
        )
        action["domain"] = [("program_id", "=", self.id)]
        action["context"] = {
            "default_program_id": self.id,
            "search_default_filter_current": 1,
        }
        return action

    def action_view_items(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Courses of %(program)s", program=self.name),
            "res_model": "slide.channel",
            "view_mode": "list,form",
            "domain": [("certification_program_id", "=", self.id)],
            "context": {"default_certification_program_id": self.id},
        }

    def action_open_delete_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Delete %(program)s", program=self.name),
            "res_model": "certification.program.delete",
            "view_mode": "form",
            "target": "new",
            "context": {"default_program_id": self.id},
        }
