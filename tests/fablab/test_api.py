"""The Fablab API as a script or a phone app sees it: status codes, reason codes, the
missing qualification named, and only the caller's own slots."""

import pytest

from booking.models import Reservation
from booking.services import booking_create
from fablab.services import machine_reservation_create, maintenance_schedule
from members.services import api_token_create
from tests.factories import MemberFactory, PrinterFactory, QualificationFactory, SpaceFactory

from .conftest import at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def api(client, member):
    _token, key = api_token_create(member=member, name="tests")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def post_slot(api, machine, start="2026-03-03T14:00:00+01:00", end="2026-03-03T15:00:00+01:00"):
    return api.post(
        "/api/v1/fablab/reservations",
        {"machine": getattr(machine, "pk", machine), "start": start, "end": end},
        content_type="application/json",
    )


def test_the_fablab_api_needs_a_token_or_a_session(client):
    assert client.get("/api/v1/fablab/machines").status_code == 401


def test_machines_are_listed_with_rules_training_and_whether_i_may_book(api, member, laser):
    PrinterFactory(site=laser.site, name="Prusa")
    body = api.get("/api/v1/fablab/machines").json()
    assert body["count"] == 2
    by_name = {item["name"]: item for item in body["items"]}
    item = by_name[laser.name]
    assert item["kind"] == "laser_cutter"
    assert item["requires_qualification"] is True
    assert item["training"]["title"] == "Formation découpe laser"
    assert item["qualified"] is False
    assert item["rules"]["buffer_minutes"] == 15
    assert item["price_member_hour"] == "12.00"
    assert by_name["Prusa"]["qualified"] is True
    QualificationFactory(member=member, machine=laser)
    body = api.get("/api/v1/fablab/machines").json()
    assert {i["name"]: i["qualified"] for i in body["items"]}[laser.name] is True


def test_the_machine_list_runs_a_fixed_number_of_queries(api, laser, django_assert_num_queries):
    for _ in range(5):
        PrinterFactory(site=laser.site)
    # token, member, count, page, the caller's qualifications on the page
    with django_assert_num_queries(5):
        api.get("/api/v1/fablab/machines")


def test_a_qualified_member_books_a_slot(api, qualified, laser):
    response = post_slot(api, laser)
    assert response.status_code == 201
    body = response.json()
    assert body["machine"] == laser.pk
    assert body["start"] == "2026-03-03T14:00:00+01:00"
    assert Reservation.objects.get().source == "fablab"


def test_a_retry_returns_the_same_slot_with_200(api, qualified, laser):
    first = post_slot(api, laser).json()
    again = post_slot(api, laser)
    assert again.status_code == 200
    assert again.json()["id"] == first["id"]


def test_an_unqualified_member_gets_403_naming_the_machine_and_the_training(api, laser):
    response = post_slot(api, laser)
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "not_qualified"
    assert body["field"] == "machine"
    assert "Formation découpe laser" in body["message"]
    assert not Reservation.objects.exists()


def _other_slot(laser, start, end):
    machine_reservation_create(
        member=QualificationFactory(machine=laser).member,
        machine=laser,
        start=at(1, start),
        end=at(1, end),
    )


def test_a_taken_slot_is_409_with_alternatives(api, qualified, laser):
    _other_slot(laser, "14:00", "15:00")
    response = post_slot(api, laser)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "taken"
    assert body["alternatives"]


def test_a_slot_inside_a_buffer_is_409(api, qualified, laser):
    _other_slot(laser, "14:00", "15:00")
    response = post_slot(
        api, laser, start="2026-03-03T15:00:00+01:00", end="2026-03-03T16:00:00+01:00"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "in_buffer"


def test_a_slot_in_maintenance_is_409(api, qualified, laser, animator):
    maintenance_schedule(
        machine=laser, start=at(1, "14:00"), end=at(1, "18:00"), reason="Tube", by=animator
    )
    response = post_slot(api, laser)
    assert response.status_code == 409
    assert response.json()["code"] == "in_maintenance"


@pytest.mark.parametrize(
    "start, end, field, code",
    [
        ("2026-03-03T14:00:00", "2026-03-03T15:00:00+01:00", "start", "invalid"),
        ("2026-03-03T14:00:00+01:00", "2026-03-03T17:30:00+01:00", "end", "too_long"),
        ("2026-03-03T10:00:00+01:00", "2026-03-03T11:00:00+01:00", "start", "outside_hours"),
        ("2026-03-03T15:00:00+01:00", "2026-03-03T14:00:00+01:00", "end", "invalid_range"),
    ],
)
def test_invalid_input_is_422_naming_the_field(api, qualified, laser, start, end, field, code):
    response = post_slot(api, laser, start=start, end=end)
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == field
    assert body["code"] == code
    assert not Reservation.objects.exists()


def test_an_unknown_machine_is_422_naming_it(api):
    response = post_slot(api, 999)
    assert response.status_code == 422
    assert response.json()["code"] == "unknown_machine"
    assert response.json()["field"] == "machine"


def test_a_member_cancels_their_slot_with_204(api, qualified, laser):
    slot_id = post_slot(api, laser).json()["id"]
    assert api.delete(f"/api/v1/fablab/reservations/{slot_id}").status_code == 204
    assert Reservation.objects.get().status == "cancelled"


def test_another_members_slot_is_404(api, laser):
    other = QualificationFactory(machine=laser).member
    slot = machine_reservation_create(
        member=other, machine=laser, start=at(1, "14:00"), end=at(1, "15:00")
    )
    assert api.delete(f"/api/v1/fablab/reservations/{slot.pk}").status_code == 404
    slot.refresh_from_db()
    assert slot.status == "confirmed"


def test_a_space_booking_is_not_a_fablab_slot(api, member):
    booking = booking_create(
        member=member, space=SpaceFactory(), start=at(1, "10:00"), end=at(1, "11:00")
    )
    assert api.delete(f"/api/v1/fablab/reservations/{booking.pk}").status_code == 404


def test_a_member_lists_their_fablab_slots(api, qualified, laser):
    post_slot(api, laser)
    machine_reservation_create(
        member=MemberFactory(),
        machine=PrinterFactory(site=laser.site),
        start=at(3, "14:00"),
        end=at(3, "15:00"),
    )
    body = api.get("/api/v1/fablab/reservations").json()
    assert [item["machine"] for item in body["items"]] == [laser.pk]


def test_a_machines_day_follows_the_fablab_hours(api, qualified, laser):
    post_slot(api, laser)
    response = api.get(f"/api/v1/fablab/machines/{laser.pk}/availability", {"date": "2026-03-03"})
    assert response.status_code == 200
    slots = {s["start"]: s["state"] for s in response.json()["slots"]}
    assert slots["2026-03-03T14:00:00+01:00"] == "yours"
    # The buffer after the slot is not free either.
    assert slots["2026-03-03T15:00:00+01:00"] == "busy"
    assert slots["2026-03-03T15:30:00+01:00"] == "free"
    assert "2026-03-03T10:00:00+01:00" not in slots


def test_the_availability_of_an_unknown_machine_is_404(api):
    response = api.get("/api/v1/fablab/machines/999/availability", {"date": "2026-03-03"})
    assert response.status_code == 404
