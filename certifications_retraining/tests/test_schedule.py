# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The date rules (``tools/schedule.py``): table-driven tests on the pure functions,
then a few through the ORM (the one door, the expiry cron, renewals in grace,
the preview against real awards)."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tests.common import BaseCase

from ..tools import schedule
from ..tools.schedule import ScheduleRule as Rule
from .common import CertificationCase, make_program

BXL = "Europe/Brussels"
UTC = "UTC"
OVERDUE = "renew it before 01/11/2025"


def d(*args):
    return datetime(*args)


# (label, rule, tz, issued, previous expiry, previous grace end, expected expiry,
#  expected grace end) -- all instants as LOCAL wall-clock times of ``tz``.
# fmt: off
CASES = [
    # --- completion base: every unit ---
    ("days", Rule(30, "days"), UTC, d(2024, 1, 15), None, None,
     d(2024, 2, 14), d(2024, 2, 14)),
    ("weeks keep the time", Rule(2, "weeks"), UTC, d(2024, 1, 15, 10), None, None,
     d(2024, 1, 29, 10), d(2024, 1, 29, 10)),
    ("31 Jan + 1 month", Rule(1, "months"), UTC, d(2023, 1, 31, 9), None, None,
     d(2023, 2, 28, 9), d(2023, 2, 28, 9)),
    ("31 Jan + 1 month, leap year", Rule(1, "months"), UTC, d(2024, 1, 31), None,
     None, d(2024, 2, 29), d(2024, 2, 29)),
    ("31 Mar + 3 months", Rule(3, "months"), UTC, d(2024, 3, 31), None, None,
     d(2024, 6, 30), d(2024, 6, 30)),
    ("29 Feb + 1 year", Rule(1, "years"), UTC, d(2024, 2, 29), None, None,
     d(2025, 2, 28), d(2025, 2, 28)),
    ("29 Feb + 4 years", Rule(4, "years"), UTC, d(2024, 2, 29), None, None,
     d(2028, 2, 29), d(2028, 2, 29)),
    ("Brussels 1 July + 6 months = 1 January", Rule(6, "months"), BXL, d(2024, 7, 1),
     None, None, d(2025, 1, 1), d(2025, 1, 1)),
    ("Brussels day across spring DST", Rule(1, "days"), BXL, d(2024, 3, 30, 9), None,
     None, d(2024, 3, 31, 9), d(2024, 3, 31, 9)),
    ("Brussels week across autumn DST", Rule(1, "weeks"), BXL, d(2024, 10, 20), None,
     None, d(2024, 10, 27), d(2024, 10, 27)),
    ("Brussels DST gap moves forward", Rule(5, "weeks"), BXL, d(2024, 2, 25, 2, 30),
     None, None, d(2024, 3, 31, 3, 30), d(2024, 3, 31, 3, 30)),
    ("completion ignores the previous expiry", Rule(1, "years"), UTC, d(2024, 6, 1),
     d(2024, 12, 31), d(2024, 12, 31), d(2025, 6, 1), d(2025, 6, 1)),
    # --- minimum active period ---
    ("minimum active adds whole periods", Rule(30, "days", minimum_active_days=45),
     UTC, d(2024, 1, 1), None, None, d(2024, 3, 1), d(2024, 3, 1)),
    ("minimum active shorter than validity", Rule(1, "years", minimum_active_days=182),
     UTC, d(2024, 1, 1), None, None, d(2025, 1, 1), d(2025, 1, 1)),
    # --- grace ---
    ("grace days", Rule(1, "years", grace_period_days=14), UTC, d(2024, 6, 1), None,
     None, d(2025, 6, 1), d(2025, 6, 15)),
    ("grace across spring DST keeps the local time",
     Rule(1, "weeks", grace_period_days=7), BXL, d(2024, 3, 18, 10), None, None,
     d(2024, 3, 25, 10), d(2024, 4, 1, 10)),
    ("never expires", Rule(0, "years", grace_period_days=14), UTC, d(2024, 6, 1),
     None, None, None, None),
    # --- expiry base ---
    ("expiry: first award counts from the issue", Rule(1, "years", "expiry"), UTC,
     d(2024, 5, 5), None, None, d(2025, 5, 5), d(2025, 5, 5)),
    ("expiry: early renewal loses no time", Rule(1, "years", "expiry"), UTC,
     d(2024, 11, 1), d(2024, 12, 31), d(2024, 12, 31), d(2025, 12, 31),
     d(2025, 12, 31)),
    ("expiry: late renewal without grace counts from the issue",
     Rule(1, "years", "expiry"), UTC, d(2025, 2, 1), d(2024, 12, 31), d(2024, 12, 31),
     d(2026, 2, 1), d(2026, 2, 1)),
    ("expiry: renewal in grace keeps the rhythm",
     Rule(1, "years", "expiry", grace_period_days=30), UTC, d(2025, 1, 15),
     d(2024, 12, 31), d(2025, 1, 30), d(2025, 12, 31), d(2026, 1, 30)),
    ("expiry: renewal in grace restarts the cycle with the flag",
     Rule(1, "years", "expiry", grace_period_days=30, grace_restarts_cycle=True), UTC,
     d(2025, 1, 15), d(2024, 12, 31), d(2025, 1, 30), d(2026, 1, 15), d(2026, 2, 14)),
    ("expiry: renewal after the grace counts from the issue",
     Rule(1, "years", "expiry", grace_period_days=30), UTC, d(2025, 2, 5),
     d(2024, 12, 31), d(2025, 1, 30), d(2026, 2, 5), d(2026, 3, 7)),
    ("expiry: minimum active adds periods to the previous expiry",
     Rule(1, "months", "expiry", minimum_active_days=45), UTC, d(2024, 12, 20),
     d(2024, 12, 31), d(2024, 12, 31), d(2025, 2, 28), d(2025, 2, 28)),
    ("expiry: end of month from the previous expiry", Rule(1, "months", "expiry"),
     UTC, d(2024, 1, 20), d(2024, 1, 31), d(2024, 1, 31), d(2024, 2, 29),
     d(2024, 2, 29)),
    ("expiry: Brussels previous expiry 1 July + 6 months",
     Rule(6, "months", "expiry"), BXL, d(2024, 6, 15), d(2024, 7, 1), d(2024, 7, 1),
     d(2025, 1, 1), d(2025, 1, 1)),
    ("expiry: weeks", Rule(2, "weeks", "expiry"), UTC, d(2024, 3, 1),
     d(2024, 3, 4), d(2024, 3, 4), d(2024, 3, 18), d(2024, 3, 18)),
    # --- fixed base: the three examples of the issue ---
    ("fixed: issued 2021-02-28",
     Rule(1, "years", "fixed", date(2020, 12, 31), 182), UTC, d(2021, 2, 28), None,
     None, d(2021, 12, 31), d(2021, 12, 31)),
    ("fixed: issued 2021-07-30",
     Rule(1, "years", "fixed", date(2020, 12, 31), 182), UTC, d(2021, 7, 30), None,
     None, d(2022, 12, 31), d(2022, 12, 31)),
    ("fixed: issued 2019-03-01 (before the anchor)",
     Rule(1, "years", "fixed", date(2020, 12, 31), 182), UTC, d(2019, 3, 1), None,
     None, d(2019, 12, 31), d(2019, 12, 31)),
    # --- fixed base: more ---
    ("fixed: no minimum", Rule(1, "years", "fixed", date(2020, 12, 31)), UTC,
     d(2021, 7, 30, 15), None, None, d(2021, 12, 31), d(2021, 12, 31)),
    ("fixed: issued at the fixed date's midnight",
     Rule(1, "years", "fixed", date(2020, 12, 31)), UTC, d(2021, 12, 31), None, None,
     d(2022, 12, 31), d(2022, 12, 31)),
    ("fixed: 6 months from a 31st",
     Rule(6, "months", "fixed", date(2020, 12, 31)), UTC, d(2021, 1, 10), None, None,
     d(2021, 6, 30), d(2021, 6, 30)),
    ("fixed: 6 months, second half of the year",
     Rule(6, "months", "fixed", date(2020, 12, 31)), UTC, d(2021, 7, 1), None, None,
     d(2021, 12, 31), d(2021, 12, 31)),
    ("fixed: 2 years", Rule(2, "years", "fixed", date(2020, 12, 31)), UTC,
     d(2023, 3, 1), None, None, d(2024, 12, 31), d(2024, 12, 31)),
    ("fixed: quarterly by weeks", Rule(13, "weeks", "fixed", date(2024, 1, 1)), UTC,
     d(2024, 2, 1), None, None, d(2024, 4, 1), d(2024, 4, 1)),
    ("fixed: every 10 days", Rule(10, "days", "fixed", date(2024, 1, 1)), UTC,
     d(2024, 1, 25), None, None, d(2024, 1, 31), d(2024, 1, 31)),
    ("fixed: leap-day anchor, common year",
     Rule(1, "years", "fixed", date(2024, 2, 29)), UTC, d(2025, 1, 10), None, None,
     d(2025, 2, 28), d(2025, 2, 28)),
    ("fixed: leap-day anchor, leap year",
     Rule(1, "years", "fixed", date(2024, 2, 29)), UTC, d(2027, 6, 1), None, None,
     d(2028, 2, 29), d(2028, 2, 29)),
    ("fixed: Brussels local midnight",
     Rule(1, "years", "fixed", date(2020, 12, 31)), BXL, d(2021, 3, 1, 10), None,
     None, d(2021, 12, 31), d(2021, 12, 31)),
    ("fixed: Brussels summer date", Rule(1, "years", "fixed", date(2020, 7, 1)), BXL,
     d(2021, 3, 1), None, None, d(2021, 7, 1), d(2021, 7, 1)),
    ("fixed: early renewal moves to the next cycle",
     Rule(1, "years", "fixed", date(2020, 12, 31)), UTC, d(2021, 12, 1),
     d(2021, 12, 31), d(2021, 12, 31), d(2022, 12, 31), d(2022, 12, 31)),
    ("fixed: renewal in grace keeps the rhythm",
     Rule(1, "years", "fixed", date(2020, 12, 31), 182, grace_period_days=60), UTC,
     d(2022, 1, 20), d(2021, 12, 31), d(2022, 3, 1), d(2022, 12, 31),
     d(2023, 3, 1)),
    ("fixed: minimum active in grace",
     Rule(1, "years", "fixed", date(2020, 12, 31), 182, grace_period_days=200), UTC,
     d(2022, 7, 10), d(2021, 12, 31), d(2022, 7, 19), d(2023, 12, 31),
     d(2024, 7, 18)),
]
# fmt: on


