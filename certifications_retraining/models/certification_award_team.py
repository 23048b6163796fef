# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models
from odoo.tools import SQL


def team_domain(env, employee_field="employee_id"):
    """Rows of the employees the current user manages, directly or not: whose
    manager is one of the user's employees or below them (``parent_id``). Read
    on ``hr.employee.public``, which any internal user may search; the record
    rules still decide what is visible."""
    managers = env.user.employee_ids.ids
    # hr.employee.public is an SQL view of hr_employee (joined to hr_version
    # on 19.0), and its own flush does not cover pending manager changes
    env["hr.employee"].flush_model(["parent_id", "active"])
    reports = env["hr.employee.public"].search(
        [("id", "child_of", managers), ("id", "not in", managers)]
    )
    return [(employee_field, "in", reports.ids)]


def team_search(env, operator, value):
    """``_search`` of an ``is_my_report`` field (``= True`` / ``!= False``...)."""
    if operator not in ("=", "!=") or not isinstance(value, bool):
        return NotImplemented
    domain = team_domain(env)
    return domain if (operator == "=") == value else ["!", *domain]


# One concern per file extending the award (DESIGN.md), not one growing model file.
# pylint: disable=consider-merging-classes-inherited
class CertificationAward(models.Model):
    _inherit = "certification.award"

    is_my_report = fields.Boolean(
        "My Team",
        compute="_compute_is_my_report",
        search="_search_is_my_report",
        help="The learner is one of your direct or indirect reports.",
    )

    def init(self):
        res = super().init()
        # The compliance reports read each requirement's award history
        # (archived awards included) by certification and learner.
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS certification_award_program_partner_idx "
                "ON certification_award (program_id, partner_id)"
            )
        )
        return res

    def _compute_is_my_report(self):
        mine = self.filtered_domain(team_domain(self.env))
        for award in self:
            award.is_my_report = award in mine

    def _search_is_my_report(self, operator, value):
        return team_search(self.env, operator, value)
