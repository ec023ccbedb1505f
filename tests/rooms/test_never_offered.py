"""A slot booking would refuse is never offered as free — not on the week grid, the
day's availability (pages and API), the free-space search or the nearest-slot
suggestions — and each says why, as the engine would."""

from datetime import timedelta

import pytest

from booking.refusals import BookingRefused
from booking.selectors import SlotState, availability_for_day, nearest_free_slots
from booking.services import booking_create
from members.services import api_token_create
from rooms.selectors import site_week_grid, spaces_search
from tests.factories import DeskSpaceFactory, MemberFactory, SpaceFactory

from .conftest import MONDAY, at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def api(client, member):
    _token, key = api_token_create(member=member, name="tests")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def _booking_refusal(**kwargs) -> str:
    with pytest.raises(BookingRefused) as info:
        booking_create(**kwargs)
    return info.value.code


def _week_cells(site, member, space, day_index):
    grid = site_week_grid(site=site, week_start=MONDAY, member=member)
    return next(row for row in grid.rows if row.space.pk == space.pk).days[day_index]


def test_a_date_past_the_horizon_is_offered_nowhere(member, api):
    room = SpaceFactory(horizon_days=2)
    thursday = MONDAY + timedelta(days=3)

    slots = availability_for_day(resource=room, day=thursday, member=member)
    assert slots and all(s.state == SlotState.UNAVAILABLE for s in slots)
    assert {s.reason for s in slots} == {"beyond_horizon"}
    body = api.get(f"/api/v1/spaces/{room.pk}/availability", {"date": "2026-03-05"}).json()
    assert {(s["state"], s["reason"]) for s in body["slots"]} == {("unavailable", "beyond_horizon")}
    assert all(c.state != SlotState.FREE for c in _week_cells(room.site, member, room, 3))
    assert spaces_search(site=room.site, start=at(3, "10:00"), end=at(3, "11:00")) == []
    suggested = nearest_free_slots(
        resource=room, start=at(3, "10:00"), duration=timedelta(hours=1), member=member
    )
    assert suggested and all(start < at(3, "00:00") for start, _end in suggested)
    assert (
        _booking_refusal(member=member, space=room, start=at(3, "10:00"), end=at(3, "11:00"))
        == "beyond_horizon"
    )


def test_a_member_at_their_daily_limit_is_not_offered_another_desk_that_day(member, api):
    office = DeskSpaceFactory(capacity=10, max_bookings_per_day=1)
    booking_create(member=member, space=office, start=at(1, "08:30"), end=at(1, "12:30"))
    tuesday = MONDAY + timedelta(days=1)

    afternoon = next(
        s
        for s in availability_for_day(resource=office, day=tuesday, member=member)
        if s.start == at(1, "14:00")
    )
    assert (afternoon.state, afternoon.reason) == (SlotState.UNAVAILABLE, "over_limit")
    body = api.get(f"/api/v1/spaces/{office.pk}/availability", {"date": "2026-03-03"}).json()
    two_pm = next(s for s in body["slots"] if s["start"].startswith("2026-03-03T14:00"))
    assert (two_pm["state"], two_pm["reason"], two_pm["seats_left"]) == (
        "unavailable",
        "over_limit",
        0,
    )
    cells = _week_cells(office.site, member, office, 1)
    assert not [c for c in cells if c.state == SlotState.FREE]
    found = spaces_search(site=office.site, start=at(1, "14:00"), end=at(1, "16:00"), member=member)
    assert office not in found
    # The same afternoon is free for someone else, and on Wednesday for this member.
    assert office in spaces_search(
        site=office.site, start=at(1, "14:00"), end=at(1, "16:00"), member=MemberFactory()
    )
    suggested = nearest_free_slots(
        resource=office, start=at(1, "14:00"), duration=timedelta(hours=2), member=member
    )
    assert suggested and all(start.date() != at(1, "14:00").date() for start, _ in suggested)
    assert (
        _booking_refusal(member=member, space=office, start=at(1, "14:00"), end=at(1, "16:00"))
        == "over_limit"
    )


def test_a_member_past_their_weekly_hours_is_not_offered_more_that_week(member):
    room = SpaceFactory(max_minutes_per_week=120)
    booking_create(member=member, space=room, start=at(0, "10:00"), end=at(0, "12:00"))

    thursday = availability_for_day(resource=room, day=MONDAY + timedelta(days=3), member=member)
    assert {s.reason for s in thursday} == {"over_limit"}
    next_monday = availability_for_day(resource=room, day=MONDAY + timedelta(days=7), member=member)
    assert any(s.state == SlotState.FREE for s in next_monday)
    assert (
        spaces_search(site=room.site, start=at(3, "10:00"), end=at(3, "11:00"), member=member) == []
    )


def test_the_week_grid_says_why_a_cell_cannot_be_booked(client, member):
    room = SpaceFactory(horizon_days=1)
    client.force_login(member)
    page = client.get(
        f"/espaces/lieu/{room.site.slug}/", {"semaine": "2026-03-02"}
    ).content.decode()
    assert 'class="slot unavailable"' in page
    assert "On ne peut pas réserver plus de 1 jours à l&#x27;avance." in page
    # Only Monday and Tuesday are offered: no link to book a later day.
    assert "date=2026-03-04" not in page
    assert "date=2026-03-03&amp;start=10:00" in page or "date=2026-03-03&start=10:00" in page
