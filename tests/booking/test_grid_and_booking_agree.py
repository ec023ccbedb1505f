"""The grids never promise what booking refuses: a property test.

Hypothesis draws a resource (a meeting room, a shared office or a Fablab machine)
with random rules (grid, minimum and maximum length, buffer, horizon, per-member
limits, reduced capacity, the site's jauge, a closure, a lunch break, a machine's
qualification and cap on future slots), random reservations already held (the
member's, other members', rental requests pending, workshop holds, maintenance
windows, on the resource and on its neighbour of the same kind) and a day. Then every
slot the day grid, the API's availability and the week grid show is booked for real
through the engine (each in a savepoint rolled back): a slot shown free is booked, a
slot shown not free is refused with the very reason it showed. The free-space search,
its suggested free times, the nearest-slot suggestions and the machines page's next
free slots are held to the same answer; the clock is drawn inside a slot in progress
too (9:10, 9:45, 10:20), which the grids and suggestions still offer.
"""

import contextlib
from datetime import datetime, time, timedelta

import pytest
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from booking.localtime import SITE_TZ
from booking.locking import batch
from booking.models import Reservation
from booking.refusals import BookingRefused
from booking.selectors import SlotState, availability_for_day, nearest_free_slots
from booking.services import booking_create, reservation_check, reservation_create
from fablab.models import Machine
from fablab.selectors import machines_overview
from fablab.services import machine_reservation_create
from members.services import animator_make
from rooms.selectors import search_free_times, site_week_grid, spaces_search
from tests.factories import (
    ClosureFactory,
    DeskSpaceFactory,
    MachineFactory,
    MemberFactory,
    QualificationFactory,
    SiteFactory,
    SpaceFactory,
)
from tests.rooms.conftest import MONDAY, NOW

pytestmark = pytest.mark.django_db

# Lists start with what is most worth trying: hypothesis begins with the first choices.
WHO = ["member", "other", "pending_request", "workshop", "maintenance"]

reservations = st.lists(
    st.tuples(
        st.sampled_from(WHO),
        st.booleans(),  # on the neighbour rather than the resource itself
        st.sampled_from([1, 3, 0, 2, 4, 5]),  # day of the week from Monday
        st.integers(0, 19),  # half-hours after 8:30
        st.integers(1, 6),  # half-hours long
        st.integers(1, 2),  # seats
    ),
    min_size=1,
    max_size=7,
)

rules = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["desks", "machine", "room"]),
        "slot_minutes": st.sampled_from([30, 60]),
        "min_minutes": st.sampled_from([30, 60, 45, 90]),
        "longer": st.sampled_from([0, 60, 180, 600]),
        "buffer_minutes": st.sampled_from([0, 15, 30]),
        "horizon_days": st.sampled_from([2, 0, 5]),
        "capacity": st.integers(1, 4),
        "reduced": st.booleans(),
        "max_bookings_per_day": st.sampled_from([1, None, 2]),
        "max_minutes_per_week": st.sampled_from([None, 180, 60]),
        "site_jauge": st.sampled_from([None, 2, 1, 4]),
        "closed_day": st.sampled_from([None, 3, 1]),
        "lunch_break": st.booleans(),
        "requires_qualification": st.sampled_from([True, False]),
        "qualification": st.sampled_from(["none", "valid", "expired"]),
        "max_future_slots": st.sampled_from([1, None, 2]),
        # A machine open at the site's hours (so at the drawn clock), or only on the
        # Fablab's usual afternoons.
        "fablab_afternoons": st.booleans(),
    }
)


class _Undo(Exception):
    """Leaves the savepoint of a trial booking, undoing it."""

    def __init__(self, replayed: bool):
        self.replayed = replayed


def _hours(lunch_break: bool):
    if lunch_break:
        return [(d, time(8, 30), time(12, 30)) for d in range(5)] + [
            (d, time(13, 30), time(18, 30)) for d in range(5)
        ]
    return [(d, time(8, 30), time(18, 30)) for d in range(5)]


