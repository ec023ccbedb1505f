"""Reads of the rooms app: availability grids, search, "my bookings".

Every function runs a fixed number of queries whatever the number of spaces and
reservations (tests assert the counts): rows are loaded once, then the pure rules of
``rooms.services.rules`` answer from memory.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Closure, OpeningHours, Reservation, Resource, Site, Space
from .services.bookings import active_overlapping, held_rows, site_resource_ids
from .services.localtime import SITE_TZ, local_day_bounds, require_aware, to_local
from .services.rules import Calendar, Held, grid_times, peak_seats, seats_left

# The grids show half-hour rows, the default booking grid.
GRID_MINUTES = 30


class SlotState(StrEnum):
    FREE = "free"
    BUSY = "busy"
    YOURS = "yours"
    TENTATIVE = "tentative"
    CLOSED = "closed"
    PAST = "past"


@dataclass(frozen=True, slots=True)
class Slot:
    start: datetime
    end: datetime
    state: SlotState
    seats_left: int = 0


@dataclass
class SpaceWeek:
    """One space's row of the week grid: ``days[j][k]`` is the slot of
    ``grid.days[j]`` at ``grid.times[k]``."""

    space: Space
    days: list[list[Slot]] = field(default_factory=list)


@dataclass
class WeekGrid:
    site: Site
    week_start: date
    days: list[date]
    times: list[time]
    rows: list[SpaceWeek]
    closures: dict[date, str]


def _load(*, site_id: int, resource_ids, first_day: date, last_day: date, hours=None):
    """The three queries every grid needs: hours (the site's opening hours unless
    ``hours`` says otherwise), closures, active reservations."""
    calendar = Calendar(
        hours if hours is not None else OpeningHours.objects.filter(site_id=site_id),
        Closure.objects.filter(site_id=site_id, start_date__lte=last_day, end_date__gte=first_day),
    )
    start, _ = local_day_bounds(first_day)
    _, end = local_day_bounds(last_day)
    held = held_rows(
        active_overlapping(resource_ids=resource_ids, start=start, until=end).only(
            "resource_id",
            "start",
            "end",
            "blocked_until",
            "seats",
            "exclusive",
            "status",
            "source",
            "member_id",
        )
    )
    return calendar, held


def _slot(
    *,
    resource: Resource,
    start: datetime,
    end: datetime,
    held: Sequence[Held],
    site_room: int | None,
    member_id: int | None,
    now: datetime,
) -> Slot:
    """The state of one slot of one resource, from rows already loaded."""
    if end <= now:
        return Slot(start, end, SlotState.PAST)
    blocked_until = end + resource.buffer
    meeting = [h for h in held if h.start < blocked_until and h.blocked_until > start]
    if member_id is not None and any(
        h.member_id == member_id and h.start < end and h.end > start for h in meeting
    ):
        return Slot(start, end, SlotState.YOURS)
    left = seats_left(
        held=meeting,
        capacity=resource.effective_capacity,
        exclusive=resource.exclusive,
        start=start,
        end=end,
        blocked_until=blocked_until,
    )
    if site_room is not None:
        left = min(left, site_room)
    if left > 0:
        return Slot(start, end, SlotState.FREE, left)
    if meeting and all(h.tentative for h in meeting):
        return Slot(start, end, SlotState.TENTATIVE)
    return Slot(start, end, SlotState.BUSY)


def _site_room(
    *, held: Sequence[Held], jauge: int | None, day: date, times: Sequence[time], step: timedelta
) -> dict[time, int] | None:
    """People the site jauge still admits in each slot of a day, computed once per slot
    for every space of the grid (not once per space and slot)."""
    if jauge is None:
        return None
    day_start, day_end = local_day_bounds(day)
    todays = [h for h in held if h.start < day_end and h.end > day_start]
    room = {}
    for at in times:
        start = datetime.combine(day, at, tzinfo=SITE_TZ)
        room[at] = max(jauge - peak_seats(todays, start, start + step), 0)
    return room


def _day_times(calendar: Calendar, day: date, step_minutes: int) -> list[time]:
    """The day's own rows: its opening hours, or its usual hours when it is closed."""
    span = calendar.day_span([day])
    return grid_times(span[0], span[1], step_minutes) if span else []


