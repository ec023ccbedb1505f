"""What a member is quoted and charged: by period (morning, afternoon, day, from the
space's own opening hours), fixed on the reservation when it is made, and shown on
the confirmation, in "Mes réservations" and in the API."""

from datetime import time
from decimal import Decimal

import pytest

from booking.models import Reservation
from booking.services import booking_create, reservation_create
from members.models import Membership
from members.services import api_token_create
from rooms.demo import SPACES
from rooms.models import Space
from rooms.selectors import price_quote
from rooms.services.rentals import rental_request_create
from tests.factories import DeskSpaceFactory, PlanFactory, SiteFactory, SpaceFactory

from .conftest import at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def _demo_space(name: str, **extra) -> Space:
    """A space with the rates the demo gives ``name`` ("Open space", "Salle Armagnac")."""
    kind, prices = next(
        (kind, prices) for n, kind, _c, _j, _a, _r, prices, _d in SPACES if n == name
    )
    fields = (
        "price_member_hour",
        "price_member_half_day",
        "price_member_day",
        "price_public_hour",
        "price_public_half_day",
        "price_public_day",
    )
    factory = DeskSpaceFactory if kind == Space.Kind.SHARED_OFFICE else SpaceFactory
    return factory(name=name, **dict(zip(fields, prices, strict=True)), **extra)


@pytest.fixture
def open_space():
    return _demo_space("Open space", min_minutes=240, max_bookings_per_day=1)


@pytest.fixture
def in_the_network(member):
    Membership.objects.create(member=member, plan=PlanFactory())
    return member


@pytest.fixture
def signed_in(client, in_the_network):
    client.force_login(in_the_network)
    return client


@pytest.mark.parametrize(
    ("period", "expected"),
    [("morning", "8,00 € TTC"), ("afternoon", "8,00 € TTC"), ("day", "15,00 € TTC")],
)
def test_the_demo_open_space_is_quoted_a_half_day_for_a_morning_or_an_afternoon(
    signed_in, open_space, period, expected
):
    page = signed_in.get(
        "/espaces/reserver/", {"space": open_space.pk, "date": "2026-03-03", "period": period}
    )
    assert page.status_code == 200
    assert expected in page.content.decode()
    assert "tarif membre" in page.content.decode()


def test_two_hours_cost_the_hourly_rate_or_the_period_that_covers_them(open_space):
    room = _demo_space("Salle Armagnac")
    # The open space has no hourly rate: two hours of a morning cost the morning.
    assert price_quote(
        space=open_space, start=at(1, "10:00"), end=at(1, "12:00"), is_member=True
    ) == Decimal("8.00")
    assert price_quote(
        space=room, start=at(1, "10:00"), end=at(1, "12:00"), is_member=True
    ) == Decimal("30.00")
    # A morning and an hour: a half-day and an hour, cheaper than the day.
    assert price_quote(
        space=room, start=at(1, "08:30"), end=at(1, "14:00"), is_member=True
    ) == Decimal("65.00")


def test_the_forms_periods_follow_the_sites_opening_hours(signed_in):
    tuesday = 1
    site = SiteFactory(
        hours=[(tuesday, time(9, 0), time(12, 0)), (tuesday, time(14, 0), time(17, 0))]
    )
    desk = DeskSpaceFactory(site=site)
    page = signed_in.get(
        "/espaces/reserver/", {"space": desk.pk, "date": "2026-03-03", "period": "afternoon"}
    ).content.decode()
    assert "Matin 09:00–12:00 · Après-midi 14:00–17:00 · Journée 09:00–17:00" in page

    signed_in.post(
        "/espaces/reserver/",
        {"space": desk.pk, "date": "2026-03-03", "period": "afternoon", "seats": 1, "weeks": 1},
    )
    booking = Reservation.objects.get()
    assert (booking.start, booking.end) == (at(1, "14:00"), at(1, "17:00"))


def test_the_price_stays_what_it_was_when_the_rates_change_later(in_the_network, open_space):
    booking = booking_create(
        member=in_the_network, space=open_space, start=at(1, "08:30"), end=at(1, "13:00")
    )
    open_space.price_member_half_day = Decimal("10.00")
    open_space.save()

    booking.refresh_from_db()
    assert (booking.price_amount, booking.price_rate, booking.price_tariff) == (
        Decimal("8.00"),
        "half_day",
        "member",
    )


def test_someone_without_a_membership_is_charged_the_public_rate(member, open_space):
    booking = booking_create(
        member=member, space=open_space, start=at(1, "08:30"), end=at(1, "18:30")
    )
    assert (booking.price_amount, booking.price_tariff) == (Decimal("20.00"), "public")


def test_a_rental_is_priced_at_the_public_rate_and_a_workshops_hold_not_at_all():
    room = _demo_space("Salle Armagnac")
    rental = rental_request_create(
        space=room,
        start=at(2, "14:00"),
        end=at(2, "16:00"),
        people=4,
        name="Maître Durand",
        email="durand@example.org",
        purpose="Cours de droit en visio",
    )
    hold = reservation_create(
        resource=room,
        start=at(3, "09:00"),
        end=at(3, "12:00"),
        source=Reservation.Source.WORKSHOP,
    )
    assert (rental.hold.price_amount, rental.hold.price_tariff) == (Decimal("50.00"), "public")
    assert (hold.price_amount, hold.price_rate, hold.price_tariff) == (None, "none", "")


def test_the_member_sees_the_price_on_the_confirmation_and_in_my_bookings(signed_in, open_space):
    response = signed_in.post(
        "/espaces/reserver/",
        {"space": open_space.pk, "date": "2026-03-03", "period": "morning", "seats": 1},
        follow=True,
    )
    page = response.content.decode()
    assert "C&#x27;est réservé" in page
    assert "Prix : 8,00 € TTC (demi-journée, tarif membre)." in page

    listing = signed_in.get("/espaces/mes-reservations/").content.decode()
    assert "8,00 € TTC (demi-journée, tarif membre)" in listing


def test_the_api_gives_each_booking_its_price(client, in_the_network, open_space):
    _token, key = api_token_create(member=in_the_network, name="tests")
    booking_create(
        member=in_the_network, space=open_space, start=at(1, "13:00"), end=at(1, "18:30")
    )
    body = client.get("/api/v1/bookings", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert body["items"][0]["price"] == {"amount": "8.00", "rate": "half_day", "tariff": "member"}