class TestScheduleRules(BaseCase):
    """The pure functions, no database."""

    def test_table(self):
        self.assertGreaterEqual(len(CASES), 30)
        for label, rule, tz, issued, prev, prev_grace, expiry, grace in CASES:
            with self.subTest(label):

                def utc(local, tz=tz):
                    return local and schedule.to_utc(local, tz)

                got = schedule.compute_expiry(
                    rule, utc(issued), tz, utc(prev), utc(prev_grace)
                )
                self.assertEqual(got, utc(expiry))
                self.assertEqual(schedule.grace_end(rule, got, tz), utc(grace))

    def test_brussels_instants(self):
        """1 July 00:00 in Brussels is 30 June 22:00 UTC; its 6-month expiry is
        31 December 23:00 UTC (not 30 December 22:00)."""
        issued = datetime(2024, 6, 30, 22)
        expiry = schedule.compute_expiry(Rule(6, "months"), issued, BXL)
        self.assertEqual(expiry, datetime(2024, 12, 31, 23))
        self.assertEqual(schedule.local_date(expiry, BXL), date(2025, 1, 1))

    def test_window_start(self):
        rule = Rule(1, "years", window_days=30)
        self.assertEqual(
            schedule.window_start(rule, datetime(2025, 3, 1), UTC),
            datetime(2025, 1, 30),
        )
        self.assertIsNone(schedule.window_start(Rule(1, "years"), d(2025, 3, 1), UTC))
        # on the learner's calendar: 30 days before 1 April 00:00 in Brussels is
        # 2 March 00:00 there (one hour more than 30 x 24 hours, DST)
        expiry = schedule.local_midnight_utc(date(2025, 4, 1), BXL)
        start = schedule.window_start(rule, expiry, BXL)
        self.assertEqual(schedule.local_date(start, BXL), date(2025, 3, 2))
        self.assertEqual(schedule.to_local(start, BXL).hour, 0)

    def test_preview_renews_when_the_window_opens(self):
        rule = Rule(1, "years", "expiry", window_days=30, grace_period_days=14)
        cycles = schedule.local_cycles(
            schedule.preview_cycles(rule, schedule.to_utc(d(2024, 3, 1), BXL), BXL),
            BXL,
        )
        self.assertEqual(
            cycles,
            [
                {
                    "date_issued": date(2024, 3, 1),
                    "window_start": date(2025, 1, 30),
                    "date_expiry": date(2025, 3, 1),
                    "grace_end": date(2025, 3, 15),
                },
                {
                    "date_issued": date(2025, 1, 30),
                    "window_start": date(2026, 1, 30),
                    "date_expiry": date(2026, 3, 1),
                    "grace_end": date(2026, 3, 15),
                },
                {
                    "date_issued": date(2026, 1, 30),
                    "window_start": date(2027, 1, 30),
                    "date_expiry": date(2027, 3, 1),
                    "grace_end": date(2027, 3, 15),
                },
            ],
        )

    def test_fixed_needs_its_date(self):
        with self.assertRaises(ValueError):
            Rule(1, "years", "fixed")


