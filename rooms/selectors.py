"""Reads of the rooms app: the week grid of a site's spaces, the free-space search,
the spaces, and prices.

Every function runs a fixed number of queries whatever the number of spaces and
reservations (tests assert the counts): rows are loaded once, then the pure rules of
``booking.rules`` answer from memory. A resource's own day of slots, the nearest free
slots and a member's reservations are the booking engine's: ``booking.selectors``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import islice

from django.db.models import Q, QuerySet
from django.utils import timezone

from booking.localtime import local_day_bounds, require_aware, to_local
from booking.models import OpeningHours, Site
from booking.periods import RATE_FREE, RATE_NONE, TARIFF_MEMBER, TARIFF_PUBLIC, Period
from booking.rules import (
    Calendar,
    Facts,
    days_between,
    fits,
    free_starts,
    grid_times,
    seats_free,
    shortest_booking,
)
from booking.selectors import (
    Slot,
    closures_between,
    day_slots,
    price_for,
    resources_rule_facts,
    site_calendar,
    todays_rows,
)

from .models import Space

# The grids show half-hour rows, the default booking grid; the search looks on it too.
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


def _site_facts(
    *,
    site: Site,
    spaces: Sequence[Space],
    first_day: date,
    last_day: date,
    member,
    now: datetime,
    ranges=None,
) -> tuple[Calendar, dict[int, Facts]]:
    """The site's calendar and, for each space, what ``rules.fits`` needs from
    ``first_day`` to ``last_day`` (spaces follow their site's opening hours): hours,
    closures, reservations, plus the site's resources when it has a jauge and the
    member's holdings when a space has per-member limits; the site's public holidays
    are computed, not queried."""
    calendar = site_calendar(
        site=site,
        hours=OpeningHours.objects.filter(site_id=site.pk),
        closures=closures_between(site_ids=[site.pk], first_day=first_day, last_day=last_day)[
            site.pk
        ],
        first_day=first_day,
        last_day=last_day,
    )
    if not spaces:
        return calendar, {}
    if ranges is None:
        ranges = [(local_day_bounds(first_day)[0], local_day_bounds(last_day)[1])]
    facts = resources_rule_facts(
        resources=spaces,
        calendars={site.pk: calendar},
        member=member,
        ranges=ranges,
        now=now,
        jauges={site.pk: site.jauge},
    )
    return calendar, facts


def _grid_length(space: Space) -> timedelta:
    """A week-grid cell offers the shortest booking from its row (one row at least)."""
    return shortest_booking(space, at_least=GRID_MINUTES)


def site_week_grid(
    *, site: Site, week_start: date, member=None, now: datetime | None = None
) -> WeekGrid:
    """Every active space of a site over the 7 days from week_start, in half-hour rows;
    each cell is what booking it would answer for ``member`` (``rules.fits``).

    Four queries whatever the number of spaces and reservations: spaces, opening
    hours, closures, reservations of the week; one more when the site has a jauge
    (its resources' ids, to count everyone present), one more for the member's
    holdings when a space has per-member limits.
    """
    now = now or timezone.now()
    days = [week_start + timedelta(days=i) for i in range(7)]
    spaces = list(Space.objects.filter(site=site, is_active=True).order_by("kind", "name"))
    for space in spaces:
        space.site = site
    calendar, facts = _site_facts(
        site=site, spaces=spaces, first_day=days[0], last_day=days[-1], member=member, now=now
    )
    span = calendar.day_span(days)
    times = grid_times(span[0], span[1], GRID_MINUTES) if span else []
    member_id = getattr(member, "pk", None)
    # The site's rows of each day, sorted out once for every space (the jauge).
    site_held = facts[spaces[0].pk].site_held if spaces and site.jauge is not None else ()
    longest = max((_grid_length(s) + s.buffer for s in spaces), default=timedelta())
    site_by_day = {
        day: todays_rows(site_held, day, until=local_day_bounds(day)[1] + longest) for day in days
    }
    rows = []
    for space in spaces:
        row = SpaceWeek(space=space)
        for day in days:
            row.days.append(
                day_slots(
                    resource=space,
                    day=day,
                    times=times,
                    length=_grid_length(space),
                    facts=facts[space.pk],
                    member_id=member_id,
                    now=now,
                    site_held=site_by_day[day],
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


def _searchable(*, site: Site, people: int, amenities: Sequence[str]) -> list[Space]:
    spaces = Space.objects.filter(site=site, is_active=True, capacity__gte=people).filter(
        Q(jauge__isnull=True) | Q(jauge__gte=people)
    )
    for slug in amenities:
        spaces = spaces.filter(amenities__slug=slug)
    spaces = list(spaces.prefetch_related("amenities").distinct().order_by("capacity", "name"))
    for space in spaces:
        space.site = site
    return spaces


def _fitting(
    spaces: Sequence[Space],
    facts: dict[int, Facts],
    *,
    start: datetime,
    end: datetime,
    people: int,
    member_id: int | None,
    now: datetime,
) -> list[Space]:
    """The spaces where ``rules.fits`` accepts [start, end) for ``people``, each with
    ``seats_left`` (``rules.seats_free``)."""
    found = []
    for space in spaces:
        space_facts = facts[space.pk]
        refusal = fits(
            space,
            start=start,
            end=end,
            seats=people,
            member_id=member_id,
            now=now,
            facts=space_facts,
        )
        if refusal is None:
            space.seats_left = seats_free(space, start=start, end=end, facts=space_facts)
            found.append(space)
    return found


def spaces_search(
    *,
    site: Site,
    start: datetime,
    end: datetime,
    people: int = 1,
    amenities: Sequence[str] = (),
    member=None,
    now: datetime | None = None,
) -> list[Space]:
    """Spaces of the site that ``member`` could book for ``people`` over [start, end)
    with every amenity (slugs) asked for, best fit first (smallest space that fits):
    each one ``rules.fits`` accepts, so booking it from here is never refused. Each
    space carries ``seats_left``. Six queries at most (spaces, amenities, hours,
    closures, reservations, the site's resources when it has a jauge, the member's
    holdings when a space has per-member limits).

    Raises BookingRefused ``naive_datetime`` for a naive start or end.
    """
    require_aware(start, field="start")
    require_aware(end, field="end")
    now = now or timezone.now()
    if end <= start or end <= now:
        return []
    spaces = _searchable(site=site, people=people, amenities=amenities)
    if not spaces:
        return []
    longest_buffer = max(s.buffer for s in spaces)
    day = to_local(start).date()
    _calendar, facts = _site_facts(
        site=site,
        spaces=spaces,
        first_day=day,
        last_day=to_local(end).date(),
        member=member,
        now=now,
        ranges=[(start, end + longest_buffer)],
    )
    return _fitting(
        spaces,
        facts,
        start=start,
        end=end,
        people=people,
        member_id=getattr(member, "pk", None),
        now=now,
    )


def search_free_times(
    *,
    site: Site,
    start: datetime,
    duration: timedelta,
    people: int = 1,
    amenities: Sequence[str] = (),
    member=None,
    n: int = 3,
    search_days: int = 7,
    after: bool = False,
    now: datetime | None = None,
) -> list[datetime]:
    """Up to ``n`` start times, nearest to ``start`` first (or, with ``after``, the
    first ones from ``start`` on), at which ``spaces_search`` would find at least one
    space: every candidate on the half-hour grid inside the site's opening hours,
    ``search_days`` either side (never in the past), asked of ``rules.fits``. The
    asked ``start`` itself is left out unless ``after``. A fixed number of queries
    (those of ``spaces_search``, over the whole range).
    """
    require_aware(start, field="start")
    now = now or timezone.now()
    today = to_local(now).date()
    first_day = (
        to_local(start).date() if after else to_local(start).date() - timedelta(days=search_days)
    )
    first_day = max(first_day, today)
    last_day = to_local(start).date() + timedelta(days=search_days)
    spaces = _searchable(site=site, people=people, amenities=amenities)
    if not spaces or first_day > last_day:
        return []
    calendar, facts = _site_facts(
        site=site, spaces=spaces, first_day=first_day, last_day=last_day, member=member, now=now
    )
    starts = free_starts(
        spaces,
        facts=facts,
        calendar=calendar,
        days=days_between(first_day, last_day),
        duration=duration,
        step_minutes=GRID_MINUTES,
        now=now,
        seats=people,
        member_id=getattr(member, "pk", None),
    )
    if after:
        return list(islice((s for s in starts if s >= start), n))
    return [s for _d, s in sorted((abs(s - start), s) for s in starts if s != start)[:n]]


def search_default_start(
    *, site: Site, duration: timedelta, member=None, now: datetime | None = None
) -> datetime:
    """Where the free-space search starts when nobody has said: the first half-hour
    from now on at which a space of the site is free for ``duration`` (through
    ``rules.fits``), within a week; else the next half-hour."""
    now = now or timezone.now()
    local = to_local(now).replace(second=0, microsecond=0)
    over = (local.hour * 60 + local.minute) % GRID_MINUTES
    next_grid = local + timedelta(minutes=(GRID_MINUTES - over) % GRID_MINUTES)
    if next_grid < now:
        next_grid += timedelta(minutes=GRID_MINUTES)
    first = search_free_times(
        site=site, start=next_grid, duration=duration, member=member, n=1, after=True, now=now
    )
    return first[0] if first else next_grid


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
