# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""What a new admin, learner and HR officer trip over in their first minutes
(issue 14, defects 1 to 10): one test class per defect."""

import ast
import base64
import io
import json
from datetime import datetime

from freezegun import freeze_time

from odoo.tests import Form, HttpCase, tagged
from odoo.tools.pdf import PdfFileReader

from .common import (
    CertificationCase,
    complete_course,
    current_award,
    make_course,
    make_learning_plan,
    make_portal_learner,
    make_program,
)

CSV = (
    "username,certification_code,certification_issue_date,always_valid,"
    "certification_expire_date,type,code\n"
    "learner_portal,FORK,2024-01-15,1,,manual,\n"
)


class TestAssignWizardInfoBox(CertificationCase):
    """Defect 1: no info box holding "[]" when no item moves."""

    def test_no_warning_when_no_item_moves(self):
        free = make_course(self.env, name="Free Course", code="FREE-1")
        wizard = Form(
            self.env["certification.program.assign"].with_context(
                default_program_id=self.program.id
            )
        )
        wizard.channel_ids.add(free)
        self.assertFalse(wizard.reassigned_warning)

    def test_warning_names_the_moving_item(self):
        other = make_program(self.env, name="Other", code="OTH")
        wizard = self.env["certification.program.assign"].create(
            {"program_id": other.id, "channel_ids": [(6, 0, self.course.ids)]}
        )
        self.assertIn(self.course.name, wizard.reassigned_warning)
        self.assertNotIn("[", wizard.reassigned_warning)


class TestAssignedItemsButtons(CertificationCase):
    """Defect 2: the smart buttons open what they count, plans included."""

    def test_buttons_open_courses_and_learning_plans(self):
        plan = make_learning_plan(self.env, self.course, name="Fork Plan")
        plan.certification_program_id = self.program
        self.assertEqual(self.program.item_count, 2)
        self.assertEqual(
            (self.program.channel_count, self.program.learning_plan_count), (1, 1)
        )
        courses = self.env["slide.channel"].search(
            self.program.action_view_items()["domain"]
        )
        plans = self.env["slide.learning.plan"].search(
            self.program.action_view_learning_plans()["domain"]
        )
        self.assertEqual((courses, plans), (self.course, plan))


@tagged("post_install", "-at_install")
class TestImportPreviewReadsFile(CertificationCase):
    """Defect 3: the preview reads the file, not the size the web client holds."""

    def test_preview_with_bin_size(self):
        wizard = self.env["certification.award.import"].create(
            {"file": base64.b64encode(CSV.encode())}
        )
        wizard.action_next()
        as_client = wizard.with_context(bin_size=True)
        self.assertRegex(str(as_client.file), r"^\d+ bytes$")
        self.assertIn("o_certification_import_preview", as_client.preview)
        self.assertIn("learner_portal", as_client.preview)
        self.assertNotIn("charset", as_client.preview)

    def test_web_read_preview(self):
        wizard = self.env["certification.award.import"].create(
            {"file": base64.b64encode(CSV.encode())}
        )
        wizard.action_next()
        wizard.invalidate_recordset()
        data = wizard.with_context(bin_size=True).web_read({"file": {}, "preview": {}})[
            0
        ]
        self.assertIn("learner_portal", data["preview"])


class TestPluralsAndUnits(CertificationCase):
    """Defect 4: singular and plural wording, "Never expires" for 0."""

    def test_program_labels(self):
        program = make_program(self.env, name="One", validity_number=1)
        self.assertEqual(program.validity_label, "Valid for 1 year")
        self.assertEqual(program.award_count_label, "0 learners awarded")
        self.assertEqual(program.item_count_label, "0 items")
        program.validity_unit = "months"
        program.validity_number = 6
        self.assertEqual(program.validity_label, "Valid for 6 months")
        program.validity_number = 0
        self.assertEqual(program.validity_label, "Never expires")
        self.env["certification.award"].create(
            {"program_id": self.program.id, "partner_id": self.learner.partner_id.id}
        )
        self.assertEqual(self.program.award_count_label, "1 learner awarded")
        self.assertEqual(self.program.item_count_label, "1 item")

    def test_wizards_word_counts(self):
        wizard = self.env["certification.program.grant"].create(
            {"program_id": self.program.id, "user_ids": [(6, 0, self.learner.ids)]}
        )
        self.assertEqual(
            wizard.learner_count_label,
            "1 learner; 0 already hold it and will be renewed.",
        )
        wizard.action_next()
        wizard.action_confirm()
        self.assertIn("1 learner awarded Forklift Operator.", wizard.summary)
        delete = self.env["certification.program.delete"].create(
            {"program_id": self.program.id}
        )
        self.assertIn("also deletes its award (history", delete.warning)

    def test_no_unit_twice(self):
        field = self.env["slide.channel"]._fields["enrollment_validity_days"]
        self.assertNotIn("(days)", field.string)

    @freeze_time("2024-06-01 12:00:00")
    def test_days_left_label_and_reminder_subject(self):
        award = self.env["certification.award"].create(
            {
                "program_id": self.program.id,
                "partner_id": self.learner.partner_id.id,
                "date_issued": datetime(2023, 6, 1),
                "date_expiry": datetime(2024, 6, 2, 12, 0),
            }
        )
        self.assertEqual(award.days_left_label, "1 day")
        template = self.env.ref(
            "certifications_retraining.mail_template_certification_reminder"
        )
        subject = template._render_field("subject", award.ids)[award.id]
        self.assertTrue(subject.endswith("expires in 1 day"), subject)
        award.date_expiry = datetime(2024, 5, 29, 12, 0)
        self.assertEqual(award.days_left_label, "Expired 3 days ago")
        award.write({"date_expiry": False, "is_always_valid": True})
        self.assertFalse(award.days_left_label)


class TestAwardedUsersPage(CertificationCase):
    """Defect 5: readable days left, Award Users preselects the certification."""

    def test_list_shows_days_left_and_dates(self):
        arch = self.env["certification.award"].get_views([(False, "list")])["views"][
            "list"
        ]["arch"]
        self.assertIn('name="days_left_label"', arch)
        self.assertIn('name="learner_date_expiry"', arch)  # the learner's date
        self.assertIn("o_certification_award_list", arch)

    def test_award_users_preselects_certification(self):
        context = self.program.action_view_awards()["context"]
        # the web client drops default_* keys when a list button opens an action
        kept = {k: v for k, v in context.items() if not k.startswith("default_")}
        wizard = Form(
            self.env["certification.program.grant"]
            .with_user(self.officer)
            .with_context(**kept)
        )
        self.assertEqual(wizard.program_id, self.program)


class TestMenus(CertificationCase):
    """Defect 6: the import is no top-level menu; Configuration > Notifications."""

    def _menus(self):
        root = self.env.ref("certifications_retraining.certification_menu_root")
        return self.env["ir.ui.menu"].search([("id", "child_of", root.id)])

    def test_import_not_a_top_level_menu(self):
        root = self.env.ref("certifications_retraining.certification_menu_root")
        import_action = self.env.ref(
            "certifications_retraining.certification_award_import_action"
        )
        self.assertFalse(
            root.child_id.filtered(lambda m: m.action == import_action),
        )

    def test_notifications_menu(self):
        notifications = self.env.ref(
            "certifications_retraining.certification_notification_menu"
        )
        self.assertEqual(
            notifications.parent_id,
            self.env.ref("certifications_retraining.certification_configuration_menu"),
        )
        actions = {
            menu.action.res_model: menu.action for menu in notifications.child_id
        }
        self.assertEqual(set(actions), {"mail.template", "certification.reminder"})
        template_action = actions["mail.template"]
        templates = self.env["mail.template"].search(
            ast.literal_eval(template_action.domain)
        )
        for xmlid in ("issued", "reminder", "expired"):
            self.assertIn(
                self.env.ref(
                    f"certifications_retraining.mail_template_certification_{xmlid}"
                ),
                templates,
            )


class TestMeaninglessSums(CertificationCase):
    """Defect 8 (outside the compliance report): no sums of intervals, validity
    numbers, sequences or days in lists and pivots."""

    def test_no_aggregator(self):
        fields_by_model = {
            "certification.reminder": ["interval_number", "interval_hours"],
            "certification.program": [
                "validity_number",
                "recertification_window_days",
                "grace_period_days",
                "minimum_active_days",
                "sequence",
            ],
            "certification.award": ["days_to_expiry"],
            "certification.award.report": ["days_to_expiry"],
            "slide.channel": ["enrollment_validity_days"],
        }
        for model, names in fields_by_model.items():
            for name, info in self.env[model].fields_get(names).items():
                self.assertFalse(info.get("aggregator"), f"{model}.{name}")

    def test_reminder_list_group_has_no_sum(self):
        groups = self.env["certification.reminder"].web_read_group(
            [], ["interval_number"], ["program_id"]
        )["groups"]
        self.assertTrue(groups)
        self.assertNotIn("interval_number", groups[0])


class TestJobFormFollowsJob(CertificationCase):
    """Defect 7: the job form is told when the job moves, and opens within the
    Jobs action (a reload keeps a true breadcrumb)."""

    def test_bus_notification_on_progress_and_end(self):
        wizard = self.env["certification.award.import"].create(
            {"file": base64.b64encode(CSV.encode())}
        )
        action = wizard.action_import()
        self.assertEqual(action["path"], "certification-jobs")
        job = self.env["certification.job"].browse(action["res_id"])
        self.env["bus.bus"].search([]).unlink()
        self.env["certification.job"]._cron_process_jobs()
        self.assertEqual(job.state, "done")
        self.env.cr.precommit.run()  # bus notifications are written on commit
        messages = self.env["bus.bus"].search([]).mapped("message")
        updates = [
            json.loads(m)["payload"]
            for m in messages
            if "certification_job_updated" in m
        ]
        self.assertIn({"id": job.id, "state": "running"}, updates)
        self.assertIn({"id": job.id, "state": "done"}, updates)

    def test_form_is_live(self):
        arch = self.env["certification.job"].get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        self.assertIn('js_class="certification_job_form"', arch)


@tagged("post_install", "-at_install")
class TestPortalFirstMinutes(HttpCase):
    """Defect 9: portal icon, Renew now per row, superseded page, banner."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.learner = make_portal_learner(cls.env, login="fm_learner", name="Fay M")
        cls.program = make_program(
            cls.env, name="FM Certification", code="FM", allow_retake=True
        )
        cls.course = make_course(cls.env, name="FM Course", code="FM-101")
        cls.course.certification_program_id = cls.program
        complete_course(cls.course, cls.learner)
        cls.award = current_award(cls.env, cls.program, cls.learner.partner_id)

    def setUp(self):
        super().setUp()
        self.authenticate("fm_learner", "fm_learner")

    def test_home_icon_is_small(self):
        res = self.url_open("/my/home")
        self.assertIn("portal-certification.svg", res.text)
        svg = self.url_open(
            "/certifications_retraining/static/src/img/portal-certification.svg"
        )
        self.assertIn('width="64"', svg.text)

    def test_renew_now_per_row(self):
        res = self.url_open("/my/certifications")
        self.assertIn("o_certification_renew_row", res.text)
        self.assertIn(f"{self.award.access_url}#renew", res.text)
        self.course.sudo().certification_program_id = False
        res = self.url_open("/my/certifications")
        self.assertNotIn("o_certification_renew_row", res.text, "nothing to renew with")

    def test_superseded_page(self):
        new = (
            self.env["certification.award"]
            .sudo()
            ._issue_awards(
                [
                    {
                        "program_id": self.program.id,
                        "partner_id": self.learner.partner_id.id,
                        "date_issued": datetime(2030, 3, 4, 10, 0),
                    }
                ]
            )
        )
        self.assertEqual(self.award.state, "archived")
        res = self.url_open(f"/my/certifications/{self.award.id}")
        self.assertIn("Replaced by", res.text)
        self.assertIn(f'href="{new.access_url}"', res.text)
        self.assertNotIn("o_certification_download", res.text)
        self.assertNotIn("o_certification_linkedin", res.text)
        current = self.url_open(f"/my/certifications/{new.id}")
        self.assertIn("o_certification_download", current.text)

    def test_renewal_banner_on_course_page(self):
        self.award.sudo().action_start_renewal(self.course.sudo())
        res = self.url_open(self.course.website_url)
        self.assertIn("o_wslides_certification_renewal", res.text)
        self.assertIn(
            "You are renewing FM Certification: complete this course to renew it",
            res.text,
        )

    def test_renewal_banner_for_learning_plan(self):
        plan = make_learning_plan(self.env, self.course, name="FM Plan")
        plan.certification_program_id = self.program
        self.env["certification.renewal"].sudo().create(
            {"award_id": self.award.id, "learning_plan_id": plan.id}
        )
        res = self.url_open(self.course.website_url)
        self.assertIn("complete the learning plan FM Plan to renew it", res.text)

    def test_no_banner_for_someone_elses_renewal(self):
        self.award.sudo().action_start_renewal(self.course.sudo())
        make_portal_learner(self.env, login="fm_other", name="Other Learner")
        self.authenticate("fm_other", "fm_other")
        res = self.url_open(self.course.website_url)
        self.assertEqual(res.status_code, 200)
        self.assertNotIn("o_wslides_certification_renewal", res.text)
        self.assertNotIn("You are renewing", res.text)

    def test_no_banner_without_renewal(self):
        res = self.url_open(self.course.website_url)
        self.assertNotIn("o_wslides_certification_renewal", res.text)


@tagged("post_install", "-at_install")
class TestCertificatePdf(HttpCase):
    """Defect 10: a landscape, one-page certificate with the company in the
    body (no reliance on wkhtmltopdf headers). An HttpCase: wkhtmltopdf fetches
    the report's assets from the test server."""

    def test_one_landscape_page(self):
        program = make_program(self.env, name="PDF Certification", code="PDF")
        learner = make_portal_learner(self.env, login="pdf_learner")
        award = self.env["certification.award"].create(
            {"program_id": program.id, "partner_id": learner.partner_id.id}
        )
        report = self.env.ref(
            "certifications_retraining.action_report_certification_award"
        )
        self.assertEqual(report.paperformat_id.orientation, "Landscape")
        html = report._render_qweb_html(report.report_name, award.ids)[0].decode()
        self.assertIn("o_certificate_company", html)
        self.assertIn(award.company_id.name or self.env.company.name, html)
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.report_name, award.ids
        )
        self.assertEqual(kind, "pdf")
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        self.assertEqual(reader.getNumPages(), 1)
        box = reader.getPage(0).mediaBox
        self.assertGreater(float(box.getWidth()), float(box.getHeight()))