@tagged("post_install", "-at_install")
class TestScheduleAwards(CertificationCase):
    """The rules through the ORM: the one door, the cron, the preview."""

    def setUp(self):
        super().setUp()
        # learners without a timezone count on the company's (demo data: the
        # superuser's is Europe/Brussels)
        self.env.company.partner_id.tz = UTC

    def _award(self, program, issued, partner=None, **vals):
        """An award issued at ``issued``, the clock frozen then."""
        with freeze_time(issued):
            return self.env["certification.award"].create(
                {
                    "program_id": program.id,
                    "partner_id": (partner or self.learner.partner_id).id,
                    "date_issued": issued,
                    **vals,
                }
            )

    def test_learner_calendar_at_issue(self):
        """A Brussels learner issued at local midnight on 1 July
        with 6 months' validity expires on 1 January, her calendar."""
        self.learner.partner_id.tz = BXL
        program = make_program(
            self.env, validity_number=6, validity_unit="months", grace_period_days=10
        )
        award = self._award(program, datetime(2024, 6, 30, 22))
        self.assertEqual(award.date_expiry, datetime(2024, 12, 31, 23))
        self.assertEqual(award.learner_date_expiry, date(2025, 1, 1))
        self.assertEqual(award.date_grace_end, datetime(2025, 1, 10, 23))
        self.assertEqual(award.grace_period_days, 10)

    def test_company_timezone_when_learner_has_none(self):
        self.learner.partner_id.tz = False
        self.env.company.partner_id.tz = BXL
        program = make_program(self.env, validity_number=6, validity_unit="months")
        award = self._award(program, datetime(2024, 6, 30, 22))
        self.assertEqual(award.date_expiry, datetime(2024, 12, 31, 23))

    def test_utc_when_nobody_has_one_whatever_the_requester(self):
        """The requester's timezone (context or user) never
        moves a learner's dates; without any, the calendar is UTC."""
        self.learner.partner_id.tz = False
        self.env.company.partner_id.tz = False
        self.env.user.tz = BXL
        program = make_program(self.env, validity_number=6, validity_unit="months")
        award = (
            self.env["certification.award"]
            .with_context(tz=BXL)
            .create(
                {
                    "program_id": program.id,
                    "partner_id": self.learner.partner_id.id,
                    "date_issued": datetime(2024, 6, 30, 22),
                }
            )
        )
        self.assertEqual(award.date_expiry, datetime(2024, 12, 30, 22))

    def test_fixed_cycle_award(self):
        program = make_program(
            self.env,
            renewal_base="fixed",
            fixed_expiry_date=date(2020, 12, 31),
            minimum_active_days=182,
            grace_period_days=30,
        )
        award = self._award(program, datetime(2021, 7, 30, 9))
        self.assertEqual(award.date_expiry, datetime(2022, 12, 31))
        self.assertEqual(award.date_grace_end, datetime(2023, 1, 30))

    def test_fixed_requires_its_date(self):
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            make_program(self.env, renewal_base="fixed")
        program = make_program(self.env)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            program.write({"renewal_base": "fixed"})
            program.flush_recordset()

    def test_explicit_expiry_wins_and_carries_its_grace(self):
        program = make_program(self.env, grace_period_days=5)
        award = self._award(
            program, datetime(2024, 1, 1), date_expiry=datetime(2024, 3, 1)
        )
        self.assertEqual(award.date_expiry, datetime(2024, 3, 1))
        self.assertEqual(award.date_grace_end, datetime(2024, 3, 6))
        # the rule changes: the award keeps its dates; an expiry edit moves the
        # grace end by the award's own grace length
        program.grace_period_days = 20
        self.assertEqual(award.date_grace_end, datetime(2024, 3, 6))
        award.date_expiry = datetime(2024, 4, 1)
        self.assertEqual(award.date_grace_end, datetime(2024, 4, 6))

    def test_rule_change_keeps_existing_awards(self):
        program = make_program(self.env)
        award = self._award(program, datetime(2024, 1, 1))
        program.write({"validity_number": 3, "grace_period_days": 7})
        self.assertEqual(award.date_expiry, datetime(2025, 1, 1))
        self.assertEqual(award.date_grace_end, datetime(2025, 1, 1))
        with Form(program) as form:
            form.grace_period_days = 9
            # the onchange warning is returned to the client: the form saved fine
        self.assertEqual(program.grace_period_days, 9)
        warning = program._onchange_schedule_warning()
        self.assertIn("Existing awards keep their dates", warning["warning"]["message"])

    def test_issued_in_grace_or_after(self):
        """An award issued late (import of an old record) starts in the state
        of its dates: in grace, or expired once the grace is over."""
        program = make_program(self.env, grace_period_days=30)
        other = self.env["res.partner"].create({"name": "Late Learner"})
        with freeze_time("2025-01-15"):
            in_grace, expired = self.env["certification.award"].create(
                [
                    {
                        "program_id": program.id,
                        "partner_id": self.learner.partner_id.id,
                        "date_issued": datetime(2024, 1, 1),
                    },
                    {
                        "program_id": program.id,
                        "partner_id": other.id,
                        "date_issued": datetime(2023, 11, 1),
                    },
                ]
            )
        self.assertEqual(in_grace.state, "grace")
        self.assertEqual(expired.state, "expired")

    def test_cron_valid_grace_expired(self):
        program = make_program(self.env, grace_period_days=10)
        no_grace = make_program(self.env, name="No Grace")
        other = self.env["res.partner"].create({"name": "Quick Learner"})
        award = self._award(program, datetime(2024, 1, 1))
        plain = self._award(no_grace, datetime(2024, 1, 1), partner=other)
        Award = self.env["certification.award"]
        with freeze_time("2025-01-02"):
            Award._cron_process_expiry()
        self.assertEqual(award.state, "grace")
        self.assertEqual(plain.state, "expired", "no grace: expired directly")
        self.assertEqual(
            self.subjects(award),
            [f"Your certification Forklift Operator is overdue: {OVERDUE}"],
        )
        self.assertIn("in its grace period until", self.mails(award).body_html)
        self.assertEqual(
            self.subjects(plain), ["Your certification No Grace has expired"]
        )
        # no "expires soon" reminder in grace: only the ladder's steps after
        # the expiry remain
        self.assertGreater(
            award.date_next_reminder,
            award.date_expiry,
            "in grace, only reminders after the expiry remain",
        )
        with freeze_time("2025-01-10"):
            self.assertEqual(award._get_portal_status(), "grace")
            Award._cron_process_expiry()
        self.assertEqual(award.state, "grace")
        with freeze_time("2025-01-11 00:00:01"):
            Award._cron_process_expiry()
        self.assertEqual(award.state, "expired")
        self.assertEqual(
            self.subjects(award)[-1], "Your certification Forklift Operator has expired"
        )
        self.assertEqual(len(self.subjects(award)), 2)

    def mails(self, awards):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "certification.award"),
                ("res_id", "in", awards.ids),
                ("subject", "not ilike", "expires in"),
                ("subject", "not ilike", "Certification issued"),
            ],
            order="id",
        )

    def subjects(self, awards):
        return self.mails(awards).mapped("subject")

    def test_cron_batches_grace_ends(self):
        program = make_program(self.env, grace_period_days=1)
        partners = self.env["res.partner"].create(
            [{"name": f"Learner {i}"} for i in range(3)]
        )
        with freeze_time("2024-01-01"):
            awards = self.env["certification.award"].create(
                [
                    {
                        "program_id": program.id,
                        "partner_id": p.id,
                        "date_issued": datetime(2024, 1, 1),
                    }
                    for p in partners
                ]
            )
        Award = self.env["certification.award"]
        with freeze_time("2025-01-01 12:00"):
            self.assertTrue(Award._cron_process_expiry(batch_size=2))
            Award._cron_process_expiry(batch_size=2)
        self.assertEqual(set(awards.mapped("state")), {"grace"})
        with freeze_time("2025-01-03"):
            self.assertTrue(Award._cron_process_expiry(batch_size=2))
            self.assertFalse(Award._cron_process_expiry(batch_size=2))
        self.assertEqual(set(awards.mapped("state")), {"expired"})

    def _renew(self, award, issued):
        with freeze_time(issued):
            return self.env["certification.award"]._issue_awards(
                [
                    {
                        "program_id": award.program_id.id,
                        "partner_id": award.partner_id.id,
                        "date_issued": issued,
                    }
                ]
            )

    def test_renewal_in_grace_keeps_the_rhythm(self):
        program = make_program(self.env, renewal_base="expiry", grace_period_days=30)
        self.course.certification_program_id = program
        award = self._award(program, datetime(2024, 1, 1))
        with freeze_time("2025-01-15"):
            self.env["certification.award"]._cron_process_expiry()
            self.assertEqual(award.state, "grace")
            self.assertTrue(award.can_renew)
            renewal = self._renew(award, datetime(2025, 1, 15))
        self.assertEqual(renewal.previous_award_id, award)
        self.assertEqual(renewal.date_expiry, datetime(2026, 1, 1))
        self.assertEqual(renewal.state, "valid")

    def test_renewal_in_grace_restarts_with_the_flag(self):
        program = make_program(
            self.env,
            renewal_base="expiry",
            grace_period_days=30,
            grace_restarts_cycle=True,
        )
        award = self._award(program, datetime(2024, 1, 1))
        with freeze_time("2025-01-15"):
            renewal = self._renew(award, datetime(2025, 1, 15))
        self.assertEqual(renewal.date_expiry, datetime(2026, 1, 15))

    def test_grace_in_analysis_report(self):
        program = make_program(self.env, grace_period_days=30)
        award = self._award(program, datetime(2024, 1, 1))
        with freeze_time("2025-01-15"):
            self.env["certification.award"]._cron_process_expiry()
        row = self.env["certification.award.report"].search(
            [("award_id", "=", award.id)]
        )
        self.assertEqual(row.state, "grace")
        self.assertEqual(row.date_grace_end, date(2025, 1, 31))  # the learner's date

    def test_grant_wizard_default_expiry_counted_per_learner(self):
        """The grant wizard shows the rule's expiry for a first award but leaves
        it to the one door: a renewal with the previous-expiry base keeps its
        rhythm; a date the officer typed is kept as given."""
        self.env.user.tz = UTC  # the requester's calendar for the wizard's dates
        program = make_program(self.env, renewal_base="expiry")
        old = self._award(program, datetime(2024, 12, 31))
        with freeze_time("2025-11-01"):
            wizard = self.env["certification.program.grant"].create(
                {
                    "program_id": program.id,
                    "user_ids": [Command.set(self.learner.ids)],
                    "date_issued": date(2025, 11, 1),
                }
            )
            self.assertEqual(wizard.date_expiry, date(2026, 11, 1))
            wizard.action_confirm()
        renewal = old.next_award_ids
        self.assertEqual(renewal.date_expiry, datetime(2026, 12, 31))
        with freeze_time("2026-11-01"):
            wizard = self.env["certification.program.grant"].create(
                {
                    "program_id": program.id,
                    "user_ids": [Command.set(self.learner.ids)],
                    "date_issued": date(2026, 11, 1),
                    "date_expiry": date(2027, 5, 1),
                }
            )
            wizard.action_confirm()
        self.assertEqual(renewal.next_award_ids.date_expiry, datetime(2027, 5, 1))

    def test_verification_page_in_grace(self):
        program = make_program(self.env, grace_period_days=30)
        award = self._award(program, datetime(2024, 1, 1))
        with freeze_time("2025-01-15"):
            values = award._prepare_verification_values()
        self.assertEqual(values["status"], "grace")
        self.assertEqual(values["date_grace_end"], date(2025, 1, 31))

    def test_preview_equals_real_awards(self):
        """The preview and the one door give the same dates: first award on
        the sample date, renewals when the window opens."""
        self.env.user.tz = BXL
        self.learner.partner_id.tz = BXL
        program = make_program(
            self.env,
            validity_number=6,
            validity_unit="months",
            renewal_base="fixed",
            fixed_expiry_date=date(2020, 12, 31),
            minimum_active_days=90,
            recertification_window_days=45,
            grace_period_days=15,
        ).with_context(tz=BXL)
        preview = program._preview_cycles(date(2024, 8, 20))
        self.assertEqual(len(preview), 3)
        # 2024-12-31 leaves 133 days (>= 90); the window opens 45 days before
        self.assertEqual(preview[0]["date_expiry"], date(2024, 12, 31))
        self.assertEqual(preview[1]["date_issued"], date(2024, 11, 16))
        self.assertEqual(preview[1]["date_expiry"], date(2025, 6, 30))
        award = self.env["certification.award"]
        for cycle in preview:
            issued = schedule.local_midnight_utc(cycle["date_issued"], BXL)
            award = (
                self._award(program, issued)
                if not award
                else self._renew(award, issued)
            )
            self.assertEqual(
                {
                    "date_issued": award._to_learner_date(award.date_issued),
                    "window_start": award._to_learner_date(
                        award._get_renewal_window_start()
                    ),
                    "date_expiry": award.learner_date_expiry,
                    "grace_end": award.learner_date_grace_end,
                },
                cycle,
            )

    def test_preview_on_the_form(self):
        with Form(self.env["certification.program"]) as form:
            form.name = "Yearly on 31 December"
            form.renewal_base = "fixed"
            self.assertIn("Set the fixed expiry date", form.schedule_preview)
            form.fixed_expiry_date = date(2020, 12, 31)
            form.preview_date_issued = date(2021, 7, 30)
            form.minimum_active_days = 182
            self.assertIn("12/31/2022", form.schedule_preview)
            form.minimum_active_days = 0
            self.assertIn("12/31/2021", form.schedule_preview)
            self.assertNotIn(
                "12/31/2022</td><td>", form.schedule_preview.split("<tr>")[2]
            )
