"""What the grids and the search show, and that they cost a fixed number of queries."""

from datetime import timedelta

import pytest

from booking.models import Reservation, Site
from booking.selectors import SlotState, availability_for_day, bookings_for_member
from booking.services import booking_cancel, booking_create
from rooms.selectors import site_week_grid, spaces_search
from tests.factories import (
    AmenityFactory,
    ClosureFactory,
    DeskSpaceFactory,
    MemberFactory,
    SiteFactory,
    SpaceFactory,
)

from .conftest import MONDAY, at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def state_at(slots, start):
    return next(s for s in slots if s.start == start)


def test_a_days_availability_shows_free_busy_yours_and_tentative_slots(member):
    room = SpaceFactory()
    booking_create(member=MemberFactory(), space=room, start=at(1, "10:00"), end=at(1, "11:00"))
    booking_create(member=member, space=room, start=at(1, "11:00"), end=at(1, "12:00"))
    booking_create(
        member=None,
        space=room,
        start=at(1, "14:00"),
        end=at(1, "15:00"),
        status=Reservation.Status.TENTATIVE,
    )
    slots = availability_for_day(resource=room, day=MONDAY + timedelta(days=1), member=member)
    assert slots[0].start == at(1, "08:30")
    assert slots[-1].end == at(1, "18:30")
    assert state_at(slots, at(1, "09:30")).state == SlotState.FREE
    assert state_at(slots, at(1, "10:30")).state == SlotState.BUSY
    assert state_at(slots, at(1, "11:00")).state == SlotState.YOURS
    assert state_at(slots, at(1, "14:00")).state == SlotState.TENTATIVE


def test_a_closed_day_is_shown_closed_and_past_slots_are_past(member):
    room = SpaceFactory()
    ClosureFactory(
        site=room.site, start_date=MONDAY + timedelta(days=2), end_date=MONDAY + timedelta(days=2)
    )
    closed = availability_for_day(resource=room, day=MONDAY + timedelta(days=2))
    assert closed and {s.state for s in closed} == {SlotState.CLOSED}
    today = availability_for_day(resource=room, day=MONDAY)
    assert state_at(today, at(0, "08:30")).state == SlotState.PAST
    assert state_at(today, at(0, "09:00")).state == SlotState.FREE


def test_a_shared_office_shows_how_many_desks_are_left():
    office = DeskSpaceFactory(capacity=3)
    booking_create(member=MemberFactory(), space=office, start=at(1, "08:30"), end=at(1, "12:30"))
    slots = availability_for_day(resource=office, day=MONDAY + timedelta(days=1))
    assert state_at(slots, at(1, "09:00")).seats_left == 2
    assert state_at(slots, at(1, "14:00")).seats_left == 3


def test_the_week_grid_marks_each_space_and_closure(member):
    room = SpaceFactory()
    office = DeskSpaceFactory(site=room.site, capacity=1)
    ClosureFactory(
        site=room.site,
        start_date=MONDAY + timedelta(days=3),
        end_date=MONDAY + timedelta(days=3),
        reason="Ascension",
    )
    booking_create(member=member, space=room, start=at(1, "10:00"), end=at(1, "11:00"))
    booking_create(member=MemberFactory(), space=office, start=at(1, "08:30"), end=at(1, "12:30"))
    grid = site_week_grid(site=room.site, week_start=MONDAY, member=member)
    assert grid.days[0] == MONDAY and len(grid.days) == 7
    row = {r.space.pk: r for r in grid.rows}
    ten = grid.times.index(at(1, "10:00").time())
    assert row[room.pk].days[1][ten].state == SlotState.YOURS
    assert row[office.pk].days[1][ten].state == SlotState.BUSY
    assert row[office.pk].days[2][ten].state == SlotState.FREE
    assert row[room.pk].days[3][ten].state == SlotState.CLOSED
    assert row[room.pk].days[5][ten].state == SlotState.CLOSED  # Saturday
    assert grid.closures == {MONDAY + timedelta(days=3): "Ascension"}


def _fill(site: Site, spaces: int, bookings_per_space: int) -> None:
    for i in range(spaces):
        space = SpaceFactory(site=site) if i % 2 else DeskSpaceFactory(site=site)
        for j in range(bookings_per_space):
            day = j % 5
            hour = 9 + (j // 5) % 9
            booking_create(
                member=MemberFactory(),
                space=space,
                start=at(day, f"{hour}:00"),
                end=at(day, f"{hour}:30"),
            )


@pytest.mark.parametrize(("spaces", "bookings"), [(1, 1), (12, 15)])
@pytest.mark.parametrize(("jauge", "queries"), [(None, 4), (500, 5)])
def test_the_week_grid_costs_a_fixed_number_of_queries_whatever_the_data(
    django_assert_num_queries, member, spaces, bookings, jauge, queries
):
    site = SiteFactory()
    site.jauge = jauge
    site.save()
    _fill(site, spaces, bookings)
    with django_assert_num_queries(queries):
        grid = site_week_grid(site=site, week_start=MONDAY, member=member)
    assert len(grid.rows) == spaces


@pytest.mark.parametrize("bookings", [1, 20])
def test_a_days_availability_costs_three_queries_whatever_the_data(
    django_assert_num_queries, bookings
):
    site = SiteFactory()
    _fill(site, 1, bookings)
    space = site.resources.get().space
    space.site = site
    with django_assert_num_queries(3):
        availability_for_day(resource=space, day=MONDAY + timedelta(days=1))


def test_find_a_space_returns_free_spaces_with_the_amenities_and_room_for_everyone():
    visio = AmenityFactory(name="Kit visio")
    site = SiteFactory()
    big = SpaceFactory(site=site, name="Armagnac", capacity=12, amenities=[visio])
    small = SpaceFactory(site=site, name="Gascogne", capacity=6, amenities=[visio])
    SpaceFactory(site=site, name="Sans visio", capacity=12)
    found = spaces_search(
        site=site, start=at(1, "10:00"), end=at(1, "11:00"), people=4, amenities=[visio.slug]
    )
    assert [s.pk for s in found] == [small.pk, big.pk]
    booking_create(member=MemberFactory(), space=small, start=at(1, "10:00"), end=at(1, "11:00"))
    found = spaces_search(
        site=site, start=at(1, "10:00"), end=at(1, "11:00"), people=8, amenities=[visio.slug]
    )
    assert [s.pk for s in found] == [big.pk]


def test_find_a_space_finds_nothing_when_the_site_is_closed():
    room = SpaceFactory()
    assert spaces_search(site=room.site, start=at(5, "10:00"), end=at(5, "11:00")) == []


def test_my_bookings_lists_only_mine_upcoming_first_and_past_separately(member, clock):
    room = SpaceFactory(cancellation_cutoff_hours=0)
    past = booking_create(member=member, space=room, start=at(0, "09:00"), end=at(0, "09:30"))
    later = booking_create(member=member, space=room, start=at(2, "10:00"), end=at(2, "11:00"))
    sooner = booking_create(member=member, space=room, start=at(1, "10:00"), end=at(1, "11:00"))
    cancelled = booking_create(member=member, space=room, start=at(3, "10:00"), end=at(3, "11:00"))
    booking_cancel(member=member, booking=cancelled)
    booking_create(member=MemberFactory(), space=room, start=at(4, "10:00"), end=at(4, "11:00"))
    clock.move_to(at(0, "10:00"))
    assert list(bookings_for_member(member=member)) == [sooner, later]
    assert list(bookings_for_member(member=member, upcoming=False)) == [past]
    assert cancelled in bookings_for_member(member=member, include_cancelled=True)
