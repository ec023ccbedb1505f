"""Periods of a day (morning, afternoon, day) and the price of a range: pure functions.

The booking form offers a resource's periods and the price quote prices them, so both
ask ``day_periods`` (through ``booking.selectors.periods_for_day``), never a reading of
the opening hours of their own: a form that split the day at 13:00 while the price
counted hours once quoted members the day price for a morning.

No queries and no models here: everything is plain values (aware datetimes, Decimals,
strings), so the data migrations that price older reservations call these same
functions on historical rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import combinations

MORNING = "morning"
AFTERNOON = "afternoon"
DAY = "day"

# Rates a price was computed at (``Reservation.price_rate``).
RATE_HOUR = "hour"
RATE_HALF_DAY = "half_day"
RATE_DAY = "day"
RATE_MIXED = "mixed"  # periods and hours together: a morning + 1 h
RATE_FREE = "free"  # the resource has no rate for this tariff: nothing to pay
RATE_NONE = "none"  # no price applies (a workshop's or a maintenance hold), or none fits

# Who pays which rates (``Reservation.price_tariff``).
TARIFF_MEMBER = "member"
TARIFF_PUBLIC = "public"

CENT = Decimal("0.01")
HALF_HOUR = timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class Period:
    """A bookable period of a local day: [start, end), aware."""

    name: str
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class Rates:
    """A resource's rates for one tariff (€ TTC); None where it has no such rate."""

    hour: Decimal | None = None
    half_day: Decimal | None = None
    day: Decimal | None = None

    @classmethod
    def of(cls, hour=None, half_day=None, day=None) -> Rates:
        """Rates from model field values, which may still be strings on an unsaved
        instance (``"8.00"``)."""
        return cls(*(None if v is None else Decimal(str(v)) for v in (hour, half_day, day)))

    @property
    def is_empty(self) -> bool:
        return self.hour is None and self.half_day is None and self.day is None


@dataclass(frozen=True, slots=True)
class Price:
    """What a range costs: ``amount`` (None when no price applies) and the rate
    it was computed at (one of the ``RATE_*`` codes)."""

    amount: Decimal | None
    rate: str


NO_PRICE = Price(None, RATE_NONE)


def day_periods(
    windows: Sequence[tuple[datetime, datetime]], *, split_minutes: int = 60
) -> list[Period]:
    """The periods of a day from its opening windows (aware [opens, closes) ranges of
    one local day, in order, touching windows already merged): morning, afternoon and
    day, in that order; [] when the day has no window.

    - The day runs from the first opening to the last closing.
    - With two windows or more (08:30–12:30 and 13:30–18:30), the day splits at the
      gap nearest its middle: the morning runs up to that gap, the afternoon from it.
    - With one window (08:30–18:30), it splits at its middle rounded down to
      ``split_minutes`` of the wall clock (13:30 → 13:00): morning 08:30–13:00,
      afternoon 13:00–18:30. A window too short to split (the rounded middle falls on
      its opening) has the day only.
    """
    if not windows:
        return []
    opens, closes = windows[0][0], windows[-1][1]
    day = Period(DAY, opens, closes)
    middle = opens + (closes - opens) / 2
    if len(windows) > 1:
        gaps = [(windows[i][1], windows[i + 1][0]) for i in range(len(windows) - 1)]
        morning_end, afternoon_start = min(
            gaps, key=lambda gap: abs(gap[0] + (gap[1] - gap[0]) / 2 - middle)
        )
    else:
        over = (middle.hour * 60 + middle.minute) % split_minutes
        split = middle.replace(second=0, microsecond=0) - timedelta(minutes=over)
        if split <= opens:
            return [day]
        morning_end = afternoon_start = split
    return [
        Period(MORNING, opens, morning_end),
        Period(AFTERNOON, afternoon_start, closes),
        day,
    ]


def _rate_of_period(period: Period, rates: Rates) -> tuple[Decimal | None, str]:
    if period.name == DAY:
        return rates.day, RATE_DAY
    return rates.half_day, RATE_HALF_DAY


def _uncovered(start: datetime, end: datetime, covered: Sequence[Period]) -> timedelta:
    """How much of [start, end) lies outside every one of these periods."""
    left = end - start
    spans = sorted((max(p.start, start), min(p.end, end)) for p in covered)
    reach = start
    for s, e in spans:
        s = max(s, reach)
        if e > s:
            left -= e - s
            reach = e
    return left


def range_price(
    *, start: datetime, end: datetime, periods: Sequence[Period], rates: Rates
) -> Price:
    """The price of [start, end) at these rates, given the day's periods (``day_periods``).

    The rule: a range is charged the cheapest way of paying for all of its time, where
    each way picks some of the periods it meets, pays each at its period rate (a
    morning or an afternoon at the half-day rate, the day at the day rate) and pays
    the time left outside them at the hourly rate, per started half-hour. So a period
    booked exactly costs its period rate (the hourly rate only if it is cheaper still),
    and a morning + 1 h costs a half-day + 1 h, unless the day rate is cheaper. A way
    needing a rate the resource does not have is not a way.

    Returns Price(0.00, "free") when the resource has no rate at all for this tariff,
    Price(None, "none") when no way prices the range (e.g. only a day rate, and a
    range outside the day's periods). The rate of the result is "hour", "half_day",
    "day", or "mixed" when periods and hours are paid together.
    """
    if rates.is_empty:
        return Price(Decimal("0.00"), RATE_FREE)
    meeting = [p for p in periods if p.start < end and p.end > start]
    best: tuple[Decimal, str] | None = None
    for size in range(len(meeting) + 1):
        for chosen in combinations(meeting, size):
            amount, kinds = Decimal(0), set()
            for period in chosen:
                rate, kind = _rate_of_period(period, rates)
                if rate is None:
                    break
                amount += rate
                kinds.add(kind)
            else:
                left = _uncovered(start, end, chosen)
                if left > timedelta(0):
                    if rates.hour is None:
                        continue
                    half_hours = -(-left // HALF_HOUR)
                    amount += rates.hour * half_hours / 2
                    kinds.add(RATE_HOUR)
                # Cheapest first; at the same amount, the simpler (fewer parts) wins.
                if best is None or amount < best[0]:
                    best = (amount, kinds.pop() if len(kinds) == 1 else RATE_MIXED)
    if best is None:
        return NO_PRICE
    return Price(best[0].quantize(CENT), best[1])
