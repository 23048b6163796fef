# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Every database rule of the addon exists and refuses what it must, on each
Odoo series (18.0 reads ``_sql_constraints``, 19.0 only ``models.Constraint``:
``compat.Constraint`` declares them for both). Each rule is broken by SQL, the
way nothing in Python can stop, and must be refused by PostgreSQL itself."""

from psycopg2 import IntegrityError

from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from .common import CertificationCase, make_course, make_learning_plan

# (table, constraint name without the table prefix)
RULES = [
    ("certification_award", "verification_token_uniq"),
    ("certification_award", "open_badge_status_index_uniq"),
    ("certification_award", "open_badge_status_index_range"),
    ("certification_award_reminder_sent", "award_reminder_uniq"),
    ("certification_external_training", "hours_positive"),
    ("slide_channel", "enrollment_validity_days_positive"),
    ("slide_learning_plan", "enrollment_validity_days_positive"),
    ("certification_program", "validity_number_positive"),
    ("certification_program", "minimum_active_days_positive"),
    ("certification_program", "grace_period_days_positive"),
    ("certification_program", "recertification_window_positive"),
    ("certification_reminder", "interval_number_positive"),
    ("certification_signing_key", "kid_uniq"),
    ("slide_channel", "code_uniq"),
    ("slide_learning_plan", "code_uniq"),
    ("slide_learning_plan_line", "plan_channel_uniq"),
    ("slide_learning_plan_partner", "plan_partner_uniq"),
    ("certification_credential_revocation", "company_index_uniq"),
    ("certification_credential_revocation", "status_index_range"),
]


@tagged("post_install", "-at_install")
class TestDatabaseRules(CertificationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.awards = env["certification.award"]._issue_awards(
            [
                {"program_id": cls.program.id, "partner_id": learner.partner_id.id}
                for learner in (cls.learner, cls.employee_learner)
            ]
        )
        cls.courses = cls.course | make_course(env, name="Second", code="SECOND")
        cls.plans = make_learning_plan(env, cls.courses, code="P1") | (
            make_learning_plan(env, cls.courses, name="Other path", code="P2")
        )
        env["slide.learning.plan.partner"].create(
            [
                {"plan_id": cls.plans[0].id, "partner_id": learner.partner_id.id}
                for learner in (cls.learner, cls.employee_learner)
            ]
        )
        cls.reminder = env["certification.reminder"].create(
            {"program_id": cls.program.id, "interval_number": 7}
        )
        cls.training = env["certification.external.training"].create(
            {
                "name": "First aid",
                "partner_id": cls.learner.partner_id.id,
                "date_completed": "2024-01-10",
                "certification_program_id": cls.program.id,
                "hours": 8,
            }
        )
        other_company = env["res.company"].create({"name": "Rules Company"})
        Key = env["certification.signing.key"].sudo()
        cls.keys = Key._get_current_key(env.company) | Key._get_current_key(
            other_company
        )
        env.flush_all()

    def _break(self, statement):
        """Run ``statement``; the constraint it breaks is returned (the
        statement is undone)."""
        with (
            self.assertRaises(IntegrityError) as caught,
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            for part in statement:
                self.env.cr.execute(part)
        return caught.exception.diag.constraint_name

    def _violations(self):
        """{(table, rule): the SQL statements that break the rule}."""
        award, other = self.awards
        line, other_line = self.plans[0].line_ids[:2]
        member, other_member = self.plans[0].enrollment_ids[:2]
        key, other_key = self.keys
        company = self.env.company.id
        revocation = SQL(
            "INSERT INTO certification_credential_revocation "
            "(company_id, status_index, award_id, reason, revoked_on) "
            "VALUES (%s, %s, %s, 'deleted', now())",
            company,
            7,
            award.id,
        )
        marker = SQL(
            "INSERT INTO certification_award_reminder_sent "
            "(award_id, reminder_id, date_sent) VALUES (%s, %s, now())",
            award.id,
            self.reminder.id,
        )

        def copy(table, record, source, columns):
            cols = SQL(", ").join(SQL.identifier(c) for c in columns)
            return SQL(
                "UPDATE %s SET (%s) = (SELECT %s FROM %s WHERE id = %s) WHERE id = %s",
                SQL.identifier(table),
                cols,
                cols,
                SQL.identifier(table),
                source.id,
                record.id,
            )

        def negative(table, record, column, value=-1):
            return SQL(
                "UPDATE %s SET %s = %s WHERE id = %s",
                SQL.identifier(table),
                SQL.identifier(column),
                value,
                record.id,
            )

        place = SQL(
            "UPDATE certification_award SET open_badge_company_id = %s, "
            "open_badge_status_index = 5 WHERE id IN %s",
            company,
            tuple(self.awards.ids),
        )
        return {
            ("certification_award", "verification_token_uniq"): [
                copy("certification_award", other, award, ["verification_token"])
            ],
            ("certification_award", "open_badge_status_index_uniq"): [place],
            ("certification_award", "open_badge_status_index_range"): [
                negative("certification_award", award, "open_badge_status_index")
            ],
            ("certification_award_reminder_sent", "award_reminder_uniq"): [
                marker,
                marker,
            ],
            ("certification_external_training", "hours_positive"): [
                negative("certification_external_training", self.training, "hours")
            ],
            ("slide_channel", "enrollment_validity_days_positive"): [
                negative("slide_channel", self.course, "enrollment_validity_days")
            ],
            ("certification_program", "validity_number_positive"): [
                negative("certification_program", self.program, "validity_number")
            ],
            ("certification_program", "minimum_active_days_positive"): [
                negative("certification_program", self.program, "minimum_active_days")
            ],
            ("certification_program", "grace_period_days_positive"): [
                negative("certification_program", self.program, "grace_period_days")
            ],
            ("certification_program", "recertification_window_positive"): [
                negative(
                    "certification_program",
                    self.program,
                    "recertification_window_days",
                )
            ],
            ("certification_reminder", "interval_number_positive"): [
                negative("certification_reminder", self.reminder, "interval_number")
            ],
            ("certification_signing_key", "kid_uniq"): [
                copy("certification_signing_key", other_key, key, ["kid"])
            ],
            ("slide_channel", "code_uniq"): [
                copy("slide_channel", self.courses[1], self.course, ["code"])
            ],
            ("slide_learning_plan_line", "plan_channel_uniq"): [
                copy("slide_learning_plan_line", other_line, line, ["channel_id"])
            ],
            ("slide_learning_plan_partner", "plan_partner_uniq"): [
                copy(
                    "slide_learning_plan_partner", other_member, member, ["partner_id"]
                )
            ],
            ("certification_credential_revocation", "company_index_uniq"): [
                revocation,
                revocation,
            ],
            ("certification_credential_revocation", "status_index_range"): [
                SQL(
                    "INSERT INTO certification_credential_revocation "
                    "(company_id, status_index, award_id, reason, revoked_on) "
                    "VALUES (%s, -1, %s, 'deleted', now())",
                    company,
                    award.id,
                )
            ],
            ("slide_learning_plan", "enrollment_validity_days_positive"): [
                negative(
                    "slide_learning_plan", self.plans[0], "enrollment_validity_days"
                )
            ],
            ("slide_learning_plan", "code_uniq"): [
                copy("slide_learning_plan", self.plans[1], self.plans[0], ["code"])
            ],
        }

    def test_every_rule_refuses_its_violation(self):
        violations = self._violations()
        for table, name in RULES:
            with self.subTest(rule=f"{table}_{name}"):
                self.assertEqual(
                    self._break(violations[table, name]), f"{table}_{name}"
                )

    def test_rules_are_the_addons_own(self):
        """Odoo records each rule as the addon's (``ir.model.constraint``), so
        that an uninstall drops it."""
        names = {f"{table}_{name}" for table, name in RULES}
        constraints = self.env["ir.model.constraint"].search(
            [("name", "in", list(names)), ("type", "in", ("u", "c"))]
        )
        self.assertEqual(set(constraints.mapped("name")), names)
        self.assertEqual(
            set(constraints.module.mapped("name")), {"certifications_retraining"}
        )
