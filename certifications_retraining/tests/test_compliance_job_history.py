# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Required certifications through an employee's career: the compliance report
at a date and the monthly trend read the job held then where Odoo keeps that
history (19.0, ``hr.version``); 18.0 keeps none and reads today's job."""

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import tagged

from .. import compat
from .common import CertificationCase, make_program

DATE_KEY = "certification_compliance_date"


@tagged("post_install", "-at_install")
class TestRequirementsFollowTheJob(CertificationCase):
    """An employee picks orders (job requiring certification A) from a year ago
    and drives trucks (job requiring B) from the first of the month two months
    ago. ``before``: mid-month before the move; ``after``: mid-month after it
    (months of the trend's last 24)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cert_a = make_program(cls.env, name="Order Picking", code="JOB-A")
        cls.cert_b = make_program(cls.env, name="Truck Driving", code="JOB-B")
        Job = cls.env["hr.job"]
        cls.picker = Job.create(
            {
                "name": "Picker",
                "certification_program_ids": [Command.set(cls.cert_a.ids)],
            }
        )
        cls.driver = Job.create(
            {
                "name": "Driver",
                "certification_program_ids": [Command.set(cls.cert_b.ids)],
            }
        )
        this_month = fields.Date.today().replace(day=1)
        moved_on = this_month - relativedelta(months=2)
        cls.before = moved_on - relativedelta(months=1, days=-14)
        cls.after = moved_on + relativedelta(days=14)
        cls.employee = cls.env["hr.employee"].create(
            {
                "name": "Mo Mover",
                "job_id": cls.picker.id,
                **compat.employee_values_since(this_month - relativedelta(years=1)),
            }
        )
        compat.move_employee(cls.employee, moved_on, {"job_id": cls.driver.id})

    def required_at(self, day):
        Compliance = self.env["certification.compliance.report"].with_context(
            tz="UTC", **{DATE_KEY: day}
        )
        return Compliance.search([("employee_id", "=", self.employee.id)]).mapped(
            "program_id"
        )

    def required_in_trend(self, month):
        rows = self.env["certification.compliance.trend"].search(
            [
                ("month", "=", month),
                ("program_id", "in", (self.cert_a | self.cert_b).ids),
                ("required_count", ">", 0),
            ]
        )
        return rows.program_id

    def test_today_the_current_job_decides(self):
        self.assertEqual(self.employee.job_id, self.driver)
        self.assertEqual(self.required_at(fields.Date.today()), self.cert_b)

    def test_report_at_a_date_reads_the_job_held_then(self):
        self.assertEqual(self.required_at(self.after), self.cert_b)
        before = self.required_at(self.before)
        if compat.POSITION_HISTORY:
            self.assertEqual(before, self.cert_a)
        else:
            # no history of jobs: today's requirements at every date
            self.assertEqual(before, self.cert_b)

    def test_trend_reads_the_job_held_each_month(self):
        after = self.required_in_trend(self.after.replace(day=1))
        self.assertEqual(after, self.cert_b)
        before = self.required_in_trend(self.before.replace(day=1))
        expected = self.cert_a if compat.POSITION_HISTORY else self.cert_b
        self.assertEqual(before, expected)
