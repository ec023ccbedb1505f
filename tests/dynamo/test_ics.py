"""Calendars a calendar app can read: the private feed and every e-mailed invitation are
parsed back with ``icalendar``, and each text goes in and comes out the same — commas,
semicolons, backslashes, accents, emoji, long lines and control characters included."""

import re

import pytest
from icalendar import Calendar

from booking.services import booking_create, reservation_cancel, reservation_create
from core.ics import Event, calendar
from fablab.services import machine_reservation_create, maintenance_schedule
from members.models import CalendarFeed
from notifications.models import Notification
from tests.calendars import event_of, invitation
from tests.factories import (
    MachineFactory,
    MemberFactory,
    QualificationFactory,
    SiteFactory,
    SpaceFactory,
    WorkshopFactory,
)
from tests.rooms.conftest import animator, at, clock  # noqa: F401  (fixtures)
from workshops.models import Session
from workshops.services import registration_cancel, registration_create, session_save

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

SITE = "Tiers-lieu « Dynamo », Auch; Gers"
ADDRESS = "12, rue de la République; 32000 Auch \\ bâtiment B ☕"
ROOM = "Salle Armagnac, 1er; étage \\ nord 🎉"
PURPOSE = "a\rb"  # a lone carriage return, as pasted from an old file
TITLE = "Atelier « Canva », débutant·es; niveau 1 \\ 2 🎨"
# Long enough to be folded many times, with multi-byte characters on the fold.
DESCRIPTION = "Découvrir la mise en page, les couleurs et les polices ; " * 12 + "fin ✅"
MEMBER_FIRST, MEMBER_LAST = 'Zoé "Zizou", la', "d\\Artagnan; 🚀"


@pytest.fixture
def site():
    return SiteFactory(name=SITE, slug="dynamo-auch", address=ADDRESS)


@pytest.fixture
def room(site):
    return SpaceFactory(name=ROOM, site=site, capacity=12)


@pytest.fixture
def member():
    return MemberFactory(first_name=MEMBER_FIRST, last_name=MEMBER_LAST)


