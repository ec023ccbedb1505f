"""A session's room is held through the booking engine."""

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from booking.models import Reservation
from booking.refusals import BookingRefused
from booking.services import booking_create
from members.services import animator_make
from tests.factories import MemberFactory, SpaceFactory, WorkshopFactory
from workshops.models import Session
from workshops.services import registration_create, session_save

pytestmark = pytest.mark.django_db

PARIS = timezone.get_default_timezone()


def _next_weekday_at(hour, minute=0, days_ahead=7):
    day = timezone.localdate() + timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


@pytest.fixture
def animator():
    return animator_make(email=MemberFactory().email)


@pytest.fixture
def room():
    return SpaceFactory(name="Salle Armagnac", capacity=12)


def _schedule(animator, room, start=None, capacity=10, **extra):
    start = start or _next_weekday_at(9, 30)
    session = Session(
        workshop=extra.pop("workshop", None) or WorkshopFactory(),
        start=start,
        end=start + timedelta(hours=2),
        room=room,
        capacity=capacity,
        **extra,
    )
    session_save(session=session, by=animator)
    return session


def test_scheduling_a_session_holds_its_room_so_members_cannot_book_it(animator, room):
    session = _schedule(animator, room)
    assert session.room_hold.status == Reservation.Status.CONFIRMED
    assert session.room_hold.source == Reservation.Source.WORKSHOP
    with pytest.raises(BookingRefused) as refused:
        booking_create(member=MemberFactory(), space=room, start=session.start, end=session.end)
    assert refused.value.code == "taken"


def test_a_session_cannot_go_in_a_room_already_taken(animator, room):
    start = _next_weekday_at(10)
    booking_create(member=MemberFactory(), space=room, start=start, end=start + timedelta(hours=1))
    with pytest.raises(ValidationError) as refused:
        _schedule(animator, room, start=start - timedelta(minutes=30))
    assert "room" in refused.value.message_dict
    assert not Session.objects.exists()


def test_a_session_larger_than_its_room_is_refused(animator):
    small = SpaceFactory(capacity=6)
    with pytest.raises(ValidationError) as refused:
        _schedule(animator, small, capacity=10)
    assert "room" in refused.value.message_dict


def test_a_programme_can_be_planned_beyond_the_members_booking_horizon(animator, room):
    far = _next_weekday_at(9, 30, days_ahead=200)
    session = _schedule(animator, room, start=far)
    assert "beyond_horizon" in session.room_hold.overridden_rules
    assert session.room_hold.override_by == animator


def test_moving_a_session_moves_its_hold_and_frees_the_old_slot(animator, room):
    session = _schedule(animator, room)
    old_hold = session.room_hold
    session.start += timedelta(days=1)
    session.end += timedelta(days=1)
    session_save(session=session, by=animator)
    old_hold.refresh_from_db()
    assert old_hold.status == Reservation.Status.CANCELLED
    assert session.room_hold.start == session.start
    freed = booking_create(
        member=MemberFactory(), space=room, start=old_hold.start, end=old_hold.end
    )
    assert freed.pk


def test_a_session_moved_onto_a_taken_slot_keeps_its_old_hold(animator, room):
    session = _schedule(animator, room)
    other_start = session.start + timedelta(days=1)
    booking_create(
        member=MemberFactory(), space=room, start=other_start, end=other_start + timedelta(hours=1)
    )
    session.start, session.end = other_start, other_start + timedelta(hours=2)
    with pytest.raises(ValidationError):
        session_save(session=session, by=animator)
    fresh = Session.objects.get(pk=session.pk)
    assert fresh.room_hold.status == Reservation.Status.CONFIRMED
    assert fresh.start != other_start


def test_cancelling_a_session_releases_its_room(animator, room):
    session = _schedule(animator, room)
    session.is_cancelled = True
    session_save(session=session, by=animator)
    assert session.room_hold is None
    booking_create(member=MemberFactory(), space=room, start=session.start, end=session.end)


def test_a_session_ending_before_it_starts_is_refused(animator, room):
    start = _next_weekday_at(9, 30)
    session = Session(
        workshop=WorkshopFactory(),
        start=start,
        end=start - timedelta(hours=1),
        room=room,
        capacity=5,
    )
    with pytest.raises(ValidationError) as refused:
        session_save(session=session, by=animator)
    assert not Session.objects.exists()
    assert refused.value.message_dict


