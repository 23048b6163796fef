# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Every menu of the Certifications app and our menus under Employees, opened
by Odoo's own click-everywhere bot (``web``'s clickbot, as
``web/tests/test_click_everywhere.py`` runs it) as each role would: every menu,
every view type of its action, every filter; an error dialog fails the test.

The bot takes the xmlid of an app's root menu and clicks every menu of that
app's menu bar; the test asserts which menus it actually opened, so that a bot
that stopped early (or a role that lost a menu) cannot pass silently."""

import json

from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import make_officer

CERT_APP = "certifications_retraining.certification_menu_root"
HR_APP = "hr.menu_hr_root"
SIGNAL = "certification clickbot succeeded"
# Odoo's clickbot, started on one app; its log lines name each menu it opens
# ("Testing menu <name> <xmlid>"): the wrapper collects them and, once the bot
# succeeds, fails unless every expected menu was opened.
CLICKBOT = """
(() => {
    const expected = %(expected)s;
    const tested = new Set();
    const log = console.log.bind(console);
    console.log = (...args) => {
        const message = args.join(" ");
        const menu = message.match(/^Testing menu .* (\\S+\\.\\S+)$/);
        if (menu) {
            tested.add(menu[1]);
        }
        if (message === "clickbot test succeeded") {
            const missing = expected.filter((xmlid) => !tested.has(xmlid));
            if (missing.length) {
                console.error(`The clickbot did not open ${missing.join(", ")}`);
            } else {
                log(`${tested.size} menus opened`);
                log("%(signal)s");
            }
            return;
        }
        log(...args);
    };
    odoo.loader.modules
        .get("@web/webclient/clickbot/clickbot_loader")
        .startClickEverywhere("%(app)s");
})();
"""


@tagged("post_install", "-at_install")
class TestClickEverywhere(HttpCase):
    allow_end_on_form = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        cls.officer = make_officer(cls.env, login="click_officer")
        cls.hr_officer = mail_new_test_user(
            cls.env,
            login="click_hr_officer",
            groups="base.group_user,hr.group_hr_user",
            name="Hugo HR",
        )
        cls.line_manager = mail_new_test_user(
            cls.env,
            login="click_line_manager",
            groups="base.group_user",
            name="Lina Manager",
        )
        boss = cls.env["hr.employee"].create(
            {"name": "Lina Manager", "user_id": cls.line_manager.id}
        )
        cls.env["hr.employee"].create({"name": "Lina's Report", "parent_id": boss.id})
        users = cls.admin | cls.officer | cls.hr_officer | cls.line_manager
        if "tour_enabled" in users._fields:  # no onboarding tour over the bot
            users.tour_enabled = False

    def assert_menus_visible(self, user, expected, hidden=()):
        menus = self.env["ir.ui.menu"].with_user(user).load_menus(False)
        xmlids = {menu["xmlid"] for menu in menus.values() if menu.get("xmlid")}
        self.assertLessEqual(set(expected), xmlids)
        self.assertFalse(set(hidden) & xmlids)

    def assert_clicked(self, user, app, expected, debug=False):
        """Run the clickbot over ``app`` as ``user`` (in debug mode if
        ``debug``): no error dialog, and each of the ``expected`` menus
        (xmlids in this addon) opened."""
        expected = [f"certifications_retraining.{xmlid}" for xmlid in expected]
        self.browser_js(
            "/odoo?debug=1" if debug else "/odoo",
            CLICKBOT % {"expected": json.dumps(expected), "app": app, "signal": SIGNAL},
            "odoo.isReady === true",
            login=user.login,
            timeout=900,
            success_signal=SIGNAL,
        )

    def test_admin(self):
        self.assert_clicked(
            self.admin,
            CERT_APP,
            [
                "certification_program_menu",
                "certification_award_menu",
                "slide_learning_plan_menu",
                "certification_external_training_menu",
                "certification_award_report_menu",
                "certification_award_report_by_user_menu",
                "certification_award_report_by_program_menu",
                "certification_compliance_report_menu",
                "certification_compliance_date_menu",
                "certification_compliance_trend_menu",
                "certification_audit_log_menu",
                "certification_job_menu",
                "certification_renewal_menu",
                "certification_reminder_menu",
                "certification_mail_template_menu",
                "certification_consistency_check_menu",
                "certification_signing_key_menu",
            ],
            debug=True,
        )
        self.assert_clicked(
            self.admin,
            HR_APP,
            [
                "hr_certification_award_report_menu",
                "hr_certification_compliance_report_menu",
                "hr_certification_compliance_date_menu",
                "hr_certification_compliance_trend_menu",
                "hr_certification_audit_log_menu",
                "hr_certification_team_compliance_menu",
                "hr_certification_team_award_menu",
            ],
        )

    def test_certification_officer(self):
        self.assert_menus_visible(
            self.officer,
            [f"{CERT_APP}"],
            hidden=[
                "certifications_retraining.certification_signing_key_menu",
                "certifications_retraining.certification_job_menu",
            ],
        )
        self.assert_clicked(
            self.officer,
            CERT_APP,
            [
                "certification_award_menu",
                "certification_award_report_menu",
                "certification_compliance_report_menu",
                "certification_compliance_date_menu",
                "certification_audit_log_menu",
                "certification_consistency_check_menu",
            ],
        )

    def test_hr_officer(self):
        self.assert_menus_visible(self.hr_officer, [HR_APP], hidden=[CERT_APP])
        self.assert_clicked(
            self.hr_officer,
            HR_APP,
            [
                "hr_certification_award_report_menu",
                "hr_certification_compliance_report_menu",
                "hr_certification_compliance_date_menu",
                "hr_certification_compliance_trend_menu",
                "hr_certification_audit_log_menu",
                "hr_certification_team_compliance_menu",
                "hr_certification_team_award_menu",
            ],
        )

    def test_line_manager(self):
        self.assert_menus_visible(
            self.line_manager,
            [HR_APP, "certifications_retraining.hr_certification_team_award_menu"],
            hidden=[
                CERT_APP,
                "certifications_retraining.hr_certification_award_report_menu",
            ],
        )
        self.assert_clicked(
            self.line_manager,
            HR_APP,
            [
                "hr_certification_team_compliance_menu",
                "hr_certification_team_award_menu",
            ],
        )
