"""Outsiders ask to rent a space; the slot is held until an animator decides."""

from html import unescape

import pytest
from django.core.exceptions import PermissionDenied

from booking.models import Reservation
from booking.refusals import BookingRefused
from booking.services import booking_create
from rooms.models import RentalRequest
from rooms.services.rentals import (
    rental_competitors,
    rental_request_accept,
    rental_request_create,
    rental_request_decline,
)
from tests.factories import MemberFactory, SpaceFactory

from .conftest import at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

FORM = {
    "name": "Maître Durand",
    "email": "durand@example.org",
    "phone": "05 62 00 00 00",
    "organisation": "Faculté de droit",
    "purpose": "Cours de droit en visio",
    "date": "2026-03-04",
    "start": "14:00",
    "end": "16:00",
    "people": 1,
}


def _request(room, name="Maître Durand", start=("2", "14:00"), end=("2", "16:00")):
    return rental_request_create(
        space=room,
        start=at(int(start[0]), start[1]),
        end=at(int(end[0]), end[1]),
        people=1,
        name=name,
        email=f"{name.split()[-1].lower()}@example.org",
        purpose="Cours en visio",
    )


def test_an_outsider_sends_a_request_without_an_account_and_the_slot_is_held(client):
    room = SpaceFactory()
    response = client.post("/espaces/location/", {**FORM, "space": room.pk})
    assert response.status_code == 302
    request = RentalRequest.objects.get()
    assert request.status == RentalRequest.Status.PENDING
    assert request.hold.status == Reservation.Status.TENTATIVE
    with pytest.raises(BookingRefused) as refused:
        booking_create(member=MemberFactory(), space=room, start=at(2, "15:00"), end=at(2, "16:00"))
    assert refused.value.code == "taken"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "pas-un-email"}, "email"),
        ({"phone": "appelez"}, "phone"),
        ({"purpose": "x" * 5000}, "purpose"),
        ({"end": "13:00"}, "end"),
        ({"people": 0}, "people"),
    ],
)
def test_a_bad_request_names_the_field_and_stores_nothing(client, changes, field):
    room = SpaceFactory()
    response = client.post("/espaces/location/", {**FORM, "space": room.pk, **changes})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not RentalRequest.objects.exists()
    assert not Reservation.objects.exists()


def test_a_request_on_a_slot_booked_by_a_member_is_refused_with_the_reason(client):
    room = SpaceFactory()
    booking_create(member=MemberFactory(), space=room, start=at(2, "14:00"), end=at(2, "15:00"))
    response = client.post("/espaces/location/", {**FORM, "space": room.pk})
    assert response.status_code == 400
    assert "déjà réservé" in response.content.decode()
    assert not RentalRequest.objects.exists()


def test_a_second_request_for_a_held_slot_is_kept_as_a_competitor():
    room = SpaceFactory()
    first = _request(room, "Maître Durand")
    second = _request(room, "Claire Professeure")
    assert first.hold is not None and second.hold is None
    assert list(rental_competitors(first)) == [second]


def test_accepting_confirms_the_slot_and_declines_the_competitors(animator):
    room = SpaceFactory()
    first = _request(room, "Maître Durand")
    second = _request(room, "Claire Professeure")
    accepted, declined = rental_request_accept(request=second, by=animator)
    assert accepted.status == RentalRequest.Status.ACCEPTED
    assert [r.pk for r in declined] == [first.pk]
    first.refresh_from_db()
    assert first.status == RentalRequest.Status.DECLINED
    assert first.hold.status == Reservation.Status.CANCELLED
    assert accepted.hold.status == Reservation.Status.CONFIRMED
    assert Reservation.objects.filter(status="confirmed").count() == 1


def test_declining_frees_the_slot(animator):
    room = SpaceFactory()
    request = _request(room)
    rental_request_decline(request=request, by=animator, note="Salle indisponible")
    request.refresh_from_db()
    assert request.status == RentalRequest.Status.DECLINED
    booking_create(member=MemberFactory(), space=room, start=at(2, "14:00"), end=at(2, "16:00"))


def test_only_animators_decide(member):
    request = _request(SpaceFactory())
    with pytest.raises(PermissionDenied):
        rental_request_accept(request=request, by=member)


