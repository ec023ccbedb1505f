"""iCalendar (RFC 5545) for bookings, sessions and Fablab slots, written by the
``icalendar`` package: the one writer behind the private feed, the .ics downloads and
every e-mail's ``invitation.ics``.

What callers can rely on:

* **Times in UTC.** DTSTART, DTEND and DTSTAMP are written as UTC (``…Z``), never as
  local times, so no VTIMEZONE is needed and a daylight-saving change cannot shift an
  event; calendar apps show them in their own zone. ``X-WR-TIMEZONE`` only hints the
  zone a subscribed calendar is shown in.
* **Text is made valid here, once.** Every text value (summaries, descriptions,
  places, names) goes through ``clean_text``: C0 control characters and DEL are
  dropped, a lone carriage return becomes a line break, and ``icalendar`` then
  escapes commas, semicolons, backslashes and line breaks and folds long lines.
* **METHOD only where it means something.** A feed or a downloaded file is a plain
  calendar object, without METHOD. An e-mail attachment is an iTIP message (RFC 5546,
  RFC 6047): METHOD:CANCEL when its event is cancelled, else METHOD:PUBLISH, and its
  MIME Content-Type carries the same method and one charset.
* **UID and SEQUENCE come from the caller's ``Event``**: the same object always gives
  the same UID, and each later state of it a higher SEQUENCE, so a calendar app that
  imported an e-mailed event applies a later move or cancellation to it.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.mime.text import MIMEText
from email.utils import parseaddr

import icalendar
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone

PRODID = "-//La Dynamo du Gers//Dynamo//FR"
CALENDAR_NAME = "La Dynamo du Gers"
ORGANIZER_NAME = "La Dynamo du Gers"

PUBLISH = "PUBLISH"
CANCEL = "CANCEL"

# C0 controls and DEL, but tab (allowed in TEXT) and line feed (a line break, escaped
# as \n by icalendar). Carriage returns are turned into line feeds first.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Event:
    uid: str
    start: datetime
    end: datetime
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    cancelled: bool = False
    # RFC 5545 §3.8.7.4: 0 for the first version, higher for each later revision.
    sequence: int = 0


def clean_text(value) -> str:
    """``value`` as text a calendar can carry: CRLF and lone CR become LF (a line
    break), other C0 control characters and DEL are removed; tabs stay."""
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


def calendar_method(events) -> str:
    """CANCEL for a message withdrawing its events (all cancelled), else PUBLISH."""
    events = list(events)
    return CANCEL if events and all(event.cancelled for event in events) else PUBLISH


def _organizer() -> icalendar.vCalAddress:
    """The organiser iTIP asks for: the address our e-mails come from."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = icalendar.vCalAddress(f"mailto:{address}")
    organizer.params["CN"] = clean_text(name or ORGANIZER_NAME)
    return organizer


def _vevent(event: Event, *, stamp: datetime, attendee: tuple[str, str] | None):
    vevent = icalendar.Event()
    vevent.add("uid", clean_text(event.uid))
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", event.start.astimezone(UTC))
    vevent.add("dtend", event.end.astimezone(UTC))
    vevent.add("sequence", max(0, int(event.sequence)))
    vevent.add("summary", clean_text(event.summary))
    if event.description:
        vevent.add("description", clean_text(event.description))
    if event.location:
        vevent.add("location", clean_text(event.location))
    if event.url:
        vevent.add("url", clean_text(event.url))
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    vevent.add("organizer", _organizer())
    if attendee is not None:
        name, address = attendee
        who = icalendar.vCalAddress(f"mailto:{clean_text(address)}")
        if name:
            who.params["CN"] = clean_text(name)
        vevent.add("attendee", who)
    return vevent


def calendar(
    events,
    *,
    name: str = CALENDAR_NAME,
    method: str | None = None,
    attendee: tuple[str, str] | None = None,
) -> bytes:
    """The events as one VCALENDAR, UTF-8 bytes with CRLF line ends.

    ``method`` (PUBLISH or CANCEL) only for an iTIP message, i.e. an e-mail attachment;
    ``attendee`` (name, address) names the recipient, as a CANCEL should."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", clean_text(name))
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now().astimezone(UTC).replace(microsecond=0)
    for event in events:
        cal.add_component(_vevent(event, stamp=stamp, attendee=attendee))
    return cal.to_ical()


def ics_response(events, *, filename: str, name: str = CALENDAR_NAME) -> HttpResponse:
    """A feed or a download: the events as a plain calendar file (no METHOD)."""
    response = HttpResponse(
        calendar(events, name=name), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def email_attachment(
    event: Event, *, attendee: tuple[str, str] | None = None, filename: str = "invitation.ics"
) -> MIMEText:
    """One event as an e-mail part (RFC 6047): ``text/calendar`` with one charset and a
    ``method`` parameter equal to the body's METHOD line (CANCEL for a cancelled event,
    else PUBLISH). A CANCEL names ``attendee`` (name, address) as the one removed.
    Base64 keeps the body's CRLF line ends intact through any mail relay."""
    method = calendar_method([event])
    body = calendar([event], method=method, attendee=attendee if method == CANCEL else None)
    part = MIMEText(body.decode(), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part
