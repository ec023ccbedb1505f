"""Pure booking rules shared by the engine (services) and every read (selectors).

No queries here: callers load opening hours, closures, reservations and the member's
holdings once, in a fixed number of queries (``booking.selectors.rule_facts``), and
these functions answer from memory.

``fits`` is the one decision "may this request be booked, and if not, why": the
engine asks it under its locks, and the grids, the availability API, the free-space
search, the nearest-slot suggestions, the Fablab pages and the dry run
(``reservation_check``) ask it without locks, so nothing is shown free that booking
refuses.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from . import refusals as e
from .localtime import SITE_TZ, local_day_bounds, minutes_since_midnight, to_local
from .refusals import BookingRefused

if TYPE_CHECKING:
    from .models import Resource


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
    maintenance: bool = False


@dataclass(frozen=True, slots=True)
class Holding:
    """One of the member's active reservations: what per-member limits (and a kind of
    resource's own rules, such as the Fablab's cap on future slots) count."""

    resource_id: int
    site_id: int
    category: str
    source: str
    start: datetime
    end: datetime


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
        # A grid asks the same day's windows for each of its slots.
        self._by_date: dict[date, list[tuple[datetime, datetime]]] = {}

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
        found = self._by_date.get(day)
        if found is None:
            found = self._by_date[day] = (
                []
                if self.closure_on(day) is not None
                else [
                    (
                        datetime.combine(day, opens, tzinfo=self.tz),
                        datetime.combine(day, closes, tzinfo=self.tz),
                    )
                    for opens, closes in self._windows.get(day.weekday(), [])
                ]
            )
        return list(found)

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


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything ``fits`` needs about one resource, loaded beforehand.

    ``held``: the resource's active reservations near the request (a wider range is
    fine); ``jauge`` and ``site_held``: the site's jauge and, when it has one, the
    active reservations of every resource of the site; ``holdings``: the member's own
    active reservations (None when no per-member rule applies, or nobody asks);
    ``own``: what the resource's own rules loaded (``Resource.own_facts_for``).
    """

    calendar: Calendar
    held: Sequence[Held] = ()
    jauge: int | None = None
    site_held: Sequence[Held] = ()
    holdings: Sequence[Holding] | None = None
    own: object = None
    # People present at the site over [start, end), remembered: a week grid asks it of
    # every space for the same rows. Shared by the facts of one site's resources
    # loaded together; drop it (None) when changing ``site_held``.
    site_peaks: dict | None = None
    # The same refusal (past, closed…) made once for the many slots of a grid that
    # meet it: its message is translated and formatted once. None: made each time.
    made: dict | None = None

    def refused(self, code: str, *, field: str | None = None, **params) -> BookingRefused:
        """A BookingRefused, shared with the other requests judged on these facts."""
        if self.made is None:
            return BookingRefused(code, field=field, **params)
        key = (code, field, *sorted(params.items()))
        refusal = self.made.get(key)
        if refusal is None:
            refusal = self.made[key] = BookingRefused(code, field=field, **params)
        return refusal

    def site_peak(self, start: datetime, end: datetime) -> int:
        """Most people at once at the site over [start, end) (``site_held``)."""
        if self.site_peaks is None:
            return peak_seats(self.site_held, start, end)
        key = (start, end)
        if key not in self.site_peaks:
            self.site_peaks[key] = peak_seats(self.site_held, start, end)
        return self.site_peaks[key]


def week_bounds(day: date) -> tuple[datetime, datetime]:
    """[Monday 00:00, next Monday 00:00) of the local week holding ``day``."""
    monday = day - timedelta(days=day.weekday())
    return local_day_bounds(monday)[0], local_day_bounds(monday + timedelta(days=6))[1]


def limit_refusal(
    resource: Resource, *, holdings: Sequence[Holding], start: datetime, end: datetime
) -> BookingRefused | None:
    """Per-member limits, counted over the member's active reservations on the site's
    resources of the same category: at most ``max_bookings_per_day`` starting that
    local day, at most ``max_minutes_per_week`` over the local week (Monday–Sunday)."""
    day = to_local(start).date()
    week_start, week_end = week_bounds(day)
    rows = [
        (h.start, h.end)
        for h in holdings
        if h.site_id == resource.site_id
        and h.category == resource.category
        and week_start <= h.start < week_end
    ]
    if resource.max_bookings_per_day:
        day_start, day_end = local_day_bounds(day)
        if sum(1 for s, _e in rows if day_start <= s < day_end) >= resource.max_bookings_per_day:
            return BookingRefused(
                e.OVER_LIMIT, e.MESSAGES_LIMIT_DAY, count=resource.max_bookings_per_day
            )
    if resource.max_minutes_per_week:
        used = sum(((en - s) for s, en in rows), timedelta()) + (end - start)
        if used / timedelta(minutes=1) > resource.max_minutes_per_week:
            return BookingRefused(
                e.OVER_LIMIT, e.MESSAGES_LIMIT_WEEK, hours=f"{resource.max_minutes_per_week / 60:g}"
            )
    return None


