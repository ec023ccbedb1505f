"""On PostgreSQL, with real threads and real transactions: simultaneous requests for
the same laser-cutter slot give exactly one reservation, and the buffer after a slot
is inside the database's exclusion constraint."""

import pytest
from django.db import IntegrityError, transaction

from booking.models import Reservation
from booking.refusals import BookingRefused
from fablab.services import machine_reservation_create
from tests.concurrency import race as run_race
from tests.factories import MachineFactory, MemberFactory, QualificationFactory

from .conftest import at

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("clock"),
]

ATTEMPTS = 20


def race(requests):
    return run_race(machine_reservation_create, requests, refused=BookingRefused)


def test_simultaneous_requests_for_one_laser_cutter_slot_give_one_reservation():
    laser = MachineFactory()
    members = [QualificationFactory(machine=laser).member for _ in range(ATTEMPTS)]
    results = race(
        [
            {"member": m, "machine": laser, "start": at(1, "14:00"), "end": at(1, "15:00")}
            for m in members
        ]
    )
    assert sum(isinstance(r, Reservation) for r in results) == 1
    assert results.count("taken") == ATTEMPTS - 1
    assert Reservation.objects.filter(resource=laser).count() == 1


def test_simultaneous_requests_into_each_others_buffer_give_one_reservation():
    laser = MachineFactory()
    members = [QualificationFactory(machine=laser).member for _ in range(ATTEMPTS)]
    # 14:00–15:00 and 15:00–16:00 cannot both hold: the first's buffer runs to 15:15.
    ranges = [("14:00", "15:00"), ("15:00", "16:00")]
    results = race(
        [
            {
                "member": m,
                "machine": laser,
                "start": at(1, ranges[i % 2][0]),
                "end": at(1, ranges[i % 2][1]),
            }
            for i, m in enumerate(members)
        ]
    )
    assert sum(isinstance(r, Reservation) for r in results) == 1
    assert Reservation.objects.filter(resource=laser).count() == 1


def test_a_member_racing_for_more_slots_than_allowed_gets_only_the_limit():
    laser = MachineFactory(max_future_slots=2)
    member = QualificationFactory(machine=laser).member
    starts = ["14:00", "15:30", "17:00"]
    results = race(
        [
            {
                "member": member,
                "machine": laser,
                "start": at(day, start),
                "end": at(day, start) + (at(1, "15:00") - at(1, "14:00")),
            }
            for day in (1, 3)
            for start in starts
        ]
    )
    assert sum(isinstance(r, Reservation) for r in results) == 2
    assert Reservation.objects.filter(member=member).count() == 2


def test_the_database_refuses_a_row_written_into_a_slots_buffer():
    laser = MachineFactory()
    machine_reservation_create(
        member=QualificationFactory(machine=laser).member,
        machine=laser,
        start=at(1, "14:00"),
        end=at(1, "15:00"),
    )
    # 15:00 does not overlap 14:00–15:00, but it is inside the 15-minute buffer.
    with pytest.raises(IntegrityError, match="reservation_no_overlap"), transaction.atomic():
        Reservation.objects.create(
            resource=laser,
            member=MemberFactory(),
            start=at(1, "15:00"),
            end=at(1, "16:00"),
            blocked_until=at(1, "16:15"),
            exclusive=True,
            source=Reservation.Source.FABLAB,
        )
    assert Reservation.objects.filter(resource=laser).count() == 1
