# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Issue 23 ("First ten minutes, round three"): what the back office shows."""

from datetime import datetime, timedelta
from pathlib import Path

from freezegun import freeze_time
from lxml import etree

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

from .common import CertificationCase, make_portal_learner, make_program


@tagged("post_install", "-at_install")
class TestFirstTenMinutes(CertificationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Award = cls.env["certification.award"]
        cls.award = cls.Award._issue_awards(
            [{"program_id": cls.program.id, "partner_id": cls.learner.partner_id.id}]
        )

    def arch(self, model, view_type, xmlid=None):
        view_id = self.env.ref(xmlid).id if xmlid else False
        views = self.env[model].get_views([(view_id, view_type)])
        return etree.fromstring(views["views"][view_type]["arch"])

    # item 1 -------------------------------------------------------------

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

    # item 3 -------------------------------------------------------------

    def test_wizard_actions_drop_the_wizard_id(self):
        """Actions returned by wizards carry no active_id: the web client
        would keep the wizard's id in the URL and a reload would read it as a
        record of the previous action."""
        wizard = self.env["certification.compliance.date"].create({})
        action = wizard.action_open_report()
        self.assertIs(action["context"]["active_id"], False)
        self.assertEqual(action["context"]["active_ids"], [])
        self.assertIn("certification_compliance_date", str(action["context"]))
        job = self.env["certification.job"].create(
            {"job_type": "import", "name": "Import x.csv"}
        )
        job_action = job._get_form_action()
        self.assertEqual(job_action["res_id"], job.id)
        self.assertIs(job_action["context"]["active_id"], False)

    # item 6 -------------------------------------------------------------

    def test_analysis_graph_and_days_to_expiry(self):
        graph = self.arch("certification.award.report", "graph")
        self.assertEqual(graph.get("js_class"), "certification_award_graph")
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

    # item 7 -------------------------------------------------------------

    def test_reminder_rows_show_the_template_each_recipient_gets(self):
        manager_template = self.env.ref(
            "certifications_retraining.mail_template_certification_manager_reminder"
        )
        rules = self.env["certification.reminder"].create(
            [
                {"program_id": self.program.id, "recipient": recipient}
                for recipient in ("learner", "manager", "both")
            ]
        )
        self.assertEqual(
            [rule.manager_template_id for rule in rules],
            [self.env["mail.template"], manager_template, manager_template],
        )
        arch = self.arch(
            "certification.reminder",
            "list",
            "certifications_retraining.certification_reminder_view_list",
        )
        template = arch.find(".//field[@name='template_id']")
        self.assertEqual(template.get("invisible"), "recipient == 'manager'")
        program = arch.find(".//field[@name='program_id']")
        self.assertEqual(program.get("placeholder"), "All new certifications")
        self.assertEqual(program.get("widget"), "certification_reminder_program")

    # item 9 -------------------------------------------------------------

    def test_awarded_users_short_button_labels(self):
        arch = self.arch(
            "certification.award",
            "list",
            "certifications_retraining.certification_award_view_list",
        )
        labels = [button.get("string") for button in arch.iterfind(".//header/button")]
        self.assertEqual(labels, ["Award", "Import CSV"])

    # item 10 ------------------------------------------------------------

    def test_consistency_check_title_fix_text_and_message(self):
        Check = self.env["certification.consistency.check"].with_user(self.officer)
        action = Check.action_open()
        check = Check.browse(action["res_id"])
        self.assertTrue(check.exists(), "the menu opens a saved check (no 'New')")
        self.assertEqual(check.display_name, "Consistency Check")
        self.assertEqual(action["target"], "current")
        past = fields.Datetime.now() - timedelta(days=1)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE certification_award SET date_expiry = %s, date_grace_end = %s "
                "WHERE id = %s",
                past,
                past,
                self.award.id,
            )
        )
        self.env.invalidate_all()
        self.assertIs(check.action_refresh(), True, "checks again in place")
        line = check.line_ids.filtered(lambda line: line.code == "valid_past_expiry")
        line = line.with_context(active_test=False)
        self.assertIn(self.award, line.award_ids)
        count = len(line.award_ids)
        awards = "1 award" if count == 1 else f"{count} awards"
        self.assertEqual(line.fix_summary, f"Mark {awards} as expired")
        confirm = line.action_confirm_fix()
        self.assertEqual((confirm["res_id"], confirm["target"]), (line.id, "new"))
        done = line.action_fix()
        self.assertEqual(done["tag"], "display_notification")
        self.assertEqual(done["params"]["message"], f"Fixed: Mark {awards} as expired.")
        self.assertEqual(self.award.state, "expired")

    # item 11 ------------------------------------------------------------

    def test_audit_log_rows_for_humans(self):
        self.officer.write({"tz": "America/New_York"})
        Log = self.env["certification.audit.log"].with_user(self.officer)
        issue = Log.search([("award_id", "=", self.award.id), ("action", "=", "issue")])
        self.assertIn("state=valid", issue.new_value, "raw values stay stored")
        lines = issue.new_value_display.splitlines()
        self.assertIn(f"{self.award._fields['state'].string}: Valid", lines)
        self.assertFalse([line for line in lines if "=" in line])
        revoked_on = datetime(2024, 1, 15, 3, 0)
        with freeze_time(revoked_on):
            self.award._revoke("Issued by mistake")
        row = Log.search(
            [("award_id", "=", self.award.id), ("field_name", "=", "revoked_on")]
        )
        self.assertEqual(row.field_label, self.award._fields["revoked_on"].string)
        # 03:00 UTC is the evening before in New York, in the user's format
        self.assertEqual(row.new_value_display, "01/14/2024 22:00:00")
        self.assertEqual(row.new_value, "2024-01-15T03:00:00Z")
        state = Log.search(
            [("award_id", "=", self.award.id), ("field_name", "=", "state")], limit=1
        )
        self.assertEqual(
            (state.field_label, state.old_value_display, state.new_value_display),
            (self.award._fields["state"].string, "Valid", "Archived"),
        )

    # item 15 ------------------------------------------------------------

    def test_make_run_says_how_long_the_first_start_takes(self):
        run_sh = Path(__file__).resolve().parents[2] / "tools" / "run.sh"
        text = run_sh.read_text()
        self.assertIn("about a minute", text)
        self.assertNotIn("a few minutes", text)


