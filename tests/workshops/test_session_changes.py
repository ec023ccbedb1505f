"""A session moved, stretched or put in another room tells the people who hold a seat
or a waitlist place, each once, with the new invitation."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from members.services import animator_make
from notifications.models import Notification
from tests.calendars import event_of, invitation
from tests.factories import MemberFactory, SpaceFactory, WorkshopFactory
from workshops.models import Session
from workshops.services import registration_confirm, registration_create, session_save

pytestmark = pytest.mark.django_db

PARIS = timezone.get_default_timezone()
# A Monday morning; the session is on the Tuesday after next.
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)
START = datetime(2026, 12, 8, 9, 30, tzinfo=PARIS)
PEOPLE = ("anne@example.org", "visiteur@example.org", "attente@example.org")


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def animator():
    return animator_make(email=MemberFactory().email)


@pytest.fixture
def session(animator, deliver_outbox, mailoutbox):
    """Two seats in Salle Armagnac: a member and a visitor registered, one member
    waiting, and a visitor who has not confirmed yet. Their first e-mails are sent."""
    session = Session(
        workshop=WorkshopFactory(title="Codéveloppement", audience="public"),
        start=START,
        end=START + timedelta(hours=2),
        room=SpaceFactory(name="Salle Armagnac", capacity=12),
        capacity=2,
    )
    session_save(session=session, by=animator)
    registration_create(session=session, member=MemberFactory(email=PEOPLE[0]))
    visitor = registration_create(session=session, name="Jean Visiteur", email=PEOPLE[1])
    registration_confirm(token=visitor.confirmation_token)
    waiting = registration_create(session=session, member=MemberFactory(email=PEOPLE[2]))
    assert waiting.status == "waitlisted"
    registration_create(session=session, name="Pas Confirmé", email="pas-confirme@example.org")
    deliver_outbox()
    mailoutbox.clear()
    return session


def _change(session, animator, **fields):
    for name, value in fields.items():
        setattr(session, name, value)
    session_save(session=session, by=animator)


def _told(mailoutbox):
    """Who got a "session changed" e-mail, one entry per e-mail, by address."""
    return sorted(
        m.to[0].split("<")[1].rstrip(">") for m in mailoutbox if "Séance modifiée" in m.subject
    )


def test_moving_a_session_by_a_week_tells_each_registrant_and_waitlisted_person_once(
    session, animator, deliver_outbox, mailoutbox
):
    _change(session, animator, start=START + timedelta(days=7), end=session.end + timedelta(days=7))
    deliver_outbox()

    assert _told(mailoutbox) == sorted(PEOPLE)
    message = next(m for m in mailoutbox if PEOPLE[0] in m.to[0])
    assert "15 décembre 2026" in message.subject
    assert "8 décembre 2026" in message.body  # the date they had in mind
    part, calendar = invitation(message)
    assert part.get_filename() == "invitation.ics"
    assert calendar["METHOD"] == "PUBLISH"
    assert event_of(calendar).decoded("DTSTART").date() == date(2026, 12, 15)


def test_the_waitlisted_person_learns_they_are_still_waiting(
    session, animator, deliver_outbox, mailoutbox
):
    _change(session, animator, start=START + timedelta(days=7), end=session.end + timedelta(days=7))
    deliver_outbox()

    waiting = next(m for m in mailoutbox if PEOPLE[2] in m.to[0])
    seated = next(m for m in mailoutbox if PEOPLE[0] in m.to[0])
    assert "liste d'attente" in waiting.body
    assert "liste d'attente" not in seated.body


def test_changing_only_the_end_tells_them(session, animator, deliver_outbox, mailoutbox):
    _change(session, animator, end=session.end + timedelta(hours=1))
    deliver_outbox()

    assert _told(mailoutbox) == sorted(PEOPLE)
    assert "12:30" in mailoutbox[0].body


def test_changing_only_the_room_tells_them_where_to_go(
    session, animator, deliver_outbox, mailoutbox
):
    _change(session, animator, room=SpaceFactory(name="Salle Gascogne", capacity=12))
    deliver_outbox()

    assert _told(mailoutbox) == sorted(PEOPLE)
    assert "Salle Gascogne" in mailoutbox[0].body
    assert "Salle Armagnac" in mailoutbox[0].body  # instead of


def test_a_session_moved_to_an_hour_from_now_still_tells_them(
    session, animator, deliver_outbox, mailoutbox
):
    soon = NOW + timedelta(hours=1)
    _change(session, animator, start=soon, end=soon + timedelta(hours=2))
    deliver_outbox()

    assert _told(mailoutbox) == sorted(PEOPLE)
    # No reminder is left to come for so soon: the message is their reminder.
    assert not Notification.objects.filter(kind="registration_reminder", status="pending").exists()


def test_saving_a_session_without_a_change_tells_nobody(
    session, animator, deliver_outbox, mailoutbox
):
    session_save(session=Session.objects.get(pk=session.pk), by=animator)
    deliver_outbox()

    assert mailoutbox == []
