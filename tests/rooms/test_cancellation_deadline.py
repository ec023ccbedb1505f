"""A member is told until when a booking can be cancelled, before booking and after,
and the "Annuler" button shows only while cancelling would work."""

from datetime import timedelta
from html import unescape

import pytest
import time_machine

from booking.refusals import BookingRefused
from booking.services import booking_cancel, booking_create, reservation_cancellation
from tests.factories import SpaceFactory

from .conftest import NOW, at

pytestmark = pytest.mark.django_db

# Monday 2 March 2026, 10:42 in Auch: later than 24 h before Tuesday 09:00.
MORNING_AFTER_10_42 = NOW.replace(hour=10, minute=42)


@pytest.fixture
def room(db):
    return SpaceFactory(name="Salle Armagnac", cancellation_cutoff_hours=24)


def _cancel_forms(content: str) -> int:
    return content.count("/annuler/")


def test_a_booking_for_tomorrow_morning_made_at_10_42_offers_no_cancel_button(client, member, room):
    with time_machine.travel(MORNING_AFTER_10_42, tick=False):
        booking_create(member=member, space=room, start=at(1, "09:00"), end=at(1, "10:00"))
        client.force_login(member)
        content = unescape(client.get("/espaces/mes-reservations/").text)
    assert _cancel_forms(content) == 0
    assert "Délai d'annulation dépassé" in content
    assert "lundi 2 mars 2026 à 09:00" in content


def test_a_booking_next_week_offers_the_cancel_button_and_says_until_when(client, member, room):
    with time_machine.travel(MORNING_AFTER_10_42, tick=False):
        booking = booking_create(
            member=member, space=room, start=at(8, "14:30"), end=at(8, "15:30")
        )
        client.force_login(member)
        content = unescape(client.get("/espaces/mes-reservations/").text)
    assert f"/espaces/reservations/{booking.pk}/annuler/" in content
    assert "Annulation possible jusqu'au lundi 9 mars 2026 à 14:30" in content


def test_the_booking_form_says_until_when_it_can_be_cancelled(client, member, room):
    with time_machine.travel(MORNING_AFTER_10_42, tick=False):
        client.force_login(member)
        response = client.get(
            "/espaces/reserver/",
            {"space": room.pk, "date": "2026-03-05", "start": "10:00", "end": "11:00", "seats": 1},
        )
    assert response.status_code == 200
    assert "Annulable en ligne jusqu'au mercredi 4 mars 2026 à 10:00" in (unescape(response.text))


def test_the_booking_form_warns_that_tomorrow_morning_cannot_be_cancelled_online(
    client, member, room
):
    with time_machine.travel(MORNING_AFTER_10_42, tick=False):
        client.force_login(member)
        response = client.get(
            "/espaces/reserver/",
            {"space": room.pk, "date": "2026-03-03", "start": "09:00", "end": "10:00", "seats": 1},
        )
    assert "Délai d'annulation déjà dépassé" in unescape(response.text)


@pytest.mark.parametrize(
    "before_deadline",
    [timedelta(hours=1), timedelta(0), timedelta(seconds=-1), timedelta(hours=-20)],
    ids=["an-hour-before", "at-the-deadline", "a-second-late", "hours-late"],
)
def test_the_cancel_button_is_shown_exactly_when_cancelling_works(member, room, before_deadline):
    with time_machine.travel(NOW, tick=False):
        booking = booking_create(
            member=member, space=room, start=at(3, "10:00"), end=at(3, "11:00")
        )
    deadline = at(3, "10:00") - timedelta(hours=24)
    moment = deadline - before_deadline
    verdict = reservation_cancellation(reservation=booking, by=member, now=moment)
    try:
        booking_cancel(member=member, booking=booking, now=moment)
    except BookingRefused as refusal:
        cancelled, code = False, refusal.code
    else:
        cancelled, code = True, None
    assert verdict.allowed is cancelled
    assert verdict.refusal == code
    assert verdict.until == deadline


def test_an_animator_may_still_cancel_their_late_booking_from_the_page(client, animator, room):
    with time_machine.travel(MORNING_AFTER_10_42, tick=False):
        booking = booking_create(
            member=animator, space=room, start=at(1, "09:00"), end=at(1, "10:00")
        )
        client.force_login(animator)
        content = unescape(client.get("/espaces/mes-reservations/").text)
    assert f"/espaces/reservations/{booking.pk}/annuler/" in content


def test_the_api_says_whether_and_until_when_a_booking_can_be_cancelled(client, member, room):
    with time_machine.travel(MORNING_AFTER_10_42, tick=False):
        late = booking_create(member=member, space=room, start=at(1, "09:00"), end=at(1, "10:00"))
        early = booking_create(member=member, space=room, start=at(8, "14:30"), end=at(8, "15:30"))
        client.force_login(member)
        rows = {row["id"]: row for row in client.get("/api/v1/bookings").json()["items"]}
    assert rows[late.pk]["cancellable"] is False
    assert rows[late.pk]["cancellable_until"] == "2026-03-02T09:00:00+01:00"
    assert rows[early.pk]["cancellable"] is True
    assert rows[early.pk]["cancellable_until"] == "2026-03-09T14:30:00+01:00"
