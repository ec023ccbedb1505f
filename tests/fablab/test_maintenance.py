"""Putting a machine into maintenance over booked slots: the slots are cancelled, the
animator sees whom it touched, and each member is told."""

import pytest
from django.core.exceptions import PermissionDenied

from booking.models import Reservation
from booking.refusals import BookingRefused
from fablab.services import machine_reservation_create, maintenance_schedule
from notifications.models import Notification
from tests.factories import MachineFactory, QualificationFactory

from .conftest import at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def _slot(laser, start, end, day=1):
    member = QualificationFactory(machine=laser).member
    return machine_reservation_create(
        member=member, machine=laser, start=at(day, start), end=at(day, end)
    )


def test_maintenance_over_booked_slots_cancels_them_and_tells_each_member(
    laser, animator, deliver_outbox, mailoutbox
):
    early = _slot(laser, "14:00", "15:00")
    late = _slot(laser, "16:00", "17:00")
    untouched = _slot(laser, "14:00", "15:00", day=3)
    outcome = maintenance_schedule(
        machine=laser,
        start=at(1, "14:30"),
        end=at(1, "16:30"),
        reason="Remplacement du tube laser",
        by=animator,
    )
    assert [s.pk for s in outcome.affected] == [early.pk, late.pk]
    assert outcome.window.source == Reservation.Source.MAINTENANCE
    assert outcome.window.member is None
    assert outcome.window.purpose == "Remplacement du tube laser"
    statuses = dict(Reservation.objects.values_list("pk", "status"))
    assert statuses[early.pk] == statuses[late.pk] == "cancelled"
    assert statuses[untouched.pk] == "confirmed"
    deliver_outbox()
    assert len(mailoutbox) == 2
    message = next(m for m in mailoutbox if early.member.email in m.to[0])
    assert any(late.member.email in m.to[0] for m in mailoutbox)
    assert "Maintenance" in message.subject
    assert laser.name in message.body
    assert "Remplacement du tube laser" in message.body
    assert "annulé" in message.body
    # One message each, the maintenance one: not a second "booking cancelled" as well.
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert Notification.Kind.BOOKING_CANCELLED not in kinds


def test_a_slot_whose_buffer_reaches_the_window_is_affected_too(laser, animator):
    slot = _slot(laser, "14:00", "15:00")  # blocked until 15:15
    outcome = maintenance_schedule(
        machine=laser, start=at(1, "15:00"), end=at(1, "16:00"), reason="Nettoyage", by=animator
    )
    assert [s.pk for s in outcome.affected] == [slot.pk]


def test_a_maintenance_over_nothing_affects_nobody(laser, animator):
    outcome = maintenance_schedule(
        machine=laser, start=at(2, "09:00"), end=at(2, "12:00"), reason="Révision", by=animator
    )
    assert outcome.affected == []
    # Outside the Fablab's hours: maintenance is not held to the booking rules.
    assert outcome.window.overridden_rules == "outside_hours"


def test_overlapping_another_maintenance_is_refused_and_cancels_nothing(laser, animator):
    maintenance_schedule(
        machine=laser, start=at(1, "17:00"), end=at(1, "18:00"), reason="Révision", by=animator
    )
    slot = _slot(laser, "14:00", "15:00")
    with pytest.raises(BookingRefused) as info:
        maintenance_schedule(
            machine=laser, start=at(1, "14:00"), end=at(1, "17:30"), reason="Tube", by=animator
        )
    assert info.value.code == "in_maintenance"
    slot.refresh_from_db()
    assert slot.status == "confirmed"
    assert not Notification.objects.filter(kind=Notification.Kind.MAINTENANCE_CONFLICT).exists()


def test_only_animators_schedule_maintenance(laser, member):
    with pytest.raises(PermissionDenied):
        maintenance_schedule(
            machine=laser, start=at(1, "14:00"), end=at(1, "15:00"), reason="?", by=member
        )


def test_a_maintenance_needs_a_reason(laser, animator):
    with pytest.raises(BookingRefused) as info:
        maintenance_schedule(
            machine=laser, start=at(1, "14:00"), end=at(1, "15:00"), reason="  ", by=animator
        )
    assert info.value.field == "reason"


def test_the_admin_schedules_a_maintenance_and_lists_the_affected_members(client, laser, animator):
    slot = _slot(laser, "14:00", "15:00")
    client.force_login(animator)
    response = client.post(
        "/admin/fablab/maintenance/add/",
        {
            "machine": laser.pk,
            "reason": "Remplacement du tube laser",
            "start_0": "03/03/2026",
            "start_1": "14:00:00",
            "end_0": "03/03/2026",
            "end_1": "16:00:00",
        },
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert slot.member.email in page
    assert "1 créneau annulé" in page
    assert Reservation.objects.filter(source="maintenance", resource=laser).count() == 1


def test_the_admin_shows_a_refused_maintenance_on_the_form(client, laser, animator):
    maintenance_schedule(
        machine=laser, start=at(1, "14:00"), end=at(1, "16:00"), reason="Révision", by=animator
    )
    client.force_login(animator)
    response = client.post(
        "/admin/fablab/maintenance/add/",
        {
            "machine": laser.pk,
            "reason": "Encore",
            "start_0": "03/03/2026",
            "start_1": "15:00:00",
            "end_0": "03/03/2026",
            "end_1": "17:00:00",
        },
    )
    assert response.status_code == 200
    assert "en maintenance" in response.content.decode()
    assert Reservation.objects.filter(source="maintenance").count() == 1


def test_a_maintenance_window_brings_nobody_into_the_building(laser, animator):
    laser.site.jauge = 1
    laser.site.save()
    maintenance_schedule(
        machine=laser, start=at(1, "14:00"), end=at(1, "18:00"), reason="Révision", by=animator
    )
    printer = MachineFactory(site=laser.site, name="Imprimante 3D", requires_qualification=False)
    member = QualificationFactory(machine=printer).member
    # The jauge of one is still free for a person at the printer.
    slot = machine_reservation_create(
        member=member, machine=printer, start=at(1, "14:00"), end=at(1, "15:00")
    )
    assert slot.pk
