from datetime import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from . import selectors, services
from .models import Session

router = Router(tags=["workshops"])

# Refusals that depend on the session's state, not on the request's shape.
CONFLICT_CODES = {"already_registered", "closed", "past", "not_open_yet", "cancelled"}


class SessionOut(Schema):
    id: int
    workshop: str
    theme: str
    kind: str
    audience: str
    start: datetime
    end: datetime
    room: str | None
    seats: int
    seats_left: int
    waitlist: int


class RegistrationOut(Schema):
    id: int
    session: int
    status: str
    position: int | None


class Refusal(Schema):
    code: str
    detail: str


def _session_out(session: Session) -> dict:
    return {
        "id": session.pk,
        "workshop": session.workshop.title,
        "theme": session.workshop.theme.name,
        "kind": session.workshop.kind,
        "audience": session.workshop.audience,
        "start": session.start,
        "end": session.end,
        "room": session.room.name if session.room_id else None,
        "seats": session.seats,
        "seats_left": session.seats_left,
        "waitlist": session.waitlist_count,
    }


@router.get("/workshops", response=list[SessionOut], auth=None, summary="Upcoming sessions")
@paginate(LimitOffsetPagination)
def workshops_list(request, theme: str = "", kind: str = ""):
    return [_session_out(s) for s in selectors.programme(theme=theme, kind=kind)]


@router.post(
    "/workshops/{session_id}/registrations",
    response={201: RegistrationOut, 409: Refusal},
    summary="Register for a session (a seat, or the waitlist when full)",
)
def registration_create(request, session_id: int):
    session = get_object_or_404(Session, pk=session_id)
    try:
        registration = services.registration_create(session=session, member=request.auth)
    except services.RegistrationRefused as refused:
        status = 409 if refused.code in CONFLICT_CODES else 403
        return Status(status, {"code": refused.code, "detail": str(refused.message)})
    return Status(
        201,
        {
            "id": registration.pk,
            "session": session.pk,
            "status": registration.status,
            "position": selectors.waitlist_position(registration),
        },
    )


@router.delete(
    "/workshops/{session_id}/registrations/me",
    response={204: None},
    summary="Cancel my registration (promotes the waitlist)",
)
def registration_cancel(request, session_id: int):
    session = get_object_or_404(Session, pk=session_id)
    registration = selectors.registration_of(session=session, member=request.auth)
    if registration is None:
        raise Http404
    services.registration_cancel(registration=registration)
    return Status(204, None)
