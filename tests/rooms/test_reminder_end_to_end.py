"""A member books; the sweep finds the reminder due; a real Celery worker on the real
Redis sends it. No eager mode: CI runs this on Redis and fails if Redis is missing."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from booking.services import booking_create
from notifications.models import Notification
from notifications.tasks import sweep_notifications
from tests.calendars import invitation
from tests.celery_worker import real_worker, wait_for_emails
from tests.factories import MemberFactory, SpaceFactory

pytestmark = [pytest.mark.redis, pytest.mark.realclock, pytest.mark.django_db(transaction=True)]

PARIS = ZoneInfo("Europe/Paris")
MONDAY_9 = datetime(2026, 12, 7, 9, 0, tzinfo=PARIS)


def test_a_booking_reminder_goes_from_the_sweep_to_the_worker_to_the_mailbox(mailoutbox):
    member = MemberFactory(email="camille@example.org")
    room = SpaceFactory(name="Salle Armagnac")
    with time_machine.travel(MONDAY_9, tick=False):
        booking = booking_create(
            member=member,
            space=room,
            start=MONDAY_9 + timedelta(days=1, hours=1),
            end=MONDAY_9 + timedelta(days=1, hours=2),
        )
    reminder = Notification.objects.get(kind=Notification.Kind.BOOKING_REMINDER)
    assert reminder.due_at == booking.start - timedelta(hours=24)

    # The next day, just after the reminder fell due: beat's tick, on the real worker.
    with time_machine.travel(reminder.due_at + timedelta(minutes=3), tick=True), real_worker():
        sweep_notifications.delay()
        wait_for_emails(mailoutbox, 1)

    reminder.refresh_from_db()
    assert reminder.status == Notification.Status.SENT
    (message,) = mailoutbox
    assert "camille@example.org" in message.to[0]
    assert "Salle Armagnac" in message.body
    part, _calendar = invitation(message)
    assert part.get_filename() == "invitation.ics"
