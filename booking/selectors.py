"""Reads of the booking engine: the rows it holds, a resource's day of slots, the
nearest free slots, a member's reservations.

Every function runs a fixed number of queries whatever the number of resources and
reservations (tests assert the counts): rows are loaded once, then the pure rules of
``booking.rules`` answer from memory. Selectors never import services.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.utils import timezone

from members.selectors import membership_current

from . import periods as p
from . import refusals as e
from .localtime import SITE_TZ, local_day_bounds, require_aware, to_local
from .models import Closure, Reservation, Resource, Site
from .periods import Period, Price
from .public_holidays import public_holidays
from .refusals import BookingRefused
from .rules import (
    Calendar,
    Facts,
    Held,
    Holding,
    days_between,
    fits,
    free_starts,
    grid_times,
    seats_free,
    shortest_booking,
    week_bounds,
)


class SlotState(StrEnum):
    FREE = "free"
    BUSY = "busy"
    YOURS = "yours"
    TENTATIVE = "tentative"
    CLOSED = "closed"
    PAST = "past"
    # Open and not held, but a rule refuses it: beyond the horizon, your limit
    # reached, training needed… (``reason`` says which).
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True, slots=True)
class Slot:
    """A range a grid offers, with what booking it would answer: ``refusal`` is the
    BookingRefused ``rules.fits`` gives (None when it can be booked), ``reason`` its
    code. ``state`` says what the slot looks like; only a free slot (or one of yours
    with room left) has no reason."""

    start: datetime
    end: datetime
    state: SlotState
    seats_left: int = 0
    refusal: BookingRefused | None = None
    # The start itself is open and free; what refuses the slot comes later in it: the
    # closing time (too late for a slot of this length) or someone's reservation or
    # pause ("taken later"). Only for closed, busy and tentative slots.
    later: bool = False

    @property
    def reason(self) -> str | None:
        return self.refusal.code if self.refusal is not None else None

    @property
    def minutes(self) -> int:
        """The slot's length in minutes (the shortest booking from its start)."""
        return int((self.end - self.start) / timedelta(minutes=1))


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
            r.source == Reservation.Source.MAINTENANCE,
        )
        for r in rows
    ]


