"""Reads of the booking engine: the rows it holds, a resource's day of slots, the
nearest free slots, a member's reservations.

Every function runs a fixed number of queries whatever the number of resources and
reservations (tests assert the counts): rows are loaded once, then the pure rules of
``booking.rules`` answer from memory. Selectors never import services.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from django.db.models import QuerySet
from django.utils import timezone

from members.selectors import membership_current

from . import periods as p
from .localtime import SITE_TZ, local_day_bounds, require_aware, to_local
from .models import Closure, OpeningHours, Reservation, Resource, Site
from .periods import Period, Price
from .public_holidays import public_holidays
from .rules import Calendar, Held, blocks, floor_to_grid, grid_times, peak_seats, seats_left


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


def held_rows(rows) -> list[Held]:
    """What the pure rules need of reservation rows (see ``rules.Held``). A maintenance
    window holds its machine but brings nobody into the building: it counts no seat
    towards a jauge."""
    return [
        Held(
            r.resource_id,
            r.start,
            r.end,
            r.blocked_until,
            0 if r.source == Reservation.Source.MAINTENANCE else r.seats,
            r.exclusive,
            r.status == Reservation.Status.TENTATIVE,
            r.member_id,
        )
        for r in rows
    ]


def active_overlapping(*, resource_ids, start: datetime, until: datetime):
    """Active reservations of these resources whose blocked range meets [start, until).

    Served by ``reservation_active_idx`` (resource, blocked_until): the past is skipped
    in one index range however many old rows there are.
    """
    return Reservation.objects.filter(
        resource_id__in=resource_ids,
        status__in=Reservation.ACTIVE,
        blocked_until__gt=start,
        start__lt=until,
    ).order_by()  # unordered: sorting by start would tempt SQLite into the start index


def site_resource_ids(site_id: int) -> list[int]:
    """Every resource of a site, for the site jauge.

    A literal list, not a subquery: with ``resource_id IN (subquery)`` SQLite's planner
    leaves the (resource, blocked_until) index for a scan on start.
    """
    return list(Resource.objects.filter(site_id=site_id).values_list("pk", flat=True))


def calendar_and_held(*, site: Site, resource_ids, first_day: date, last_day: date, hours=None):
    """The three queries every grid needs: hours (the site's opening hours unless
    ``hours`` says otherwise), closures (with the openings on public holidays),
    active reservations. The site's public holidays are computed, not queried."""
    calendar = Calendar(
        hours if hours is not None else OpeningHours.objects.filter(site_id=site.pk),
        Closure.objects.filter(site_id=site.pk, start_date__lte=last_day, end_date__gte=first_day),
        holidays=public_holidays(site, first_day, last_day),
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


def site_room_by_time(
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


def day_slots(
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
    calendar, held = calendar_and_held(
        site=space.site,
        resource_ids=ids,
        first_day=day,
        last_day=day,
        hours=space.weekly_hours(),
    )
    mine = [h for h in held if h.resource_id == space.pk]
    times = _day_times(calendar, day, space.slot_minutes)
    step = timedelta(minutes=space.slot_minutes)
    return day_slots(
        resource=space,
        day=day,
        calendar=calendar,
        times=times,
        step=step,
        held=mine,
        site_room=site_room_by_time(held=held, jauge=jauge, day=day, times=times, step=step),
        member_id=getattr(member, "pk", None),
        now=now,
    )


def nearest_free_slots(
    *,
    space: Resource,
    start: datetime,
    duration: timedelta,
    n: int = 3,
    seats: int = 1,
    now: datetime | None = None,
    search_days: int = 7,
) -> list[tuple[datetime, datetime]]:
    """Up to ``n`` bookable ranges of ``duration`` nearest to ``start``, nearest first.

    Looks ``search_days`` either side (within the horizon, not in the past), on the
    grid, inside opening hours, free of overlap, seats and jauge. Per-member limits
    are not applied: the refusal that led here already named them. At most six
    queries whatever the range (site, resources, hours, closures, reservations).
    """
    require_aware(start, field="start")
    now = now or timezone.now()
    step = timedelta(minutes=space.slot_minutes)
    today = to_local(now).date()
    first_day = max(to_local(start).date() - timedelta(days=search_days), today)
    last_day = min(
        to_local(start).date() + timedelta(days=search_days),
        today + timedelta(days=space.horizon_days),
    )
    if first_day > last_day:
        return []
    calendar = Calendar(
        space.weekly_hours(),
        Closure.objects.filter(
            site_id=space.site_id, start_date__lte=last_day, end_date__gte=first_day
        ),
        holidays=public_holidays(space.site, first_day, last_day),
    )
    range_start, _ = local_day_bounds(first_day)
    _, range_end = local_day_bounds(last_day)
    jauge = space.site.jauge
    ids = site_resource_ids(space.site_id) if jauge is not None else [space.pk]
    held = held_rows(active_overlapping(resource_ids=ids, start=range_start, until=range_end))
    mine = [h for h in held if h.resource_id == space.pk]
    capacity = space.effective_capacity
    earliest = floor_to_grid(now, space.slot_minutes)
    candidates = []
    day = first_day
    while day <= last_day:
        for w_start, w_end in calendar.windows(day):
            slot = w_start
            while slot + duration <= w_end:
                if slot >= earliest and _fits(
                    space, mine, held, jauge, capacity, slot, slot + duration, seats
                ):
                    candidates.append((abs(slot - start), slot, slot + duration))
                slot += step
        day += timedelta(days=1)
    candidates.sort()
    return [(s, en) for _d, s, en in candidates if s != start][:n]


def _fits(space, mine, held, jauge, capacity, start, end, seats) -> bool:
    blocked_until = end + space.buffer
    overlapping = [h for h in mine if h.start < blocked_until and h.blocked_until > start]
    if space.exclusive and overlapping:
        return False
    if blocks(overlapping, start, blocked_until):
        return False
    if peak_seats(overlapping, start, end) + seats > capacity:
        return False
    return jauge is None or peak_seats(held, start, end) + seats <= jauge


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


def periods_for_day(*, resource: Resource, day: date) -> list[Period]:
    """The periods a resource can be booked by on a local day (morning, afternoon,
    day: ``booking.periods.day_periods``), from its own weekly hours
    (``Resource.weekly_hours``: the site's for a space, the Fablab's for a machine);
    [] when it is closed that day (no hours, or a closure). The booking form and the
    price quote both ask here. Two queries."""
    calendar = Calendar(
        resource.weekly_hours().filter(weekday=day.weekday()),
        Closure.objects.filter(site_id=resource.site_id, start_date__lte=day, end_date__gte=day),
    )
    return p.day_periods(calendar.windows(day))


def price_for(
    *,
    resource: Resource,
    start: datetime,
    end: datetime,
    tariff: str,
    periods: Sequence[Period] | None = None,
) -> Price:
    """What [start, end) on a resource costs at a tariff (``periods.TARIFF_MEMBER`` or
    ``TARIFF_PUBLIC``), by the rule of ``booking.periods.range_price`` over the
    resource's periods of start's local day. Pass ``periods`` when already known (a
    search pricing many spaces of one site): no query then; otherwise two. A resource
    with no prices at all (``Resource.rates`` None) gives Price(None, "none")."""
    rates = resource.rates(tariff)
    if rates is None:
        return p.NO_PRICE
    if periods is None:
        periods = periods_for_day(resource=resource, day=to_local(start).date())
    return p.range_price(start=start, end=end, periods=periods, rates=rates)


def tariff_for(member) -> str:
    """The tariff a person books at: the member rate while they hold a membership in
    force today, the public rate otherwise. One query."""
    if member is not None and membership_current(member=member) is not None:
        return p.TARIFF_MEMBER
    return p.TARIFF_PUBLIC


def reservation_price(
    *, resource: Resource, member, source: str, start: datetime, end: datetime
) -> tuple[Price, str]:
    """The price and tariff a new reservation is stored with (the engine asks when it
    writes one): a rental request at the public rate; a member's booking or Fablab
    slot at the member's tariff (``tariff_for``); a hold for a workshop or a
    maintenance window, or a row without a member, is not priced (Price(None, "none"),
    tariff ""). At most three queries."""
    if source == Reservation.Source.RENTAL_REQUEST:
        tariff = p.TARIFF_PUBLIC
    elif source in (Reservation.Source.WORKSHOP, Reservation.Source.MAINTENANCE) or member is None:
        return p.NO_PRICE, ""
    else:
        tariff = tariff_for(member)
    price = price_for(resource=resource, start=start, end=end, tariff=tariff)
    return price, tariff if price.rate != p.RATE_NONE else ""


def reservations_export(*, member) -> list[dict]:
    """The member's reservations of every kind (bookings, Fablab slots), any status, oldest
    first, as JSON-ready data for their data export (``members.hooks``). One query."""
    return [
        {
            "resource": r.resource.name,
            "site": r.resource.site.name,
            "start": r.start.isoformat(),
            "end": r.end.isoformat(),
            "seats": r.seats,
            "status": r.status,
            "source": r.source,
        }
        for r in Reservation.objects.filter(member=member)
        .select_related("resource__site")
        .order_by("start")
    ]