def refusals(
    resource: Resource,
    *,
    start: datetime,
    end: datetime,
    seats: int = 1,
    member_id: int | None = None,
    whole: bool = False,
    now: datetime,
    facts: Facts,
) -> Iterator[BookingRefused]:
    """Every refusal a well-formed request (aware datetimes, ``end`` after ``start``,
    ``seats`` ≥ 1) meets, lazily, in the order a person would fix them: the resource
    bookable at all, the grid, past, closed (a closure or a public holiday, even
    beyond the horizon), beyond the horizon, outside the hours, too short or too long; then who asks: the resource's own rules
    (``Resource.own_refusals``: a machine's qualification and cap) and the per-member
    limits; then what others hold: capacity, overlap (maintenance, buffer, taken) or
    seats, and the site jauge. ``whole`` holds a shared space entirely."""
    local_start = to_local(start)
    if not resource.is_active:
        yield facts.refused(e.INACTIVE, field="space")
    step = resource.slot_minutes
    for value, field in ((local_start, "start"), (to_local(end), "end")):
        if minutes_since_midnight(value) % step or value.second or value.microsecond:
            yield facts.refused(e.OFF_GRID, field=field, minutes=step)
            break
    # The slot in progress may still be booked (it is 10:10, book 10:00–11:00).
    past = start < _earliest(now, step)
    if past:
        yield facts.refused(e.PAST, field="start")
    # A closed day says so, even beyond the horizon: a holiday is not "not yet open".
    closure = facts.calendar.closure_on(local_start.date())
    if closure is not None:
        yield facts.refused(e.CLOSED, field="start", reason=closure.reason)
    if not past and local_start.date() > _last_day(now, resource.horizon_days):
        yield facts.refused(e.BEYOND_HORIZON, field="start", days=resource.horizon_days)
    if closure is None and not facts.calendar.open_during(start, end):
        yield facts.refused(e.OUTSIDE_HOURS, field="start")
    minutes = (end - start) / timedelta(minutes=1)
    if minutes < resource.min_minutes:
        yield facts.refused(e.TOO_SHORT, field="end", minutes=resource.min_minutes)
    elif minutes > resource.max_minutes:
        yield facts.refused(e.TOO_LONG, field="end", minutes=resource.max_minutes)
    if member_id is not None and resource.member_rules_apply() and facts.holdings is None:
        raise ValueError("fits needs the member's holdings: load them with rule_facts")
    yield from resource.own_refusals(
        member_id=member_id,
        start=start,
        end=end,
        now=now,
        holdings=facts.holdings or (),
        own=facts.own,
    )
    if member_id is not None and (resource.max_bookings_per_day or resource.max_minutes_per_week):
        refusal = limit_refusal(resource, holdings=facts.holdings, start=start, end=end)
        if refusal is not None:
            yield refusal
    capacity = resource.effective_capacity
    if seats > capacity:
        yield facts.refused(e.OVER_CAPACITY, field="seats", capacity=capacity)
    blocked_until = end + resource.buffer
    meeting = [h for h in facts.held if h.start < blocked_until and h.blocked_until > start]
    if resource.exclusive or whole:
        if meeting:
            yield overlap_refusal(meeting, start, end, facts)
    elif blocks(meeting, start, blocked_until):
        yield facts.refused(e.TAKEN)
    elif seats <= capacity and peak_seats(meeting, start, end) + seats > capacity:
        yield facts.refused(e.FULL)
    if facts.jauge is not None and facts.site_peak(start, end) + seats > facts.jauge:
        yield facts.refused(e.OVER_JAUGE)


@lru_cache(maxsize=64)
def _earliest(now: datetime, step_minutes: int) -> datetime:
    # Asked by every slot of a grid with the same clock: worked out once.
    return floor_to_grid(now, step_minutes)


@lru_cache(maxsize=64)
def _last_day(now: datetime, horizon_days: int) -> date:
    return to_local(now).date() + timedelta(days=horizon_days)


