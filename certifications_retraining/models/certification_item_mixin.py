# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..compat import Constraint

# Owned by the server: set when an item is linked to a certification.
SERVER_OWNED_FIELDS = ("certification_assigned_on",)


class CertificationItemMixin(models.AbstractModel):
    """What courses and learning plans share as items earning a certification:
    the link, the moment it was made (completions before it earn nothing), the
    enrolment validity and the values of the award a completion issues.

    Linking an item to a certification, or moving or unlinking it, is editing
    that certification: the caller needs the write access on the certifications
    before and after (``_check_certification_relink``), in ``create`` as in
    ``write``. ``certification_assigned_on`` is the server's: refused from
    callers, set when the link is made."""

    _name = "certification.item.mixin"
    _description = "Item Earning a Certification"

    # Set by each item model: the award's association type and item field.
    _certification_association_type = None
    _certification_item_field = None

    certification_program_id = fields.Many2one(
        "certification.program",
        "Certification",
        index="btree_not_null",
        ondelete="set null",
        tracking=True,
        copy=False,
        help="Completing this item earns this certification.",
    )
    certification_assigned_on = fields.Datetime(
        readonly=True,
        copy=False,
        help="Completions before this moment do not earn the certification.",
    )
    enrollment_validity_days = fields.Integer(
        "Enrolment Validity",
        aggregator=False,
        help="Days after enrolment during which the learner may use this item to "
        "renew a certification (a learning plan's validity wins over its "
        "courses'). 0 means no limit.",
    )

    _enrollment_validity_days_positive = Constraint(
        "CHECK(enrollment_validity_days >= 0)",
        "The enrolment validity cannot be negative.",
    )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._refuse_server_owned_fields(vals_list)
        # the link may come from vals or from a default (context or ir.default):
        # the assignment moment follows the value the record will hold
        defaults = self.default_get(["certification_program_id"])
        now = fields.Datetime.now()
        vals_list = [
            dict(
                vals,
                certification_assigned_on=now
                if vals.get(
                    "certification_program_id",
                    defaults.get("certification_program_id"),
                )
                else False,
            )
            for vals in vals_list
        ]
        items = super().create(vals_list)
        for program, linked in (
            items.filtered("certification_program_id")
            .grouped("certification_program_id")
            .items()
        ):
            linked._check_certification_relink(program, is_new=True)
        return items

    def write(self, vals):
        self._refuse_server_owned_fields([vals])
        if "certification_program_id" not in vals:
            return super().write(vals)
        program = self.env["certification.program"].browse(
            vals["certification_program_id"] or ()
        )
        changed = self.filtered(lambda item: item.certification_program_id != program)
        if changed:
            changed._check_certification_relink(program)
            super(CertificationItemMixin, changed).write(
                dict(
                    vals,
                    certification_assigned_on=fields.Datetime.now()
                    if program
                    else False,
                )
            )
        if self - changed:
            super(CertificationItemMixin, self - changed).write(vals)
        return True

    def _refuse_server_owned_fields(self, vals_list):
        fields_given = {name for vals in vals_list for name in vals} & set(
            SERVER_OWNED_FIELDS
        )
        if fields_given:
            raise AccessError(
                self.env._(
                    "%(fields)s is set by the server when the item is linked to a "
                    "certification.",
                    fields=", ".join(
                        self._fields[name].string for name in sorted(fields_given)
                    ),
                )
            )

    # ------------------------------------------------------------
    # LINK TO A CERTIFICATION
    # ------------------------------------------------------------

    def _check_certification_relink(self, program, is_new=False):
        """The caller may link ``self`` to ``program`` (a certification, or
        empty to unlink): they may edit ``program`` and, unless the items are
        being created, the certifications the items leave; and the items belong
        to the certification's company. Raises AccessError or ValidationError."""
        programs = program
        if not is_new:
            programs |= self.certification_program_id
        programs.check_access("write")
        if program:
            self._check_certification_company(program)

    def _get_certification_company(self):
        """Hook: the company the item belongs to, or an empty recordset when it
        serves every company."""
        self.ensure_one()
        return self.env["res.company"]

    def _check_certification_company(self, program):
        if not program.company_id:
            return
        others = self.filtered(
            lambda item: (
                item._get_certification_company()
                not in (self.env["res.company"], program.company_id)
            )
        )
        if others:
            raise ValidationError(
                self.env._(
                    "%(items)s belong to another company than the certification "
                    "%(program)s.",
                    items=", ".join(others.mapped("display_name")),
                    program=program.display_name,
                )
            )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _is_completion_after_assignment(self, completed_on):
        self.ensure_one()
        return bool(
            completed_on
            and self.certification_assigned_on
            and completed_on >= self.certification_assigned_on
        )

    def _prepare_certification_award_vals(self, partner, completed_on):
        """Hook: the values of the award that completing this item issues."""
        self.ensure_one()
        return {
            "program_id": self.certification_program_id.id,
            "partner_id": partner.id,
            "association_type": self._certification_association_type,
            self._certification_item_field: self.id,
            "date_issued": completed_on or fields.Datetime.now(),
        }

    def _get_enrollment_deadline_from(self, date_enrolled):
        self.ensure_one()
        if not self.enrollment_validity_days or not date_enrolled:
            return False
        return date_enrolled + timedelta(days=self.enrollment_validity_days)