@tagged("post_install", "-at_install")
class TestFirstTenMinutesTours(HttpCase):
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

    def test_tour_reminder_rules(self):
        program = make_program(self.env, name="Tour Rules Certification")
        self.env["certification.reminder"].create(
            {"program_id": program.id, "recipient": "manager", "interval_number": 3}
        )
        self.start_tour(
            "/odoo", "certifications_retraining_reminder_rules", login="admin"
        )

    def test_tour_consistency_fix(self):
        program = make_program(self.env, name="Tour Consistency Certification")
        learner = make_portal_learner(self.env, login="tour_consistency")
        award = self.env["certification.award"]._issue_awards(
            [{"program_id": program.id, "partner_id": learner.partner_id.id}]
        )
        past = fields.Datetime.now() - timedelta(days=1)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE certification_award SET date_expiry = %s, date_grace_end = %s "
                "WHERE id = %s",
                past,
                past,
                award.id,
            )
        )
        self.env.invalidate_all()
        self.start_tour("/odoo", "certifications_retraining_consistency", login="admin")
        self.assertEqual(award.state, "expired")

    def test_tour_audit_log_readable(self):
        program = make_program(self.env, name="Tour Readable Certification")
        learner = make_portal_learner(
            self.env, login="tour_readable", name="Tour Readable Learner"
        )
        self.env["certification.award"]._issue_awards(
            [{"program_id": program.id, "partner_id": learner.partner_id.id}]
        )
        self.start_tour(
            "/odoo", "certifications_retraining_audit_readable", login="admin"
        )
