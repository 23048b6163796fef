# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError

from .. import compat
from ..models.certification_award import ASSOCIATION_TYPES, EXTERNAL_SOURCES
from ..tools import schedule

IMMEDIATE_LIMIT = 100


class CertificationProgramGrant(models.TransientModel):
    """Award a certification to learners picked by users, partner tags, HR
    departments and companies. Up to 100 learners are awarded at once, more
    through a background ``certification.job``; both issue the awards through
    ``certification.award.granter``."""

    _name = "certification.program.grant"
    _description = "Award Users"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    program_id = fields.Many2one(
        "certification.program",
        "Certification",
        required=True,
        ondelete="cascade",
    )
    step = fields.Selection(
        [("learners", "Learners"), ("details", "Details"), ("done", "Done")],
        default="learners",
        required=True,
    )
    user_ids = fields.Many2many("res.users", string="Users")
    partner_category_ids = fields.Many2many(
        "res.partner.category", string="Partner Tags"
    )
    department_ids = fields.Many2many("hr.department", string="Departments")
    company_ids = fields.Many2many("res.company", string="Companies")
    learner_count = fields.Integer(
        "Learners", compute="_compute_learners", help="Learners who will be awarded."
    )
    renewal_count = fields.Integer(
        "Renewals",
        compute="_compute_learners",
        help="Learners who already hold the certification: it is renewed.",
    )
    blocked_user_ids = fields.Many2many(
        "res.users",
        string="Deactivated Users",
        compute="_compute_learners",
        context={"active_test": False},
    )
    blocked_summary = fields.Text("Not Awarded", compute="_compute_learners")
    date_issued = fields.Date(
        "Issued On",
        required=True,
        default=fields.Date.context_today,
        help="A date of each learner's calendar (their timezone), as the "
        "certificate shows it.",
    )
    is_always_valid = fields.Boolean(
        "Always Valid", compute="_compute_is_always_valid", store=True, readonly=False
    )
    date_expiry = fields.Date(
        "Expires On",
        compute="_compute_date_expiry",
        store=True,
        readonly=False,
        help="A date of each learner's calendar: the first day the certification "
        "is no longer valid.",
    )
    association_type = fields.Selection(
        ASSOCIATION_TYPES, "Earned By", required=True, default="manual"
    )
    channel_id = fields.Many2one(
        "slide.channel",
        "Course",
        domain="[('certification_program_id', '=', program_id)]",
    )
    learning_plan_id = fields.Many2one(
        "slide.learning.plan",
        domain="[('certification_program_id', '=', program_id)]",
    )
    external_training_id = fields.Many2one(
        "certification.external.training",
        domain="[('certification_program_id', '=', program_id), "
        "('state', '=', 'approved')]",
    )
    external_source = fields.Selection(EXTERNAL_SOURCES)
    external_url = fields.Char("External Link")
    summary = fields.Text(readonly=True)
    learner_count_label = fields.Char(compute="_compute_learner_count_label")

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("learner_count", "renewal_count")
    def _compute_learner_count_label(self):
        for wizard in self:
            learners = (
                _("1 learner")
                if wizard.learner_count == 1
                else _("%(count)s learners", count=wizard.learner_count)
            )
            renewals = (
                _("1 already holds it and will be renewed.")
                if wizard.renewal_count == 1
                else _(
                    "%(count)s already hold it and will be renewed.",
                    count=wizard.renewal_count,
                )
            )
            wizard.learner_count_label = f"{learners}; {renewals}"

    @api.depends(
        "program_id",
        "user_ids",
        "partner_category_ids",
        "department_ids",
        "company_ids",
    )
    def _compute_learners(self):
        for wizard in self:
            users = wizard._get_selected_users()
            blocked = wizard._get_blocked_users(users)
            partners = (users - blocked).partner_id
            wizard.learner_count = len(partners)
            wizard.renewal_count = (
                len(
                    self.env["certification.award"]._get_current_awards(
                        {(wizard.program_id.id, pid) for pid in partners.ids}
                    )
                )
                if wizard.program_id and partners
                else 0
            )
            # the report names only the users the requester may read
            readable = (
                blocked.sudo(False)
                .with_context(active_test=False)
                ._filtered_access("read")
            )
            wizard.blocked_user_ids = readable
            lines = [
                self.env._(
                    "%(name)s (%(login)s): user deactivated.",
                    name=blocked_user.name,
                    login=blocked_user.login,
                )
                for blocked_user in readable
            ]
            if len(blocked) > len(readable):
                lines.append(
                    _(
                        "%(count)s other deactivated users.",
                        count=len(blocked) - len(readable),
                    )
                )
            wizard.blocked_summary = "\n".join(lines)

    @api.depends("program_id")
    def _compute_is_always_valid(self):
        for wizard in self:
            wizard.is_always_valid = wizard.program_id.is_never_expiring

    @api.depends("program_id", "date_issued", "is_always_valid")
    def _compute_date_expiry(self):
        for wizard in self:
            wizard.date_expiry = wizard._get_default_date_expiry()

    def _get_default_date_expiry(self):
        """The expiry the certification's rule gives a first award issued on
        the wizard's date, on the requester's calendar (a learner's own award
        is counted on their calendar, and from their current award when it
        renews it: see :meth:`_get_values_template`)."""
        self.ensure_one()
        program = self.program_id
        if not program or not self.date_issued or self.is_always_valid:
            return False
        if program.renewal_base == "fixed" and not program.fixed_expiry_date:
            return False
        tz = self.env.user.tz or "UTC"
        issued = schedule.local_midnight_utc(self.date_issued, tz)
        expiry = program._compute_award_expiry(issued, tz)
        return schedule.local_date(expiry, tz) if expiry else False

    # ------------------------------------------------------------
    # LEARNERS
    # ------------------------------------------------------------

    def _get_selected_users(self):
        """Users picked directly or through tags, departments and companies,
        deactivated ones included (they are reported, not awarded), within the
        companies the requester has selected."""
        self.ensure_one()
        companies = self.env.companies
        # the wizard is for officers (access rights); what is read as superuser is
        # the list of users, restricted just below to the selected companies
        Users = self.env["res.users"].sudo().with_context(active_test=False)
        users = self.user_ids._origin.sudo()
        domains = []
        if self.partner_category_ids:
            domains.append(
                [("partner_id.category_id", "in", self.partner_category_ids.ids)]
            )
        if self.company_ids:
            domains.append([("company_id", "in", self.company_ids.ids)])
        if self.department_ids:
            employees = (
                self.env["hr.employee"]
                # officers need no HR rights: only the users of the employees of
                # the picked departments, in the selected companies, are read
                .sudo()
                .search(
                    [
                        ("department_id", "child_of", self.department_ids.ids),
                        ("company_id", "in", companies.ids),
                    ]
                )
            )
            users |= employees.with_context(active_test=False).user_id
        if domains:
            users |= Users.search(
                compat.domain_and(
                    [
                        compat.domain_or(domains),
                        [("id", "not in", self._get_system_user_ids())],
                        [("company_ids", "in", companies.ids)],
                    ]
                )
            )
        return users.filtered(lambda user: user.company_ids & companies)

    @api.model
    def _get_system_user_ids(self):
        """Technical users never counted as learners."""
        ids = [SUPERUSER_ID]
        for xmlid in ("base.public_user", "base.default_user"):
            record = self.env.ref(xmlid, raise_if_not_found=False)
            if record:
                ids.append(record.id)
        template = (
            self.env["ir.config_parameter"]
            # a technical setting (an id), read as every module does
            .sudo()
            .get_param("base.template_portal_user_id")
        )
        if template and template.isdigit():
            ids.append(int(template))
        return ids

    @api.model
    def _get_blocked_users(self, users):
        blocked = self.env["certification.award"]._get_blocked_partners(
            users.partner_id
        )
        return users.filtered(lambda u: u.partner_id in blocked)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_next(self):
        self.ensure_one()
        if not self.learner_count:
            raise UserError(_("Pick at least one learner who can be awarded."))
        self.step = "details"
        return self._reopen()

    def action_back(self):
        self.ensure_one()
        self.step = "learners"
        return self._reopen()

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": _("Award Users"),
        }

    def action_confirm(self):
        """Award now (up to 100 learners, one transaction) or queue a job."""
        self.ensure_one()
        self.program_id.check_access("read")
        self._check_details()
        users = self._get_selected_users()
        partners = (users - self._get_blocked_users(users)).partner_id
        if not partners:
            raise UserError(_("No learner can be awarded."))
        self._check_external_training(partners)
        if len(partners) > IMMEDIATE_LIMIT:
            return self._queue_job(partners)
        awards = self.env["certification.award.granter"]._grant(
            self._get_values_template(), partners.ids
        )
        self.write({"step": "done", "summary": self._get_summary(awards)})
        return self._reopen()

    def _check_details(self):
        self.ensure_one()
        if (
            not self.is_always_valid
            and self.date_expiry
            and self.date_expiry < self.date_issued
        ):
            raise UserError(_("The expiry date cannot be before the issue date."))
        item_field = {
            "course": "channel_id",
            "learning_plan": "learning_plan_id",
            "external_training": "external_training_id",
        }.get(self.association_type)
        if item_field and not self[item_field]:
            raise UserError(
                _("Pick the item through which the certification was earned.")
            )
        if item_field and self[item_field].certification_program_id != self.program_id:
            raise UserError(
                _(
                    "%(item)s is not assigned to %(program)s.",
                    item=self[item_field].display_name,
                    program=self.program_id.name,
                )
            )

    def _check_external_training(self, partners):
        """An external training proves only its own learner's certification,
        once approved."""
        training = self.external_training_id
        if self.association_type != "external_training" or not training:
            return
        if training.state != "approved" or partners != training.partner_id:
            raise UserError(
                _(
                    "%(training)s is not an approved external training of each "
                    "learner: award it to %(learner)s only, once approved.",
                    training=training.name,
                    learner=training.partner_id.name,
                )
            )

    def _get_summary(self, awards):
        history = awards.filtered(lambda a: a.state == "archived")
        awards -= history
        renewed = awards.filtered("previous_award_id")
        created = len(awards - renewed)
        lines = [
            _("1 learner awarded %(program)s.", program=self.program_id.name)
            if created == 1
            else _(
                "%(count)s learners awarded %(program)s.",
                count=created,
                program=self.program_id.name,
            )
        ]
        if renewed:
            names = ", ".join(renewed.partner_id.mapped("name"))
            lines.append(
                _("1 renewed (the current award was archived): %(names)s.", names=names)
                if len(renewed) == 1
                else _(
                    "%(count)s renewed (their current award was archived): %(names)s.",
                    count=len(renewed),
                    names=names,
                )
            )
        if history:
            lines.append(
                _(
                    "%(count)s filed as history (older than their current award, "
                    "which stays current): %(names)s.",
                    count=len(history),
                    names=", ".join(history.partner_id.mapped("name")),
                )
            )
        if self.blocked_summary:
            lines += [_("Not awarded:"), self.blocked_summary]
        return "\n".join(lines)

    def _get_values_template(self):
        """The award values shared by every learner (json-able). Its dates are
        days (``YYYY-MM-DD``), made instants per learner on their own calendar
        by ``certification.award.granter``."""
        self.ensure_one()
        vals = {
            "program_id": self.program_id.id,
            "date_issued": fields.Date.to_string(self.date_issued),
            "is_always_valid": self.is_always_valid,
            "association_type": self.association_type,
        }
        # the default expiry is left to the one door (learner's calendar,
        # renewals); a date the officer changed is kept as given
        if (
            not self.is_always_valid
            and self.date_expiry
            and self.date_expiry != self._get_default_date_expiry()
        ):
            vals["date_expiry"] = fields.Date.to_string(self.date_expiry)
        item = {
            "course": ("channel_id", self.channel_id),
            "learning_plan": ("learning_plan_id", self.learning_plan_id),
            "external_training": ("external_training_id", self.external_training_id),
        }.get(self.association_type)
        if item:
            vals[item[0]] = item[1].id
        if self.association_type == "external_certification":
            vals.update(
                external_source=self.external_source, external_url=self.external_url
            )
        return vals

    def _queue_job(self, partners):
        job = self.env["certification.job"]._create_for_requester(
            {
                "name": _(
                    "Award %(program)s to %(count)s learners",
                    program=self.program_id.name,
                    count=len(partners),
                ),
                "job_type": "grant",
                "program_id": self.program_id.id,
                "progress_total": len(partners),
                "payload": {
                    "values": self._get_values_template(),
                    "partner_ids": partners.ids,
                },
            }
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "title": _("Awarding in the background"),
                "message": _(
                    "%(count)s learners: the awards are issued by a background "
                    "job. %(link)s",
                    count=len(partners),
                    link="%s",
                ),
                "links": [{"label": job.name, "url": job._get_form_url()}],
                "sticky": True,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
