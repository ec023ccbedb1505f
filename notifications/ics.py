"""A tiny iCalendar writer for the ``ics_bytes()`` protocol (see emails.py).

An item the outbox talks about (a booking, a workshop session) can implement::

    def ics_bytes(self) -> bytes:
        return ics_event(uid=f"booking-{self.pk}@ladynamo", starts_at=self.start,
                         ends_at=self.end, summary=str(self.space), location=...)
"""

from datetime import UTC, datetime

from django.utils import timezone


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    )


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _fold(line: str) -> str:
    # RFC 5545: lines longer than 75 octets are folded with CRLF + space.
    raw = line.encode()
    if len(raw) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)


def ics_event(
    *, uid: str, starts_at: datetime, ends_at: datetime, summary: str, location: str = "",
    description: str = "", url: str = "", cancelled: bool = False,
) -> bytes:
    """One VEVENT in a VCALENDAR, UTC times, CRLF line ends."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//La Dynamo du Gers//Dynamo//FR",
        f"METHOD:{'CANCEL' if cancelled else 'PUBLISH'}",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(starts_at)}",
        f"DTEND:{_utc(ends_at)}",
        f"SUMMARY:{_escape(summary)}",
    ]
    if location:
        lines.append(f"LOCATION:{_escape(location)}")
    if description:
        lines.append(f"DESCRIPTION:{_escape(description)}")
    if url:
        lines.append(f"URL:{url}")
    if cancelled:
        lines.append("STATUS:CANCELLED")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode()
