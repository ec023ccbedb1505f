from datetime import timedelta

import pytest
from django.utils import timezone

from booking.services import booking_create
from members.models import CalendarFeed
from tests.factories import MemberFactory, SessionFactory, SpaceFactory
from workshops.services import registration_create

pytestmark = pytest.mark.django_db


def _next_weekday(hour):
    day = timezone.localdate() + timedelta(days=3)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return timezone.make_aware(
        timezone.datetime.combine(day, timezone.datetime.min.time())
    ) + timedelta(hours=hour)


@pytest.fixture
def member(client):
    member = MemberFactory()
    client.force_login(member)
    return member


def _feed_url(client):
    client.post("/compte/agenda/nouveau/")
    return f"/agenda/{CalendarFeed.objects.get().token}.ics"


def test_the_private_feed_holds_bookings_and_workshops(client, member):
    room = SpaceFactory(name="Salle Armagnac")
    booking_create(member=member, space=room, start=_next_weekday(10), end=_next_weekday(11))
    registration_create(session=SessionFactory(workshop__title="Codéveloppement"), member=member)
    booking_create(
        member=MemberFactory(), space=room, start=_next_weekday(14), end=_next_weekday(15)
    )
    url = _feed_url(client)
    client.logout()  # calendar apps have no session
    body = client.get(url).content.decode()
    assert body.count("BEGIN:VEVENT") == 2
    assert "Salle Armagnac" in body and "Codéveloppement" in body


def test_renewing_the_feed_address_kills_the_old_one(client, member):
    old = _feed_url(client)
    new = _feed_url(client)
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_a_revoked_feed_is_gone(client, member):
    url = _feed_url(client)
    client.post("/compte/agenda/supprimer/")
    assert client.get(url).status_code == 404


def test_the_feed_runs_a_fixed_number_of_queries(client, member, django_assert_num_queries):
    room = SpaceFactory()
    for hour in range(9, 15):
        booking_create(
            member=member,
            space=room,
            start=_next_weekday(hour),
            end=_next_weekday(hour) + timedelta(minutes=30),
        )
    url = _feed_url(client)
    client.logout()
    with django_assert_num_queries(3):
        client.get(url)


def test_the_data_export_includes_bookings_and_registrations(client, member):
    booking_create(
        member=member,
        space=SpaceFactory(name="Salle Gascogne"),
        start=_next_weekday(10),
        end=_next_weekday(11),
    )
    registration_create(session=SessionFactory(workshop__title="Codéveloppement"), member=member)
    data = client.get("/compte/mes-donnees.json").json()
    assert data["reservations"][0]["resource"] == "Salle Gascogne"
    assert data["workshop_registrations"][0]["workshop"] == "Codéveloppement"
