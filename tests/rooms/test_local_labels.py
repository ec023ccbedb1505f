"""Every label (admin titles, action messages, ``str()`` of a model) shows Auch's wall
clock, whether the object was just made from a UTC datetime or read back from the
database, in winter (UTC+1) and in summer (UTC+2)."""

from datetime import UTC, datetime, time
from html import unescape

import pytest
import time_machine

from booking.models import Reservation
from booking.services import booking_create
from fablab.models import UsageLog
from fablab.services import machine_reservation_create, maintenance_schedule
from rooms.models import RentalRequest
from rooms.services.rentals import rental_request_create
from tests.factories import MemberFactory, PrinterFactory, SessionFactory, SpaceFactory
from workshops.models import Session

pytestmark = pytest.mark.django_db

# 09:30 in Auch on a Tuesday, given as UTC: 08:30Z in winter, 07:30Z in summer.
SEASONS = {
    "winter": (datetime(2026, 11, 2, 9, tzinfo=UTC), datetime(2026, 11, 10, 8, 30, tzinfo=UTC)),
    "summer": (datetime(2026, 6, 8, 9, tzinfo=UTC), datetime(2026, 6, 16, 7, 30, tzinfo=UTC)),
}


@pytest.fixture(params=SEASONS, ids=list(SEASONS))
def nine_thirty(request):
    """09:30 local on a Tuesday, as an aware UTC datetime, with the clock a week before."""
    now, start = SEASONS[request.param]
    with time_machine.travel(now, tick=False):
        yield start


def _reads_local(label: str, start: datetime) -> None:
    assert f"{start.day:02d}/{start.month:02d}/2026 09:30" in label
    assert f"{start:%H:%M}" not in label  # the UTC hour


def test_a_booking_made_at_09_30_reads_09_30_fresh_and_reloaded(nine_thirty):
    booking = booking_create(
        member=MemberFactory(),
        space=SpaceFactory(name="Salle Armagnac"),
        start=nine_thirty,
        end=nine_thirty.replace(hour=nine_thirty.hour + 1),
    )
    _reads_local(str(booking), nine_thirty)
    assert str(booking).startswith("Salle Armagnac ")
    _reads_local(str(Reservation.objects.get(pk=booking.pk)), nine_thirty)


def test_a_rental_request_for_09_30_reads_09_30_fresh_and_reloaded(nine_thirty):
    request = rental_request_create(
        space=SpaceFactory(),
        start=nine_thirty,
        end=nine_thirty.replace(hour=nine_thirty.hour + 2),
        people=2,
        name="Maître Durand",
        email="durand@example.org",
        purpose="Cours en visio",
    )
    _reads_local(str(request), nine_thirty)
    _reads_local(str(RentalRequest.objects.get(pk=request.pk)), nine_thirty)
    _reads_local(str(request.hold), nine_thirty)


def test_a_workshop_session_at_09_30_reads_09_30_fresh_and_reloaded(nine_thirty):
    session = SessionFactory(start=nine_thirty)
    _reads_local(str(session), nine_thirty)
    _reads_local(str(Session.objects.get(pk=session.pk)), nine_thirty)


def test_fablab_slots_usage_logs_and_maintenance_read_local_time(animator, nine_thirty):
    printer = PrinterFactory(fablab_hours=[(1, time(8), time(18))])
    slot = machine_reservation_create(
        member=MemberFactory(),
        machine=printer,
        start=nine_thirty,
        end=nine_thirty.replace(hour=nine_thirty.hour + 1),
    )
    _reads_local(str(UsageLog(reservation=slot, minutes=45)), nine_thirty)
    window = maintenance_schedule(
        machine=printer,
        start=nine_thirty.replace(hour=nine_thirty.hour + 2),
        end=nine_thirty.replace(hour=nine_thirty.hour + 3),
        reason="Buse",
        by=animator,
    ).window
    assert "11:30" in str(Reservation.objects.get(pk=window.pk))


def test_the_admin_titles_a_booking_with_its_local_time(client, animator, nine_thirty):
    booking = booking_create(
        member=MemberFactory(),
        space=SpaceFactory(name="Salle Armagnac"),
        start=nine_thirty,
        end=nine_thirty.replace(hour=nine_thirty.hour + 1),
    )
    client.force_login(animator)
    page = unescape(client.get(f"/admin/booking/reservation/{booking.pk}/change/").text)
    _reads_local(page.split("<title>")[1].split("</title>")[0], nine_thirty)
