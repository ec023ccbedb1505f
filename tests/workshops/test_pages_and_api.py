import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.utils import timezone

from tests.factories import MemberFactory, SessionFactory, ThemeFactory, WorkshopFactory
from workshops.models import Registration
from workshops.services import registration_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    member = MemberFactory()
    client.force_login(member)
    return member


def test_the_programme_groups_upcoming_sessions_by_month_with_seats_left(client):
    session = SessionFactory(
        workshop=WorkshopFactory(title="Gestion du temps et des priorités"), capacity=10
    )
    registration_create(session=session, member=MemberFactory())
    past_start = timezone.now() - timedelta(days=3)
    SessionFactory(
        workshop=WorkshopFactory(title="Atelier passé"),
        start=past_start,
        end=past_start + timedelta(hours=1),
    )
    page = client.get("/ateliers/").content.decode()
    assert "Gestion du temps et des priorités" in page
    assert "9 places restantes" in page
    assert "Atelier passé" not in page


def test_the_programme_filters_by_theme_and_kind(client):
    codev = SessionFactory(
        workshop=WorkshopFactory(
            title="Codéveloppement", kind="codev", theme=ThemeFactory(name="Entraide")
        )
    )
    SessionFactory(workshop=WorkshopFactory(title="Formation laser", kind="training"))
    by_kind = client.get("/ateliers/", {"kind": "codev"})
    assert [s.pk for s in by_kind.context["page"]] == [codev.pk]
    by_theme = client.get("/ateliers/", {"theme": "entraide"})
    assert [s.pk for s in by_theme.context["page"]] == [codev.pk]


def test_the_programme_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    for _ in range(15):
        session = SessionFactory()
        registration_create(session=session, member=MemberFactory())
    with django_assert_num_queries(3):  # count, page, themes for the filter
        client.get("/ateliers/")


def test_a_member_registers_from_the_session_page_and_cancels(client, member):
    session = SessionFactory(capacity=5)
    client.post(f"/ateliers/seance/{session.pk}/inscription/")
    page = client.get(f"/ateliers/seance/{session.pk}/").content.decode()
    assert "Vous êtes inscrit·e à cette séance." in page
    client.post(f"/ateliers/seance/{session.pk}/annulation/")
    assert not session.registrations.filter(status="registered").exists()


def test_a_full_session_offers_the_waitlist_and_shows_the_position(client, member):
    session = SessionFactory(capacity=1)
    registration_create(session=session, member=MemberFactory())
    assert (
        "Rejoindre la liste d'attente"
        in client.get(f"/ateliers/seance/{session.pk}/").content.decode()
    )
    client.post(f"/ateliers/seance/{session.pk}/inscription/")
    page = client.get(f"/ateliers/seance/{session.pk}/").content.decode()
    assert "en position 1" in page


def test_registering_twice_from_the_page_says_so_and_keeps_one_seat(client, member):
    session = SessionFactory()
    client.post(f"/ateliers/seance/{session.pk}/inscription/")
    response = client.post(f"/ateliers/seance/{session.pk}/inscription/", follow=True)
    assert "déjà inscrit" in response.content.decode()
    assert session.registrations.count() == 1


def test_a_visitor_registers_for_a_public_workshop_by_email_link(client, deliver_outbox):
    session = SessionFactory(workshop=WorkshopFactory(audience="public"))
    response = client.post(
        f"/ateliers/seance/{session.pk}/inscription-visiteur/",
        {"name": "Jean Visiteur", "email": "jean@example.org"},
    )
    assert response.status_code == 302
    registration = Registration.objects.get(email="jean@example.org")
    assert registration.status == "unconfirmed"
    deliver_outbox()
    (message,) = [m for m in mail.outbox if "jean@example.org" in m.to[0]]
    link = re.search(r"(/ateliers/confirmer/[^/\s]+/)", message.body)[1]
    assert client.get(link).status_code == 200  # a page with a button, nothing changed
    client.post(link)
    registration.refresh_from_db()
    assert registration.status == "registered"
    deliver_outbox()
    assert "confirmée" in mail.outbox[-1].subject


