"""Reads of the rooms app: the week grid of a site's spaces, the free-space search,
the spaces, and prices.

Every function runs a fixed number of queries whatever the number of spaces and
reservations (tests assert the counts): rows are loaded once, then the pure rules of
``booking.rules`` answer from memory. A resource's own day of slots, the nearest free
slots and a member's reservations are the booking engine's: ``booking.selectors``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from booking.localtime import require_aware, to_local
from booking.models import Closure, OpeningHours, Site
from booking.periods import RATE_FREE, RATE_NONE, TARIFF_MEMBER, TARIFF_PUBLIC, Period
from booking.public_holidays import public_holidays
from booking.rules import Calendar, Held, grid_times, peak_seats, seats_left
from booking.selectors import (
    Slot,
    active_overlapping,
    calendar_and_held,
    day_slots,
    held_rows,
    price_for,
    site_resource_ids,
    site_room_by_time,
)

from .models import Space

# The grids show half-hour rows, the default booking grid.
GRID_MINUTES = 30


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
    calendar, held = calendar_and_held(
        site=site, resource_ids=ids, first_day=days[0], last_day=days[-1]
    )
    span = calendar.day_span(days)
    times = grid_times(span[0], span[1], GRID_MINUTES) if span else []
    by_resource: dict[int, list[Held]] = defaultdict(list)
    for h in held:
        by_resource[h.resource_id].append(h)
    member_id = getattr(member, "pk", None)
    step = timedelta(minutes=GRID_MINUTES)
    site_room = {
        day: site_room_by_time(held=held, jauge=site.jauge, day=day, times=times, step=step)
        for day in days
    }
    rows = []
    for space in spaces:
        row = SpaceWeek(space=space)
        for day in days:
            row.days.append(
                day_slots(
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
        holidays=public_holidays(site, day, day),
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


def price_quote(
    *,
    space: Space,
    start: datetime,
    end: datetime,
    is_member: bool,
    periods: Sequence[Period] | None = None,
) -> Decimal | None:
    """What booking [start, end) on a space costs (€ TTC) at the member or public rate,
    by the engine's one rule (``booking.periods.range_price``: a period at its period
    rate, any other range at the cheapest of the hourly rate and the periods it
    covers), over the space's periods of that day. None when nothing is to be paid or
    no price applies (free, or on request). Two queries for the day's periods, none
    when ``periods`` is given (``booking.selectors.periods_for_day``)."""
    price = price_for(
        resource=space,
        start=start,
        end=end,
        tariff=TARIFF_MEMBER if is_member else TARIFF_PUBLIC,
        periods=periods,
    )
    return price.amount if price.rate not in (RATE_FREE, RATE_NONE) else None
