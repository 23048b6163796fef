# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import Command, fields
from odoo.exceptions import UserError

from .common import CertificationCase, make_program


class TestCompanyConsistency(CertificationCase):
    """A record bound to a company links only certifications of that company
    (or shared ones): Odoo's company check refuses the cross-company link."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Company B"})
        cls.program_b = make_program(
            cls.env, name="B only", code="BONLY", company_id=cls.company_b.id
        )
        cls.officer.company_ids = [Command.link(cls.company_b.id)]

    def _training_vals(self, program, company):
        return {
            "name": "Crane course",
            "partner_id": self.learner.partner_id.id,
            "date_completed": fields.Date.today(),
            "certification_program_id": program.id,
            "company_id": company.id,
        }

    def test_external_training_refuses_other_company_certification(self):
        Training = (
            self.env["certification.external.training"]
            .with_user(self.officer)
            .with_context(allowed_company_ids=(self.company_a + self.company_b).ids)
        )
        with self.assertRaises(UserError):
            Training.create(self._training_vals(self.program_b, self.company_a))
        training = Training.create(self._training_vals(self.program, self.company_a))
        with self.assertRaises(UserError):
            training.certification_program_id = self.program_b

    def test_external_training_links_shared_or_same_company(self):
        Training = (
            self.env["certification.external.training"]
            .with_user(self.officer)
            .with_context(allowed_company_ids=(self.company_a + self.company_b).ids)
        )
        shared = Training.create(self._training_vals(self.program, self.company_b))
        self.assertEqual(shared.certification_program_id, self.program)
        same = Training.create(self._training_vals(self.program_b, self.company_b))
        self.assertEqual(same.company_id, self.program_b.company_id)