def test_the_admin_warns_of_competitors_before_accepting(client, animator):
    room = SpaceFactory()
    first = _request(room, "Maître Durand")
    _request(room, "Claire Professeure")
    client.force_login(animator)
    warning = client.post(
        "/admin/rooms/rentalrequest/", {"action": "accept", "_selected_action": [first.pk]}
    )
    assert warning.status_code == 200
    assert "Claire Professeure" in warning.content.decode()
    first.refresh_from_db()
    assert first.status == RentalRequest.Status.PENDING  # nothing decided yet
    client.post(
        "/admin/rooms/rentalrequest/",
        {"action": "accept", "_selected_action": [first.pk], "confirm": "yes"},
    )
    first.refresh_from_db()
    assert first.status == RentalRequest.Status.ACCEPTED
    assert RentalRequest.objects.filter(status="declined").count() == 1


def test_the_public_form_is_rate_limited(client):
    room = SpaceFactory()
    statuses = []
    for hour in range(6):
        data = {**FORM, "space": room.pk, "start": f"{9 + hour}:00", "end": f"{9 + hour}:30"}
        statuses.append(client.post("/espaces/location/", data).status_code)
    assert statuses == [302] * 5 + [429]


def test_the_requester_is_told_on_receipt_and_on_the_decision(animator, deliver_outbox, mailoutbox):
    room = SpaceFactory(name="Salle Armagnac")
    first = _request(room, "Maître Durand")
    _request(room, "Claire Professeure")
    deliver_outbox()
    assert len(mailoutbox) == 2  # both told their request is received
    mailoutbox.clear()
    rental_request_accept(request=first, by=animator)
    deliver_outbox()
    by_address = {m.to[0].split("<")[-1].rstrip(">"): m for m in mailoutbox}
    assert "acceptée" in by_address["durand@example.org"].body
    assert "n'a pas pu être acceptée" in by_address["professeure@example.org"].body


def test_sending_the_same_request_twice_keeps_one(client, deliver_outbox, mailoutbox):
    room = SpaceFactory()
    client.post("/espaces/location/", {**FORM, "space": room.pk})
    client.post("/espaces/location/", {**FORM, "space": room.pk, "email": "DURAND@example.org"})
    assert RentalRequest.objects.count() == 1
    assert Reservation.objects.count() == 1
    deliver_outbox()
    assert len(mailoutbox) == 1


def test_the_thank_you_page_writes_the_price_as_the_rest_of_the_site_does(client):
    room = SpaceFactory(price_public_hour="27.00")

    response = client.post("/espaces/location/", {**FORM, "space": room.pk}, follow=True)

    page = response.content.decode()
    assert "54,00 € TTC" in page  # 2 h at 27 € for non-members
    assert "54.00" not in page


def test_the_thank_you_page_in_english_puts_the_euro_sign_first(client):
    room = SpaceFactory(price_public_hour="27.00")

    response = client.post(
        "/espaces/location/", {**FORM, "space": room.pk}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert "€54.00 incl. VAT" in response.content.decode()


# --- Telling each requester the truth: held, or waiting behind another request ---------

WAITING = "Une autre demande pour ce créneau est arrivée avant la vôtre"
HELD = "Le créneau est retenu pour vous"


def _send(client, room, **changes):
    response = client.post("/espaces/location/", {**FORM, "space": room.pk, **changes}, follow=True)
    assert response.status_code == 200
    return unescape(response.text)


def test_the_first_requester_reads_that_the_slot_is_held_for_them(
    client, deliver_outbox, mailoutbox
):
    page = _send(client, SpaceFactory())
    deliver_outbox()
    assert HELD in page and WAITING not in page
    (mail,) = mailoutbox
    assert HELD in mail.body and WAITING not in mail.body


def test_a_second_overlapping_request_reads_that_it_waits_behind_another_and_holds_nothing(
    client, deliver_outbox, mailoutbox
):
    room = SpaceFactory()
    _send(client, room)
    mailoutbox.clear()
    page = _send(client, room, name="Claire Professeure", email="claire@example.org", start="15:00")
    deliver_outbox()
    second = RentalRequest.objects.get(email="claire@example.org")
    assert second.hold is None
    assert WAITING in page and HELD not in page
    mail = next(m for m in mailoutbox if "claire@example.org" in m.to[0])
    assert WAITING in mail.body and HELD not in mail.body
    html = unescape(mail.alternatives[0][0])
    assert WAITING in html and HELD not in html


def test_the_rental_form_does_not_promise_a_slot_it_may_not_hold(client):
    page = unescape(client.get("/espaces/location/").text)
    assert "S'il est libre, le créneau est retenu pour vous" in page
    assert "liste d'attente" in page