def test_a_visitor_with_a_bad_email_gets_a_form_error(client):
    session = SessionFactory(workshop=WorkshopFactory(audience="public"))
    response = client.post(
        f"/ateliers/seance/{session.pk}/inscription-visiteur/",
        {"name": "Jean", "email": "pas-un-email"},
    )
    assert response.status_code == 400
    assert "email" in response.context["visitor_form"].errors
    assert not Registration.objects.exists()


def test_a_session_has_an_ics_file(client):
    session = SessionFactory(workshop=WorkshopFactory(title="Codéveloppement"))
    response = client.get(f"/ateliers/seance/{session.pk}.ics")
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body and "SUMMARY:Codéveloppement" in body


def test_an_animator_takes_the_roll_from_a_phone_page(client):
    animator = MemberFactory(is_staff=True)
    animator.user_permissions.add(Permission.objects.get(codename="change_registration"))
    session = SessionFactory()
    came = registration_create(session=session, member=MemberFactory())
    missed = registration_create(session=session, member=MemberFactory())
    client.force_login(animator)
    client.post(
        f"/ateliers/seance/{session.pk}/appel/",
        {f"r{came.pk}": "present", f"r{missed.pk}": "absent"},
    )
    came.refresh_from_db()
    missed.refresh_from_db()
    assert (came.attendance, missed.attendance) == ("present", "absent")


def test_a_member_who_is_no_animator_sees_a_403_not_a_login_loop(client, member):
    session = SessionFactory()
    response = client.get(f"/ateliers/seance/{session.pk}/appel/")
    assert response.status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in_for_the_roll_call(client, db):
    session = SessionFactory()
    response = client.get(f"/ateliers/seance/{session.pk}/appel/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- API ---------------------------------------------------------------------


def test_api_lists_upcoming_sessions_with_seats_left(client):
    session = SessionFactory(capacity=3)
    registration_create(session=session, member=MemberFactory())
    body = client.get("/api/v1/workshops").json()
    assert body["items"][0]["id"] == session.pk
    assert body["items"][0]["seats_left"] == 2


def test_api_registration_answers_registered_then_waitlisted_with_position(client):
    session = SessionFactory(capacity=1)
    first, second = MemberFactory(), MemberFactory()
    client.force_login(first)
    response = client.post(f"/api/v1/workshops/{session.pk}/registrations")
    assert response.status_code == 201
    assert response.json()["status"] == "registered"
    client.force_login(second)
    body = client.post(f"/api/v1/workshops/{session.pk}/registrations").json()
    assert (body["status"], body["position"]) == ("waitlisted", 1)


def test_api_registering_twice_is_a_409_naming_the_reason(client, member):
    session = SessionFactory()
    client.post(f"/api/v1/workshops/{session.pk}/registrations")
    response = client.post(f"/api/v1/workshops/{session.pk}/registrations")
    assert response.status_code == 409
    assert response.json()["code"] == "already_registered"


def test_api_cancel_promotes_the_waitlist(client, member):
    session = SessionFactory(capacity=1)
    client.post(f"/api/v1/workshops/{session.pk}/registrations")
    waiting = registration_create(session=session, member=MemberFactory())
    assert client.delete(f"/api/v1/workshops/{session.pk}/registrations/me").status_code == 204
    waiting.refresh_from_db()
    assert waiting.status == "registered"


def test_api_cannot_cancel_someone_elses_registration(client, member):
    session = SessionFactory()
    registration_create(session=session, member=MemberFactory())
    assert client.delete(f"/api/v1/workshops/{session.pk}/registrations/me").status_code == 404
    assert client.post("/api/v1/workshops/999999/registrations").status_code == 404


def test_api_registration_needs_authentication(client):
    session = SessionFactory()
    assert client.post(f"/api/v1/workshops/{session.pk}/registrations").status_code == 401