def _make(drawn: dict):
    """The site, the resource drawn and its neighbour of the same kind."""
    site = SiteFactory(hours=_hours(drawn["lunch_break"]), jauge=drawn["site_jauge"])
    shared = {
        "site": site,
        "slot_minutes": drawn["slot_minutes"],
        "min_minutes": drawn["min_minutes"],
        "max_minutes": drawn["min_minutes"] + drawn["longer"],
        "buffer_minutes": drawn["buffer_minutes"],
        "horizon_days": drawn["horizon_days"],
        "max_bookings_per_day": drawn["max_bookings_per_day"],
        "max_minutes_per_week": drawn["max_minutes_per_week"],
    }
    if drawn["kind"] == "machine":
        extra = {
            "requires_qualification": drawn["requires_qualification"],
            "max_future_slots": drawn["max_future_slots"],
        }
        if not drawn["fablab_afternoons"]:
            extra["fablab_hours"] = _hours(drawn["lunch_break"])
        first = MachineFactory(**shared, **extra)
        extra.pop("fablab_hours", None)  # the site has them now
        return site, first, MachineFactory(**shared, **extra)
    factory = DeskSpaceFactory if drawn["kind"] == "desks" else SpaceFactory
    capacity = drawn["capacity"]
    jauge = max(1, capacity - 1) if drawn["reduced"] and capacity > 1 else None
    return (
        site,
        factory(**shared, capacity=capacity, jauge=jauge),
        factory(**shared, capacity=capacity),
    )


def _hold(resource, who: str, start, end, seats: int, member, animator) -> None:
    """An existing reservation, made through the engine with every liftable rule lifted
    (a past slot, beyond the horizon…); one the engine refuses anyway is not made."""
    kwargs = {
        "resource": resource,
        "start": start,
        "end": end,
        "seats": seats,
        "override_by": animator,
        "override_reason": "données du test",
        "now": NOW,
    }
    if who == "member":
        kwargs["member"] = member
        kwargs["source"] = (
            Reservation.Source.FABLAB
            if isinstance(resource, Machine)
            else Reservation.Source.BOOKING
        )
    elif who == "other":
        kwargs["member"] = MemberFactory()
    elif who == "pending_request":
        kwargs.update(status=Reservation.Status.TENTATIVE, source=Reservation.Source.RENTAL_REQUEST)
    elif who == "workshop":
        kwargs["source"] = Reservation.Source.WORKSHOP
    else:
        kwargs["source"] = Reservation.Source.MAINTENANCE
    with contextlib.suppress(BookingRefused):
        reservation_create(**kwargs)


def _booking_answers(resource, member, now):
    """What booking [start, end) for one person answers, for real: None (booked),
    "replayed" (the member's very same booking, returned as is) or the refusal code."""

    def answer(start, end):
        try:
            with transaction.atomic():
                if isinstance(resource, Machine):
                    made = machine_reservation_create(
                        member=member, machine=resource, start=start, end=end, now=now
                    )
                else:
                    made = booking_create(
                        member=member, space=resource, start=start, end=end, now=now
                    )
                raise _Undo(made.replayed)
        except _Undo as undo:
            return "replayed" if undo.replayed else None
        except BookingRefused as refusal:
            return refusal.code

    return answer


def _agrees(slot, answer, where: str) -> None:
    said = answer(slot.start, slot.end)
    shown = f"{where}: {slot.start:%a %H:%M}–{slot.end:%H:%M} shown {slot.state} ({slot.reason})"
    if said == "replayed":
        # Booking exactly what one already holds returns it: the slot shows it as yours.
        assert slot.state == SlotState.YOURS, shown
        return
    assert said == slot.reason, f"{shown}, booking answers {said}"
    if slot.state == SlotState.FREE:
        assert said is None, shown


