"""Input the database cannot hold answers a clear 4xx, never an error page."""

import pytest

from booking.models import Reservation
from members.services import api_token_create
from tests.factories import MemberFactory, SpaceFactory

pytestmark = pytest.mark.django_db

HUGE = "100000000000000000000"


@pytest.fixture
def api(client):
    member = MemberFactory()
    _token, key = api_token_create(member=member, name="t")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    client.force_login(member)
    return client


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/spaces/{HUGE}",
        f"/api/v1/spaces/{HUGE}/availability?date=2026-03-03",
        f"/api/v1/fablab/machines/{HUGE}/availability?date=2026-03-03",
        f"/api/v1/bookings?page={HUGE}",
        f"/api/v1/fablab/reservations?page={HUGE}",
        f"/api/v1/workshops?page={HUGE}",
        "/api/v1/spaces?site=a%00b",
        "/api/v1/workshops?theme=a%00b",
    ],
)
def test_the_api_answers_422_to_what_the_database_cannot_hold(api, url):
    assert api.get(url).status_code == 422


@pytest.mark.parametrize("field", ["space", "machine"])
def test_a_huge_id_in_a_body_is_422_naming_it(api, field):
    url = "/api/v1/bookings" if field == "space" else "/api/v1/fablab/reservations"
    body = {
        field: int(HUGE),
        "start": "2026-03-03T10:00:00+01:00",
        "end": "2026-03-03T11:00:00+01:00",
    }
    response = api.post(url, body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["field"] == field


def test_a_nul_character_in_a_purpose_is_422(api):
    room = SpaceFactory()
    body = {
        "space": room.pk,
        "start": "2030-03-05T10:00:00+01:00",
        "end": "2030-03-05T11:00:00+01:00",
        "purpose": "a\u0000b",
    }
    response = api.post("/api/v1/bookings", body, content_type="application/json")
    assert response.status_code == 422
    assert not Reservation.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        f"/fablab/machine/{HUGE}/",
        f"/espaces/reservations/{HUGE}.ics",
        f"/reseau/membre/{HUGE}/",
        f"/ateliers/seance/{HUGE}/",
        "/agenda/a%00b.ics",
        "/ateliers/confirmer/a%00b/",
        "/ateliers/annuler/a%00b/",
    ],
)
def test_pages_answer_404_to_ids_and_tokens_the_database_cannot_hold(api, url):
    assert api.get(url).status_code == 404


def test_forms_answer_a_huge_id_with_a_field_error(api):
    response = api.get(
        "/espaces/reserver/",
        {"space": HUGE, "date": "2026-03-03", "start": "10:00", "end": "11:00"},
    )
    assert response.status_code == 400
    assert "space" in response.context["form"].errors
    rental = api.post("/espaces/location/", {"space": HUGE, "name": "x", "email": "x@example.org"})
    assert rental.status_code == 400
    assert "space" in rental.context["form"].errors
    assert api.get("/ateliers/", {"theme": HUGE}).status_code == 200
