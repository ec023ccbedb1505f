"""The Fablab admin books, schedules and records through the services: an animator
booking for a member is held to the member's qualification, and the rooms' generic
reservation form cannot be used to slip a machine past it."""

import pytest

from booking.models import Reservation
from fablab.services import machine_reservation_create
from notifications.models import Notification
from tests.factories import MemberFactory, QualificationFactory

from .conftest import at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def _slot_form(member, laser, start="14:00:00", end="15:00:00"):
    return {
        "member": member.pk,
        "machine": laser.pk,
        "start_0": "03/03/2026",
        "start_1": start,
        "end_0": "03/03/2026",
        "end_1": end,
    }


def test_an_animator_books_a_slot_for_a_qualified_member(client, animator, laser):
    member = QualificationFactory(machine=laser).member
    client.force_login(animator)
    response = client.post("/admin/fablab/fablabslot/add/", _slot_form(member, laser))
    assert response.status_code == 302, response.context["adminform"].form.errors
    slot = Reservation.objects.get()
    assert (slot.member, slot.resource_id, slot.source) == (member, laser.pk, "fablab")


def test_the_admin_refuses_a_slot_for_an_unqualified_member_naming_the_training(
    client, animator, laser
):
    client.force_login(animator)
    response = client.post("/admin/fablab/fablabslot/add/", _slot_form(MemberFactory(), laser))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Formation découpe laser" in str(errors["machine"])
    assert not Reservation.objects.exists()


def test_the_admin_refuses_a_slot_outside_the_fablab_hours(client, animator, laser):
    member = QualificationFactory(machine=laser).member
    client.force_login(animator)
    response = client.post(
        "/admin/fablab/fablabslot/add/", _slot_form(member, laser, "10:00:00", "11:00:00")
    )
    assert response.status_code == 200
    assert "start" in response.context["adminform"].form.errors
    assert not Reservation.objects.exists()


def test_the_generic_reservation_form_books_spaces_only(client, animator, laser):
    client.force_login(animator)
    response = client.post(
        "/admin/booking/reservation/add/",
        {
            "resource": laser.pk,
            "member": MemberFactory().pk,
            "start_0": "03/03/2026",
            "start_1": "14:00:00",
            "end_0": "03/03/2026",
            "end_1": "15:00:00",
            "seats": 1,
            "status": "confirmed",
            "source": "booking",
        },
    )
    assert response.status_code == 200
    assert "resource" in response.context["adminform"].form.errors
    assert not Reservation.objects.exists()


def test_the_fablab_admin_pages_open(client, animator, laser):
    QualificationFactory(machine=laser)
    client.force_login(animator)
    for url in [
        "/admin/fablab/machine/",
        f"/admin/fablab/machine/{laser.pk}/change/",
        "/admin/fablab/fablabhours/",
        "/admin/fablab/qualification/",
        "/admin/fablab/fablabslot/",
        "/admin/fablab/maintenance/",
        "/admin/fablab/usagelog/",
    ]:
        assert client.get(url).status_code == 200, url


def test_a_machine_saved_in_the_admin_is_exclusive_and_counted_in_its_family(
    client, animator, laser
):
    laser.kind = "cnc_router"
    laser.exclusive = False
    laser.save()
    laser.refresh_from_db()
    assert (laser.category, laser.exclusive) == ("cnc_router", True)


def test_the_admin_cancels_selected_slots_and_tells_their_members(client, animator, laser):
    member = QualificationFactory(machine=laser).member
    slot = machine_reservation_create(
        member=member, machine=laser, start=at(1, "14:00"), end=at(1, "15:00")
    )
    client.force_login(animator)
    response = client.post(
        "/admin/fablab/fablabslot/",
        {"action": "cancel_selected", "_selected_action": [slot.pk]},
    )
    assert response.status_code == 302
    slot.refresh_from_db()
    assert slot.status == "cancelled"
    assert Notification.objects.filter(
        kind=Notification.Kind.BOOKING_CANCELLED, recipient=member
    ).exists()
