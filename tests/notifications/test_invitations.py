"""An event a member imported from an e-mail follows what happens to it: a later e-mail
about the same thing carries the same UID and a higher SEQUENCE, a PUBLISH for a new
time and a CANCEL once it is off, so the calendar app updates or withdraws it."""

import pytest

from booking.services import reservation_cancel, reservation_create
from fablab.services import machine_reservation_create, maintenance_schedule
from tests.calendars import event_of, has_invitation, invitation
from tests.factories import (
    MachineFactory,
    MemberFactory,
    QualificationFactory,
    SpaceFactory,
    WorkshopFactory,
)
from tests.rooms.conftest import animator, at, clock, member  # noqa: F401  (fixtures)
from workshops.models import Session
from workshops.services import registration_create, session_save

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def _received(mailoutbox, deliver_outbox):
    """Deliver what is due; the (METHOD, VEVENT) of each e-mail sent, then forget them."""
    deliver_outbox()
    received = []
    for message in mailoutbox:
        part, calendar = invitation(message)
        assert part.get_param("method") == str(calendar["METHOD"])
        received.append((str(calendar["METHOD"]), event_of(calendar)))
    mailoutbox.clear()
    return received


def _session(animator, *, capacity=10):  # noqa: F811
    session = Session(
        workshop=WorkshopFactory(title="Codéveloppement"),
        start=at(2, "09:30"),
        end=at(2, "12:00"),
        room=SpaceFactory(capacity=12),
        capacity=capacity,
    )
    session_save(session=session, by=animator)
    return session


def test_a_booking_cancelled_by_an_animator_is_withdrawn_from_the_members_calendar(
    member,  # noqa: F811
    animator,  # noqa: F811
    mailoutbox,
    deliver_outbox,
):
    booking = reservation_create(
        resource=SpaceFactory(),
        member=member,
        start=at(1, "10:00"),
        end=at(1, "11:00"),
        by=animator,
    )
    [(method, made)] = _received(mailoutbox, deliver_outbox)
    assert method == "PUBLISH"

    reservation_cancel(reservation=booking, by=animator)

    [(method, withdrawn)] = _received(mailoutbox, deliver_outbox)
    assert method == "CANCEL"
    assert withdrawn["UID"] == made["UID"] == f"reservation-{booking.pk}@ladynamo"
    assert withdrawn["SEQUENCE"] > made["SEQUENCE"]
    assert str(withdrawn["STATUS"]) == "CANCELLED"


def test_a_fablab_slot_taken_by_maintenance_is_withdrawn_from_the_members_calendar(
    member,  # noqa: F811
    animator,  # noqa: F811
    clock,  # noqa: F811
    mailoutbox,
    deliver_outbox,
):
    laser = MachineFactory()
    QualificationFactory(member=member, machine=laser)
    slot = machine_reservation_create(
        member=member, machine=laser, start=at(1, "14:00"), end=at(1, "15:00")
    )
    clock.move_to(at(0, "14:30"))  # its reminder, the day before
    [(method, reminded)] = _received(mailoutbox, deliver_outbox)
    assert method == "PUBLISH"

    maintenance_schedule(
        machine=laser, start=at(1, "14:30"), end=at(1, "16:00"), reason="Buse", by=animator
    )

    [(method, withdrawn)] = _received(mailoutbox, deliver_outbox)
    assert method == "CANCEL"
    assert withdrawn["UID"] == reminded["UID"] == f"reservation-{slot.pk}@ladynamo"
    assert withdrawn["SEQUENCE"] > reminded["SEQUENCE"]


def test_a_moved_session_reaches_the_calendar_as_a_newer_version_of_the_same_event(
    member,  # noqa: F811
    animator,  # noqa: F811
    clock,  # noqa: F811
    mailoutbox,
    deliver_outbox,
):
    session = _session(animator)
    registration_create(session=session, member=member)
    [(method, confirmed)] = _received(mailoutbox, deliver_outbox)
    assert method == "PUBLISH"

    session.start, session.end = at(3, "14:00"), at(3, "16:00")
    session_save(session=session, by=animator)

    # The message saying the session moved, sent at once.
    [(method, moved)] = _received(mailoutbox, deliver_outbox)
    assert method == "PUBLISH"
    assert moved["UID"] == confirmed["UID"]
    assert moved["SEQUENCE"] > confirmed["SEQUENCE"]
    assert moved.decoded("DTSTART") == at(3, "14:00")

    session.is_cancelled = True
    session_save(session=session, by=animator)

    [(method, cancelled)] = _received(mailoutbox, deliver_outbox)
    assert method == "CANCEL"
    assert cancelled["UID"] == confirmed["UID"]
    assert cancelled["SEQUENCE"] > moved["SEQUENCE"]


def test_a_change_of_seats_alone_is_not_a_new_version_of_the_event(animator):  # noqa: F811
    session = _session(animator)
    session.capacity = 5
    session_save(session=session, by=animator)
    assert Session.objects.get(pk=session.pk).sequence == 0


def test_someone_still_waiting_for_a_seat_gets_no_event_to_withdraw(
    member,  # noqa: F811
    animator,  # noqa: F811
    mailoutbox,
    deliver_outbox,
):
    session = _session(animator, capacity=1)
    registration_create(session=session, member=MemberFactory())
    registration_create(session=session, member=member)  # waitlisted
    deliver_outbox()
    mailoutbox.clear()

    session.is_cancelled = True
    session_save(session=session, by=animator)
    deliver_outbox()

    [message] = [m for m in mailoutbox if member.email in m.to[0]]
    assert "annulée" in message.subject
    assert not has_invitation(message)
