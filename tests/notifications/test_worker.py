"""End to end with a real Celery worker on the real Redis broker: no eager mode.

CI sets CELERY_BROKER_URL to Redis and DYNAMO_REQUIRE_SERVICES=1, so these run
there (and fail if Redis is missing); locally without Redis they skip.
"""

import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections, transaction
from django.utils import timezone

from dynamo.celery import app as celery_app
from notifications import services
from notifications.models import Notification
from notifications.tasks import sweep_notifications

from .conftest import broker_at

Kind = Notification.Kind
Status = Notification.Status
pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _close_worker_connections(**kwargs):
    # The worker thread opens its own database connection: close it after each
    # task so the test database can be flushed and dropped.
    connections.close_all()


@contextmanager
def real_worker():
    celery_app.control.purge()  # leftovers of earlier runs on this broker database
    task_postrun.connect(_close_worker_connections, weak=False)
    try:
        with start_worker(
            celery_app,
            pool="solo",
            perform_ping_check=False,
            shutdown_timeout=30,
            loglevel="WARNING",
        ) as worker:
            yield worker
    finally:
        task_postrun.disconnect(_close_worker_connections)


def _wait_for_emails(mailoutbox, count, timeout=30.0):
    # Watch the outbox, not the database: the test thread stays off the database
    # while the worker writes (SQLite's shared in-memory test database would refuse
    # one of them, "table is locked", instead of waiting).
    deadline = time.monotonic() + timeout
    while len(mailoutbox) < count and time.monotonic() < deadline:
        time.sleep(0.1)


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

        _wait_for_emails(mailoutbox, 1)

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
        _wait_for_emails(mailoutbox, 1)

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
        _wait_for_emails(mailoutbox, 1)
        time.sleep(1)  # let the second message be consumed too

    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert len(mailoutbox) == 1
