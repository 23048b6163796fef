# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict

import pytz

from odoo import _, api, fields, models
from odoo.tools import format_date

from ..tools import schedule


# One concern per file extending the award (DESIGN.md), not one growing model file.
# pylint: disable=consider-merging-classes-inherited
class CertificationAward(models.Model):
    """The dates of an award as calendar dates of the learner.

    An award stores instants (UTC ``Datetime``): an expiry on 31 December for a
    learner in Brussels is 30 December 23:00 UTC. Shown as a datetime, it is a
    day early for anyone west of Brussels. Every list, form, pivot, export and
    mail shows these dates instead, the same dates the certificate and the
    portal show (:meth:`_to_learner_date`). They are stored, so that they sort,
    group and filter like the instants they come from.

    The successor of an award (the award that renewed it, or the newer award
    of a record filed as history) ends its validity: ``date_replaced``."""

    _inherit = "certification.award"

    learner_date_issued = fields.Date(
        "Issue Date",
        compute="_compute_learner_dates",
        store=True,
        precompute=True,
        help="The issue as the calendar date of the learner (their timezone).",
    )
    learner_date_expiry = fields.Date(
        "Expiry Date",
        compute="_compute_learner_dates",
        store=True,
        precompute=True,
        help="The expiry as the calendar date of the learner (their timezone): "
        "the first day the certification is no longer valid.",
    )
    learner_date_grace_end = fields.Date(
        "Grace Period End",
        compute="_compute_learner_dates",
        store=True,
        precompute=True,
        help="The end of the grace period as the calendar date of the learner.",
    )
    learner_revoked_on = fields.Date(
        "Revocation Date",
        compute="_compute_learner_dates",
        store=True,
        precompute=True,
        help="The revocation as the calendar date of the learner.",
    )
    date_replaced = fields.Datetime(
        "Replaced At",
        compute="_compute_date_replaced",
        help="When a newer award replaced this one (the issue of its successor): "
        "its validity ends there, whatever its own expiry says.",
    )
    learner_date_replaced = fields.Date(
        "Replaced On",
        compute="_compute_date_replaced",
        help="The issue of the award that replaced this one, as the calendar date "
        "of the learner.",
    )
    validity_label = fields.Char(
        "Validity",
        compute="_compute_date_replaced",
        help="How long this award counts: until its expiry, or until the newer "
        "award that replaced it, or its revocation.",
    )

    @api.depends(
        "date_issued", "date_expiry", "date_grace_end", "revoked_on", "partner_id.tz"
    )
    def _compute_learner_dates(self):
        calendars = self._get_learner_tzs()
        # one conversion per instant and calendar: a batch (an import, a
        # grant) shares a few dates among many learners
        days = {}

        def local_date(value, tz):
            if (value, tz) not in days:
                days[value, tz] = schedule.local_date(value, tz)
            return days[value, tz]

        for award in self:
            tz = calendars[award.partner_id.id, award.program_id.id]
            award.learner_date_issued = local_date(award.date_issued, tz)
            award.learner_date_expiry = local_date(award.date_expiry, tz)
            award.learner_date_grace_end = local_date(award.date_grace_end, tz)
            award.learner_revoked_on = local_date(award.revoked_on, tz)

    @api.depends(
        "next_award_ids.date_issued",
        "next_award_ids.learner_date_issued",
        "learner_date_expiry",
        "learner_revoked_on",
    )
    @api.depends_context("lang")
    def _compute_date_replaced(self):
        for award in self:
            successor = award.next_award_ids.sorted("date_issued")[:1]
            award.date_replaced = successor.date_issued or False
            # the successor renews the same learner's certification: its
            # stored issue date is already on this learner's calendar
            award.learner_date_replaced = successor.learner_date_issued or False
            award.validity_label = award._get_validity_label()

    def _get_validity_label(self):
        """ "Revoked on", "Replaced on" (when the successor came before the
        expiry), "Valid until" or "Expired on", dates of the learner."""
        self.ensure_one()
        expiry, replaced = self.learner_date_expiry, self.learner_date_replaced
        if self.learner_revoked_on:
            return _(
                "Revoked on %(date)s",
                date=format_date(self.env, self.learner_revoked_on),
            )
        if replaced and (not expiry or replaced < expiry):
            return _("Replaced on %(date)s", date=format_date(self.env, replaced))
        if not expiry:
            return _("Never expires")
        if self.state in ("expired", "archived") or (
            self.date_expiry <= fields.Datetime.now()
        ):
            return _("Expired on %(date)s", date=format_date(self.env, expiry))
        return _("Valid until %(date)s", date=format_date(self.env, expiry))

    def _get_valid_until(self):
        """The learner's date the award stops counting: the earliest of its
        expiry, its replacement and its revocation (False: never)."""
        self.ensure_one()
        ends = [
            day
            for day in (
                self.learner_date_expiry,
                self.learner_date_replaced,
                self.learner_revoked_on,
            )
            if day
        ]
        return min(ends, default=False)

    def _from_learner_date(self, day):
        """A calendar date of the learner as the instant (UTC) of their local
        midnight that starts it: the reverse of :meth:`_to_learner_date`."""
        self.ensure_one()
        if not day:
            return False
        return schedule.local_midnight_utc(
            fields.Date.to_date(day), self._get_learner_tz()
        )

    def _get_filed_as_history_notices(self):
        """What the officer is told about the awards of ``self`` that the one
        door filed as history (older than the learner's current award)."""
        return [
            self.env._(
                "Filed as history: %(learner)s already holds a newer award of "
                "%(program)s.",
                learner=award.partner_id.name,
                program=award.program_id.name,
            )
            for award in self
            if award.state == "archived" and not award.revoked_on
        ]

    @api.depends("date_expiry", "partner_id.tz")
    @api.depends_context("tz")
    def _compute_days_to_expiry(self):
        now = fields.Datetime.now()
        for award in self:
            if not award.date_expiry:
                award.days_to_expiry = 0
                continue
            award.days_to_expiry = award._days_between(now, award.date_expiry)

    def _get_learner_tz(self):
        self.ensure_one()
        return self._get_issue_tz(self.partner_id, self.program_id)

    def _get_learner_tzs(self):
        """{(learner id, certification id): timezone} of the awards of
        ``self``: :meth:`_get_issue_tz` of each pair, with the defaults of
        each certification's learners looked up together."""
        names = {}
        without_tz = defaultdict(set)
        for award in self:
            partner, program = award.partner_id, award.program_id
            if partner.tz:
                names[partner.id, program.id] = partner.tz
            else:
                without_tz[program].add(partner.id)
        for program, partner_ids in without_tz.items():
            defaults = program._get_default_tzs(
                self.env["res.partner"].browse(partner_ids)
            )
            names.update(
                ((partner_id, program.id), name)
                for partner_id, name in defaults.items()
            )
        zones = {name: schedule.get_tz(name) for name in set(names.values())}
        return {key: zones[name] for key, name in names.items()}

    @api.model
    def _get_issue_tz(self, partner, program):
        """The calendar an award's dates are counted on: the learner's, else
        the company's, else UTC (never the caller's context)."""
        return schedule.get_tz(partner.tz or program._get_default_tz(partner))

    def _days_between(self, start, end):
        """Calendar days from ``start`` to ``end`` (UTC datetimes), counted in the
        learner's timezone."""
        tz = self._get_learner_tz()
        start_day = pytz.utc.localize(start).astimezone(tz).date()
        end_day = pytz.utc.localize(end).astimezone(tz).date()
        return (end_day - start_day).days

    def _to_learner_date(self, value):
        """A UTC datetime as the calendar date the learner sees."""
        self.ensure_one()
        if not value:
            return False
        return pytz.utc.localize(value).astimezone(self._get_learner_tz()).date()
