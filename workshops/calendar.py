from dynamo.ics import Event

from .models import Registration, Session


def session_event(session: Session, *, url: str = "") -> Event:
    location = f"{session.room.name}, {session.room.site.name}" if session.room_id else ""
    return Event(
        uid=f"session-{session.pk}@ladynamo",
        start=session.start,
        end=session.end,
        summary=session.workshop.title,
        description=session.workshop.description,
        location=location,
        url=url,
        cancelled=session.is_cancelled,
    )


def registration_event(registration: Registration, *, base_url: str = "") -> Event:
    session = registration.session
    event = session_event(session, url=base_url + session.get_absolute_url())
    return Event(**{**event.__dict__, "uid": f"registration-{registration.pk}@ladynamo"})
