from datetime import date, datetime, time, timedelta

import pytest
import time_machine

from booking.localtime import SITE_TZ, local_datetime
from members.services import animator_make
from tests.factories import MemberFactory

# A Monday morning in winter (UTC+1), well away from the DST changes of 2026
# (29 March and 25 October).
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=SITE_TZ)
MONDAY = NOW.date()


def at(day: date | int, hhmm: str) -> datetime:
    """An aware local datetime: ``at(1, "10:00")`` is Tuesday 10:00 of the frozen week."""
    if isinstance(day, int):
        day = MONDAY + timedelta(days=day)
    hours, minutes = map(int, hhmm.split(":"))
    return local_datetime(day, time(hours, minutes))


@pytest.fixture
def clock():
    """Freeze the clock at NOW (Monday 2 March 2026, 9:00 in Auch)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def member(db):
    return MemberFactory()


@pytest.fixture
def animator(db):
    user = MemberFactory()
    return animator_make(email=user.email)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Members are made by the dozen here; hashing their passwords properly is not
    # what these tests are about.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
