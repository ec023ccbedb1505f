"""The rooms API as a script or a phone app sees it: status codes, named fields,
reason codes, and only the caller's own bookings."""

import pytest

from booking.models import Reservation
from booking.services import booking_create
from members.services import api_token_create
from tests.factories import AmenityFactory, DeskSpaceFactory, MemberFactory, SpaceFactory

from .conftest import at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def api(client, member):
    _token, key = api_token_create(member=member, name="tests")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def post_booking(api, **body):
    return api.post("/api/v1/bookings", body, content_type="application/json")


def test_the_api_needs_a_token_or_a_session(client):
    assert client.get("/api/v1/spaces").status_code == 401


def test_spaces_are_listed_with_amenities_and_prices(api):
    room = SpaceFactory(
        name="Salle Armagnac", capacity=12, jauge=8, amenities=[AmenityFactory(name="Kit visio")]
    )
    response = api.get("/api/v1/spaces")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == room.pk
    assert item["kind"] == "meeting_room"
    assert item["effective_capacity"] == 8
    assert item["amenities"] == [{"slug": "kit-visio", "name": "Kit visio"}]
    assert item["prices"]["member_hour"] == "10.00"


def test_a_days_availability_lists_the_slots(api, member):
    room = SpaceFactory()
    booking_create(member=member, space=room, start=at(1, "10:00"), end=at(1, "11:00"))
    response = api.get(f"/api/v1/spaces/{room.pk}/availability", {"date": "2026-03-03"})
    assert response.status_code == 200
    slots = {s["start"]: s["state"] for s in response.json()["slots"]}
    assert slots["2026-03-03T10:00:00+01:00"] == "yours"
    assert slots["2026-03-03T09:00:00+01:00"] == "free"


def test_availability_of_an_unknown_space_is_404(api):
    assert api.get("/api/v1/spaces/999/availability", {"date": "2026-03-03"}).status_code == 404


def test_availability_with_a_malformed_date_is_422(api):
    room = SpaceFactory()
    response = api.get(f"/api/v1/spaces/{room.pk}/availability", {"date": "demain"})
    assert response.status_code == 422


