from dynamo.ics import Event
from dynamo.links import absolute_url

from .models import Registration, Session


def session_event(session: Session) -> Event:
    """A session as a calendar event, linking to its page on SITE_URL."""
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
    )


def registration_event(registration: Registration) -> Event:
    event = session_event(registration.session)
    return Event(**{**event.__dict__, "uid": f"registration-{registration.pk}@ladynamo"})
