"""Reading calendars back as a calendar app would: with ``icalendar``, from the bytes a
mail client or an HTTP client receives."""

import email
from email import policy

from icalendar import Calendar


def invitation(message):
    """The ``text/calendar`` part of a sent e-mail, parsed from the message's wire
    bytes: (the MIME part, its Calendar). Fails unless there is exactly one."""
    wire = email.message_from_bytes(message.message().as_bytes(), policy=policy.default)
    [part] = [p for p in wire.walk() if p.get_content_type() == "text/calendar"]
    return part, Calendar.from_ical(part.get_payload(decode=True))


def has_invitation(message) -> bool:
    wire = email.message_from_bytes(message.message().as_bytes(), policy=policy.default)
    return any(p.get_content_type() == "text/calendar" for p in wire.walk())


def event_of(calendar: Calendar):
    """The one VEVENT of a calendar."""
    [event] = calendar.walk("VEVENT")
    return event
