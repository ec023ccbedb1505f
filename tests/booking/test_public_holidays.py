"""Public holidays close a site without anyone typing them, computed for any year from
the site's country and subdivision; an animator may still open on one, or close more."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from booking.localtime import SITE_TZ, local_datetime
from booking.models import Closure, Reservation
from booking.public_holidays import public_holidays
from booking.refusals import BookingRefused
from booking.selectors import SlotState, availability_for_day, nearest_free_slots
from booking.services import booking_create
from fablab.selectors import machines_overview
from fablab.services import maintenance_schedule
from members.services import animator_make, api_token_create
from rooms.selectors import site_week_grid
from tests.factories import (
    ClosureFactory,
    MachineFactory,
    MemberFactory,
    SiteFactory,
    SpaceFactory,
    WorkshopFactory,
)
from workshops.models import Session
from workshops.services import session_save

pytestmark = pytest.mark.django_db

# Tuesday 1 April 2031, in a year no closure row was ever written for.
NOW = datetime(2031, 4, 1, 9, 0, tzinfo=SITE_TZ)
GOOD_FRIDAY = date(2031, 4, 11)
EASTER_MONDAY = date(2031, 4, 14)
ASCENSION = date(2031, 5, 22)
CORPUS_CHRISTI = date(2031, 6, 12)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def animator():
    return animator_make(email=MemberFactory().email)


@pytest.fixture
def member_api(client):
    _token, key = api_token_create(member=MemberFactory(), name="tests")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def _book(space, day, start="10:00", end="11:00"):
    return booking_create(
        member=MemberFactory(),
        space=space,
        start=local_datetime(day, time.fromisoformat(start)),
        end=local_datetime(day, time.fromisoformat(end)),
    )


def test_a_member_cannot_book_on_easter_monday_though_nobody_typed_it():
    room = SpaceFactory()
    assert not Closure.objects.exists()
    with pytest.raises(BookingRefused) as refused:
        _book(room, EASTER_MONDAY)
    assert refused.value.code == "closed"
    assert "Lundi de Pâques" in refused.value.message
    assert _book(room, EASTER_MONDAY + timedelta(days=1)).pk  # the Tuesday is open


def test_the_week_grid_shows_easter_monday_closed_with_its_name(client):
    room = SpaceFactory()
    grid = site_week_grid(site=room.site, week_start=EASTER_MONDAY)
    assert grid.closures == {EASTER_MONDAY: "Lundi de Pâques"}
    row = grid.rows[0]
    assert {slot.state for slot in row.days[0]} == {SlotState.CLOSED}
    assert SlotState.FREE in {slot.state for slot in row.days[1]}

    page = client.get(f"/espaces/lieu/{room.site.slug}/", {"semaine": EASTER_MONDAY.isoformat()})
    assert "Fermé : Lundi de Pâques" in page.content.decode()


def test_the_day_view_says_why_the_site_is_closed(client):
    room = SpaceFactory()
    page = client.get(
        f"/espaces/lieu/{room.site.slug}/jour/", {"date": EASTER_MONDAY.isoformat()}
    ).content.decode()
    assert "Le lieu est fermé ce jour-là : Lundi de Pâques." in page


def test_a_holiday_beyond_the_horizon_reads_closed_not_yet_open_everywhere(member_api):
    # Ascension, 51 days ahead, is past a 30-day horizon.
    machine = MachineFactory(requires_qualification=False, horizon_days=30)
    room = SpaceFactory(site=machine.site, horizon_days=30)
    assert {(s.state, s.reason) for s in availability_for_day(resource=room, day=ASCENSION)} == {
        (SlotState.CLOSED, "closed")
    }
    # The next day, open but still too far ahead, is "not yet open".
    assert {
        s.reason for s in availability_for_day(resource=room, day=ASCENSION + timedelta(days=1))
    } == {"beyond_horizon"}
    with pytest.raises(BookingRefused) as refused:
        _book(room, ASCENSION)
    assert refused.value.code == "closed"
    body = member_api.get(
        f"/api/v1/spaces/{room.pk}/availability", {"date": ASCENSION.isoformat()}
    ).json()
    assert {slot["reason"] for slot in body["slots"]} == {"closed"}
    page = member_api.get(
        f"/fablab/machine/{machine.pk}/", {"date": ASCENSION.isoformat()}
    ).content.decode()
    assert "Fermé : Ascension" in page
    assert "Pas encore ouvert" not in page


def test_an_opening_on_ascension_lets_members_book_that_year_only():
    room = SpaceFactory()
    ClosureFactory(
        site=room.site,
        kind=Closure.Kind.OPEN,
        start_date=ASCENSION,
        end_date=ASCENSION,
        reason="Pont de l'Ascension travaillé",
    )
    booking = _book(room, ASCENSION)
    assert booking.status == Reservation.Status.CONFIRMED
    assert ASCENSION not in site_week_grid(site=room.site, week_start=ASCENSION).closures
    next_ascension = date(2032, 5, 6)
    # A year later, seen from within the booking horizon: closed again.
    with time_machine.travel(datetime(2032, 4, 6, 9, 0, tzinfo=SITE_TZ), tick=False):
        closed = availability_for_day(resource=room, day=next_ascension)
    assert {slot.state for slot in closed} == {SlotState.CLOSED}


def test_a_closure_typed_by_an_animator_still_closes_a_holiday_that_was_opened():
    room = SpaceFactory()
    ClosureFactory(site=room.site, kind=Closure.Kind.OPEN, start_date=ASCENSION, reason="Ouvert")
    ClosureFactory(
        site=room.site,
        start_date=ASCENSION - timedelta(days=3),
        end_date=ASCENSION + timedelta(days=1),
        reason="Inventaire",
    )
    with pytest.raises(BookingRefused) as refused:
        _book(room, ASCENSION)
    assert "Inventaire" in refused.value.message


def test_an_opening_on_a_day_that_is_no_holiday_is_refused_with_a_clear_message():
    site = SiteFactory()
    opening = Closure(
        site=site,
        kind=Closure.Kind.OPEN,
        start_date=date(2031, 4, 15),
        end_date=date(2031, 4, 15),
        reason="Ouvert",
    )
    with pytest.raises(ValidationError) as invalid:
        opening.full_clean()
    assert "start_date" in invalid.value.message_dict


def test_a_site_in_moselle_also_closes_on_good_friday_and_st_stephens_day():
    moselle = SpaceFactory(site=SiteFactory(subdivision="57"))
    gers = SpaceFactory()
    with pytest.raises(BookingRefused) as refused:
        _book(moselle, GOOD_FRIDAY)
    assert "Vendredi saint" in refused.value.message
    assert _book(gers, GOOD_FRIDAY).pk
    christmas = public_holidays(moselle.site, date(2031, 12, 24), date(2031, 12, 31))
    assert christmas == {date(2031, 12, 25): "Noël", date(2031, 12, 26): "Saint-Étienne"}


def test_a_site_in_bavaria_closes_on_its_own_holidays_not_on_bastille_day():
    munich = SpaceFactory(site=SiteFactory(country="DE", subdivision="BY"))
    with pytest.raises(BookingRefused) as refused:
        _book(munich, CORPUS_CHRISTI)
    assert "Fronleichnam" in refused.value.message  # no French names: in German
    assert _book(SpaceFactory(), CORPUS_CHRISTI).pk
    bastille_day = public_holidays(munich.site, date(2031, 7, 14), date(2031, 7, 14))
    assert bastille_day == {}


@pytest.mark.parametrize("week_start", [date(2031, 3, 31), EASTER_MONDAY])
def test_holidays_and_openings_add_no_query_to_the_week_grid(django_assert_num_queries, week_start):
    room = SpaceFactory()
    ClosureFactory(site=room.site, start_date=week_start + timedelta(days=2), reason="Inventaire")
    if week_start == EASTER_MONDAY:
        ClosureFactory(
            site=room.site, kind=Closure.Kind.OPEN, start_date=EASTER_MONDAY, reason="Ouvert"
        )
    # Spaces, opening hours, closures (and openings), reservations: as without holidays.
    with django_assert_num_queries(4):
        grid = site_week_grid(site=room.site, week_start=week_start)
    assert EASTER_MONDAY not in grid.closures


def test_nearest_free_slots_skip_the_holiday():
    room = SpaceFactory()
    slots = nearest_free_slots(
        resource=room,
        start=local_datetime(EASTER_MONDAY, time(10)),
        duration=timedelta(hours=1),
        n=50,
        search_days=1,
    )
    assert slots
    assert all(start.astimezone(SITE_TZ).date() != EASTER_MONDAY for start, _end in slots)


def test_the_fablab_offers_no_slot_on_a_holiday():
    # Ascension 2031 is a Thursday, one of the Fablab's afternoons.
    machine = MachineFactory(requires_qualification=False)
    with time_machine.travel(datetime(2031, 5, 21, 20, 0, tzinfo=SITE_TZ), tick=False):
        card = machines_overview().cards[0]
    assert card.next_slots
    assert all(start.astimezone(SITE_TZ).date() != ASCENSION for start, _end in card.next_slots)
    assert card.machine == machine


def test_a_workshop_session_still_holds_its_room_on_a_holiday(animator):
    room = SpaceFactory()
    start = local_datetime(EASTER_MONDAY, time(9, 30))
    session = Session(
        workshop=WorkshopFactory(),
        start=start,
        end=start + timedelta(hours=2),
        room=room,
        capacity=6,
    )
    session_save(session=session, by=animator)
    assert session.room_hold.status == Reservation.Status.CONFIRMED
    assert "closed" in session.room_hold.overridden_rules


def test_maintenance_can_be_scheduled_on_a_holiday(animator):
    machine = MachineFactory()
    start = local_datetime(ASCENSION, time(14))
    scheduled = maintenance_schedule(
        machine=machine, start=start, end=start + timedelta(hours=2), reason="Révision", by=animator
    )
    assert scheduled.window.source == Reservation.Source.MAINTENANCE
    assert scheduled.window.status == Reservation.Status.CONFIRMED
