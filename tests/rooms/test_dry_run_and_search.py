"""Before booking, the member is told what booking would answer — without anything
being written — and the free-space search starts at a time one can still book and
points to the nearest free times when nothing is free."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from booking.localtime import SITE_TZ
from booking.models import Reservation
from booking.services import booking_create, reservation_check
from rooms.services import booking_series_preview
from tests.factories import ClosureFactory, DeskSpaceFactory, MemberFactory, SpaceFactory

from .conftest import MONDAY, at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

WRITES = ("INSERT", "UPDATE", "DELETE", "SAVEPOINT", "RELEASE")


@pytest.fixture
def signed_in(client, member):
    client.force_login(member)
    return client


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]


def test_previewing_a_weekly_series_writes_nothing(signed_in):
    room = SpaceFactory()
    booking_create(member=MemberFactory(), space=room, start=at(8, "10:00"), end=at(8, "11:00"))
    params = {
        "space": room.pk,
        "date": "2026-03-03",
        "start": "10:00",
        "end": "11:00",
        "seats": 1,
        "weeks": 6,
    }
    signed_in.get("/espaces/reserver/", params)  # the session is read once, then cached
    with CaptureQueriesContext(connection) as queries:
        response = signed_in.get("/espaces/reserver/", params)
    assert [o.is_free for o in response.context["occurrences"]] == [True, False, *[True] * 4]
    assert _writes(queries.captured_queries) == []


@pytest.mark.parametrize("weeks", [2, 20])
def test_a_series_preview_costs_the_same_queries_for_two_or_twenty_weeks(
    member, weeks, django_assert_num_queries
):
    room = SpaceFactory(max_bookings_per_day=1)  # its site comes along, as on the form
    # hours, closures, reservations, the member's holdings (for the rules, then for
    # the dates already theirs)
    with django_assert_num_queries(5):
        booking_series_preview(
            member=member, space=room, start=at(1, "10:00"), end=at(1, "11:00"), weeks=weeks
        )


def test_the_dry_run_lists_every_refusal_the_request_would_meet(member):
    room = SpaceFactory(horizon_days=5, max_minutes=60)
    refusals = reservation_check(
        resource=room, member=member, start=at(7, "09:00"), end=at(7, "11:00")
    )
    assert [r.code for r in refusals] == ["beyond_horizon", "too_long"]
    assert (
        reservation_check(resource=room, member=member, start=at(1, "09:00"), end=at(1, "10:00"))
        == []
    )
    assert not Reservation.objects.exists()


def test_the_dry_run_counts_the_requests_other_dates_against_the_daily_limit(member):
    office = DeskSpaceFactory(max_bookings_per_day=1)
    morning = (at(1, "08:30"), at(1, "12:30"))
    alone = reservation_check(
        resource=office, member=member, start=at(1, "14:00"), end=at(1, "18:00")
    )
    assert alone == []
    with_morning = reservation_check(
        resource=office,
        member=member,
        start=at(1, "14:00"),
        end=at(1, "18:00"),
        pending=[morning],
    )
    assert [r.code for r in with_morning] == ["over_limit"]


def test_the_dry_run_sees_the_earlier_dates_as_held(member):
    office = DeskSpaceFactory(capacity=1)
    refusals = reservation_check(
        resource=office,
        member=member,
        start=at(1, "10:00"),
        end=at(1, "11:00"),
        pending=[(at(1, "09:00"), at(1, "10:30"))],
    )
    assert [r.code for r in refusals] == ["full"]


def test_the_booking_form_says_before_the_click_what_booking_would_refuse(signed_in):
    room = SpaceFactory()
    booking_create(member=MemberFactory(), space=room, start=at(1, "10:00"), end=at(1, "11:00"))
    response = signed_in.get(
        "/espaces/reserver/",
        {"space": room.pk, "date": "2026-03-03", "start": "10:00", "end": "11:00"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ce créneau ne pourra pas être réservé" in page
    assert "Ce créneau est déjà réservé." in page
    assert [(s, e) for s, e, _params in response.context["suggestions"]][0] == (
        at(1, "09:00"),
        at(1, "10:00"),
    )
    assert Reservation.objects.count() == 1


def test_the_rooms_grid_shows_a_closed_day_with_its_reason(client):
    room = SpaceFactory()
    ClosureFactory(
        site=room.site,
        start_date=MONDAY + timedelta(days=3),
        end_date=MONDAY + timedelta(days=3),
        reason="Ascension",
    )
    page = client.get(f"/espaces/lieu/{room.site.slug}/", {"semaine": "2026-03-02"})
    assert 'title="Fermé : Ascension"' in page.content.decode()


def test_the_search_starts_at_the_next_bookable_time_not_this_morning(client, clock):
    SpaceFactory()
    clock.move_to(datetime(2026, 3, 2, 10, 46, tzinfo=SITE_TZ))
    form = client.get("/espaces/chercher/").context["form"]
    assert (str(form["date"].value()), str(form["start"].value())) == ("2026-03-02", "11:00:00")


def test_after_closing_the_search_starts_at_the_next_opening(client, clock):
    SpaceFactory()
    clock.move_to(datetime(2026, 3, 6, 19, 5, tzinfo=SITE_TZ))  # a Friday evening
    form = client.get("/espaces/chercher/").context["form"]
    assert (str(form["date"].value()), str(form["start"].value())) == ("2026-03-09", "08:30:00")


def test_when_nothing_is_free_the_search_suggests_the_nearest_free_times(client):
    room = SpaceFactory()
    booking_create(member=MemberFactory(), space=room, start=at(1, "10:00"), end=at(1, "12:00"))
    response = client.get(
        "/espaces/chercher/",
        {
            "site": room.site.pk,
            "date": "2026-03-03",
            "start": "10:00",
            "duration": 120,
            "people": 1,
        },
    )
    assert response.context["results"] == []
    nearest = [when for when, _query in response.context["nearest"]]
    assert nearest[0] == at(1, "12:00")  # right after the booking: 2 h away
    page = response.content.decode()
    assert "Les heures libres les plus proches" in page
    assert "date=2026-03-03&amp;start=12%3A00" in page
