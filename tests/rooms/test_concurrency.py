"""On PostgreSQL, with real threads and real transactions: the last slot and the last
desk go to exactly one person, and the database itself refuses an overlap."""

import pytest
from django.db import IntegrityError, transaction

from booking.models import Reservation
from booking.refusals import BookingRefused
from booking.services import booking_create
from tests.concurrency import race as run_race
from tests.factories import DeskSpaceFactory, MemberFactory, SpaceFactory

from .conftest import at

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("clock"),
]

ATTEMPTS = 30


def race(requests):
    return run_race(booking_create, requests, refused=BookingRefused)


def test_thirty_simultaneous_requests_for_one_meeting_room_slot_give_one_booking():
    room = SpaceFactory()
    members = [MemberFactory() for _ in range(ATTEMPTS)]
    results = race(
        [
            {"member": m, "space": room, "start": at(1, "10:00"), "end": at(1, "11:00")}
            for m in members
        ]
    )
    booked = [r for r in results if isinstance(r, Reservation)]
    assert len(booked) == 1
    assert results.count("taken") == ATTEMPTS - 1
    assert Reservation.objects.filter(resource=room).count() == 1


def test_the_last_desk_goes_to_exactly_one_of_thirty_simultaneous_requests():
    office = DeskSpaceFactory(capacity=5)
    for _ in range(4):
        booking_create(
            member=MemberFactory(), space=office, start=at(1, "08:30"), end=at(1, "18:30")
        )
    members = [MemberFactory() for _ in range(ATTEMPTS)]
    results = race(
        [
            {"member": m, "space": office, "start": at(1, "08:30"), "end": at(1, "12:30")}
            for m in members
        ]
    )
    assert sum(isinstance(r, Reservation) for r in results) == 1
    assert results.count("full") == ATTEMPTS - 1
    assert Reservation.objects.filter(resource=office).count() == 5


def test_a_frantic_double_click_still_makes_one_booking():
    room = SpaceFactory()
    member = MemberFactory()
    results = race(
        [
            {"member": member, "space": room, "start": at(1, "10:00"), "end": at(1, "11:00")}
            for _ in range(10)
        ]
    )
    assert len({r.pk for r in results}) == 1
    assert Reservation.objects.count() == 1


def test_the_database_refuses_an_overlap_written_behind_the_engines_back():
    room = SpaceFactory()
    booking_create(member=MemberFactory(), space=room, start=at(1, "10:00"), end=at(1, "11:00"))
    with pytest.raises(IntegrityError, match="reservation_no_overlap"), transaction.atomic():
        Reservation.objects.create(
            resource=room,
            start=at(1, "10:30"),
            end=at(1, "11:30"),
            blocked_until=at(1, "11:30"),
            exclusive=True,
        )
    assert Reservation.objects.count() == 1


def test_the_database_allows_back_to_back_shared_and_cancelled_rows():
    room = SpaceFactory()
    booking_create(member=MemberFactory(), space=room, start=at(1, "10:00"), end=at(1, "11:00"))
    Reservation.objects.create(
        resource=room,
        start=at(1, "11:00"),
        end=at(1, "12:00"),
        blocked_until=at(1, "12:00"),
        exclusive=True,
    )
    Reservation.objects.create(
        resource=room,
        start=at(1, "10:00"),
        end=at(1, "11:00"),
        blocked_until=at(1, "11:00"),
        exclusive=True,
        status=Reservation.Status.CANCELLED,
    )
    office = DeskSpaceFactory()
    for _ in range(2):
        Reservation.objects.create(
            resource=office,
            start=at(1, "10:00"),
            end=at(1, "11:00"),
            blocked_until=at(1, "11:00"),
            exclusive=False,
        )
    assert Reservation.objects.count() == 5
