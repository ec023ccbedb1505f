"""The demo is seeded on any date: it asks the booking engine instead of assuming hours
are free, so it never collides with itself and stays idempotent."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from booking.localtime import to_local
from booking.models import Reservation
from booking.public_holidays import public_holidays
from members.models import User
from workshops.models import Session

PARIS = ZoneInfo("Europe/Paris")

RISKY_DAYS = [
    "2026-11-30",  # the first day it was seen to fail
    "2026-12-07",  # the day before a second Tuesday
    "2027-01-04",  # a Monday the week before a second Tuesday
    "2027-03-28",  # the spring daylight-saving change
    "2027-10-31",  # the autumn daylight-saving change
    "2028-02-29",  # a leap day
    "2026-12-31",  # the last day of a year
    "2027-08-16",  # a day in August, when there is no workshop
    "2027-01-09",  # a Saturday
    "2027-01-10",  # a Sunday
    "2026-07-13",  # the day before a second Tuesday that is 14 July, a public holiday
]


def _counts() -> tuple[int, int, int]:
    return User.objects.count(), Session.objects.count(), Reservation.objects.count()


def _overlaps_on_exclusive_resources() -> list[tuple[int, int]]:
    """Pairs of active reservations that hold one exclusive resource at once."""
    held = list(Reservation.objects.filter(status__in=Reservation.ACTIVE, exclusive=True))
    return [
        (a.pk, b.pk)
        for a in held
        for b in held
        if a.pk < b.pk
        and a.resource_id == b.resource_id
        and a.start < b.blocked_until
        and b.start < a.blocked_until
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("day", RISKY_DAYS)
def test_the_demo_seeds_once_and_without_clashes_on_a_risky_day(day):
    moment = datetime.fromisoformat(f"{day}T10:15").replace(tzinfo=PARIS)
    with time_machine.travel(moment, tick=False):
        call_command("seed_demo", stdout=None)
        first = _counts()
        call_command("seed_demo", stdout=None)
        assert _counts() == first
    users, sessions, reservations = first
    assert users >= 10
    assert sessions >= 10  # a year of monthly sessions, August off
    assert Reservation.objects.filter(source=Reservation.Source.BOOKING).exists()
    assert _overlaps_on_exclusive_resources() == []
    assert _sessions_on_public_holidays() == []


def _sessions_on_public_holidays() -> list[tuple[str, str]]:
    """(session, holiday) pairs: sessions the demo put on a public holiday of their site."""
    found = []
    for session in Session.objects.select_related("room__site").exclude(room=None):
        day = to_local(session.start).date()
        name = public_holidays(session.room.site, day, day).get(day)
        if name:
            found.append((str(session), name))
    return found
