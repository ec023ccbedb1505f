"""Pure calendar logic shared by the engine (services) and the grids (selectors).

No queries here: callers load opening hours, closures and reservations once, in a
fixed number of queries, and these functions answer from memory.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from .localtime import SITE_TZ, minutes_since_midnight, to_local


@dataclass(frozen=True, slots=True)
class Held:
    """What the engine needs of an active reservation."""

    resource_id: int
    start: datetime
    end: datetime
    blocked_until: datetime
    seats: int
    exclusive: bool
    tentative: bool = False
    member_id: int | None = None


@dataclass(frozen=True, slots=True)
class PublicHoliday:
    """A public holiday as the calendar closes it (no row behind it)."""

    start_date: date
    end_date: date
    reason: str


class Calendar:
    """A site's opening windows and closures, as loaded by the caller.

    ``closures`` are the site's ``Closure`` rows over the dates asked, both kinds:
    closed ones close, "open" ones (``is_opening``) lift the public holidays they
    cover. ``holidays`` is {date: name}, the site's public holidays over the same
    dates (``booking.public_holidays``): closed unless an opening covers them.
    """

    def __init__(
        self,
        hours: Iterable,
        closures: Iterable,
        tz=SITE_TZ,
        *,
        holidays: Mapping[date, str] | None = None,
    ):
        self.tz = tz
        by_day: dict[int, list[tuple[time, time]]] = defaultdict(list)
        for h in hours:
            by_day[h.weekday].append((h.opens, h.closes))
        self._windows = {day: _merge(spans) for day, spans in by_day.items()}
        rows = sorted(closures, key=lambda c: c.start_date)
        self._closures = [c for c in rows if not c.is_opening]
        self._openings = [c for c in rows if c.is_opening]
        self._holidays = dict(holidays or {})

    def closure_on(self, day: date):
        """What closes the day (a closure row, else an unopened public holiday: both
        have ``reason``), or None."""
        for closure in self._closures:
            if closure.start_date <= day <= closure.end_date:
                return closure
        name = self._holidays.get(day)
        if name is not None and not any(o.start_date <= day <= o.end_date for o in self._openings):
            return PublicHoliday(day, day, name)
        return None

    def windows(self, day: date) -> list[tuple[datetime, datetime]]:
        """Aware [opens, closes) ranges of a local day; empty when closed."""
        if self.closure_on(day) is not None:
            return []
        return [
            (
                datetime.combine(day, opens, tzinfo=self.tz),
                datetime.combine(day, closes, tzinfo=self.tz),
            )
            for opens, closes in self._windows.get(day.weekday(), [])
        ]

    def open_during(self, start: datetime, end: datetime) -> bool:
        """True when [start, end) fits inside one opening window of start's local day."""
        day = to_local(start, self.tz).date()
        return any(w_start <= start and end <= w_end for w_start, w_end in self.windows(day))

    def day_span(self, days: Sequence[date]) -> tuple[time, time] | None:
        """Earliest opening and latest closing over these days (ignoring closures)."""
        spans = [w for d in days for w in self._windows.get(d.weekday(), [])]
        if not spans:
            return None
        return min(s for s, _ in spans), max(e for _, e in spans)


def _merge(spans: list[tuple[time, time]]) -> list[tuple[time, time]]:
    """Join touching or overlapping windows (8:30–12:00 + 12:00–18:30 is one window)."""
    merged: list[tuple[time, time]] = []
    for opens, closes in sorted(spans):
        if merged and opens <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], closes))
        else:
            merged.append((opens, closes))
    return merged


def peak_seats(held: Iterable[Held], start: datetime, end: datetime) -> int:
    """Most seats taken at any one instant of [start, end) by these reservations.

    A morning desk and an afternoon desk are one seat at a time, not two: counting
    the peak, not the sum of overlaps, keeps a full day bookable next to them.
    """
    events = []
    for h in held:
        if h.start < end and h.end > start:
            events.append((max(h.start, start), 1, h.seats))
            events.append((min(h.end, end), 0, -h.seats))
    # Ends sort before starts at the same instant: ranges are half-open.
    events.sort(key=lambda e: (e[0], e[1]))
    peak = running = 0
    for _at, _kind, delta in events:
        running += delta
        peak = max(peak, running)
    return peak


def blocks(held: Iterable[Held], start: datetime, blocked_until: datetime) -> list[Held]:
    """The exclusive holds whose blocked range meets [start, blocked_until)."""
    return [h for h in held if h.exclusive and h.start < blocked_until and h.blocked_until > start]


def seats_left(
    *,
    held: Sequence[Held],
    capacity: int,
    exclusive: bool,
    start: datetime,
    end: datetime,
    blocked_until: datetime,
) -> int:
    """Seats still free on a resource over [start, end): 0 when an exclusive hold meets it."""
    if blocks(held, start, blocked_until):
        return 0
    if exclusive and any(h.start < blocked_until and h.blocked_until > start for h in held):
        return 0
    return max(capacity - peak_seats(held, start, end), 0)


def grid_times(first: time, last: time, step_minutes: int) -> list[time]:
    """Wall-clock slot starts from first (included) to last (excluded)."""
    times, current = [], datetime.combine(date(2000, 1, 3), first)
    stop = datetime.combine(date(2000, 1, 3), last)
    while current < stop:
        times.append(current.time())
        current += timedelta(minutes=step_minutes)
    return times


def floor_to_grid(value: datetime, minutes: int) -> datetime:
    """The local start of the grid slot of ``minutes`` that ``value`` falls in."""
    local = to_local(value)
    over = minutes_since_midnight(local) % minutes
    return local.replace(second=0, microsecond=0) - timedelta(minutes=over)
