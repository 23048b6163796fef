# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The reporting views: measures that aggregate, the analysis graph, days to expiry."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

from .common import AwardViewsCase, make_portal_learner, make_program


@tagged("post_install", "-at_install")
class TestReportingViews(AwardViewsCase):
    """What the analysis and compliance views show and sum."""

    def test_analysis_measures_can_be_aggregated(self):
        """Certification Analysis crashed: days_to_expiry (aggregator=False)
        was a pivot measure of the view and of the action."""
        Report = self.env["certification.award.report"]
        measures = [
            node.get("name")
            for node in self.arch(Report._name, "pivot").iterfind(".//field")
            if node.get("type") == "measure"
        ]
        action = self.env.ref(
            "certifications_retraining.certification_award_report_action"
        )
        context = safe_eval(action.context or "{}")
        measures += [m for m in context.get("pivot_measures", []) if m != "__count__"]
        for name in measures:
            self.assertTrue(Report._fields[name].aggregator, name)
        self.assertNotIn("days_to_expiry", measures)

    def test_analysis_graph_and_days_to_expiry(self):
        days = self.arch("certification.award.report", "list").find(
            ".//field[@name='days_to_expiry']"
        )
        self.assertEqual(
            days.get("invisible"), "state == 'archived' or not date_expiry"
        )
        # the value itself is empty (not 0) for never-expiring awards
        forever = make_program(self.env, name="Forever", validity_number=0)
        award = self.Award._issue_awards(
            [{"program_id": forever.id, "partner_id": self.learner.partner_id.id}]
        )
        row = self.env["certification.award.report"].search(
            [("award_id", "=", award.id)]
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT days_to_expiry FROM (%s) r WHERE id = %s",
                row._table_query,
                award.id,
            )
        )
        self.assertIsNone(self.env.cr.fetchone()[0])

    def test_compliance_lists_hide_days_without_expiry(self):
        """Missing and never-expiring compliance rows have no expiry: their
        days to expiry are empty, not 0 (compliance report and team view)."""
        for xmlid in (
            "certifications_retraining.certification_compliance_report_view_list",
            "certifications_retraining.certification_compliance_report_view_list_team",
        ):
            days = self.arch("certification.compliance.report", "list", xmlid).find(
                ".//field[@name='days_to_expiry']"
            )
            self.assertEqual(days.get("invisible"), "not date_expiry", xmlid)


@tagged("post_install", "-at_install")
class TestReportingViewsTour(HttpCase):
    """Certification Analysis opens and colours its graph by state."""

    def test_tour_analysis_graph_colours(self):
        """Certification Analysis opens (it crashed) and its graph paints
        valid awards green and expired ones red."""
        program = make_program(self.env, name="Tour Analysis Certification")
        learners = [
            make_portal_learner(self.env, login=f"tour_analysis_{i}") for i in range(2)
        ]
        Award = self.env["certification.award"]
        Award._issue_awards(
            [{"program_id": program.id, "partner_id": learners[0].partner_id.id}]
        )
        now = fields.Datetime.now()
        Award.create(
            {
                "program_id": program.id,
                "partner_id": learners[1].partner_id.id,
                "date_issued": now - timedelta(days=400),
                "date_expiry": now - timedelta(days=10),
            }
        )
        self.start_tour(
            "/odoo", "certifications_retraining_analysis_graph", login="admin"
        )
