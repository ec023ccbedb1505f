import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories import MemberFactory, SessionFactory, WorkshopFactory
from workshops.models import Registration
from workshops.selectors import waitlist_position
from workshops.services import (
    RegistrationRefused,
    attendance_record,
    registration_cancel,
    registration_confirm,
    registration_create,
    session_seats_changed,
)

pytestmark = pytest.mark.django_db


def _fill(session, n):
    return [registration_create(session=session, member=MemberFactory()) for _ in range(n)]


def test_a_member_takes_a_seat_while_seats_are_left():
    session = SessionFactory(capacity=2)
    registration = registration_create(session=session, member=MemberFactory())
    assert registration.status == Registration.Status.REGISTERED


def test_when_full_members_join_the_waitlist_and_see_their_position():
    session = SessionFactory(capacity=2)
    _fill(session, 2)
    first = registration_create(session=session, member=MemberFactory())
    second = registration_create(session=session, member=MemberFactory())
    assert (first.status, second.status) == ("waitlisted", "waitlisted")
    assert (waitlist_position(first), waitlist_position(second)) == (1, 2)


def test_a_reduced_jauge_counts_before_the_capacity():
    session = SessionFactory(capacity=12, jauge=3)
    _fill(session, 3)
    assert registration_create(session=session, member=MemberFactory()).status == "waitlisted"


def test_a_cancellation_promotes_the_first_on_the_waitlist_at_once():
    session = SessionFactory(capacity=1)
    (seated,) = _fill(session, 1)
    first = registration_create(session=session, member=MemberFactory())
    second = registration_create(session=session, member=MemberFactory())
    promoted = registration_cancel(registration=seated)
    assert [r.pk for r in promoted] == [first.pk]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "registered"
    assert waitlist_position(second) == 1


def test_leaving_the_waitlist_promotes_nobody():
    session = SessionFactory(capacity=1)
    _fill(session, 1)
    waiting = registration_create(session=session, member=MemberFactory())
    assert registration_cancel(registration=waiting) == []


def test_registering_twice_is_refused():
    session = SessionFactory()
    member = MemberFactory()
    registration_create(session=session, member=member)
    with pytest.raises(RegistrationRefused) as refused:
        registration_create(session=session, member=member)
    assert refused.value.code == "already_registered"
    assert session.registrations.count() == 1


def test_a_member_may_register_again_after_cancelling():
    session = SessionFactory()
    member = MemberFactory()
    registration_cancel(registration=registration_create(session=session, member=member))
    assert registration_create(session=session, member=member).status == "registered"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"registration_closes_at": timezone.now() - timedelta(hours=1)}, "closed"),
        ({"registration_opens_at": timezone.now() + timedelta(days=1)}, "not_open_yet"),
        ({"is_cancelled": True}, "cancelled"),
    ],
)
def test_registration_outside_its_window_is_refused(changes, code):
    session = SessionFactory(**changes)
    with pytest.raises(RegistrationRefused) as refused:
        registration_create(session=session, member=MemberFactory())
    assert refused.value.code == code
    assert not session.registrations.exists()


def test_registering_for_a_past_session_is_refused():
    start = timezone.now() - timedelta(days=2)
    session = SessionFactory(start=start, end=start + timedelta(hours=2))
    with pytest.raises(RegistrationRefused) as refused:
        registration_create(session=session, member=MemberFactory())
    assert refused.value.code == "past"


def test_a_members_only_workshop_refuses_visitors():
    session = SessionFactory(workshop=WorkshopFactory(audience="members"))
    with pytest.raises(RegistrationRefused) as refused:
        registration_create(session=session, name="Visiteur", email="v@example.org")
    assert refused.value.code == "members_only"


def test_a_visitor_takes_a_seat_only_once_the_email_link_is_followed():
    session = SessionFactory(workshop=WorkshopFactory(audience="public"), capacity=1)
    visitor = registration_create(session=session, name="Jean Visiteur", email="jean@example.org")
    assert visitor.status == "unconfirmed"
    # An unconfirmed request holds no seat.
    assert registration_create(session=session, member=MemberFactory()).status == "registered"
    confirmed = registration_confirm(token=visitor.confirmation_token)
    assert confirmed.status == "waitlisted"
    assert registration_confirm(token=visitor.confirmation_token).status == "waitlisted"


def test_an_unknown_confirmation_link_is_refused():
    with pytest.raises(RegistrationRefused) as refused:
        registration_confirm(token="nope")
    assert refused.value.code == "not_found"


def test_lowering_the_capacity_removes_nobody_and_reports_the_overflow():
    session = SessionFactory(capacity=5)
    _fill(session, 5)
    session.capacity = 3
    session.save()
    promoted, overflow = session_seats_changed(session=session)
    assert (promoted, overflow) == ([], 2)
    assert session.registrations.filter(status="registered").count() == 5


