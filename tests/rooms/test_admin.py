"""The animators' admin goes through the engine: overrides recorded, overlaps refused."""

import pytest

from booking.models import Reservation
from booking.services import booking_create
from rooms.services.rentals import rental_request_create
from tests.factories import MemberFactory, SpaceFactory

from .conftest import at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def animator_client(client, animator):
    client.force_login(animator)
    return client


def add(client, space, member, start_time, end_time, **extra):
    data = {
        "resource": space.pk,
        "member": member.pk,
        "start_0": "2026-03-03",
        "start_1": start_time,
        "end_0": "2026-03-03",
        "end_1": end_time,
        "seats": 1,
        "status": "confirmed",
        "source": "admin",
        "purpose": "",
        "override_reason": "",
    }
    data.update(extra)
    return client.post("/admin/booking/reservation/add/", data)


def test_an_animator_books_outside_hours_with_a_reason_and_it_is_recorded(
    animator_client, animator, member
):
    room = SpaceFactory()
    response = add(
        animator_client, room, member, "19:00", "21:00", override_reason="Conférence du soir"
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    booking = Reservation.objects.get()
    assert booking.override_by == animator
    assert booking.overridden_rules == "outside_hours"
    assert booking.blocked_until == booking.end


def test_the_admin_refuses_an_overlap_with_the_engines_message(animator_client, member):
    room = SpaceFactory()
    booking_create(member=MemberFactory(), space=room, start=at(1, "10:00"), end=at(1, "11:00"))
    response = add(animator_client, room, member, "10:30", "11:30", override_reason="urgent")
    assert response.status_code == 200
    assert "déjà réservé" in response.content.decode()
    assert Reservation.objects.count() == 1


def test_without_a_reason_the_rules_apply_in_the_admin_too(animator_client, member):
    response = add(animator_client, SpaceFactory(), member, "19:00", "21:00")
    assert response.status_code == 200
    assert not Reservation.objects.exists()


def test_the_cancel_action_cancels_through_the_service(animator_client, member):
    booking = booking_create(
        member=member, space=SpaceFactory(), start=at(0, "15:00"), end=at(0, "16:00")
    )
    response = animator_client.post(
        "/admin/booking/reservation/",
        {
            "action": "cancel_selected",
            "_selected_action": [booking.pk],
        },
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Reservation.Status.CANCELLED


def test_the_reservation_list_and_site_pages_open(animator_client, member):
    room = SpaceFactory()
    booking_create(member=member, space=room, start=at(1, "10:00"), end=at(1, "11:00"))
    assert animator_client.get("/admin/booking/reservation/").status_code == 200
    assert animator_client.get(f"/admin/booking/site/{room.site_id}/change/").status_code == 200
    assert animator_client.get(f"/admin/rooms/space/{room.pk}/change/").status_code == 200
    assert animator_client.get("/admin/booking/reservation/add/").status_code == 200
    booking = Reservation.objects.get()
    assert (
        animator_client.get(f"/admin/booking/reservation/{booking.pk}/change/").status_code == 200
    )


def test_the_admin_cannot_create_a_reservation_already_cancelled(animator_client, member):
    response = add(animator_client, SpaceFactory(), member, "10:00", "11:00", status="cancelled")
    assert response.status_code == 200
    assert not Reservation.objects.exists()


def test_an_animator_cannot_create_a_workshop_hold_from_the_reservations_admin(
    animator_client, member
):
    response = add(animator_client, SpaceFactory(), member, "10:00", "11:00", source="workshop")
    assert response.status_code == 200
    assert "source" in response.context["adminform"].form.errors
    assert not Reservation.objects.exists()


def _rental_hold(room):
    request = rental_request_create(
        space=room,
        start=at(1, "10:00"),
        end=at(1, "11:00"),
        people=2,
        name="Maître Durand",
        email="durand@example.org",
        purpose="Cours en visio",
    )
    return request.hold


def test_a_rental_requests_hold_is_read_only_in_the_reservations_admin(animator_client):
    hold = _rental_hold(SpaceFactory())
    url = f"/admin/booking/reservation/{hold.pk}/change/"
    page = animator_client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert animator_client.post(url, {"purpose": "détourné"}).status_code == 403
    hold.refresh_from_db()
    assert hold.purpose != "détourné"


def test_the_cancel_action_leaves_a_hold_to_what_owns_it(animator_client, member):
    hold = _rental_hold(SpaceFactory())
    booking = booking_create(
        member=member, space=SpaceFactory(), start=at(1, "15:00"), end=at(1, "16:00")
    )
    response = animator_client.post(
        "/admin/booking/reservation/",
        {"action": "cancel_selected", "_selected_action": [hold.pk, booking.pk]},
        follow=True,
    )
    hold.refresh_from_db()
    booking.refresh_from_db()
    assert hold.status == Reservation.Status.TENTATIVE
    assert booking.status == Reservation.Status.CANCELLED
    assert "annulez-la depuis sa page" in response.content.decode()


def test_an_animators_booking_for_a_member_costs_what_the_members_own_booking_costs(
    animator_client, member
):
    room = SpaceFactory()
    own = booking_create(member=member, space=room, start=at(1, "10:00"), end=at(1, "11:00"))

    response = add(animator_client, room, member, "14:00", "15:00", source="booking")

    assert response.status_code == 302, response.context["adminform"].form.errors
    made = Reservation.objects.exclude(pk=own.pk).get()
    assert own.price_amount is not None
    assert (made.price_amount, made.price_rate, made.price_tariff) == (
        own.price_amount,
        own.price_rate,
        own.price_tariff,
    )
