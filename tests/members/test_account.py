import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from booking.models import Reservation
from booking.services import booking_create
from members.models import ApiToken, Membership, Skill, User
from members.services import api_token_create
from tests.factories import (
    PASSWORD,
    MemberFactory,
    PlanFactory,
    SessionFactory,
    SkillFactory,
    SpaceFactory,
)
from workshops.models import Registration
from workshops.services import registration_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    member = MemberFactory(
        email="sophie@example.org", activity="Ébéniste", skills=[SkillFactory(name="Menuiserie")]
    )
    client.force_login(member)
    return member


def test_the_account_page_shows_the_current_plan(client, member):
    Membership.objects.create(member=member, plan=PlanFactory(name="Résident mensuel"))
    assert "Résident mensuel" in client.get("/compte/").content.decode()


def test_the_token_help_shows_the_placeholder_rather_than_swallowing_it(client, member):
    page = client.get("/compte/").content.decode()
    assert "Authorization: Bearer &lt;jeton&gt;." in page


def test_a_tokens_date_reads_in_french_on_the_french_page(client, member):
    token, _key = api_token_create(member=member, name="agenda")
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    )
    page = client.get("/compte/").content.decode()
    assert "créé le 30 novembre 2026" in page
    assert "Nov" not in page


def test_an_expired_plan_is_not_shown_as_current(client, member):
    Membership.objects.create(
        member=member,
        plan=PlanFactory(name="Pass journée"),
        valid_from="2020-01-01",
        valid_until="2020-01-01",
    )
    page = client.get("/compte/").content.decode()
    assert "Pass journée" not in page


def test_a_member_downloads_all_her_data_as_json(client, member):
    Membership.objects.create(member=member, plan=PlanFactory(name="Carnet 10 jours"))
    response = client.get("/compte/mes-donnees.json")
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "sophie@example.org"
    assert data["profile"]["activity"] == "Ébéniste"
    assert data["profile"]["skills"] == ["Menuiserie"]
    assert data["memberships"][0]["plan"] == "Carnet 10 jours"


def test_deleting_the_account_needs_the_password(client, member):
    response = client.post("/compte/supprimer/", {"password": "pas le bon"})
    assert response.status_code == 400
    assert "password" in response.context["form"].errors
    assert User.objects.filter(pk=member.pk).exists()


def test_a_member_deletes_her_account_and_everything_only_she_owns(client, member):
    Membership.objects.create(member=member, plan=PlanFactory())
    ApiToken.objects.create(member=member, name="x", prefix="dyn_x", key_hash="h")
    response = client.post("/compte/supprimer/", {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=member.pk).exists()
    assert not Membership.objects.exists()
    assert not ApiToken.objects.exists()
    # Shared skill tags stay for the others.
    assert Skill.objects.filter(name="Menuiserie").exists()
    assert "_auth_user_id" not in client.session
    assert client.login(email="sophie@example.org", password=PASSWORD) is False


def test_a_member_creates_a_token_sees_it_once_and_uses_it(client, member):
    client.post("/compte/jetons/", {"name": "agenda"})
    page = client.get("/compte/").content.decode()
    token = ApiToken.objects.get(member=member)
    key = next(
        w
        for w in page.replace("<", " ").replace(">", " ").split()
        if w.startswith("dyn_") and len(w) > 20
    )
    assert key.startswith(token.prefix)
    # Shown once only.
    assert key not in client.get("/compte/").content.decode()

    client.logout()
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"})
    assert me.status_code == 200
    assert me.json()["email"] == "sophie@example.org"


def test_a_revoked_token_no_longer_opens_the_api(client, member):
    token, key = api_token_create(member=member, name="script")
    client.post(f"/compte/jetons/{token.pk}/revoquer/")
    client.logout()
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 401


def test_a_member_cannot_revoke_another_members_token(client, member):
    token, key = api_token_create(member=MemberFactory(), name="autre")
    assert client.post(f"/compte/jetons/{token.pk}/revoquer/").status_code == 404
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"}).status_code == 200


def test_a_token_without_a_name_is_refused(client, member):
    client.post("/compte/jetons/", {"name": ""})
    assert not ApiToken.objects.exists()
    assert "nom" in client.get("/compte/").content.decode()


def test_the_api_token_command_prints_a_working_token(client, capsys):
    MemberFactory(email="script@example.org")
    call_command("api_token", "script@example.org")
    key = capsys.readouterr().out.strip()
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"}).json()["email"]
        == "script@example.org"
    )


def test_the_api_refuses_a_missing_or_wrong_token(client):
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer dyn_nope"}).status_code == 401


def test_the_api_accepts_the_browser_session(client, member):
    assert client.get("/api/v1/me").json()["email"] == "sophie@example.org"


def test_the_openapi_schema_and_docs_are_published(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/me" in schema["paths"]
    assert client.get("/api/v1/docs").status_code == 200


def test_deleting_an_account_frees_its_workshop_seats_and_anonymises_the_past(client, member):
    upcoming = SessionFactory(capacity=1)
    registration_create(session=upcoming, member=member)
    waiting = registration_create(session=upcoming, member=MemberFactory())
    past = SessionFactory()
    attended = registration_create(session=past, member=member)
    Registration.objects.filter(pk=attended.pk).update(attendance="present")
    past.start, past.end = (
        timezone.now() - timedelta(days=3),
        timezone.now() - timedelta(days=3, hours=-2),
    )
    past.save()

    client.post("/compte/supprimer/", {"password": PASSWORD})

    waiting.refresh_from_db()
    attended.refresh_from_db()
    assert waiting.status == "registered"
    assert attended.member is None
    assert attended.attendance == "present"
    assert "sophie" not in attended.email


def test_deleting_an_account_frees_its_upcoming_bookings_and_keeps_past_ones(client, member):
    room = SpaceFactory()
    day = timezone.localdate() + timedelta(days=2)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    start = timezone.make_aware(
        timezone.datetime.combine(day, timezone.datetime.min.time())
    ) + timedelta(hours=10)
    upcoming = booking_create(
        member=member, space=room, start=start, end=start + timedelta(hours=1)
    )
    past = Reservation.objects.create(
        resource=room,
        member=member,
        start=start - timedelta(days=30),
        end=start - timedelta(days=30, hours=-1),
        blocked_until=start - timedelta(days=30, hours=-1),
    )
    client.post("/compte/supprimer/", {"password": PASSWORD})
    upcoming.refresh_from_db()
    past.refresh_from_db()
    assert upcoming.status == Reservation.Status.CANCELLED
    assert past.status == Reservation.Status.CONFIRMED and past.member is None