def test_a_capacity_below_zero_is_refused(animator, room):
    start = _next_weekday_at(9, 30)
    session = Session(
        workshop=WorkshopFactory(),
        start=start,
        end=start + timedelta(hours=1),
        room=room,
        capacity=-1,
    )
    with pytest.raises(ValidationError) as refused:
        session_save(session=session, by=animator)
    assert "capacity" in refused.value.message_dict


def test_lowering_seats_through_the_service_reports_the_overflow(animator, room):
    session = _schedule(animator, room, capacity=4)
    for _ in range(4):
        registration_create(session=session, member=MemberFactory())
    session.capacity = 2
    promoted, overflow = session_save(session=session, by=animator)
    assert overflow == 2
    assert session.registrations.filter(status="registered").count() == 4


def test_the_admin_shows_a_taken_room_on_the_form(client, animator, room):
    start = _next_weekday_at(14)
    booking_create(member=MemberFactory(), space=room, start=start, end=start + timedelta(hours=1))
    client.force_login(animator)
    local = timezone.localtime(start)
    response = client.post(
        "/admin/workshops/session/add/",
        {
            "workshop": WorkshopFactory().pk,
            "start_0": local.strftime("%d/%m/%Y"),
            "start_1": local.strftime("%H:%M"),
            "end_0": local.strftime("%d/%m/%Y"),
            "end_1": (local + timedelta(hours=2)).strftime("%H:%M"),
            "room": room.pk,
            "capacity": 8,
            "registrations-TOTAL_FORMS": 0,
            "registrations-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "room" in response.context["adminform"].form.errors
    assert not Session.objects.exists()


def test_the_admin_schedules_a_session_and_holds_the_room(client, animator, room):
    start = _next_weekday_at(14)
    client.force_login(animator)
    local = timezone.localtime(start)
    response = client.post(
        "/admin/workshops/session/add/",
        {
            "workshop": WorkshopFactory().pk,
            "start_0": local.strftime("%d/%m/%Y"),
            "start_1": local.strftime("%H:%M"),
            "end_0": local.strftime("%d/%m/%Y"),
            "end_1": (local + timedelta(hours=2)).strftime("%H:%M"),
            "room": room.pk,
            "capacity": 8,
            "registrations-TOTAL_FORMS": 0,
            "registrations-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    session = Session.objects.get()
    assert session.room_hold.resource_id == room.pk


def test_a_session_in_a_shared_space_holds_all_of_it(animator):
    from tests.factories import DeskSpaceFactory

    lounge = DeskSpaceFactory(kind="conviviality", capacity=20)
    session = _schedule(animator, lounge, capacity=10)
    assert session.room_hold.exclusive
    with pytest.raises(BookingRefused) as refused:
        booking_create(member=MemberFactory(), space=lounge, start=session.start, end=session.end)
    assert refused.value.code == "taken"


def test_a_session_cannot_take_a_shared_space_where_seats_are_booked(animator):
    from tests.factories import DeskSpaceFactory

    lounge = DeskSpaceFactory(kind="conviviality", capacity=20)
    start = _next_weekday_at(9, 30)
    booking_create(
        member=MemberFactory(), space=lounge, start=start, end=start + timedelta(hours=1)
    )
    with pytest.raises(ValidationError) as refused:
        _schedule(animator, lounge, start=start, capacity=10)
    assert "room" in refused.value.message_dict


def test_nobody_cancels_a_sessions_room_behind_its_back(client, animator, room):
    from booking.services import booking_cancel

    session = _schedule(animator, room)
    with pytest.raises(BookingRefused) as refused:
        booking_cancel(member=animator, booking=session.room_hold)
    assert refused.value.code == "held_elsewhere"
    client.force_login(animator)
    client.post(
        "/admin/booking/reservation/",
        {"action": "cancel_selected", "_selected_action": [session.room_hold_id]},
    )
    session.room_hold.refresh_from_db()
    assert session.room_hold.status == Reservation.Status.CONFIRMED