def test_booking_a_free_slot_answers_201_with_the_booking(api, member):
    room = SpaceFactory()
    response = post_booking(
        api, space=room.pk, start="2026-03-03T10:00:00+01:00", end="2026-03-03T11:00:00+01:00"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["space"] == room.pk
    assert body["start"] == "2026-03-03T10:00:00+01:00"
    assert body["status"] == "confirmed"
    assert Reservation.objects.get().member == member


def test_an_offset_in_utc_books_the_same_instant(api):
    room = SpaceFactory()
    response = post_booking(
        api, space=room.pk, start="2026-03-03T09:00:00Z", end="2026-03-03T10:00:00Z"
    )
    assert response.status_code == 201
    assert response.json()["start"] == "2026-03-03T10:00:00+01:00"


def test_a_second_identical_post_returns_the_same_booking_not_a_new_one(api):
    room = SpaceFactory()
    body = {
        "space": room.pk,
        "start": "2026-03-03T10:00:00+01:00",
        "end": "2026-03-03T11:00:00+01:00",
    }
    first = post_booking(api, **body)
    second = post_booking(api, **body)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Reservation.objects.count() == 1


def test_a_naive_datetime_is_422_naming_the_field(api):
    room = SpaceFactory()
    response = post_booking(
        api, space=room.pk, start="2026-03-03T10:00:00", end="2026-03-03T11:00:00+01:00"
    )
    assert response.status_code == 422
    assert response.json()["field"] == "start"
    assert not Reservation.objects.exists()


def test_an_unknown_space_is_422_naming_the_space(api):
    response = post_booking(
        api, space=999, start="2026-03-03T10:00:00+01:00", end="2026-03-03T11:00:00+01:00"
    )
    assert response.status_code == 422
    assert response.json()["code"] == "unknown_space"
    assert response.json()["field"] == "space"


@pytest.mark.parametrize(
    ("start", "end", "code", "field"),
    [
        ("2026-03-03T11:00:00+01:00", "2026-03-03T10:00:00+01:00", "invalid_range", "end"),
        ("2026-03-03T10:00:00+01:00", "2026-03-03T10:00:00+01:00", "invalid_range", "end"),
        ("2026-03-03T10:10:00+01:00", "2026-03-03T11:10:00+01:00", "off_grid", "start"),
        ("2026-02-23T10:00:00+01:00", "2026-02-23T11:00:00+01:00", "past", "start"),
        ("2027-03-03T10:00:00+01:00", "2027-03-03T11:00:00+01:00", "beyond_horizon", "start"),
        ("2026-03-03T19:00:00+01:00", "2026-03-03T20:00:00+01:00", "outside_hours", "start"),
    ],
)
def test_invalid_requests_are_422_with_the_reason_and_field(api, start, end, code, field):
    room = SpaceFactory()
    response = post_booking(api, space=room.pk, start=start, end=end)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == code
    assert body["field"] == field
    assert body["message"]
    assert not Reservation.objects.exists()


def test_a_taken_slot_is_409_with_the_nearest_free_slots(api):
    room = SpaceFactory()
    booking_create(member=MemberFactory(), space=room, start=at(1, "10:00"), end=at(1, "11:00"))
    response = post_booking(
        api, space=room.pk, start="2026-03-03T10:00:00+01:00", end="2026-03-03T11:00:00+01:00"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "taken"
    assert body["alternatives"][0] == {
        "start": "2026-03-03T09:00:00+01:00",
        "end": "2026-03-03T10:00:00+01:00",
    }


def test_more_people_than_the_room_holds_is_409(api):
    room = SpaceFactory(capacity=6)
    response = post_booking(
        api,
        space=room.pk,
        seats=7,
        start="2026-03-03T10:00:00+01:00",
        end="2026-03-03T11:00:00+01:00",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "over_capacity"


def test_a_full_shared_office_is_409(api):
    office = DeskSpaceFactory(capacity=1)
    booking_create(member=MemberFactory(), space=office, start=at(1, "08:30"), end=at(1, "12:30"))
    response = post_booking(
        api, space=office.pk, start="2026-03-03T08:30:00+01:00", end="2026-03-03T12:30:00+01:00"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "full"


def test_the_booking_list_shows_only_the_callers_bookings(api, member):
    room = SpaceFactory()
    mine = booking_create(member=member, space=room, start=at(1, "10:00"), end=at(1, "11:00"))
    booking_create(member=MemberFactory(), space=room, start=at(1, "11:00"), end=at(1, "12:00"))
    body = api.get("/api/v1/bookings").json()
    assert body["count"] == 1
    assert body["items"][0]["id"] == mine.pk


def test_cancelling_my_booking_answers_204(api, member):
    booking = booking_create(
        member=member, space=SpaceFactory(), start=at(3, "10:00"), end=at(3, "11:00")
    )
    assert api.delete(f"/api/v1/bookings/{booking.pk}").status_code == 204
    booking.refresh_from_db()
    assert booking.status == Reservation.Status.CANCELLED


def test_cancelling_another_members_booking_is_404(api):
    booking = booking_create(
        member=MemberFactory(), space=SpaceFactory(), start=at(3, "10:00"), end=at(3, "11:00")
    )
    assert api.delete(f"/api/v1/bookings/{booking.pk}").status_code == 404
    assert api.get(f"/api/v1/bookings/{booking.pk}").status_code == 404
    booking.refresh_from_db()
    assert booking.status == Reservation.Status.CONFIRMED


def test_cancelling_too_late_is_409(api, member):
    booking = booking_create(
        member=member, space=SpaceFactory(), start=at(0, "15:00"), end=at(0, "16:00")
    )
    response = api.delete(f"/api/v1/bookings/{booking.pk}")
    assert response.status_code == 409
    assert response.json()["code"] == "cancellation_too_late"


def test_the_api_lists_spaces_in_a_fixed_number_of_queries(api, django_assert_num_queries):
    for _ in range(5):
        SpaceFactory(amenities=[AmenityFactory()])
    api.get("/api/v1/spaces")  # the token's "last used" is written at most once a minute
    # token, count, page of spaces with their sites, their amenities
    with django_assert_num_queries(4):
        assert api.get("/api/v1/spaces").status_code == 200


@pytest.mark.parametrize("bookings", [0, 12])
def test_availability_costs_a_fixed_number_of_queries(api, django_assert_num_queries, bookings):
    room = SpaceFactory()
    for i in range(bookings):
        booking_create(
            member=MemberFactory(),
            space=room,
            start=at(1 + i % 4, f"{9 + i // 4}:00"),
            end=at(1 + i % 4, f"{9 + i // 4}:30"),
        )
    api.get(f"/api/v1/spaces/{room.pk}/availability", {"date": "2026-03-03"})
    # token, space with its site, opening hours, closures, reservations
    with django_assert_num_queries(5):
        response = api.get(f"/api/v1/spaces/{room.pk}/availability", {"date": "2026-03-03"})
    assert response.status_code == 200


def test_the_openapi_schema_documents_the_rooms_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/spaces",
        "/api/v1/spaces/{space_id}/availability",
        "/api/v1/bookings",
        "/api/v1/bookings/{booking_id}",
    } <= set(paths)
    assert {"201", "409", "422"} <= set(paths["/api/v1/bookings"]["post"]["responses"])