@given(
    drawn=rules,
    held=reservations,
    day_index=st.sampled_from([1, 3, 0, 2, 4, 5]),
    late=st.sampled_from([10, 0, 45, 80]),
)
def test_every_slot_shown_free_is_booked_and_every_other_is_refused_for_the_reason_shown(
    drawn, held, day_index, late
):
    now = NOW + timedelta(minutes=late)
    # Each example is undone at its end; inside, each service call is its own
    # transaction as in real life (``batch``), so its locks need no order between them.
    with batch():
        site, resource, neighbour = _make(drawn)
        member = MemberFactory()
        animator = animator_make(email=MemberFactory().email)
        if drawn["kind"] == "machine" and drawn["qualification"] != "none":
            expired = drawn["qualification"] == "expired"
            QualificationFactory(
                member=member,
                machine=resource,
                expires_on=MONDAY + timedelta(days=1) if expired else None,
            )
        if drawn["closed_day"] is not None:
            closed = MONDAY + timedelta(days=drawn["closed_day"])
            ClosureFactory(site=site, start_date=closed, end_date=closed, reason="Pont")
        for who, on_neighbour, day, half_hours, length, seats in held:
            if who == "maintenance" and drawn["kind"] != "machine":
                continue
            start = datetime.combine(
                MONDAY + timedelta(days=day), time(8, 30), tzinfo=SITE_TZ
            ) + timedelta(minutes=30 * half_hours)
            _hold(
                neighbour if on_neighbour else resource,
                who,
                start,
                start + timedelta(minutes=30 * length),
                seats,
                member,
                animator,
            )

        day = MONDAY + timedelta(days=day_index)
        answer = _booking_answers(resource, member, now)
        slots = availability_for_day(resource=resource, day=day, member=member, now=now)
        assert slots or drawn["kind"] == "machine" or day.weekday() >= 5
        seen = {}
        for slot in slots:
            _agrees(slot, answer, "day grid")
            seen[(slot.start, slot.end)] = slot.reason

        if drawn["kind"] != "machine":
            grid = site_week_grid(site=site, week_start=MONDAY, member=member, now=now)
            row = next(r for r in grid.rows if r.space.pk == resource.pk)
            for slot in row.days[day_index]:
                if (slot.start, slot.end) in seen:
                    assert slot.reason == seen[(slot.start, slot.end)]
                else:
                    _agrees(slot, answer, "week grid")
            # The free-space search finds the space exactly when booking it works.
            for slot in slots[::3]:
                found = spaces_search(
                    site=site, start=slot.start, end=slot.end, member=member, now=now
                )
                said = answer(slot.start, slot.end)
                assert (resource in found) == (said is None), (slot, said)

        # Every suggestion of the nearest free slots is booked when taken.
        if slots:
            asked = slots[len(slots) // 2]
            for start, end in nearest_free_slots(
                resource=resource,
                start=asked.start,
                duration=asked.end - asked.start,
                member=member,
                now=now,
            ):
                assert answer(start, end) in (None, "replayed"), (start, end)
                # And the dry run agrees with the engine.
                assert (
                    reservation_check(
                        resource=resource, member=member, start=start, end=end, now=now
                    )
                    == []
                )

        if drawn["kind"] == "machine":
            # The machines page offers only slots booking takes, the one in progress too.
            overview = machines_overview(member=member, now=now)
            card = next(c for c in overview.cards if c.machine.pk == resource.pk)
            for start, end in card.next_slots:
                assert answer(start, end) in (None, "replayed"), ("machines page", start, end)
        elif slots:
            # Every free time the search suggests finds a space, and booking it works.
            asked = slots[len(slots) // 2]
            duration = asked.end - asked.start
            answers = {r.pk: _booking_answers(r, member, now) for r in (resource, neighbour)}
            for at in search_free_times(
                site=site, start=asked.start, duration=duration, member=member, now=now
            ):
                found = spaces_search(
                    site=site, start=at, end=at + duration, member=member, now=now
                )
                assert found, ("free time", at)
                for space in found:
                    said = answers[space.pk](at, at + duration)
                    assert said in (None, "replayed"), ("free time", at, space, said)
        transaction.set_rollback(True)
