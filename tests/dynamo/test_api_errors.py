"""Every refusal of the API, whichever router and whatever the cause (a domain rule,
bad input, no credentials, not found), answers one body: ``{code, message, field,
alternatives}``, and the OpenAPI document says so."""

import pytest
from django.test import Client, RequestFactory
from ninja.errors import Throttled

from booking.models import Reservation
from booking.services import booking_create
from core.refusals import NotFound
from dynamo.api import api as ninja_api
from members.services import api_token_create
from tests.factories import MachineFactory, MemberFactory, SessionFactory, SpaceFactory
from tests.rooms.conftest import at, clock  # noqa: F401  (the frozen clock fixture)
from workshops.services import registration_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

ONE_BODY = {"code", "message", "field", "alternatives"}
TUESDAY_10 = {"start": "2026-03-03T10:00:00+01:00", "end": "2026-03-03T11:00:00+01:00"}


@pytest.fixture
def member(db):
    return MemberFactory()


@pytest.fixture
def api(client, member):
    _token, key = api_token_create(member=member, name="tests")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def taken_room(api, member):
    room = SpaceFactory()
    booking_create(member=MemberFactory(), space=room, start=at(1, "10:00"), end=at(1, "11:00"))
    return _post(api, "/api/v1/bookings", {"space": room.pk, **TUESDAY_10})


def beyond_horizon(api, member):
    room = SpaceFactory()
    body = {
        "space": room.pk,
        "start": "2027-03-03T10:00:00+01:00",
        "end": "2027-03-03T11:00:00+01:00",
    }
    return _post(api, "/api/v1/bookings", body)


def not_qualified(api, member):
    laser = MachineFactory()
    body = {
        "machine": laser.pk,
        "start": "2026-03-03T14:00:00+01:00",
        "end": "2026-03-03T15:00:00+01:00",
    }
    return _post(api, "/api/v1/fablab/reservations", body)


def others_booking(api, member):
    booking = booking_create(
        member=MemberFactory(), space=SpaceFactory(), start=at(1, "10:00"), end=at(1, "11:00")
    )
    return api.get(f"/api/v1/bookings/{booking.pk}")


def others_fablab_slot_cancelled(api, member):
    booking = booking_create(
        member=MemberFactory(), space=SpaceFactory(), start=at(1, "10:00"), end=at(1, "11:00")
    )
    return api.delete(f"/api/v1/fablab/reservations/{booking.pk}")


def missing_start(api, member):
    return _post(api, "/api/v1/bookings", {"space": SpaceFactory().pk, "end": TUESDAY_10["end"]})


def a_date_that_is_not_one(api, member):
    return api.get(f"/api/v1/spaces/{SpaceFactory().pk}/availability", {"date": "mardi"})


def registered_twice(api, member):
    session = SessionFactory()
    registration_create(session=session, member=member)
    return api.post(f"/api/v1/workshops/{session.pk}/registrations")


def unknown_session(api, member):
    return api.post("/api/v1/workshops/999999/registrations")


def no_credentials(api, member):
    return Client().get("/api/v1/me")


def an_anonymous_booking(api, member):
    return _post(Client(), "/api/v1/bookings", {"space": SpaceFactory().pk, **TUESDAY_10})


def an_anonymous_cancellation(api, member):
    return Client().delete("/api/v1/bookings/5")


def a_method_the_path_lacks(api, member):
    return api.put("/api/v1/bookings", {}, content_type="application/json")


def an_unknown_api_path(api, member):
    return api.get("/api/v1/no-such-thing")


def a_boolean_for_a_space(api, member):
    SpaceFactory()
    return _post(api, "/api/v1/bookings", {"space": True, **TUESDAY_10})


def a_session_without_its_csrf_token(api, member):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    return _post(browser, "/api/v1/bookings", {"space": SpaceFactory().pk, **TUESDAY_10})


@pytest.mark.parametrize(
    ("ask", "status", "code", "field"),
    [
        (taken_room, 409, "taken", None),
        (beyond_horizon, 422, "beyond_horizon", "start"),
        (not_qualified, 403, "not_qualified", "machine"),
        (others_booking, 404, "not_found", None),
        (others_fablab_slot_cancelled, 404, "not_found", None),
        (missing_start, 422, "invalid", "start"),
        (a_date_that_is_not_one, 422, "invalid", "date"),
        (registered_twice, 409, "already_registered", None),
        (unknown_session, 404, "not_found", None),
        (no_credentials, 401, "not_authenticated", None),
        (an_anonymous_booking, 401, "not_authenticated", None),
        (an_anonymous_cancellation, 401, "not_authenticated", None),
        (a_method_the_path_lacks, 405, "method_not_allowed", None),
        (an_unknown_api_path, 404, "not_found", None),
        (a_boolean_for_a_space, 422, "invalid", "space"),
        (a_session_without_its_csrf_token, 403, "forbidden", None),
    ],
    ids=lambda value: value.__name__ if callable(value) else None,
)
def test_every_api_refusal_has_the_one_body(api, member, ask, status, code, field):
    response = ask(api, member)
    assert response.status_code == status
    body = response.json()
    assert set(body) == ONE_BODY
    assert (body["code"], body["field"]) == (code, field)
    assert body["message"].strip()
    assert isinstance(body["alternatives"], list)


