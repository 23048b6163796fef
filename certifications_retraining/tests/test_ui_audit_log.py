# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.tests import HttpCase, tagged

from .common import make_portal_learner, make_program


@tagged("post_install", "-at_install")
class TestAuditLogTour(HttpCase):
    def test_tour_audit_log_banner_and_row(self):
        learner = make_portal_learner(
            self.env, login="tour_audit", name="Tour Audit Learner"
        )
        program = make_program(self.env, name="Tour Audit Certification")
        self.env["certification.award"]._issue_awards(
            [{"program_id": program.id, "partner_id": learner.partner_id.id}]
        )
        self.env["ir.config_parameter"].sudo().set_param(
            "certifications_retraining.audit_chain_broken_id", "1"
        )
        self.start_tour("/odoo", "certifications_retraining_audit", login="admin")
