"""Booking a machine: the engine's rules, the Fablab's hours, qualifications and limits.
Every refusal says why, and stores nothing."""

from datetime import date

import pytest

from booking.models import Reservation
from booking.refusals import BookingRefused
from booking.services import booking_create
from fablab.services import machine_reservation_create, maintenance_schedule
from tests.factories import (
    ClosureFactory,
    MachineFactory,
    MemberFactory,
    PrinterFactory,
    QualificationFactory,
    SpaceFactory,
)

from .conftest import at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def book(member, machine, day=1, start="14:00", end="15:00", **extra):
    return machine_reservation_create(
        member=member, machine=machine, start=at(day, start), end=at(day, end), **extra
    )


def refused(member, machine, day=1, start="14:00", end="15:00") -> BookingRefused:
    """The refusal, having checked that nothing was stored."""
    before = Reservation.objects.count()
    with pytest.raises(BookingRefused) as info:
        book(member, machine, day, start, end)
    assert Reservation.objects.count() == before
    return info.value


def test_a_qualified_member_books_the_laser_cutter_in_the_fablab_hours(qualified, laser):
    slot = book(qualified, laser)
    assert slot.source == Reservation.Source.FABLAB
    assert slot.resource_id == laser.pk
    # The buffer after the slot is held too.
    assert slot.blocked_until == at(1, "15:15")


def test_an_unqualified_member_is_told_which_training_to_take(member, laser):
    refusal = refused(member, laser)
    assert refusal.code == "not_qualified"
    assert "Formation découpe laser" in refusal.message
    assert refusal.field == "machine"


def test_an_expired_qualification_no_longer_books(member, laser):
    QualificationFactory(member=member, machine=laser, expires_on=date(2026, 3, 2))
    refusal = refused(member, laser)
    assert refusal.code == "not_qualified"
    assert "a expiré le 02/03/2026" in refusal.message
    assert "Formation découpe laser" in refusal.message


def test_a_qualification_valid_on_the_day_of_the_slot_books(member, laser):
    QualificationFactory(member=member, machine=laser, expires_on=date(2026, 3, 3))
    assert book(member, laser)
    assert refused(member, laser, day=3).code == "not_qualified"


def test_a_machine_without_qualification_is_open_to_every_member(member):
    printer = PrinterFactory()
    assert book(member, printer, start="14:00", end="16:00")


def test_a_slot_over_a_maintenance_window_is_refused(qualified, laser, animator):
    maintenance_schedule(
        machine=laser, start=at(1, "14:00"), end=at(1, "16:00"), reason="Tube laser", by=animator
    )
    refusal = refused(qualified, laser, start="15:00", end="16:00")
    assert refusal.code == "in_maintenance"
    assert "maintenance" in refusal.message


def test_a_slot_inside_the_previous_slots_buffer_is_refused(qualified, laser):
    book(QualificationFactory(machine=laser).member, laser, start="14:00", end="15:00")
    refusal = refused(qualified, laser, start="15:00", end="16:00")
    assert refusal.code == "in_buffer"
    assert "battement" in refusal.message


def test_a_slot_whose_buffer_runs_into_the_next_slot_is_refused(qualified, laser):
    book(QualificationFactory(machine=laser).member, laser, start="15:00", end="16:00")
    assert refused(qualified, laser, start="14:00", end="15:00").code == "in_buffer"


def test_the_next_slot_may_start_once_the_buffer_is_over(qualified, laser):
    book(QualificationFactory(machine=laser).member, laser, start="14:00", end="15:00")
    # 15:15 is off the 30-minute grid; the next grid slot after the buffer is 15:30.
    assert book(qualified, laser, start="15:30", end="16:30")


def test_an_overlapping_slot_is_taken(qualified, laser):
    book(QualificationFactory(machine=laser).member, laser, start="14:00", end="16:00")
    assert refused(qualified, laser, start="15:00", end="16:00").code == "taken"


def test_a_slot_longer_than_the_maximum_is_refused(qualified, laser):
    refusal = refused(qualified, laser, start="14:00", end="17:30")
    assert refusal.code == "too_long"
    assert refusal.field == "end"
    assert "180 minutes" in refusal.message


def test_a_slot_outside_the_fablab_hours_is_refused_even_when_the_coworking_is_open(
    qualified, laser
):
    # Tuesday 10:00: the coworking is open (8:30–18:30), the Fablab is not.
    refusal = refused(qualified, laser, start="10:00", end="11:00")
    assert refusal.code == "outside_hours"
    # Monday: the Fablab is closed all day.
    assert refused(qualified, laser, day=7, start="14:00", end="15:00").code == "outside_hours"


def test_a_slot_running_past_the_fablab_closing_is_refused(qualified, laser):
    assert refused(qualified, laser, start="17:30", end="18:30").code == "outside_hours"


def test_the_fablab_opens_on_saturday_morning_when_the_coworking_is_closed(qualified, laser):
    assert book(qualified, laser, day=5, start="09:30", end="11:00")
    room = SpaceFactory(site=laser.site)
    with pytest.raises(BookingRefused) as info:
        booking_create(member=qualified, space=room, start=at(5, "09:30"), end=at(5, "11:00"))
    assert info.value.code == "outside_hours"


def test_the_coworking_keeps_its_own_hours(member, laser):
    room = SpaceFactory(site=laser.site)
    assert booking_create(member=member, space=room, start=at(1, "10:00"), end=at(1, "11:00"))


def test_a_site_closure_closes_the_fablab_too(qualified, laser):
    ClosureFactory(site=laser.site, start_date=date(2026, 3, 3), reason="Inventaire")
    refusal = refused(qualified, laser)
    assert refusal.code == "closed"
    assert "Inventaire" in refusal.message


def test_a_member_holds_at_most_the_machines_number_of_future_slots(member):
    printer = PrinterFactory(max_future_slots=2)
    book(member, printer, day=1, start="14:00", end="15:00")
    book(member, printer, day=3, start="14:00", end="15:00")
    refusal = refused(member, printer, day=8, start="14:00", end="15:00")
    assert refusal.code == "over_limit"
    assert "2 créneau(x)" in refusal.message


def test_a_second_click_at_the_limit_returns_the_same_slot(member):
    printer = PrinterFactory(max_future_slots=1)
    first = book(member, printer)
    again = book(member, printer)
    assert again.pk == first.pk and again.replayed
    assert Reservation.objects.filter(resource=printer).count() == 1


def test_past_slots_do_not_count_against_the_limit(member):
    printer = PrinterFactory(max_future_slots=1)
    Reservation.objects.create(
        resource=printer,
        member=member,
        start=at(-6, "14:00"),
        end=at(-6, "15:00"),
        blocked_until=at(-6, "15:10"),
        source=Reservation.Source.FABLAB,
    )
    assert book(member, printer)


def test_an_animator_booking_for_a_member_is_held_to_the_same_qualification(animator, member):
    laser = MachineFactory()
    with pytest.raises(BookingRefused) as info:
        book(member, laser, by=animator)
    assert info.value.code == "not_qualified"


def test_a_naive_datetime_is_refused_before_anything_else(member, laser):
    with pytest.raises(BookingRefused) as info:
        machine_reservation_create(
            member=member,
            machine=laser,
            start=at(1, "14:00").replace(tzinfo=None),
            end=at(1, "15:00"),
        )
    assert info.value.code == "naive_datetime"


def test_booking_a_machine_also_books_nothing_else_for_the_member(qualified, laser):
    book(qualified, laser)
    assert MemberFactory().reservations.count() == 0