def _assert_valid_lines(raw: bytes) -> None:
    """What RFC 5545 asks of the bytes: CRLF line ends, no line over 75 octets, no
    control character but the line ends (tab is allowed in text)."""
    assert raw.endswith(b"\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines)
    assert not any(re.search(rb"[\x00-\x08\x0a-\x1f\x7f]", line) for line in lines)


def _feed(client, member) -> bytes:
    client.force_login(member)
    client.post("/compte/agenda/nouveau/")
    client.logout()  # calendar apps have no session
    response = client.get(f"/agenda/{CalendarFeed.objects.get(member=member).token}.ics")
    assert response.status_code == 200
    return response.content


def _events_by_uid(raw: bytes) -> dict:
    return {str(e["UID"]): e for e in Calendar.from_ical(raw).walk("VEVENT")}


def _scheduled_session(animator, room, *, day=1, **workshop):  # noqa: F811
    session = Session(
        workshop=WorkshopFactory(**workshop),
        start=at(day, "09:30"),
        end=at(day, "12:00"),
        room=room,
        capacity=1,
    )
    session_save(session=session, by=animator)
    return session


# --- The private feed ------------------------------------------------------------------


def test_the_private_feed_reads_back_every_text_as_it_was_typed(client, member, room, animator):  # noqa: F811
    booking = booking_create(
        member=member, space=room, start=at(1, "10:00"), end=at(1, "11:00"), purpose=PURPOSE
    )
    session = _scheduled_session(animator, room, day=2, title=TITLE, description=DESCRIPTION)
    registration = registration_create(session=session, member=member)

    raw = _feed(client, member)

    _assert_valid_lines(raw)
    calendar = Calendar.from_ical(raw)
    assert str(calendar["X-WR-CALNAME"]) == f"La Dynamo — {MEMBER_FIRST} {MEMBER_LAST}"
    assert "METHOD" not in calendar  # a feed is not a message
    events = _events_by_uid(raw)
    slot = events[f"reservation-{booking.pk}@ladynamo"]
    assert str(slot["SUMMARY"]) == f"{ROOM} — {SITE}"
    assert str(slot["DESCRIPTION"]) == "a\nb"  # the lone CR is the line break it meant
    assert str(slot["LOCATION"]) == f"{ROOM}, {SITE}, {ADDRESS}"
    assert slot.decoded("DTSTART") == at(1, "10:00")
    workshop = events[f"registration-{registration.pk}@ladynamo"]
    assert str(workshop["SUMMARY"]) == TITLE
    assert str(workshop["DESCRIPTION"]) == DESCRIPTION
    assert str(workshop["LOCATION"]) == f"{ROOM}, {SITE}"
    assert workshop.decoded("DTEND") == at(2, "12:00")


def test_control_characters_in_any_text_leave_the_feed_valid(client, member, site):
    # (A NUL cannot reach the database, PostgreSQL refuses it: see the next test.)
    room = SpaceFactory(name="Salle\x01 Armagnac\x1b[31m", site=site)
    booking_create(
        member=member,
        space=room,
        start=at(1, "10:00"),
        end=at(1, "11:00"),
        purpose="ligne 1\r\nligne 2\rligne 3\x07\x0b\x0c\x7f\tfin",
    )

    raw = _feed(client, member)

    _assert_valid_lines(raw)
    event = event_of(Calendar.from_ical(raw))
    assert str(event["DESCRIPTION"]) == "ligne 1\nligne 2\nligne 3\tfin"
    assert str(event["SUMMARY"]) == f"Salle Armagnac[31m — {SITE}"


def test_a_nul_or_escape_character_never_reaches_a_calendar_line():
    event = Event(
        uid="reservation-1@ladynamo",
        start=at(1, "10:00"),
        end=at(1, "11:00"),
        summary="\x00Salle\x1b Armagnac",
        description="a\rb\x00",
        location="Auch\x1f, Gers",
    )

    raw = calendar([event], name="Zoé\x00 Martin")

    _assert_valid_lines(raw)
    parsed = Calendar.from_ical(raw)
    assert str(parsed["X-WR-CALNAME"]) == "Zoé Martin"
    read = event_of(parsed)
    assert (str(read["SUMMARY"]), str(read["DESCRIPTION"]), str(read["LOCATION"])) == (
        "Salle Armagnac",
        "a\nb",
        "Auch, Gers",
    )


def test_times_are_written_in_utc_whatever_the_season(client, member, room):
    booking_create(member=member, space=room, start=at(1, "10:00"), end=at(1, "11:00"))

    raw = _feed(client, member)

    # 10:00 in Auch in March (UTC+1) is 09:00 UTC; no local time needs a VTIMEZONE.
    assert b"DTSTART:20260303T090000Z\r\n" in raw
    assert b"VTIMEZONE" not in raw and b"TZID" not in raw


def test_a_cancelled_booking_is_withdrawn_from_the_members_calendar(client, member, room):
    kept = booking_create(member=member, space=room, start=at(1, "10:00"), end=at(1, "11:00"))
    gone = booking_create(member=member, space=room, start=at(1, "14:00"), end=at(1, "15:00"))
    reservation_cancel(reservation=gone, by=member)

    assert set(_events_by_uid(_feed(client, member))) == {f"reservation-{kept.pk}@ladynamo"}


def test_a_cancelled_session_is_withdrawn_from_the_members_calendar(
    client,
    member,
    room,
    animator,  # noqa: F811
):
    session = _scheduled_session(animator, room)
    registration_create(session=session, member=member)
    session.is_cancelled = True
    session_save(session=session, by=animator)

    assert _events_by_uid(_feed(client, member)) == {}


# --- Every e-mailed invitation ---------------------------------------------------------


def _header_params(part) -> list[tuple[str, str]]:
    return [(key.lower(), value) for key, value in part.get_params()[1:]]


def _sent_invitations(mailoutbox, deliver_outbox, *, to) -> dict:
    """Deliver what is due; {notification kind: (MIME part, VEVENT, METHOD line)} of
    what reached ``to``, each kind once."""
    deliver_outbox()
    found = {}
    for message in mailoutbox:
        if to.email not in message.to[0]:
            continue
        part, calendar = invitation(message)
        _assert_valid_lines(part.get_payload(decode=True))
        kind = Notification.objects.get(pk=message.extra_headers["X-Dynamo-Notification"]).kind
        assert kind not in found
        found[kind] = (part, event_of(calendar), str(calendar["METHOD"]))
    mailoutbox.clear()
    return found


def _check(part, method_line, expected_method):
    """One charset, and the method of the header is the body's METHOD line."""
    params = _header_params(part)
    assert part.get_content_type() == "text/calendar"
    assert [key for key, _ in params].count("charset") == 1
    assert dict(params) == {"charset": "utf-8", "method": expected_method}
    assert method_line == expected_method
    assert part.get_filename() == "invitation.ics"


def test_every_invitation_names_one_charset_and_the_method_of_its_body(
    client,
    member,
    room,
    animator,  # noqa: F811
    clock,  # noqa: F811
    mailoutbox,
    deliver_outbox,
):
    """Each kind of e-mail that carries an invitation, in the order a member meets them:
    all read back with the same texts, PUBLISH while on, CANCEL once withdrawn."""
    # An animator books for the member (booking_confirmed); the member books a machine
    # slot, takes a seat in a session and waits for a seat in another.
    booking = reservation_create(
        resource=room,
        member=member,
        start=at(1, "10:00"),
        end=at(1, "11:00"),
        purpose=PURPOSE,
        by=animator,
    )
    machine = MachineFactory(name=ROOM, site=room.site)
    QualificationFactory(member=member, machine=machine)
    slot = machine_reservation_create(
        member=member, machine=machine, start=at(1, "14:00"), end=at(1, "15:00")
    )
    session = _scheduled_session(animator, room, day=2, title=TITLE, description=DESCRIPTION)
    registration_create(session=session, member=member)
    waiting = _scheduled_session(animator, None, day=3, title=TITLE)
    ahead = registration_create(session=waiting, member=MemberFactory())
    registration_create(session=waiting, member=member)

    sent = _sent_invitations(mailoutbox, deliver_outbox, to=member)
    assert set(sent) == {"booking_confirmed", "registration_confirm"}
    part, event, method = sent["booking_confirmed"]
    _check(part, method, "PUBLISH")
    assert str(event["DESCRIPTION"]) == "a\nb"
    assert str(event["LOCATION"]) == f"{ROOM}, {SITE}, {ADDRESS}"
    assert "ATTENDEE" not in event  # a PUBLISH names no attendee (RFC 5546)
    part, event, method = sent["registration_confirm"]
    _check(part, method, "PUBLISH")
    assert (str(event["SUMMARY"]), str(event["DESCRIPTION"])) == (TITLE, DESCRIPTION)

    # Monday 10:00: the booking's reminder; Tuesday 9:45: the slot's and the session's.
    clock.move_to(at(0, "10:00"))
    sent = _sent_invitations(mailoutbox, deliver_outbox, to=member)
    assert set(sent) == {"booking_reminder"}
    clock.move_to(at(1, "09:45"))
    sent = _sent_invitations(mailoutbox, deliver_outbox, to=member)
    assert set(sent) == {"booking_reminder", "registration_reminder"}
    assert str(sent["booking_reminder"][1]["UID"]) == f"reservation-{slot.pk}@ladynamo"
    for part, _event, method in sent.values():
        _check(part, method, "PUBLISH")

    # The seat ahead frees up; then an animator cancels the booking, maintenance takes
    # the machine slot, and the session is cancelled.
    registration_cancel(registration=ahead)
    reservation_cancel(reservation=booking, by=animator)
    maintenance_schedule(
        machine=machine, start=at(1, "13:30"), end=at(1, "16:00"), reason="Tube", by=animator
    )
    session.is_cancelled = True
    session_save(session=session, by=animator)

    sent = _sent_invitations(mailoutbox, deliver_outbox, to=member)
    assert set(sent) == {
        "waitlist_promoted",
        "booking_cancelled",
        "maintenance_conflict",
        "session_cancelled",
    }
    part, _event, method = sent["waitlist_promoted"]
    _check(part, method, "PUBLISH")
    for kind in ("booking_cancelled", "maintenance_conflict", "session_cancelled"):
        part, event, method = sent[kind]
        _check(part, method, "CANCEL")
        assert str(event["STATUS"]) == "CANCELLED"
        assert event["ATTENDEE"].params["CN"] == f"{MEMBER_FIRST} {MEMBER_LAST}"
        assert str(event["ATTENDEE"]) == f"mailto:{member.email}"
    assert str(sent["maintenance_conflict"][1]["UID"]) == f"reservation-{slot.pk}@ladynamo"
    assert str(sent["session_cancelled"][1]["SUMMARY"]) == TITLE
