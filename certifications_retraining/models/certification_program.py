# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from dateutil.relativedelta import relativedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from .. import compat
from ..compat import Constraint
from ..tools import schedule
from ..tools.db_errors import translate_unique_violation

# Commands that only link or unlink existing items.
LINK_COMMANDS = (Command.UNLINK, Command.LINK, Command.CLEAR, Command.SET)
# The items a certification is earned by (one2many of certification.item.mixin).
ITEM_FIELDS = ("channel_ids", "learning_plan_ids")

# The fields of the date rule: changing one never touches existing awards.
SCHEDULE_FIELDS = (
    "validity_number",
    "validity_unit",
    "renewal_base",
    "fixed_expiry_date",
    "minimum_active_days",
    "grace_period_days",
    "grace_restarts_cycle",
    "recertification_window_days",
)


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
    sequence = fields.Integer(default=10, aggregator=False)
    color = fields.Integer(aggregator=False)
    company_id = fields.Many2one("res.company", index=True, tracking=True)
    validity_number = fields.Integer(
        "Validity",
        default=1,
        tracking=True,
        help="How long an award stays valid. 0 means the certification never expires.",
        aggregator=False,
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
        help="Completion date: the expiry is counted from the completion. Previous "
        "expiry date: a renewal before the expiry (or in its grace period) counts "
        "from the previous expiry, so that an early renewal loses no time. Fixed "
        "date: every award expires on the fixed expiry date moved by whole "
        "validity periods (e.g. every 31 December).",
    )
    fixed_expiry_date = fields.Date(
        help="With a fixed-date cycle: the anchor of the cycles. Awards expire on "
        "this date moved by whole validity periods.",
    )
    minimum_active_days = fields.Integer(
        "Minimum Active Period",
        default=0,
        help="An award is never issued with fewer days than this before expiry.",
        aggregator=False,
    )
    grace_period_days = fields.Integer(
        "Grace Period",
        default=0,
        help="Days after the expiry during which the award is in grace: not "
        "compliant, not yet expired, still renewable.",
        aggregator=False,
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
        aggregator=False,
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
    # Reminders before expiry: new certifications copy
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
    preview_date_issued = fields.Date(
        "Sample Issue Date",
        compute="_compute_preview_date_issued",
        readonly=False,
        help="Not saved: an issue date to preview the cycles of the rule (today "
        "by default).",
    )
    schedule_preview = fields.Html(
        "Preview",
        compute="_compute_schedule_preview",
        sanitize=False,
        help="The next three cycles of a learner awarded on the sample issue date "
        "who renews as soon as renewing opens, computed by the same code as real "
        "awards (on your calendar).",
    )
    award_count = fields.Integer("Awarded Users", compute="_compute_award_count")
    item_count = fields.Integer("Assigned Items", compute="_compute_item_count")

    _validity_number_positive = Constraint(
        "CHECK(validity_number >= 0)",
        "The validity of a certification cannot be negative.",
    )
    _minimum_active_days_positive = Constraint(
        "CHECK(minimum_active_days >= 0)",
        "The minimum active period cannot be negative.",
    )
    _grace_period_days_positive = Constraint(
        "CHECK(grace_period_days >= 0)",
        "The grace period cannot be negative.",
    )
    _recertification_window_positive = Constraint(
        "CHECK(recertification_window_days >= 0)",
        "The recertification window cannot be negative.",
    )

    # ------------------------------------------------------------
    # COMPUTE / CONSTRAINTS
    # ------------------------------------------------------------

    @api.depends("validity_number")
    def _compute_is_never_expiring(self):
        for program in self:
            program.is_never_expiring = not program.validity_number

    def _compute_preview_date_issued(self):
        for program in self:
            program.preview_date_issued = fields.Date.context_today(program)

    @api.depends(*SCHEDULE_FIELDS, "preview_date_issued")
    @api.depends_context("tz")
    def _compute_schedule_preview(self):
        for program in self:
            program.schedule_preview = program._render_schedule_preview()

    def _render_schedule_preview(self):
        self.ensure_one()
        template = "certifications_retraining.certification_program_schedule_preview"
        if self.renewal_base == "fixed" and not self.fixed_expiry_date:
            message = _("Set the fixed expiry date to preview the cycles.")
            return self.env["ir.qweb"]._render(template, {"message": message})
        if not self.preview_date_issued:
            return False
        cycles = self._preview_cycles(self.preview_date_issued)
        keys = ("date_issued", "window_start", "date_expiry", "grace_end")
        lang = self.env["res.lang"]._get_data(code=self.env.lang or "en_US")
        return self.env["ir.qweb"]._render(
            template,
            {
                "message": False,
                "headers": (
                    _("Issued"),
                    _("Renewal Opens"),
                    _("Expires"),
                    _("Grace Ends"),
                ),
                "rows": [
                    [c[key] and c[key].strftime(lang.date_format) for key in keys]
                    for c in cycles
                ],
            },
        )

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

    @api.constrains("renewal_base", "fixed_expiry_date")
    def _check_fixed_expiry_date(self):
        for program in self:
            if program.renewal_base == "fixed" and not program.fixed_expiry_date:
                raise ValidationError(
                    _(
                        "%(program)s: a fixed-date cycle needs its fixed expiry date.",
                        program=program.name,
                    )
                )

    @api.constrains("company_id")
    def _check_items_company(self):
        for program in self:
            # a rule of the certification: only the companies of its items are read
            program.sudo().channel_ids._check_certification_company(program)
            # same check, for its learning plans
            program.sudo().learning_plan_ids._check_certification_company(program)

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
        domain = compat.domain_or(
            [
                [("code", "=", code), ("company_id", "=", company)]
                for code, company in pairs
            ]
        )
        others = self.with_context(active_test=False).search_fetch(
            compat.domain_and([domain, [("id", "not in", self.ids)]]),
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

    @api.onchange(*SCHEDULE_FIELDS)
    def _onchange_schedule_warning(self):
        if self._origin.id and self._origin.award_ids:
            return {
                "warning": {
                    "title": _("Date rule changed"),
                    "message": _(
                        "Existing awards keep their dates; new awards use the new rule."
                    ),
                    "type": "notification",
                }
            }
        return None

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        links = [self._pop_item_links(vals) for vals in vals_list]
        self._check_codes_free(
            [(vals.get("code"), vals.get("company_id") or False) for vals in vals_list]
        )
        with translate_unique_violation(
            self.env, "certification_program_code_company_uniq", self._error_code_used
        ):
            programs = super().create(vals_list)
        for program, commands in zip(programs, links, strict=True):
            program._write_item_links(commands)
        return programs

    def write(self, vals):
        links = self._pop_item_links(vals)
        self._write_item_links(links)
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
        return res

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

    # ------------------------------------------------------------
    # ITEMS (courses, learning plans)
    # ------------------------------------------------------------

    @api.model
    def _pop_item_links(self, vals):
        """Take the commands that link or unlink existing items out of ``vals``:
        {field name: commands}. Other commands (create, update, delete an item)
        stay in ``vals`` and run with the caller's own rights on the items."""
        links = {}
        for name in ITEM_FIELDS:
            if name not in vals or not isinstance(vals[name], (list, tuple)):
                continue
            commands = [self._normalize_item_command(c) for c in vals[name]]
            links[name] = [c for c in commands if c[0] in LINK_COMMANDS]
            others = [c for c in commands if c[0] not in LINK_COMMANDS]
            if others:
                vals[name] = others
            else:
                del vals[name]
        return {name: commands for name, commands in links.items() if commands}

    @api.model
    def _normalize_item_command(self, command):
        """A command as a 3-tuple; a bare id is a LINK (as Odoo reads it).
        The ids of link commands must be integers."""
        if isinstance(command, int) and not isinstance(command, bool):
            return (Command.LINK, command, 0)
        if not isinstance(command, (list, tuple)) or not command:
            raise UserError(_("Invalid command on the items of a certification."))
        command = tuple(command) + (0,) * (3 - len(command))
        ids = (
            [command[1]]
            if command[0] in (Command.LINK, Command.UNLINK)
            else command[2] or []
            if command[0] == Command.SET
            else []
        )
        if not isinstance(ids, (list, tuple)) or not all(
            isinstance(i, int) and not isinstance(i, bool) for i in ids
        ):
            raise UserError(_("Invalid command on the items of a certification."))
        return command

    def _write_item_links(self, links):
        """Apply link and unlink commands ({field: commands}) of courses and
        learning plans. Certification administrators link and unlink existing
        items without eLearning rights: they may edit this certification, read
        the items they link (of its company, and leaving a certification they
        may also edit), and unlink only items linked to this certification.
        The items are then written as superuser."""
        if not links or not self:
            return
        if len(self) != 1:
            raise UserError(
                _("Assign courses and learning plans to one certification at a time.")
            )
        self.check_access("write")
        for name, commands in links.items():
            to_link, to_unlink = self._resolve_item_links(name, commands)
            to_link.check_access("read")
            to_link._check_certification_relink(self)
            # checked just above: the caller may edit this certification, only
            # its own items leave it
            to_unlink.sudo().write({"certification_program_id": False})
            # checked just above: the caller edits this certification (and the
            # one each item leaves) and reads these items of its company
            to_link.sudo().write({"certification_program_id": self.id})

    def _resolve_item_links(self, name, commands):
        """The items that ``commands`` (LINK, UNLINK, CLEAR, SET, in order)
        link to and unlink from this certification, as Odoo applies them to a
        one2many; UNLINK leaves alone an item not linked to this certification."""
        self.ensure_one()
        Items = self.env[self._fields[name].comodel_name]
        # the caller may edit this certification (checked): the ids of its items,
        # archived included, nothing else
        linked = (
            Items.sudo()
            .with_context(active_test=False)
            .search([("certification_program_id", "=", self.id)])
        )
        # same check: the ids of its items as the field shows them (active)
        shown = set(self.sudo()[name].ids)
        wanted, removed = set(shown), set()
        for command in commands:
            if command[0] == Command.LINK:
                wanted.add(command[1])
            elif command[0] == Command.UNLINK:
                wanted.discard(command[1])
                removed.add(command[1])
            elif command[0] == Command.CLEAR:
                removed |= wanted
                wanted = set()
            else:
                removed |= wanted - set(command[2] or ())
                wanted = set(command[2] or ())
        to_link = Items.browse(sorted(wanted - set(linked.ids)))
        # existence only: no field of the items is read
        if len(to_link.sudo().exists()) != len(to_link):
            raise UserError(_("Some of the courses or learning plans do not exist."))
        to_unlink = linked.filtered(
            lambda item: item.id in removed and item.id not in wanted
        )
        return to_link, to_unlink.with_env(self.env)

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

    def _compute_date_expiry(self, date_from, tz=None):
        """``date_from`` plus one validity period on the calendar of ``tz``
        (UTC by default; Jan 31 + 1 month is the last day of February).
        Returns False when the certification never expires. The expiry of an
        award (renewal base, fixed cycles, minimum active period) is
        :meth:`_compute_award_expiry`."""
        self.ensure_one()
        if not self.validity_number or not date_from:
            return False
        rule = schedule.ScheduleRule(
            validity_number=self.validity_number, validity_unit=self.validity_unit
        )
        return schedule.add_validity(
            rule, fields.Datetime.to_datetime(date_from), tz or "UTC"
        )

    def _get_schedule_rule(self):
        """The date rule of this certification, for :mod:`..schedule`."""
        self.ensure_one()
        return schedule.ScheduleRule(
            validity_number=self.validity_number,
            validity_unit=self.validity_unit,
            renewal_base=self.renewal_base,
            fixed_expiry_date=self.fixed_expiry_date or None,
            minimum_active_days=self.minimum_active_days,
            grace_period_days=self.grace_period_days,
            grace_restarts_cycle=self.grace_restarts_cycle,
            window_days=self.recertification_window_days,
        )

    def _get_default_tz(self, partner=None):
        """The timezone used when a learner (``partner``) has none: the
        certification's company's, else the learner's company's, else UTC.
        Never the requester's (their context or user): whoever issues, a
        learner's dates are counted on the same calendar."""
        if partner:
            return self._get_default_tzs(partner)[partner.id]
        # no check: only the company's timezone is read (portal learners may
        # not read the company's contact, yet their dates are counted on it)
        return self[:1].company_id.sudo().partner_id.tz or "UTC"

    def _get_default_tzs(self, partners):
        """{partner id: :meth:`_get_default_tz` of the partner} for many
        learners of this certification, each company read once."""
        if self[:1].company_id:
            return dict.fromkeys(partners.ids, self._get_default_tz())
        # no check: only the learners' companies are read, to find their timezone
        companies = {
            learner.id: learner.company_id or learner.user_ids[:1].company_id
            for learner in partners.sudo()
        }
        # no check: only the companies' timezones are read (see above)
        names = {
            company.id: company.partner_id.tz or "UTC"
            for company in self.env["res.company"].sudo().union(*companies.values())
        }
        return {
            partner_id: names.get(company.id, "UTC")
            for partner_id, company in companies.items()
        }

    def _compute_award_expiry(self, date_issued, tz, previous=None):
        """The expiry (UTC) of an award issued at ``date_issued`` to a learner
        in ``tz``, renewing ``previous`` (an award, or None). False when the
        certification never expires."""
        self.ensure_one()
        return (
            schedule.compute_expiry(
                self._get_schedule_rule(),
                fields.Datetime.to_datetime(date_issued),
                tz,
                previous_expiry_utc=previous.date_expiry or None if previous else None,
                previous_grace_end_utc=(
                    previous.date_grace_end or previous.date_expiry or None
                    if previous
                    else None
                ),
            )
            or False
        )

    def _preview_cycles(self, date_issued, count=3):
        """The next ``count`` cycles of a learner awarded at the start of
        ``date_issued`` (a date of the viewer's calendar) who renews as soon
        as renewing opens: a list of dicts with the keys ``date_issued``,
        ``window_start``, ``date_expiry``, ``grace_end`` (dates of the
        viewer's calendar, False when none). Computed by the same code as
        real awards."""
        self.ensure_one()
        tz = self.env.context.get("tz") or self.env.user.tz or "UTC"
        issued = schedule.local_midnight_utc(fields.Date.to_date(date_issued), tz)
        cycles = schedule.preview_cycles(self._get_schedule_rule(), issued, tz, count)
        return [
            {key: value or False for key, value in cycle.items()}
            for cycle in schedule.local_cycles(cycles, tz)
        ]

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