def _day_slots(
    *,
    resource: Resource,
    day: date,
    calendar: Calendar,
    times: Sequence[time],
    step: timedelta,
    held: Sequence[Held],
    site_room: dict[time, int] | None,
    member_id: int | None,
    now: datetime,
) -> list[Slot]:
    windows = calendar.windows(day)
    day_start, day_end = local_day_bounds(day)
    todays = [h for h in held if h.start < day_end and h.blocked_until > day_start]
    slots = []
    for at in times:
        start = datetime.combine(day, at, tzinfo=SITE_TZ)
        end = start + step
        if not any(w_start <= start and end <= w_end for w_start, w_end in windows):
            slots.append(Slot(start, end, SlotState.CLOSED))
            continue
        slots.append(
            _slot(
                resource=resource,
                start=start,
                end=end,
                held=todays,
                site_room=site_room[at] if site_room is not None else None,
                member_id=member_id,
                now=now,
            )
        )
    return slots


def availability_for_day(
    *, space: Resource, day: date, member=None, now: datetime | None = None
) -> list[Slot]:
    """The resource's slots for a local day on its own booking grid, from opening to
    closing of its weekly hours (``Resource.weekly_hours``: a machine follows the
    Fablab's).

    States: free (with seats left), busy, tentative (held by a pending request), yours,
    closed (outside hours or a closure), past. Three queries, one more when the site
    has a jauge (its resources), one more when ``space.site`` is not already loaded.
    """
    now = now or timezone.now()
    jauge = space.site.jauge
    ids = site_resource_ids(space.site_id) if jauge else [space.pk]
    calendar, held = _load(
        site_id=space.site_id,
        resource_ids=ids,
        first_day=day,
        last_day=day,
        hours=space.weekly_hours(),
    )
    mine = [h for h in held if h.resource_id == space.pk]
    times = _day_times(calendar, day, space.slot_minutes)
    step = timedelta(minutes=space.slot_minutes)
    return _day_slots(
        resource=space,
        day=day,
        calendar=calendar,
        times=times,
        step=step,
        held=mine,
        site_room=_site_room(held=held, jauge=jauge, day=day, times=times, step=step),
        member_id=getattr(member, "pk", None),
        now=now,
    )


def site_week_grid(
    *, site: Site, week_start: date, member=None, now: datetime | None = None
) -> WeekGrid:
    """Every active space of a site over the 7 days from week_start, in half-hour rows.

    Four queries whatever the number of spaces and reservations: spaces, opening
    hours, closures, reservations of the week; five when the site has a jauge (its
    resources' ids, to count everyone present).
    """
    now = now or timezone.now()
    days = [week_start + timedelta(days=i) for i in range(7)]
    spaces = list(Space.objects.filter(site=site, is_active=True).order_by("kind", "name"))
    ids = site_resource_ids(site.pk) if site.jauge else [s.pk for s in spaces]
    calendar, held = _load(site_id=site.pk, resource_ids=ids, first_day=days[0], last_day=days[-1])
    span = calendar.day_span(days)
    times = grid_times(span[0], span[1], GRID_MINUTES) if span else []
    by_resource: dict[int, list[Held]] = defaultdict(list)
    for h in held:
        by_resource[h.resource_id].append(h)
    member_id = getattr(member, "pk", None)
    step = timedelta(minutes=GRID_MINUTES)
    site_room = {
        day: _site_room(held=held, jauge=site.jauge, day=day, times=times, step=step)
        for day in days
    }
    rows = []
    for space in spaces:
        row = SpaceWeek(space=space)
        for day in days:
            row.days.append(
                _day_slots(
                    resource=space,
                    day=day,
                    calendar=calendar,
                    times=times,
                    step=step,
                    held=by_resource[space.pk],
                    site_room=site_room[day],
                    member_id=member_id,
                    now=now,
                )
            )
        rows.append(row)
    closures = {day: c.reason for day in days if (c := calendar.closure_on(day)) is not None}
    return WeekGrid(
        site=site, week_start=week_start, days=days, times=times, rows=rows, closures=closures
    )


def spaces_list(*, site: Site | None = None) -> QuerySet[Space]:
    """Bookable spaces, with their site and amenities (two queries per page)."""
    spaces = (
        Space.objects.filter(is_active=True).select_related("site").prefetch_related("amenities")
    )
    if site is not None:
        spaces = spaces.filter(site=site)
    return spaces.order_by("site__name", "name", "pk")


