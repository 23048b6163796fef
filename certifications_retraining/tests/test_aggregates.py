# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Lists and pivots sum only what can be summed: a grouped list or a pivot
(``read_group`` with the field names, as the web client groups them: each
field's own aggregator, none given) shows no total of intervals,
validity numbers, sequences or days."""

from .common import CertificationCase

# {model: (group by, [fields a grouped list must not sum])}
NOT_SUMMED = {
    "certification.reminder": ("program_id", ["interval_number", "interval_hours"]),
    "certification.program": (
        "company_id",
        [
            "validity_number",
            "recertification_window_days",
            "grace_period_days",
            "minimum_active_days",
            "sequence",
        ],
    ),
    "certification.award": ("program_id", ["days_to_expiry"]),
    "certification.award.report": ("program_id", ["days_to_expiry"]),
    "slide.channel": ("user_id", ["enrollment_validity_days"]),
}


class TestNoMeaninglessSums(CertificationCase):
    """No sums of intervals, validity numbers, sequences or days in grouped
    lists and pivots."""

    def test_grouped_lists_show_no_meaningless_total(self):
        self.env["certification.award"]._issue_awards(
            [{"program_id": self.program.id, "partner_id": self.learner.partner_id.id}]
        )
        self.env.flush_all()
        for model, (groupby, names) in NOT_SUMMED.items():
            groups = self.env[model].read_group([], names, [groupby])
            self.assertTrue(groups, model)
            for name in names:
                self.assertNotIn(name, groups[0], f"{model}.{name} is summed")