def test_raising_the_capacity_promotes_from_the_waitlist():
    session = SessionFactory(capacity=1)
    _fill(session, 3)
    session.capacity = 2
    session.save()
    promoted, overflow = session_seats_changed(session=session)
    assert len(promoted) == 1 and overflow == 0


def test_the_roll_call_records_who_came():
    session = SessionFactory(capacity=3)
    a, b, c = _fill(session, 3)
    changed = attendance_record(
        session=session, marks={a.pk: "present", b.pk: "absent", c.pk: "excused"}
    )
    assert changed == 3
    assert sorted(session.registrations.values_list("attendance", flat=True)) == [
        "absent",
        "excused",
        "present",
    ]


def test_the_roll_call_ignores_other_sessions_registrations():
    session, other = SessionFactory(), SessionFactory()
    (stranger,) = _fill(other, 1)
    assert attendance_record(session=session, marks={stranger.pk: "present"}) == 0
    stranger.refresh_from_db()
    assert stranger.attendance == ""


def test_the_roll_call_refuses_an_unknown_mark():
    session = SessionFactory()
    (registration,) = _fill(session, 1)
    with pytest.raises(ValueError):
        attendance_record(session=session, marks={registration.pk: "asleep"})


def test_a_promoted_member_is_told_by_email(deliver_outbox, mailoutbox):
    session = SessionFactory(capacity=1, workshop=WorkshopFactory(title="Codéveloppement"))
    (seated,) = _fill(session, 1)
    waiting_member = MemberFactory(email="attente@example.org")
    registration_create(session=session, member=waiting_member)
    deliver_outbox()
    mailoutbox.clear()
    registration_cancel(registration=seated)
    deliver_outbox()
    (message,) = mailoutbox
    assert message.to[0].endswith("<attente@example.org>")
    assert "Une place s'est libérée" in message.body


def test_a_registration_schedules_its_reminder_and_a_cancellation_drops_it():
    from notifications.models import Notification

    session = SessionFactory()
    registration = registration_create(session=session, member=MemberFactory())
    reminder = Notification.objects.get(kind="registration_reminder")
    assert reminder.due_at == session.start - timedelta(hours=24)
    registration_cancel(registration=registration)
    reminder.refresh_from_db()
    assert reminder.status == "cancelled"


def test_the_monthly_programme_goes_once_to_subscribers_only(deliver_outbox, mailoutbox):
    from notifications.models import Preference
    from workshops.services import programme_send

    session = SessionFactory(workshop=WorkshopFactory(title="Gestion du temps et des priorités"))
    subscriber = MemberFactory(email="abonnee@example.org")
    Preference.objects.create(user=subscriber, programme_digest=True)
    MemberFactory(email="pas-abonne@example.org")
    local = timezone.localtime(session.start)

    assert programme_send(year=local.year, month=local.month) == 1
    programme_send(year=local.year, month=local.month)  # a second click
    deliver_outbox()

    (message,) = mailoutbox
    assert "abonnee@example.org" in message.to[0]
    assert "Gestion du temps et des priorités" in message.body
    assert "List-Unsubscribe" in message.extra_headers


def test_once_the_session_has_started_nobody_cancels_or_gets_promoted():
    session = SessionFactory(capacity=1)
    (seated,) = _fill(session, 1)
    waiting = registration_create(session=session, member=MemberFactory())
    started = session.start + timedelta(minutes=30)
    with time_machine.travel(started), pytest.raises(RegistrationRefused) as refused:
        registration_cancel(registration=seated)
    assert refused.value.code == "past"
    waiting.refresh_from_db()
    assert waiting.status == "waitlisted"


def test_a_visitor_cancels_from_the_link_in_their_emails(client, deliver_outbox, mailoutbox):
    session = SessionFactory(capacity=1, workshop=WorkshopFactory(audience="public"))
    visitor = registration_create(session=session, name="Jean Visiteur", email="jean@example.org")
    registration_confirm(token=visitor.confirmation_token)
    waiting = registration_create(session=session, member=MemberFactory())
    deliver_outbox()
    confirmation = next(
        m for m in mailoutbox if "jean@example.org" in m.to[0] and "confirmée" in m.subject
    )
    link = re.search(r"(/ateliers/annuler/[-\w]+/)", confirmation.body)[1]
    assert client.get(link).status_code == 200  # a page with a button; nothing changed yet
    client.post(link)
    visitor.refresh_from_db()
    waiting.refresh_from_db()
    assert visitor.status == "cancelled"
    assert waiting.status == "registered"
