"""Reads of the Fablab: machines with their next free slots, a machine's day, a
member's slots. A fixed number of queries each, whatever the number of machines and
reservations: rows are loaded once, then the engine's pure rules answer from memory."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import islice

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils import timezone

from booking.localtime import local_day_bounds, to_local
from booking.models import Reservation
from booking.rules import Facts, days_between, floor_to_grid, free_starts
from booking.selectors import (
    Slot,
    availability_for_day,
    closures_between,
    resources_rule_facts,
    site_calendar,
)

from .models import FablabHours, Machine, Qualification, UsageLog

# How far ahead the machines page looks for free slots.
SEARCH_DAYS = 21
NEXT_SLOTS = 3
# The length of the slots offered on the machines page, within each machine's rules.
OFFERED_MINUTES = 60


@dataclass
class MachineCard:
    machine: Machine
    next_slots: list[tuple[datetime, datetime]] = field(default_factory=list)
    # None when nobody is signed in or the machine needs no qualification.
    qualification: Qualification | None = None
    qualified: bool | None = None


@dataclass
class FablabOverview:
    page: Page
    cards: list[MachineCard]
    hours: dict[int, list[FablabHours]]


def machines_active() -> QuerySet[Machine]:
    return (
        Machine.objects.filter(is_active=True)
        .select_related("site", "training_workshop")
        .order_by("site__name", "name", "pk")
    )


def machine_get(*, machine_id: int) -> Machine | None:
    return machines_active().filter(pk=machine_id).first()


def _offered(machine: Machine) -> timedelta:
    minutes = min(max(OFFERED_MINUTES, machine.min_minutes), machine.max_minutes)
    return timedelta(minutes=minutes)


def _first_free(
    *, machine: Machine, facts: Facts, member_id: int | None, now: datetime, n: int
) -> list[tuple[datetime, datetime]]:
    """The first ``n`` ranges of the offered length that ``member_id`` could book on the
    machine: ``rules.free_starts`` on its grid inside the Fablab's windows, each
    accepted by the engine's ``rules.fits`` (hours, closures, horizon, holds and
    buffers, the site's jauge, the member's qualification and cap on future slots,
    per-member limits)."""
    duration = _offered(machine)
    today = to_local(now).date()
    last_day = today + timedelta(days=min(SEARCH_DAYS, machine.horizon_days))
    starts = free_starts(
        [machine],
        facts={machine.pk: facts},
        calendar=facts.calendar,
        days=days_between(today, last_day),
        duration=duration,
        step_minutes=machine.slot_minutes,
        now=now,
        member_id=member_id,
    )
    return [(slot, slot + duration) for slot in islice(starts, n)]


def machines_overview(
    *, member=None, page: int | str | None = 1, per_page: int = 20, now: datetime | None = None
) -> FablabOverview:
    """A page of bookable machines, each with the next slots ``member`` could book
    (``rules.fits``: an unqualified member is offered none) and, for a signed-in
    member, whether they are qualified on it; plus the Fablab hours of their sites.

    Five queries whatever the number of machines and reservations (count, machines,
    Fablab hours, closures, reservations); with a member, one more for their
    qualifications and one for their holdings when a machine caps future slots or has
    per-member limits; one more when a site has a jauge (its resources).
    """
    now = now or timezone.now()
    paginator = Paginator(machines_active(), per_page)
    current = paginator.get_page(page)
    machines = list(current.object_list)
    today = to_local(now).date()
    last_day = today + timedelta(days=SEARCH_DAYS)
    site_ids = {m.site_id for m in machines}
    hours: dict[int, list[FablabHours]] = defaultdict(list)
    facts = {}
    if machines:
        for h in FablabHours.objects.filter(site_id__in=site_ids):
            hours[h.site_id].append(h)
        closures = closures_between(site_ids=site_ids, first_day=today, last_day=last_day)
        sites = {m.site_id: m.site for m in machines}
        calendars = {
            site_id: site_calendar(
                site=sites[site_id],
                hours=hours[site_id],
                closures=closures[site_id],
                first_day=today,
                last_day=last_day,
            )
            for site_id in site_ids
        }
        # From the earliest start offered: the slot in progress (it is 10:20, 10:00–11:00
        # may still be booked), so a pause or maintenance ending at 10:10 is seen.
        earliest = min(floor_to_grid(now, m.slot_minutes) for m in machines)
        _, until = local_day_bounds(last_day)
        facts = resources_rule_facts(
            resources=machines,
            calendars=calendars,
            member=member,
            ranges=[(earliest, until)],
            now=now,
        )
    member_id = getattr(member, "pk", None)
    cards = []
    for machine in machines:
        card = MachineCard(
            machine=machine,
            next_slots=_first_free(
                machine=machine, facts=facts[machine.pk], member_id=member_id, now=now, n=NEXT_SLOTS
            ),
        )
        if member is not None and machine.requires_qualification:
            card.qualification = facts[machine.pk].own
            card.qualified = card.qualification is not None and card.qualification.is_valid_on(
                today
            )
        cards.append(card)
    return FablabOverview(page=current, cards=cards, hours=dict(hours))


def machine_day(
    *, machine: Machine, day: date, member=None, now: datetime | None = None
) -> list[Slot]:
    """The machine's slots for a local day, inside the Fablab's hours (the engine's day,
    which asks the machine for its weekly hours and its own rules): each slot says
    what booking it would answer ``member`` — maintenance, closed with the closure's
    reason, training needed, your limit reached. Three queries; one more for the
    member's qualification, one for their holdings when the machine caps future
    slots."""
    return availability_for_day(resource=machine, day=day, member=member, now=now)


def qualification_for(*, member, machine: Machine) -> Qualification | None:
    if member is None or not member.is_authenticated:
        return None
    return Qualification.objects.filter(member=member, machine=machine).first()


def fablab_slots_for_member(
    *, member, upcoming: bool = True, now: datetime | None = None
) -> QuerySet[Reservation]:
    """The member's active Fablab slots, with machine, site and usage log (one query
    per page): upcoming (not yet ended) soonest first, or past most recent first."""
    now = now or timezone.now()
    slots = Reservation.objects.filter(
        member=member, source=Reservation.Source.FABLAB, status__in=Reservation.ACTIVE
    ).select_related("resource", "resource__site", "usage_log")
    if upcoming:
        return slots.filter(end__gt=now).order_by("start", "pk")
    return slots.filter(end__lte=now).order_by("-start", "-pk")


def qualifications_export(*, member) -> list[dict]:
    """The machines the member is qualified on, as JSON-ready data for their data export
    (``members.hooks``). One query."""
    return [
        {
            "machine": q.machine.name,
            "site": q.machine.site.name,
            "granted_at": q.granted_at.isoformat(),
            "expires_on": q.expires_on.isoformat() if q.expires_on else None,
            "source": q.source,
        }
        for q in Qualification.objects.filter(member=member)
        .select_related("machine__site")
        .order_by("granted_at", "pk")
    ]


def usage_logs_export(*, member) -> list[dict]:
    """What the member really used in their Fablab slots (the usage logs of their
    reservations), oldest slot first, as JSON-ready data for their data export
    (``members.hooks``). One query."""
    return [
        {
            "machine": log.reservation.resource.name,
            "start": log.reservation.start.isoformat(),
            "minutes": log.minutes,
            "material": log.material,
            "quantity": str(log.quantity),
            "unit": log.unit,
            "notes": log.notes,
            "recorded_at": log.recorded_at.isoformat(),
        }
        for log in UsageLog.objects.filter(reservation__member=member)
        .select_related("reservation__resource")
        .order_by("reservation__start", "pk")
    ]
