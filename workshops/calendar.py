from dataclasses import replace

from core.ics import Event
from core.links import absolute_url

from .models import Registration, Session


def session_event(session: Session) -> Event:
    """The session as a calendar event (UID ``session-<id>@ladynamo``); its SEQUENCE is
    the session's revision, raised by each move or cancellation (``session_save``). It links to
    the session's page on SITE_URL."""
    location = f"{session.room.name}, {session.room.site.name}" if session.room_id else ""
    return Event(
        uid=f"session-{session.pk}@ladynamo",
        start=session.start,
        end=session.end,
        summary=session.workshop.title,
        description=session.workshop.description,
        location=location,
        url=absolute_url(session.get_absolute_url()),
        cancelled=session.is_cancelled,
        sequence=session.sequence,
    )


def registration_event(registration: Registration) -> Event | None:
    """The session as this person's event (UID ``registration-<id>@ladynamo``), or None
    while they hold no seat (unconfirmed or waitlisted: nothing to put in a calendar).

    Cancelled when the session or the registration is. SEQUENCE: the session's revision,
    plus one once the registration is cancelled, which is final: the person is told of
    no later change, so their last message always carries the highest revision."""
    if registration.status in (Registration.Status.UNCONFIRMED, Registration.Status.WAITLISTED):
        return None
    session = registration.session
    withdrawn = registration.status == Registration.Status.CANCELLED
    event = session_event(session)
    return replace(
        event,
        uid=f"registration-{registration.pk}@ladynamo",
        cancelled=event.cancelled or withdrawn,
        sequence=event.sequence + withdrawn,
    )