def overlap_refusal(
    meeting: Sequence[Held], start: datetime, end: datetime, facts: Facts
) -> BookingRefused:
    """Why an exclusive resource is not free over [start, end): a maintenance window,
    only the pause (buffer) before or after another slot, or another reservation."""
    if any(h.maintenance for h in meeting):
        return facts.refused(e.IN_MAINTENANCE)
    if not any(h.start < end and h.end > start for h in meeting):
        return facts.refused(e.IN_BUFFER)
    return facts.refused(e.TAKEN)


def fits(
    resource: Resource,
    *,
    start: datetime,
    end: datetime,
    seats: int = 1,
    member_id: int | None = None,
    whole: bool = False,
    now: datetime,
    facts: Facts,
) -> BookingRefused | None:
    """Whether ``member_id`` (None: a hold for nobody) may book [start, end) on
    ``resource`` for ``seats`` people: None when it fits, else the first refusal of
    ``refusals``. (The engine, which records every rule an animator lifts, walks
    ``refusals`` itself and leaves out ``refusals.OVERRIDABLE_CODES``.)

    Pure: everything comes from ``facts`` (see ``booking.selectors.rule_facts``);
    the reads call it without locks.
    """
    return next(
        refusals(
            resource,
            start=start,
            end=end,
            seats=seats,
            member_id=member_id,
            whole=whole,
            now=now,
            facts=facts,
        ),
        None,
    )


def grid_starts(
    w_start: datetime, w_end: datetime, duration: timedelta, step_minutes: int
) -> Iterator[datetime]:
    """Starts on a resource's grid (local minutes multiple of ``step_minutes``) of the
    ranges of ``duration`` inside the window [w_start, w_end)."""
    over = minutes_since_midnight(w_start) % step_minutes
    slot = w_start + timedelta(minutes=step_minutes - over) if over else w_start
    step = timedelta(minutes=step_minutes)
    while slot + duration <= w_end:
        yield slot
        slot += step


def shortest_booking(resource: Resource, *, at_least: int = 0) -> timedelta:
    """The shortest range a grid offers: one step of the resource's grid, or its
    minimum length (or ``at_least`` minutes: a grid's row) rounded up to the grid."""
    step = resource.slot_minutes
    minutes = max(resource.min_minutes, at_least)
    return timedelta(minutes=max(step, -(-minutes // step) * step))


def free_starts(
    resources: Sequence[Resource],
    *,
    facts: Mapping[int, Facts],
    calendar: Calendar,
    days: Iterable[date],
    duration: timedelta,
    step_minutes: int,
    now: datetime,
    seats: int = 1,
    member_id: int | None = None,
) -> Iterator[datetime]:
    """The starts, in time order, at which ``fits`` accepts [start, start + duration)
    for ``seats`` people on at least one of ``resources`` (``facts``: each one's, by
    id): on the grid of ``step_minutes`` inside ``calendar``'s windows of each of
    ``days`` (local dates, in order), leaving out what is over by ``now``. The one
    walk of the nearest-slot suggestions, the free-time search and the Fablab's next
    free slots; lazy, so a caller wanting the first few stops early. Pure."""
    for day in days:
        for w_start, w_end in calendar.windows(day):
            for slot in grid_starts(w_start, w_end, duration, step_minutes):
                end = slot + duration
                if end <= now:
                    continue
                if any(
                    fits(
                        r,
                        start=slot,
                        end=end,
                        seats=seats,
                        member_id=member_id,
                        now=now,
                        facts=facts[r.pk],
                    )
                    is None
                    for r in resources
                ):
                    yield slot


def days_between(first_day: date, last_day: date) -> list[date]:
    """Every local date from ``first_day`` to ``last_day``, both included."""
    return [first_day + timedelta(days=i) for i in range((last_day - first_day).days + 1)]


def seats_free(resource: Resource, *, start: datetime, end: datetime, facts: Facts) -> int:
    """Seats still free on ``resource`` over [start, end) (an exclusive one: 0 or its
    capacity), under its capacity and, when the site has one, the site's jauge: what a
    grid cell and a search result show."""
    blocked_until = end + resource.buffer
    left = seats_left(
        held=[h for h in facts.held if h.start < blocked_until and h.blocked_until > start],
        capacity=resource.effective_capacity,
        exclusive=resource.exclusive,
        start=start,
        end=end,
        blocked_until=blocked_until,
    )
    if facts.jauge is not None:
        left = min(left, facts.jauge - facts.site_peak(start, end))
    return left
