# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import make_internal_learner, make_program


@tagged("post_install", "-at_install")
class TestComplianceTour(HttpCase):
    def test_tour_compliance_drill_into_missing(self):
        safety = make_program(self.env, name="Tour Safety")
        forklift = make_program(self.env, name="Tour Forklift")
        department = self.env["hr.department"].create(
            {
                "name": "Tour Department",
                "certification_program_ids": [Command.set((safety | forklift).ids)],
            }
        )
        user = make_internal_learner(
            self.env, login="tour_employee", name="Tour Employee"
        )
        employee = self.env["hr.employee"].create(
            {
                "name": "Tour Employee",
                "user_id": user.id,
                "department_id": department.id,
            }
        )
        self.env["certification.award"]._issue_awards(
            [{"program_id": forklift.id, "partner_id": user.partner_id.id}]
        )
        rows = self.env["certification.compliance.report"].search(
            [("employee_id", "=", employee.id)]
        )
        self.assertEqual(
            {row.program_id: row.compliance_state for row in rows},
            {safety: "missing", forklift: "compliant"},
        )
        self.start_tour("/odoo", "certifications_retraining_compliance", login="admin")

    def test_tour_compliance_at_date_and_graph(self):
        safety = make_program(self.env, name="Tour Safety")
        department = self.env["hr.department"].create(
            {
                "name": "Tour Department",
                "certification_program_ids": [Command.set(safety.ids)],
            }
        )
        employee = self.env["hr.employee"].create(
            {"name": "Tour Employee", "department_id": department.id}
        )
        self.env["certification.award"]._issue_awards(
            [{"program_id": safety.id, "partner_id": employee.work_contact_id.id}]
        )
        self.start_tour(
            "/odoo", "certifications_retraining_compliance_date", login="admin"
        )

    def test_tour_department_card_rate(self):
        safety = make_program(self.env, name="Tour Safety")
        departments = self.env["hr.department"].create(
            [
                {
                    "name": name,
                    "certification_program_ids": [Command.set(safety.ids)],
                }
                for name in ("Tour Department", "Tour Empty Department")
            ]
        )
        employees = self.env["hr.employee"].create(
            [
                {"name": f"Tour Employee {i}", "department_id": department.id}
                for i, department in enumerate(departments)
            ]
        )
        self.env["certification.award"]._issue_awards(
            [{"program_id": safety.id, "partner_id": employees[0].work_contact_id.id}]
        )
        self.start_tour(
            "/odoo", "certifications_retraining_department_rate", login="admin"
        )