def test_a_taken_slot_offers_the_nearest_free_ones_in_the_body(api, member):
    body = taken_room(api, member).json()
    assert body["alternatives"][0] == {
        "start": "2026-03-03T09:00:00+01:00",
        "end": "2026-03-03T10:00:00+01:00",
    }


def test_a_refusal_that_offers_nothing_has_an_empty_list(api, member):
    assert beyond_horizon(api, member).json()["alternatives"] == []


def test_the_message_is_the_one_pages_show(api, member):
    body = beyond_horizon(api, member).json()
    assert body["message"] == "On ne peut pas réserver plus de 90 jours à l'avance."


def test_a_signed_in_session_without_csrf_is_told_the_token_is_missing(api, member):
    body = a_session_without_its_csrf_token(api, member).json()
    assert "CSRF" in body["message"] and "manquant" in body["message"]


def test_a_method_not_allowed_says_which_are_allowed(api, member):
    response = a_method_the_path_lacks(api, member)
    assert response["Allow"] == "GET, POST"
    assert "PUT" in response.json()["message"]


def test_anything_under_api_that_is_no_operation_is_a_json_404(client):
    response = client.get("/api/v2/bookings")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_boolean_space_books_nothing(api, member):
    a_boolean_for_a_space(api, member)
    assert not Reservation.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "french"),
    [
        ({"end": TUESDAY_10["end"]}, "start", "Valeur invalide : ce champ est obligatoire."),
        (
            {"space": "salle", **TUESDAY_10},
            "space",
            "Valeur invalide : un nombre entier est attendu.",
        ),
        (
            {"start": "mardi", "end": TUESDAY_10["end"]},
            "start",
            "Valeur invalide : une date et une heure sont attendues, au format ISO 8601.",
        ),
    ],
)
def test_invalid_input_is_explained_in_french(api, body, field, french):
    body = {"space": SpaceFactory().pk, **body}
    answer = _post(api, "/api/v1/bookings", body).json()
    assert (answer["field"], answer["message"]) == (field, french)


def test_an_unparsable_date_is_explained_in_french(api):
    answer = a_date_that_is_not_one(api, None).json()
    assert answer["message"] == "Valeur invalide : une date est attendue, au format AAAA-MM-JJ."


def test_invalid_input_is_explained_in_english_to_an_english_request(api):
    api.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    answer = _post(api, "/api/v1/bookings", {"space": SpaceFactory().pk, "start": "mardi"})
    assert answer.json()["message"] == "Invalid value: a date and time are expected, in ISO 8601."


def test_slowing_down_is_429_in_the_same_body_with_when_to_retry():
    request = RequestFactory().get("/api/v1/bookings")
    response = ninja_api.on_exception(request, Throttled(wait=30))
    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    assert b'"code": "throttled"' in response.content


def test_a_service_raising_not_found_is_a_404_page(client, member):
    other = booking_create(
        member=MemberFactory(), space=SpaceFactory(), start=at(1, "10:00"), end=at(1, "11:00")
    )
    client.force_login(member)
    assert client.get(f"/espaces/reservations/{other.pk}.ics").status_code == 404


def test_not_found_is_a_refusal_with_its_own_status():
    refusal = NotFound()
    assert (refusal.code, refusal.status, refusal.message) == ("not_found", 404, "Introuvable.")


# --- The OpenAPI document ----------------------------------------------------------

# Statuses each operation documents with ErrorOut.
DOCUMENTED = {
    ("/api/v1/me", "get"): {401},
    ("/api/v1/spaces", "get"): {401, 422},
    ("/api/v1/spaces/{space_id}/availability", "get"): {401, 404, 422},
    ("/api/v1/bookings", "post"): {401, 403, 409, 422},
    ("/api/v1/bookings/{booking_id}", "get"): {401, 404, 422},
    ("/api/v1/bookings/{booking_id}", "delete"): {401, 403, 404, 409, 422},
    ("/api/v1/workshops", "get"): {422},
    ("/api/v1/workshops/{session_id}/registrations", "post"): {401, 403, 404, 409, 422},
    ("/api/v1/workshops/{session_id}/registrations/me", "delete"): {401, 403, 404, 409, 422},
    ("/api/v1/fablab/machines", "get"): {401, 422},
    ("/api/v1/fablab/machines/{machine_id}/availability", "get"): {401, 404, 422},
    ("/api/v1/fablab/reservations", "post"): {401, 403, 409, 422},
    ("/api/v1/fablab/reservations/{reservation_id}", "delete"): {401, 403, 404, 409, 422},
}


@pytest.fixture
def openapi(client):
    return client.get("/api/v1/openapi.json").json()


def test_the_openapi_document_describes_the_one_error_body(openapi):
    error = openapi["components"]["schemas"]["ErrorOut"]
    assert set(error["properties"]) == ONE_BODY
    assert set(error["required"]) == ONE_BODY


@pytest.mark.parametrize(("path", "method"), sorted(DOCUMENTED))
def test_each_operation_documents_its_errors_with_the_one_body(openapi, path, method):
    responses = openapi["paths"][path][method]["responses"]
    documented = {
        int(status)
        for status, answer in responses.items()
        if int(status) >= 400
        and answer["content"]["application/json"]["schema"].get("$ref", "").endswith("/ErrorOut")
    }
    assert documented == DOCUMENTED[(path, method)]


def test_no_operation_documents_another_error_shape(openapi):
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            for status, answer in operation["responses"].items():
                if int(status) >= 400:
                    schema = answer["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (path, method)
