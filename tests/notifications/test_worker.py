"""End to end with a real Celery worker on the real Redis broker: no eager mode.

CI sets CELERY_BROKER_URL to Redis and DYNAMO_REQUIRE_SERVICES=1, so these run
there (and fail if Redis is missing); locally without Redis they skip.
"""

import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from dynamo.celery import app as celery_app
from notifications import services
from notifications.models import Notification
from notifications.tasks import sweep_notifications
from tests.celery_worker import real_worker, wait_for_emails

from .conftest import broker_at

Kind = Notification.Kind
Status = Notification.Status
pytestmark = [pytest.mark.redis, pytest.mark.realclock, pytest.mark.django_db(transaction=True)]


def test_the_real_worker_runs_with_eager_mode_off(settings):
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    assert celery_app.conf.task_always_eager is False
    assert celery_app.conf.broker_url.startswith("redis")


def test_a_notification_committed_with_a_change_is_delivered_by_the_real_worker(
    member, item, mailoutbox
):
    with real_worker():
        with transaction.atomic():
            notification = services.notification_enqueue(
                kind=Kind.BOOKING_CONFIRMED,
                recipient=member,
                about=item,
                context={"title": "Salle Armagnac", "starts_at": timezone.now()},
            )

        wait_for_emails(mailoutbox, 1)

    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert len(mailoutbox) == 1
    assert "Salle Armagnac" in mailoutbox[0].subject


def test_a_reminder_missed_while_redis_was_down_is_sent_by_the_sweep_on_the_real_worker(
    member, item, mailoutbox
):
    starts_at = timezone.now() + timedelta(hours=20)
    # The booking was made while Redis was down: it commits all the same.
    with broker_at("redis://127.0.0.1:1/0"), transaction.atomic():
        [reminder] = services.reminders_schedule(
            kind=Kind.BOOKING_REMINDER,
            about=item,
            starts_at=starts_at,
            recipient=member,
            context={"title": "Salle Armagnac"},
            now=starts_at - timedelta(hours=30),
        )
    reminder.refresh_from_db()
    assert (reminder.status, reminder.queued_at) == (Status.PENDING, None)

    # Redis is back: beat's next tick → sweep on the worker → delivery on the worker.
    with real_worker():
        sweep_notifications.delay()
        wait_for_emails(mailoutbox, 1)

    reminder.refresh_from_db()
    assert reminder.status == Status.SENT
    assert len(mailoutbox) == 1


def test_a_task_delivered_twice_by_the_broker_sends_one_email(member, mailoutbox):
    from notifications.tasks import deliver_notification

    notification = services.notification_enqueue(
        kind=Kind.MESSAGE, recipient=member, context={"subject": "Essai", "body": "Bonjour"}
    )
    with real_worker():
        # A redelivery after a lost ack, or a duplicate from a sweep: two messages.
        deliver_notification.delay(notification.pk)
        deliver_notification.delay(notification.pk)
        wait_for_emails(mailoutbox, 1)
        time.sleep(1)  # let the second message be consumed too

    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert len(mailoutbox) == 1
