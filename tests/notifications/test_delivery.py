import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from notifications import services
from notifications.models import Notification
from notifications.tasks import deliver_notification, sweep_notifications

from .conftest import broker_at

Kind = Notification.Kind
Status = Notification.Status

# Nothing listens on port 1: connecting to it is refused at once, as with Redis down.
CLOSED_PORT_BROKER = "redis://127.0.0.1:1/0"


def _message(member, **kwargs):
    kwargs.setdefault("context", {"subject": "Essai", "body": "Bonjour"})
    return services.notification_enqueue(kind=Kind.MESSAGE, recipient=member, **kwargs)


@pytest.mark.django_db
def test_a_task_run_twice_sends_one_email(member, mailoutbox):
    notification = _message(member)

    first = deliver_notification.apply(args=[notification.pk]).get()
    second = deliver_notification.apply(args=[notification.pk]).get()

    assert (first, second) == ("sent", "skipped")
    assert len(mailoutbox) == 1
    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert notification.attempts == 1
    assert notification.sent_at is not None


@pytest.mark.django_db
def test_a_duplicate_sweep_sends_each_notification_once(member, mailoutbox):
    _message(member)
    # Two beat ticks (or an overlapping cron run) find the same rows.
    ids = services.notifications_due_sweep() + services.notifications_due_sweep(
        now=timezone.now() + timedelta(hours=1)
    )
    for notification_id in ids:
        services.notification_deliver(notification_id=notification_id)

    assert len(mailoutbox) == 1


# Needs a real broker too: with none, Celery is eager and sends at enqueue time.
@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_the_same_notification_send_one_email(member, mailoutbox):
    notification = _message(member)
    workers = 8
    start = threading.Barrier(workers)
    outcomes = []

    def worker():
        try:
            start.wait()
            outcomes.append(services.notification_deliver(notification_id=notification.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["sent"] + ["skipped"] * (workers - 1)
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_a_mail_server_refusing_three_times_is_retried_until_sent(
    member, mail_server, mailoutbox, retries_in_process
):
    server = mail_server(3)
    notification = _message(member)

    deliver_notification.apply(args=[notification.pk], throw=False)

    notification.refresh_from_db()
    assert server.calls == 4
    assert notification.status == Status.SENT
    assert notification.attempts == 4
    assert "451" in notification.last_error  # the history stays readable
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_a_mail_server_that_keeps_refusing_leaves_a_visible_failure(
    member, mail_server, mailoutbox, settings, retries_in_process
):
    mail_server(100)
    notification = _message(member)

    deliver_notification.apply(args=[notification.pk], throw=False)

    notification.refresh_from_db()
    assert notification.status == Status.FAILED
    assert notification.attempts == settings.NOTIFICATION_MAX_ATTEMPTS
    assert "SMTPResponseException" in notification.last_error
    assert mailoutbox == []


@pytest.mark.django_db
def test_a_refused_send_goes_back_to_pending_for_the_next_try(member, mail_server):
    mail_server(1)
    notification = _message(member)

    with pytest.raises(services.RETRYABLE_ERRORS):
        services.notification_deliver(notification_id=notification.pk)

    notification.refresh_from_db()
    assert notification.status == Status.PENDING
    assert notification.attempts == 1
    assert "Try again later" in notification.last_error


@pytest.mark.django_db
def test_retrying_a_failed_notification_from_the_admin_sends_it(
    member, mail_server, mailoutbox, eager, django_capture_on_commit_callbacks, retries_in_process
):
    mail_server(100)
    notification = _message(member)
    deliver_notification.apply(args=[notification.pk], throw=False)
    mail_server(0)

    with django_capture_on_commit_callbacks(execute=True):
        retried = services.notifications_retry(notifications=Notification.objects.all())

    assert retried == 1
    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
def test_with_redis_down_the_change_commits_and_the_sweep_sends_later(member, item, mailoutbox):
    with broker_at(CLOSED_PORT_BROKER), transaction.atomic():
        notification = services.notification_enqueue(
            kind=Kind.BOOKING_CONFIRMED,
            recipient=member,
            about=item,
            context={"title": "Salle Armagnac"},
        )
    # The commit went through; the hand-over to the broker failed and was noted.
    notification.refresh_from_db()
    assert notification.status == Status.PENDING
    assert notification.queued_at is None
    assert mailoutbox == []

    # Redis is back: the next sweep finds it at once.
    call_command("send_reminders")

    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_a_notification_left_sending_by_a_dead_worker_is_sent_by_a_later_sweep(
    member, mailoutbox, settings
):
    notification = _message(member)
    claimed_at = timezone.now() - timedelta(seconds=settings.NOTIFICATION_SENDING_TIMEOUT + 60)
    Notification.objects.filter(pk=notification.pk).update(
        status=Status.SENDING, claimed_at=claimed_at, attempts=1
    )

    call_command("send_reminders")

    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert notification.attempts == 2
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_a_notification_being_sent_right_now_is_left_alone_by_the_sweep(member, mailoutbox):
    notification = _message(member)
    Notification.objects.filter(pk=notification.pk).update(
        status=Status.SENDING, claimed_at=timezone.now()
    )

    assert services.notifications_due_sweep() == []
    assert mailoutbox == []


@pytest.mark.django_db
def test_the_sweep_task_delivers_what_is_due(member, eager, mailoutbox):
    _message(member, due_at=timezone.now() - timedelta(minutes=5))
    _message(member, due_at=timezone.now() + timedelta(days=1))
    Notification.objects.update(queued_at=None)

    assert sweep_notifications.apply().get() == 1
    assert len(mailoutbox) == 1