def space_get(*, space_id: int) -> Space | None:
    return Space.objects.select_related("site").filter(pk=space_id, is_active=True).first()


def spaces_search(
    *,
    site: Site,
    start: datetime,
    end: datetime,
    people: int = 1,
    amenities: Sequence[str] = (),
    now: datetime | None = None,
) -> list[Space]:
    """Spaces of the site free for ``people`` over [start, end) with every amenity
    (slugs) asked for, best fit first (smallest space that fits). Each space carries
    ``seats_left``. Empty when the site is closed then. Five queries at most.

    Raises BookingRefused ``naive_datetime`` for a naive start or end.
    """
    require_aware(start, field="start")
    require_aware(end, field="end")
    now = now or timezone.now()
    if end <= start or end <= now:
        return []
    spaces = Space.objects.filter(site=site, is_active=True, capacity__gte=people).filter(
        Q(jauge__isnull=True) | Q(jauge__gte=people)
    )
    for slug in amenities:
        spaces = spaces.filter(amenities__slug=slug)
    spaces = list(spaces.prefetch_related("amenities").distinct().order_by("capacity", "name"))
    if not spaces:
        return []
    day = to_local(start).date()
    longest_buffer = max(s.buffer for s in spaces)
    calendar = Calendar(
        OpeningHours.objects.filter(site_id=site.pk, weekday=day.weekday()),
        Closure.objects.filter(site_id=site.pk, start_date__lte=day, end_date__gte=day),
    )
    if not calendar.open_during(start, end):
        return []
    ids = site_resource_ids(site.pk) if site.jauge else [s.pk for s in spaces]
    held = held_rows(active_overlapping(resource_ids=ids, start=start, until=end + longest_buffer))
    by_resource: dict[int, list[Held]] = defaultdict(list)
    for h in held:
        by_resource[h.resource_id].append(h)
    room_in_site = site.jauge - peak_seats(held, start, end) if site.jauge else None
    found = []
    for space in spaces:
        blocked_until = end + space.buffer
        left = seats_left(
            held=by_resource[space.pk],
            capacity=space.effective_capacity,
            exclusive=space.exclusive,
            start=start,
            end=end,
            blocked_until=blocked_until,
        )
        if room_in_site is not None:
            left = min(left, room_in_site)
        if left >= people:
            space.seats_left = left
            found.append(space)
    return found


HALF_DAY = timedelta(hours=4)
DAY = timedelta(hours=10)


def price_quote(*, space: Space, start: datetime, end: datetime, is_member: bool) -> Decimal | None:
    """What a booking costs (€ TTC) at the member or public rate: the cheapest of the
    hourly rate (per started half-hour), one or two half-days, or a day, among the
    prices the space has. None when the space has no price for this rate (free, or
    on request). No query."""
    rates = (
        ("price_member_hour", "price_member_half_day", "price_member_day")
        if is_member
        else ("price_public_hour", "price_public_half_day", "price_public_day")
    )
    # Decimal(str()): an unsaved or freshly created instance may still hold a string.
    hourly, half_day, day = (
        None if getattr(space, name) is None else Decimal(str(getattr(space, name)))
        for name in rates
    )
    duration = end - start
    options = []
    if hourly is not None:
        half_hours = -(-duration // timedelta(minutes=30))
        options.append(hourly * half_hours / 2)
    if half_day is not None and duration <= HALF_DAY:
        options.append(half_day)
    elif half_day is not None and duration <= 2 * HALF_DAY:
        options.append(half_day * 2)
    if day is not None and duration <= DAY:
        options.append(day)
    return min(options).quantize(Decimal("0.01")) if options else None


def bookings_for_member(
    *, member, upcoming: bool = True, include_cancelled: bool = False, now: datetime | None = None
) -> QuerySet[Reservation]:
    """The member's reservations, with resource, space and site (one query per page).

    Upcoming (not yet ended) soonest first, or past most recent first. Slice or
    paginate the queryset: it is ordered and indexed on (member, start).
    """
    now = now or timezone.now()
    bookings = Reservation.objects.filter(member=member).select_related(
        "resource", "resource__site", "resource__space"
    )
    if not include_cancelled:
        bookings = bookings.filter(status__in=Reservation.ACTIVE)
    if upcoming:
        return bookings.filter(end__gt=now).order_by("start", "pk")
    return bookings.filter(end__lte=now).order_by("-start", "-pk")
