"""The rooms pages as a member on a phone sees them: grids, search, booking, my bookings."""

import pytest

from booking.models import Reservation
from booking.services import booking_create
from members.models import Membership
from tests.factories import (
    AmenityFactory,
    DeskSpaceFactory,
    MemberFactory,
    PlanFactory,
    SessionFactory,
    SpaceFactory,
)
from workshops.services import registration_create

from .conftest import at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def signed_in(client, member):
    client.force_login(member)
    return client


def _book(client, room, day="2026-03-03", start="10:00", end="11:00", **extra):
    data = {"space": room.pk, "date": day, "start": start, "end": end, "seats": 1, "weeks": 1}
    data.update(extra)
    return client.post("/espaces/reserver/", data)


def test_the_week_grid_shows_free_busy_and_my_slots(signed_in, member):
    room = SpaceFactory(name="Salle Armagnac")
    booking_create(member=MemberFactory(), space=room, start=at(1, "10:00"), end=at(1, "11:00"))
    booking_create(member=member, space=room, start=at(1, "14:00"), end=at(1, "15:00"))
    page = signed_in.get(
        f"/espaces/lieu/{room.site.slug}/", {"semaine": "2026-03-02"}
    ).content.decode()
    assert "Salle Armagnac" in page
    assert '<td class="slot busy"' in page
    assert '<td class="slot yours"' in page
    # A free slot links to the booking form, prefilled.
    assert f"space={room.pk}&amp;date=2026-03-03&amp;start=09:00&amp;end=09:30" in page


def test_the_grids_work_without_an_account_and_on_a_bad_date(client):
    room = SpaceFactory()
    assert (
        client.get(f"/espaces/lieu/{room.site.slug}/", {"semaine": "pas-une-date"}).status_code
        == 200
    )
    assert (
        client.get(f"/espaces/lieu/{room.site.slug}/jour/", {"date": "2026-13-45"}).status_code
        == 200
    )
    assert client.get("/espaces/lieu/inconnu/").status_code == 404


def test_the_week_grid_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    site = SpaceFactory().site
    for i in range(8):
        room = SpaceFactory(site=site)
        booking_create(
            member=MemberFactory(), space=room, start=at(i % 5, "10:00"), end=at(i % 5, "12:00")
        )
    with django_assert_num_queries(5):  # site, spaces, hours, closures, reservations
        client.get(f"/espaces/lieu/{site.slug}/", {"semaine": "2026-03-02"})


def test_the_day_view_puts_every_space_side_by_side(client):
    room = SpaceFactory(name="Salle Gascogne")
    DeskSpaceFactory(site=room.site, name="Open space")
    page = client.get(
        f"/espaces/lieu/{room.site.slug}/jour/", {"date": "2026-03-03"}
    ).content.decode()
    assert "Salle Gascogne" in page and "Open space" in page


def test_find_a_free_space_by_people_and_amenities(client):
    visio = AmenityFactory(name="Kit visio")
    big = SpaceFactory(name="Salle Armagnac", capacity=12, amenities=[visio])
    SpaceFactory(name="Salle Gascogne", site=big.site, capacity=6)
    response = client.get(
        "/espaces/chercher/",
        {
            "site": big.site.pk,
            "date": "2026-03-03",
            "start": "10:00",
            "duration": 120,
            "people": 8,
            "amenities": "kit-visio",
        },
    )
    names = [space.name for space, _params, _price in response.context["results"]]
    assert names == ["Salle Armagnac"]
    assert "40,00 € TTC" in response.content.decode()  # 2 h at 20 €/h for non-members


def test_the_booking_form_shows_the_price_before_confirming(signed_in, member):
    room = SpaceFactory(price_member_hour="10.00", price_public_hour="20.00")
    Membership.objects.create(member=member, plan=PlanFactory())
    page = signed_in.get(
        "/espaces/reserver/",
        {"space": room.pk, "date": "2026-03-03", "start": "10:00", "end": "12:00"},
    )
    assert "20,00 € TTC" in page.content.decode()
    assert "tarif membre" in page.content.decode()
    assert not Reservation.objects.exists()


def test_a_member_books_from_the_form_and_sees_it_in_my_bookings(signed_in, member):
    room = SpaceFactory(name="Salle Gascogne")
    response = _book(signed_in, room)
    assert response.status_code == 302
    assert Reservation.objects.get().member == member
    page = signed_in.get("/espaces/mes-reservations/").content.decode()
    assert "Salle Gascogne" in page


def test_a_second_click_on_book_makes_no_duplicate(signed_in):
    room = SpaceFactory()
    _book(signed_in, room)
    _book(signed_in, room)
    assert Reservation.objects.count() == 1


def test_a_taken_slot_is_refused_with_the_reason_and_the_nearest_free_slots(signed_in):
    room = SpaceFactory()
    booking_create(member=MemberFactory(), space=room, start=at(1, "10:00"), end=at(1, "11:00"))
    response = _book(signed_in, room)
    assert response.status_code == 409
    page = response.content.decode()
    assert "déjà réservé" in page
    assert len(response.context["suggestions"]) == 3
    assert Reservation.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end": "09:00"}, "end"),
        ({"end": "10:00"}, "end"),
        ({"date": "pas une date"}, "date"),
        ({"space": 999999}, "space"),
        ({"seats": 0}, "seats"),
        ({"start": ""}, "start"),
    ],
)
def test_bad_input_on_the_booking_form_names_the_field_and_stores_nothing(
    signed_in, changes, field
):
    room = SpaceFactory()
    response = _book(signed_in, room, **changes)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Reservation.objects.exists()


