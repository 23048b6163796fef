# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The date rules of certifications, in one pure place.

Expiry, recertification window, grace period, fixed-date cycles and minimum
active period are pure functions of (rule, issue instant, previous award,
learner timezone): no ORM, no clock read. The award's one door
(``certification.award._prepare_issue_vals``), the preview on the certification
form and anyone else call these functions, so that a rule cannot be computed
two ways.

Conventions:

- instants are naive ``datetime`` values in UTC (as Odoo stores them);
- periods are added on the learner's local calendar, at the same local
  wall-clock time, then converted back to UTC: 1 July 00:00 in Brussels + 6
  months is 1 January 00:00 in Brussels, whatever the DST offsets;
- end of month: 31 January + 1 month is 28 (or 29) February;
- a local time that does not exist (spring DST gap) moves forward by the gap;
  an ambiguous one (autumn) is read as the later, standard-time one;
- fixed dates are dates of the learner's calendar: an award expires at the
  learner's local midnight that starts that date.
"""

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

UNITS = ("days", "weeks", "months", "years")
# Average length of a unit in days, only to guess where to start looking for
# a fixed-date cycle (the exact dates are then checked one by one).
_UNIT_DAYS = {"days": 1, "weeks": 7, "months": 30.436875, "years": 365.2425}


@dataclass(frozen=True)
class ScheduleRule:
    """The date rule of a certification (see
    ``certification.program._get_schedule_rule``)."""

    validity_number: int = 1
    validity_unit: str = "years"
    renewal_base: str = "completion"
    fixed_expiry_date: date | None = None
    minimum_active_days: int = 0
    grace_period_days: int = 0
    grace_restarts_cycle: bool = False
    window_days: int = 0

    def __post_init__(self):
        if self.validity_unit not in UNITS:
            raise ValueError(f"Unknown validity unit {self.validity_unit!r}")
        if self.renewal_base == "fixed" and self.expires and not self.fixed_expiry_date:
            raise ValueError("A fixed-date cycle needs its fixed expiry date")

    @property
    def expires(self):
        return bool(self.validity_number)

    def delta(self, periods=1):
        """``periods`` validity periods as a ``relativedelta``."""
        return relativedelta(**{self.validity_unit: self.validity_number * periods})


# ------------------------------------------------------------
# Timezones
# ------------------------------------------------------------


def get_tz(name):
    """A pytz timezone from a name (or a timezone); UTC when empty or unknown."""
    if isinstance(name, pytz.tzinfo.BaseTzInfo) or name is pytz.utc:
        return name
    try:
        return pytz.timezone(name or "UTC")
    except pytz.UnknownTimeZoneError:
        return pytz.utc


def to_local(utc_dt, tz):
    """A naive UTC instant as a naive local wall-clock datetime in ``tz``."""
    return pytz.utc.localize(utc_dt).astimezone(get_tz(tz)).replace(tzinfo=None)


def to_utc(local_dt, tz):
    """A naive local wall-clock datetime of ``tz`` as a naive UTC instant.
    Non-existent local times (DST gap) move forward by the gap; ambiguous ones
    are read as standard time."""
    tz = get_tz(tz)
    aware = tz.normalize(tz.localize(local_dt, is_dst=False))
    return aware.astimezone(pytz.utc).replace(tzinfo=None)


def local_midnight_utc(day, tz):
    """The UTC instant of the local midnight that starts ``day`` in ``tz``."""
    return to_utc(datetime.combine(day, time.min), tz)


def local_date(utc_dt, tz):
    """The calendar date of a UTC instant in ``tz`` (None stays None)."""
    return to_local(utc_dt, tz).date() if utc_dt else None


def add_local(utc_dt, delta, tz):
    """``utc_dt`` moved by ``delta`` (``relativedelta`` or ``timedelta``) on the
    local calendar of ``tz``, at the same local wall-clock time."""
    return to_utc(to_local(utc_dt, tz) + delta, tz)


# ------------------------------------------------------------
# Rules
# ------------------------------------------------------------


def add_validity(rule, utc_dt, tz, periods=1):
    """``utc_dt`` plus ``periods`` validity periods on the learner's calendar."""
    return add_local(utc_dt, rule.delta(periods), tz)


def _is_acceptable(candidate, issued, rule, tz):
    """An expiry is acceptable when it falls after the issue and leaves at least
    the minimum active period (counted in calendar days of the learner)."""
    if candidate <= issued:
        return False
    days = (local_date(candidate, tz) - local_date(issued, tz)).days
    return days >= rule.minimum_active_days


