"""Dates far outside the calendar (0001, 9999) are typing mistakes: a clear refusal,
or the grid of this week, never an error page."""

import pytest

from booking.models import Reservation
from members.services import api_token_create
from tests.factories import SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_the_grids_fall_back_to_this_week(client, day):
    room = SpaceFactory()
    week = client.get(f"/espaces/lieu/{room.site.slug}/", {"semaine": day})
    assert week.status_code == 200
    assert client.get(f"/espaces/lieu/{room.site.slug}/jour/", {"date": day}).status_code == 200


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_booking_and_search_name_the_date_field(client, member, day):
    room = SpaceFactory()
    client.force_login(member)
    book = client.get(
        "/espaces/reserver/",
        {"space": room.pk, "date": day, "start": "10:00", "end": "11:00", "weeks": 26},
    )
    assert book.status_code == 400
    assert "date" in book.context["form"].errors
    search = client.get(
        "/espaces/chercher/",
        {"site": room.site.pk, "date": day, "start": "23:30", "duration": 600, "people": 1},
    )
    assert search.status_code == 400
    assert "date" in search.context["form"].errors


def test_the_api_answers_422_naming_the_field(client, member):
    room = SpaceFactory()
    _token, key = api_token_create(member=member, name="t")
    headers = {"Authorization": f"Bearer {key}"}
    availability = client.get(
        f"/api/v1/spaces/{room.pk}/availability", {"date": "9999-12-31"}, headers=headers
    )
    assert availability.status_code == 422
    assert availability.json()["field"] == "date"
    booking = client.post(
        "/api/v1/bookings",
        {
            "space": room.pk,
            "start": "9999-12-31T23:00:00+00:00",
            "end": "9999-12-31T23:30:00+00:00",
        },
        content_type="application/json",
        headers=headers,
    )
    assert booking.status_code == 422
    # The first failing field is named.
    assert booking.json()["field"] == "start"
    assert not Reservation.objects.exists()
