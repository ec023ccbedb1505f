from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from notifications import services
from notifications.models import Notification

Kind = Notification.Kind
Status = Notification.Status
pytestmark = pytest.mark.django_db


class Refused(Exception):
    pass


def test_a_rolled_back_change_leaves_no_notification(member, item):
    with pytest.raises(Refused), transaction.atomic():
        services.notification_enqueue(kind=Kind.BOOKING_CONFIRMED, recipient=member, about=item)
        raise Refused

    assert not Notification.objects.exists()


def test_an_event_is_written_with_the_change_and_sent_on_commit(
    member, item, eager, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        notification = services.notification_enqueue(
            kind=Kind.BOOKING_CONFIRMED,
            recipient=member,
            about=item,
            context={"title": "Salle Armagnac", "starts_at": timezone.now()},
        )
        assert mailoutbox == []  # nothing leaves before the commit

    assert len(callbacks) == 1
    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert [m.to for m in mailoutbox] == [[f"Camille Martin <{member.email}>"]]


def test_an_outsider_without_account_gets_the_message_at_their_address(
    item, eager, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.notification_enqueue(
            kind=Kind.RENTAL_ACCEPTED,
            email="asso@example.org",
            name="Asso du Gers",
            language="fr",
            about=item,
            context={"title": "Salle Armagnac"},
        )

    assert mailoutbox[0].to == ["Asso du Gers <asso@example.org>"]


def test_a_notification_needs_someone_to_send_it_to(item):
    with pytest.raises(ValueError):
        services.notification_enqueue(kind=Kind.MESSAGE, about=item)


def test_the_same_dedup_key_writes_one_notification(member, item):
    key = services.dedup_key_for(kind=Kind.BOOKING_REMINDER, about=item, recipient=member)
    first = services.notification_enqueue(
        kind=Kind.BOOKING_REMINDER, recipient=member, about=item, dedup_key=key
    )
    with transaction.atomic():  # the caller's transaction survives the duplicate
        second = services.notification_enqueue(
            kind=Kind.BOOKING_REMINDER, recipient=member, about=item, dedup_key=key
        )

    assert second.pk == first.pk
    assert Notification.objects.count() == 1


def test_scheduling_the_same_reminders_twice_writes_them_once(member, item):
    starts_at = timezone.now() + timedelta(days=3)
    for _ in range(2):
        services.reminders_schedule(
            kind=Kind.BOOKING_REMINDER, about=item, starts_at=starts_at, recipient=member
        )

    assert Notification.objects.count() == 1


def test_a_booking_days_ahead_gets_a_reminder_24_hours_before_until_its_start(member, item):
    starts_at = timezone.now() + timedelta(days=3)

    [reminder] = services.reminders_schedule(
        kind=Kind.BOOKING_REMINDER, about=item, starts_at=starts_at, recipient=member
    )

    assert reminder.due_at == starts_at - timedelta(hours=24)
    assert reminder.not_after == starts_at
    assert reminder.preference == "reminder_24h"


def test_a_same_day_booking_gets_a_reminder_2_hours_before(member, item):
    starts_at = timezone.now() + timedelta(hours=6)

    [reminder] = services.reminders_schedule(
        kind=Kind.BOOKING_REMINDER, about=item, starts_at=starts_at, recipient=member
    )

    assert reminder.due_at == starts_at - timedelta(hours=2)
    assert reminder.preference == "reminder_2h"


def test_a_booking_starting_within_2_hours_gets_no_reminder(member, item):
    starts_at = timezone.now() + timedelta(minutes=90)

    assert (
        services.reminders_schedule(
            kind=Kind.BOOKING_REMINDER, about=item, starts_at=starts_at, recipient=member
        )
        == []
    )


def test_cancelling_an_item_drops_its_pending_reminder(member, item):
    starts_at = timezone.now() + timedelta(days=3)
    services.reminders_schedule(
        kind=Kind.BOOKING_REMINDER, about=item, starts_at=starts_at, recipient=member
    )

    with transaction.atomic():
        dropped = services.notifications_cancel_for(about=item)

    assert dropped == 1
    assert Notification.objects.get().status == Status.CANCELLED
    assert services.notifications_due_sweep(now=starts_at - timedelta(hours=1)) == []


def test_cancelling_one_kind_keeps_the_other_notifications(member, item):
    services.notification_enqueue(
        kind=Kind.BOOKING_REMINDER,
        recipient=member,
        about=item,
        due_at=timezone.now() + timedelta(days=1),
    )
    services.notification_enqueue(
        kind=Kind.MESSAGE, recipient=member, about=item, due_at=timezone.now() + timedelta(days=1)
    )

    services.notifications_cancel_for(about=item, kinds=[Kind.BOOKING_REMINDER])

    assert Notification.objects.get(kind=Kind.MESSAGE).status == Status.PENDING


def test_moving_an_item_moves_its_pending_reminder(member, item):
    first_start = timezone.now() + timedelta(days=3)
    new_start = first_start + timedelta(days=2)
    services.reminders_schedule(
        kind=Kind.BOOKING_REMINDER, about=item, starts_at=first_start, recipient=member
    )

    services.reminders_reschedule(
        kind=Kind.BOOKING_REMINDER, about=item, starts_at=new_start, recipient=member
    )

    pending = Notification.objects.get(status=Status.PENDING)
    assert pending.due_at == new_start - timedelta(hours=24)
    assert pending.not_after == new_start
    assert services.notifications_due_sweep(now=first_start - timedelta(hours=23)) == []


def test_moving_an_item_back_to_its_first_time_brings_its_reminder_back(member, item):
    first_start = timezone.now() + timedelta(days=3)
    for starts_at in (first_start, first_start + timedelta(days=1), first_start):
        services.reminders_reschedule(
            kind=Kind.BOOKING_REMINDER, about=item, starts_at=starts_at, recipient=member
        )

    pending = Notification.objects.get(status=Status.PENDING)
    assert pending.not_after == first_start


def test_rescheduling_a_single_notification_changes_when_it_is_due(member, item):
    notification = services.notification_enqueue(
        kind=Kind.MESSAGE,
        recipient=member,
        about=item,
        due_at=timezone.now() + timedelta(days=1),
    )
    later = timezone.now() + timedelta(days=5)

    assert services.notifications_reschedule(about=item, kind=Kind.MESSAGE, due_at=later) == 1

    notification.refresh_from_db()
    assert notification.due_at == later