def _reference(rule, issued_utc, previous_expiry_utc, previous_grace_end_utc):
    """Where the new cycle is counted from: the issue, or, with the ``expiry``
    and ``fixed`` bases, the previous expiry when renewing before it, or in
    its grace period (unless the rule restarts the cycle in grace)."""
    if rule.renewal_base == "completion" or not previous_expiry_utc:
        return issued_utc
    if previous_expiry_utc > issued_utc:
        return previous_expiry_utc
    in_grace = bool(previous_grace_end_utc) and issued_utc < previous_grace_end_utc
    if in_grace and not rule.grace_restarts_cycle:
        return previous_expiry_utc
    return issued_utc


def _fixed_cycle_expiry(rule, reference, issued, tz):
    """The earliest fixed-cycle date (anchor ± k × validity) after
    ``reference`` that is acceptable for ``issued``."""
    anchor_local = datetime.combine(rule.fixed_expiry_date, time.min)
    period_days = rule.validity_number * _UNIT_DAYS[rule.validity_unit]
    target = to_local(max(reference, issued), tz) + timedelta(
        days=rule.minimum_active_days
    )
    # start one period (plus rounding) before the guess, then walk forward
    k = math.floor((target - anchor_local).days / period_days) - 2
    while True:
        candidate = to_utc(anchor_local + rule.delta(k), tz)
        if candidate > reference and _is_acceptable(candidate, issued, rule, tz):
            return candidate
        k += 1


def compute_expiry(
    rule, issued_utc, tz, previous_expiry_utc=None, previous_grace_end_utc=None
):
    """The expiry (naive UTC) of an award issued at ``issued_utc`` to a learner
    in ``tz``, renewing an award that expired (or expires) at
    ``previous_expiry_utc`` with grace until ``previous_grace_end_utc``.
    None when the certification never expires.

    - ``completion``: the issue + k validity periods;
    - ``expiry``: the previous expiry + k periods when renewing before it or
      in its grace period (unless ``grace_restarts_cycle``), else as
      ``completion``;
    - ``fixed``: the earliest of anchor ± k periods after the previous expiry
      (when renewing before it or in grace), else after the issue;

    where k is the smallest number of periods (at least 1) that leaves at
    least ``minimum_active_days`` calendar days after the issue."""
    if not rule.expires:
        return None
    reference = _reference(
        rule, issued_utc, previous_expiry_utc, previous_grace_end_utc
    )
    if rule.renewal_base == "fixed":
        return _fixed_cycle_expiry(rule, reference, issued_utc, tz)
    periods = 1
    candidate = add_validity(rule, reference, tz, periods)
    while not _is_acceptable(candidate, issued_utc, rule, tz):
        periods += 1
        candidate = add_validity(rule, reference, tz, periods)
    return candidate


def grace_end(rule, expiry_utc, tz):
    """End of the grace period after ``expiry_utc`` (local calendar days);
    the expiry itself when there is no grace; None when it never expires."""
    if not expiry_utc:
        return None
    if not rule.grace_period_days:
        return expiry_utc
    return add_local(expiry_utc, timedelta(days=rule.grace_period_days), tz)


def window_start(rule, expiry_utc, tz):
    """When "Renew now" opens before ``expiry_utc`` (local calendar days);
    None when there is no window (renewal any time) or no expiry."""
    if not expiry_utc or not rule.window_days:
        return None
    return add_local(expiry_utc, timedelta(days=-rule.window_days), tz)


def preview_cycles(rule, issued_utc, tz, count=3):
    """The next ``count`` cycles of a learner first awarded at ``issued_utc``
    who renews as soon as renewing opens (the window's start, or the expiry
    when there is no window): a list of dicts with the UTC instants
    ``date_issued``, ``window_start``, ``date_expiry``, ``grace_end``.
    A never-expiring rule has one cycle."""
    cycles = []
    issued, previous_expiry, previous_grace = issued_utc, None, None
    for _index in range(count):
        expiry = compute_expiry(rule, issued, tz, previous_expiry, previous_grace)
        cycle = {
            "date_issued": issued,
            "window_start": window_start(rule, expiry, tz),
            "date_expiry": expiry,
            "grace_end": grace_end(rule, expiry, tz),
        }
        cycles.append(cycle)
        if not expiry:
            break
        issued = max(cycle["window_start"] or expiry, issued)
        previous_expiry, previous_grace = expiry, cycle["grace_end"]
    return cycles


def local_cycles(cycles, tz):
    """``preview_cycles`` output as dates of the calendar of ``tz``."""
    return [{key: local_date(value, tz) for key, value in c.items()} for c in cycles]
