"""What members hear about their bookings."""

from datetime import timedelta

import pytest

from booking.services import booking_cancel, booking_create
from notifications.models import Notification
from tests.factories import MemberFactory, SpaceFactory

from .conftest import at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def test_a_booking_schedules_a_reminder_the_day_before(member):
    booking = booking_create(
        member=member, space=SpaceFactory(), start=at(3, "10:00"), end=at(3, "11:00")
    )
    reminder = Notification.objects.get(kind="booking_reminder")
    assert reminder.recipient == member
    assert reminder.due_at == booking.start - timedelta(hours=24)
    assert reminder.not_after == booking.start


def test_a_same_day_booking_gets_a_two_hour_reminder(member):
    booking = booking_create(
        member=member, space=SpaceFactory(), start=at(0, "14:00"), end=at(0, "15:00")
    )
    assert Notification.objects.get(kind="booking_reminder").due_at == booking.start - timedelta(
        hours=2
    )


def test_cancelling_drops_the_reminder_and_a_second_click_adds_none(member):
    room = SpaceFactory()
    booking = booking_create(member=member, space=room, start=at(3, "10:00"), end=at(3, "11:00"))
    booking_create(member=member, space=room, start=at(3, "10:00"), end=at(3, "11:00"))
    assert Notification.objects.filter(kind="booking_reminder").count() == 1
    booking_cancel(member=member, booking=booking)
    assert Notification.objects.get(kind="booking_reminder").status == "cancelled"


def test_a_member_is_told_when_an_animator_cancels_their_booking(
    member, animator, deliver_outbox, mailoutbox
):
    booking = booking_create(
        member=member,
        space=SpaceFactory(name="Salle Gascogne"),
        start=at(3, "10:00"),
        end=at(3, "11:00"),
    )
    booking_cancel(member=animator, booking=booking)
    deliver_outbox()
    (message,) = mailoutbox
    assert member.email in message.to[0]
    assert "Salle Gascogne" in message.body and "annulée" in message.body


def test_a_member_cancelling_their_own_booking_gets_no_email(member, deliver_outbox, mailoutbox):
    booking = booking_create(
        member=member, space=SpaceFactory(), start=at(3, "10:00"), end=at(3, "11:00")
    )
    booking_cancel(member=member, booking=booking)
    deliver_outbox()
    assert mailoutbox == []


def test_another_member_never_receives_my_reminder(member):
    booking_create(member=member, space=SpaceFactory(), start=at(3, "10:00"), end=at(3, "11:00"))
    other = MemberFactory()
    assert not Notification.objects.filter(recipient=other).exists()