def test_a_time_skipped_by_the_clocks_is_refused_on_the_form(signed_in):
    room = SpaceFactory()
    response = _book(signed_in, room, day="2026-03-29", start="02:00", end="03:00")
    assert response.status_code == 400
    assert "heure d'été" in response.context["form"].errors["start"][0]


def test_outside_opening_hours_the_member_is_told_why_and_offered_other_times(signed_in):
    room = SpaceFactory()
    response = _book(signed_in, room, start="19:00", end="20:00")
    # The page answers with the refusal table's status, as the API does.
    assert response.status_code == 422
    assert "pas ouvert" in response.content.decode()
    assert response.context["suggestions"]


def test_a_desk_is_booked_by_the_morning(signed_in, member):
    desk = DeskSpaceFactory()
    _book(signed_in, desk, start="", end="", period="morning")
    booking = Reservation.objects.get()
    assert (booking.start, booking.end) == (at(1, "08:30"), at(1, "13:00"))


def test_a_weekly_series_shows_each_conflicting_date_then_books_the_rest(signed_in, member):
    room = SpaceFactory()
    booking_create(member=MemberFactory(), space=room, start=at(8, "10:00"), end=at(8, "11:00"))
    preview = signed_in.get(
        "/espaces/reserver/",
        {
            "space": room.pk,
            "date": "2026-03-03",
            "start": "10:00",
            "end": "11:00",
            "seats": 1,
            "weeks": 4,
        },
    )
    verdicts = [o.is_free for o in preview.context["occurrences"]]
    assert verdicts == [True, False, True, True]
    assert "déjà réservé" in preview.content.decode()
    assert Reservation.objects.count() == 1  # the preview booked nothing

    _book(signed_in, room, weeks=4)
    mine = Reservation.objects.filter(member=member).order_by("start")
    assert [b.start for b in mine] == [at(1, "10:00"), at(15, "10:00"), at(22, "10:00")]


def test_a_series_preview_says_a_date_already_mine_is_mine_not_free(signed_in, member):
    room = SpaceFactory()
    booking_create(member=member, space=room, start=at(3, "14:00"), end=at(3, "15:30"))
    query = {
        "space": room.pk,
        "date": "2026-03-05",
        "start": "14:00",
        "end": "15:30",
        "seats": 1,
        "weeks": 6,
    }
    preview = signed_in.get("/espaces/reserver/", query)
    occurrences = preview.context["occurrences"]
    assert [o.already_held for o in occurrences] == [True, *[False] * 5]
    assert not occurrences[0].is_free
    assert "déjà à vous" in preview.content.decode()


def test_confirming_a_series_counts_only_the_dates_it_newly_booked(signed_in, member):
    room = SpaceFactory()
    booking_create(member=member, space=room, start=at(3, "14:00"), end=at(3, "15:30"))
    response = _book(signed_in, room, day="2026-03-05", start="14:00", end="15:30", weeks=2)
    shown = [str(m) for m in response.wsgi_request._messages]
    assert shown == ["1 date(s) réservée(s), 1 déjà à vous, 0 écartée(s)."]
    assert Reservation.objects.filter(member=member).count() == 2


def test_a_member_cancels_from_my_bookings(signed_in, member):
    room = SpaceFactory()
    booking = booking_create(member=member, space=room, start=at(3, "10:00"), end=at(3, "11:00"))
    signed_in.post(f"/espaces/reservations/{booking.pk}/annuler/")
    booking.refresh_from_db()
    assert booking.status == Reservation.Status.CANCELLED


def test_another_members_booking_cannot_be_cancelled_or_downloaded(signed_in):
    room = SpaceFactory()
    theirs = booking_create(
        member=MemberFactory(), space=room, start=at(3, "10:00"), end=at(3, "11:00")
    )
    assert signed_in.post(f"/espaces/reservations/{theirs.pk}/annuler/").status_code == 404
    assert signed_in.get(f"/espaces/reservations/{theirs.pk}.ics").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Reservation.Status.CONFIRMED


def test_each_booking_has_an_ics_file(signed_in, member):
    room = SpaceFactory(name="Salle Armagnac")
    booking = booking_create(member=member, space=room, start=at(3, "10:00"), end=at(3, "11:00"))
    body = signed_in.get(f"/espaces/reservations/{booking.pk}.ics").content.decode()
    assert "DTSTART:20260305T090000Z" in body
    assert "Salle Armagnac" in body


def test_my_bookings_lists_my_workshops_too(signed_in, member):
    session = SessionFactory(workshop__title="Codéveloppement")
    registration_create(session=session, member=member)
    assert "Codéveloppement" in signed_in.get("/espaces/mes-reservations/").content.decode()
