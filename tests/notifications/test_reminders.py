from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command

from notifications import services
from notifications.models import Notification, Preference

from .conftest import paris

Kind = Notification.Kind
Status = Notification.Status
pytestmark = pytest.mark.django_db

STARTS_AT = paris(2026, 12, 10, 14, 0)


@pytest.fixture
def reminder(member, item):
    with time_machine.travel(STARTS_AT - timedelta(days=5), tick=False):
        [reminder] = services.reminders_schedule(
            kind=Kind.BOOKING_REMINDER,
            about=item,
            starts_at=STARTS_AT,
            recipient=member,
            context={"title": "Salle Armagnac"},
        )
    return reminder


def _sweep_at(moment):
    with time_machine.travel(moment, tick=False):
        call_command("send_reminders")


def test_a_reminder_is_not_sent_before_it_is_due(reminder, mailoutbox):
    _sweep_at(STARTS_AT - timedelta(hours=25))

    assert mailoutbox == []


def test_a_reminder_is_sent_once_due(reminder, mailoutbox):
    _sweep_at(STARTS_AT - timedelta(hours=24))
    _sweep_at(STARTS_AT - timedelta(hours=23))

    assert len(mailoutbox) == 1


def test_a_late_sweep_still_sends_the_reminder_before_the_start(reminder, mailoutbox):
    # Redis or the worker were down all night: the sweep runs 23 hours late.
    _sweep_at(STARTS_AT - timedelta(minutes=30))

    reminder.refresh_from_db()
    assert reminder.status == Status.SENT
    assert len(mailoutbox) == 1


def test_a_sweep_after_the_start_never_sends_the_reminder(reminder, mailoutbox):
    _sweep_at(STARTS_AT + timedelta(minutes=1))

    reminder.refresh_from_db()
    assert reminder.status == Status.EXPIRED
    assert mailoutbox == []


def test_a_reminder_queued_before_the_start_but_delivered_after_is_not_sent(reminder, mailoutbox):
    with time_machine.travel(STARTS_AT - timedelta(minutes=1), tick=False):
        [notification_id] = services.notifications_due_sweep()
    with time_machine.travel(STARTS_AT + timedelta(minutes=1), tick=False):
        outcome = services.notification_deliver(notification_id=notification_id)

    assert outcome == "expired"
    assert mailoutbox == []


def test_a_member_who_turned_reminders_off_gets_none(reminder, member, mailoutbox):
    Preference.objects.create(user=member, reminder_24h=False)

    _sweep_at(STARTS_AT - timedelta(hours=20))

    reminder.refresh_from_db()
    assert reminder.status == Status.CANCELLED
    assert mailoutbox == []


def test_a_member_who_turned_2h_reminders_off_still_gets_the_24h_one(reminder, member, mailoutbox):
    Preference.objects.create(user=member, reminder_2h=False)

    _sweep_at(STARTS_AT - timedelta(hours=20))

    assert len(mailoutbox) == 1


def test_send_reminders_reports_what_it_did(reminder, capsys):
    _sweep_at(STARTS_AT - timedelta(hours=3))

    assert "1 due. sent: 1" in capsys.readouterr().out