HELD_FIELDS = (
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


def member_holdings(*, member, since: datetime) -> list[Holding]:
    """The member's active reservations not over before ``since`` (one query): what the
    per-member limits and a kind's own rules (a machine's cap) count."""
    rows = Reservation.objects.filter(
        member=member, status__in=Reservation.ACTIVE, end__gt=since
    ).values_list(
        "resource_id", "resource__site_id", "resource__category", "source", "start", "end"
    )
    return [Holding(*row) for row in rows]


def closures_between(*, site_ids, first_day: date, last_day: date) -> dict[int, list[Closure]]:
    """The closures of these sites meeting [first_day, last_day], by site (one query)."""
    found: dict[int, list[Closure]] = defaultdict(list)
    for closure in Closure.objects.filter(
        site_id__in=site_ids, start_date__lte=last_day, end_date__gte=first_day
    ):
        found[closure.site_id].append(closure)
    return found


def site_calendar(*, site: Site, hours, closures, first_day: date, last_day: date) -> Calendar:
    """The Calendar of ``site`` for [first_day, last_day] (local dates): ``hours`` (its
    opening hours, or a machine's Fablab hours), ``closures`` (rows meeting the range,
    the openings on public holidays among them) and the site's public holidays, computed
    from its country and subdivision (``booking.public_holidays``: no query)."""
    return Calendar(hours, closures, holidays=public_holidays(site, first_day, last_day))


def _days(ranges: Sequence[tuple[datetime, datetime]]) -> tuple[date, date]:
    return (
        min(to_local(s).date() for s, _u in ranges),
        max(to_local(u).date() for _s, u in ranges),
    )


def resources_rule_facts(
    *,
    resources: Sequence[Resource],
    calendars: Mapping[int, Calendar],
    member=None,
    ranges: Sequence[tuple[datetime, datetime]],
    now: datetime,
    jauges: Mapping[int, int | None] | None = None,
    holdings: bool | None = None,
) -> dict[int, Facts]:
    """What ``rules.fits`` needs to judge requests on each of ``resources`` inside
    ``ranges``, by resource id, in a fixed number of queries whatever the data: the
    active reservations meeting the ranges (of every resource of a site that has a
    jauge, whose ids cost one more query), the member's holdings when a per-member
    rule applies to one of the resources (or ``holdings`` is True), and each kind's
    own facts (``Resource.own_facts_for``: a machine's qualification, one query).

    ``calendars`` maps each site id to its Calendar (the caller loads the hours of the
    right kind: the site's, the Fablab's); ``jauges`` each site id to its jauge
    (default: ``resource.site.jauge``, so load the sites along).
    """
    if jauges is None:
        jauges = {r.site_id: r.site.jauge for r in resources}
    ids = {r.pk for r in resources}
    # Sites with a jauge: everyone present counts, so every resource's rows are read.
    site_ids = {r.site_id for r in resources if jauges.get(r.site_id) is not None}
    members_of_site: dict[int, set[int]] = defaultdict(set)
    if site_ids:
        for pk, site_id in Resource.objects.filter(site_id__in=site_ids).values_list(
            "pk", "site_id"
        ):
            members_of_site[site_id].add(pk)
            ids.add(pk)
    overlapping = reduce(
        or_, (Q(blocked_until__gt=start, start__lt=until) for start, until in ranges)
    )
    held = held_rows(
        Reservation.objects.filter(overlapping, resource_id__in=sorted(ids))
        .filter(status__in=Reservation.ACTIVE)
        .order_by()
        .only(*HELD_FIELDS)
    )
    by_resource: dict[int, list[Held]] = defaultdict(list)
    for h in held:
        by_resource[h.resource_id].append(h)
    by_site = {
        site_id: [h for h in held if h.resource_id in pks]
        for site_id, pks in members_of_site.items()
    }
    want = holdings if holdings is not None else any(r.member_rules_apply() for r in resources)
    member_held = None
    if member is not None and want:
        first_day, _last = _days(ranges)
        member_held = member_holdings(member=member, since=min(now, week_bounds(first_day)[0]))
    own: dict[int, object] = {}
    by_kind: dict[type, list[Resource]] = defaultdict(list)
    for r in resources:
        by_kind[type(r)].append(r)
    for kind, group in by_kind.items():
        own.update(kind.own_facts_for(group, member=member))
    facts = {}
    peaks: dict[int, dict] = defaultdict(dict)
    made: dict = {}
    for r in resources:
        jauge = jauges.get(r.site_id)
        facts[r.pk] = Facts(
            calendar=calendars[r.site_id],
            held=by_resource[r.pk],
            jauge=jauge,
            site_held=by_site.get(r.site_id, ()) if jauge is not None else (),
            holdings=member_held,
            own=own.get(r.pk),
            site_peaks=peaks[r.site_id] if jauge is not None else None,
            made=made,
        )
    return facts


def rule_facts(
    *,
    resource: Resource,
    member=None,
    ranges: Sequence[tuple[datetime, datetime]],
    now: datetime,
    jauge: int | None | object = ...,
    holdings: bool | None = None,
) -> Facts:
    """``resources_rule_facts`` for one resource, with its own weekly hours
    (``Resource.weekly_hours``: a machine follows the Fablab's) and its site's
    closures: three queries (hours, closures, reservations), one more for a site
    with a jauge, one for the member's holdings when a per-member rule applies, and
    the resource's own (a machine needing a qualification: one). ``jauge`` is the
    site's unless given (the engine passes the one it read under its lock)."""
    if jauge is ...:
        jauge = resource.site.jauge
    first_day, last_day = _days(ranges)
    closures = closures_between(site_ids=[resource.site_id], first_day=first_day, last_day=last_day)
    calendar = site_calendar(
        site=resource.site,
        hours=resource.weekly_hours(),
        closures=closures[resource.site_id],
        first_day=first_day,
        last_day=last_day,
    )
    return resources_rule_facts(
        resources=[resource],
        calendars={resource.site_id: calendar},
        member=member,
        ranges=ranges,
        now=now,
        jauges={resource.site_id: jauge},
        holdings=holdings,
    )[resource.pk]


# What others hold: the slot is shown busy (or tentative), not merely unavailable.
_HELD_CODES = frozenset({e.TAKEN, e.IN_BUFFER, e.IN_MAINTENANCE, e.FULL, e.OVER_JAUGE})


def slot_for(
    resource: Resource,
    *,
    start: datetime,
    end: datetime,
    facts: Facts,
    member_id: int | None,
    now: datetime,
) -> Slot:
    """One slot as a grid shows it: ``rules.fits`` for one seat says whether it can be
    booked, and why not; the state follows (past, closed with the closure's reason,
    busy or tentative when someone holds it, unavailable for a rule such as the
    horizon, a limit or a qualification; yours when the member holds part of it)."""
    refusal = fits(resource, start=start, end=end, member_id=member_id, now=now, facts=facts)
    code = refusal.code if refusal is not None else None
    if code == e.PAST:
        return Slot(start, end, SlotState.PAST, 0, refusal)
    blocked_until = end + resource.buffer
    meeting = [h for h in facts.held if h.start < blocked_until and h.blocked_until > start]
    left = seats_free(resource, start=start, end=end, facts=facts) if refusal is None else 0
    later = False
    # Yours: the row's start falls inside one of the member's own reservations (a
    # row before it whose slot would run into it is not: it says "taken later").
    if member_id is not None and any(
        h.member_id == member_id and h.start <= start < h.end for h in meeting
    ):
        state = SlotState.YOURS
    elif refusal is None:
        state = SlotState.FREE
    elif code in (e.CLOSED, e.OUTSIDE_HOURS):
        state = SlotState.CLOSED
        # Open at the start, closing before the slot's end: too late for one.
        later = code == e.OUTSIDE_HOURS and any(
            w_start <= start < w_end
            for w_start, w_end in facts.calendar.windows(to_local(start).date())
        )
    elif code in _HELD_CODES:
        state = (
            SlotState.TENTATIVE if meeting and all(h.tentative for h in meeting) else SlotState.BUSY
        )
        # Free at the start, someone's reservation (or its pause) comes later in it.
        later = code in e.OVERLAP_CODES and not any(
            h.start <= start < h.blocked_until for h in meeting if resource.exclusive or h.exclusive
        )
    else:
        state = SlotState.UNAVAILABLE
    return Slot(start, end, state, left, refusal, later)


def day_times(calendar: Calendar, day: date, step_minutes: int) -> list[time]:
    """The day's own rows: its opening hours, or its usual hours when it is closed."""
    span = calendar.day_span([day])
    return grid_times(span[0], span[1], step_minutes) if span else []


def todays_rows(held: Sequence[Held], day: date, *, until: datetime | None = None) -> list[Held]:
    """The rows of ``held`` meeting a local day (or up to ``until``, a range that may
    run past midnight)."""
    day_start, day_end = local_day_bounds(day)
    until = until or day_end
    return [h for h in held if h.start < until and h.end > day_start]


def day_slots(
    *,
    resource: Resource,
    day: date,
    times: Sequence[time],
    length: timedelta,
    facts: Facts,
    member_id: int | None,
    now: datetime,
    site_held: Sequence[Held] | None = None,
) -> list[Slot]:
    """The slots [t, t + length) of a local day at each of ``times``, judged by
    ``rules.fits`` (see ``slot_for``) from facts already loaded. ``site_held``: the
    site's rows of the day (``todays_rows``) when the caller has them for every
    resource of a grid."""
    day_start, day_end = local_day_bounds(day)
    until = day_end + length + resource.buffer
    # Only the day's rows, so that each slot looks at a handful.
    todays = replace(
        facts,
        held=[h for h in facts.held if h.start < until and h.blocked_until > day_start],
        site_held=site_held
        if site_held is not None
        else todays_rows(facts.site_held, day, until=until),
    )
    slots = []
    for at in times:
        start = datetime.combine(day, at, tzinfo=SITE_TZ)
        slots.append(
            slot_for(
                resource,
                start=start,
                end=start + length,
                facts=todays,
                member_id=member_id,
                now=now,
            )
        )
    return slots


def availability_for_day(
    *, resource: Resource, day: date, member=None, now: datetime | None = None
) -> list[Slot]:
    """The resource's slots for a local day on its own booking grid, from opening to
    closing of its weekly hours (``Resource.weekly_hours``: a machine follows the
    Fablab's); each slot is the shortest range bookable from its start
    (``rules.shortest_booking``) and carries what booking it would answer for
    ``member`` (``Slot.refusal``, from ``rules.fits``).

    States: free (with seats left), busy, tentative (held by a pending request), yours,
    closed (outside hours or a closure), past, unavailable (a rule refuses it). Three
    queries (hours, closures, reservations); one more when the site has a jauge (its
    resources), when ``resource.site`` is not already loaded, for the member's holdings
    when a per-member rule applies, and for a kind's own rules (a machine's
    qualification).
    """
    now = now or timezone.now()
    facts = rule_facts(resource=resource, member=member, ranges=[local_day_bounds(day)], now=now)
    return day_slots(
        resource=resource,
        day=day,
        times=day_times(facts.calendar, day, resource.slot_minutes),
        length=shortest_booking(resource),
        facts=facts,
        member_id=getattr(member, "pk", None),
        now=now,
    )


def nearest_free_slots(
    *,
    resource: Resource,
    start: datetime,
    duration: timedelta,
    n: int = 3,
    seats: int = 1,
    member=None,
    now: datetime | None = None,
    search_days: int = 7,
) -> list[tuple[datetime, datetime]]:
    """Up to ``n`` ranges of ``duration`` nearest to ``start`` (not itself) that
    ``member`` could book for ``seats`` people, nearest first.

    Looks ``search_days`` either side (not in the past, within the horizon), on the
    resource's grid inside its opening windows, and asks ``rules.fits`` of each: every
    rule applies, per-member limits and a kind's own rules included. A fixed number
    of queries whatever the range (see ``rule_facts``).
    """
    require_aware(start, field="start")
    now = now or timezone.now()
    today = to_local(now).date()
    first_day = max(to_local(start).date() - timedelta(days=search_days), today)
    last_day = min(
        to_local(start).date() + timedelta(days=search_days),
        today + timedelta(days=resource.horizon_days),
    )
    if first_day > last_day:
        return []
    range_start, _ = local_day_bounds(first_day)
    _, range_end = local_day_bounds(last_day)
    facts = rule_facts(resource=resource, member=member, ranges=[(range_start, range_end)], now=now)
    candidates = sorted(
        (abs(slot - start), slot)
        for slot in free_starts(
            [resource],
            facts={resource.pk: facts},
            calendar=facts.calendar,
            days=days_between(first_day, last_day),
            duration=duration,
            step_minutes=resource.slot_minutes,
            now=now,
            seats=seats,
            member_id=getattr(member, "pk", None),
        )
        if slot != start
    )
    return [(s, s + duration) for _d, s in candidates[:n]]


def bookings_for_member(
    *, member, upcoming: bool = True, include_cancelled: bool = False, now: datetime | None = None
) -> QuerySet[Reservation]:
    """The member's reservations, with resource and site (one query per page): the
    plain Resource, which has what pages and feeds show (name, site); a caller
    needing the kind's own fields asks ``Resource.concrete``.

    Upcoming (not yet ended) soonest first, or past most recent first. Slice or
    paginate the queryset: it is ordered and indexed on (member, start).
    """
    now = now or timezone.now()
    bookings = Reservation.objects.filter(member=member).select_related(
        "resource", "resource__site"
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
    [] when it is closed that day (no hours, a closure, a public holiday). The booking
    form and the price quote both ask here. Two queries (three when ``resource.site``
    is not loaded)."""
    calendar = site_calendar(
        site=resource.site,
        hours=resource.weekly_hours().filter(weekday=day.weekday()),
        closures=Closure.objects.filter(
            site_id=resource.site_id, start_date__lte=day, end_date__gte=day
        ),
        first_day=day,
        last_day=day,
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
