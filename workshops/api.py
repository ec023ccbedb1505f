from datetime import datetime

from django.conf import settings
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from core.inputs import ApiId, ApiText
from core.pagination import Pages
from core.refusals import NotFound
from core.schemas import errors

from . import selectors, services
from .models import Session

router = Router(tags=["workshops"])


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

    # Read from the annotated queryset of selectors.programme, one page at a time.
    @staticmethod
    def resolve_workshop(session) -> str:
        return session.workshop.title

    @staticmethod
    def resolve_theme(session) -> str:
        return session.workshop.theme.name

    @staticmethod
    def resolve_kind(session) -> str:
        return session.workshop.kind

    @staticmethod
    def resolve_audience(session) -> str:
        return session.workshop.audience

    @staticmethod
    def resolve_room(session) -> str | None:
        return session.room.name if session.room_id else None

    @staticmethod
    def resolve_waitlist(session) -> int:
        return session.waitlist_count


class RegistrationOut(Schema):
    id: int
    session: int
    status: str
    position: int | None


@router.get(
    "/workshops",
    response={200: list[SessionOut], **errors(422)},
    auth=None,
    summary="Upcoming sessions",
)
@paginate(Pages, page_size=settings.PAGE_SIZE)
def workshops_list(request, theme: ApiText = "", kind: ApiText = ""):
    return selectors.programme(theme=theme, kind=kind)


@router.post(
    "/workshops/{session_id}/registrations",
    response={201: RegistrationOut, **errors(401, 403, 404, 409, 422)},
    summary="Register for a session (a seat, or the waitlist when full)",
)
def registration_create(request, session_id: ApiId):
    session = get_object_or_404(Session, pk=session_id)
    registration = services.registration_create(session=session, member=request.auth)
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
    response={204: None, **errors(401, 403, 404, 409, 422)},
    summary="Cancel my registration (promotes the waitlist)",
)
def registration_cancel(request, session_id: ApiId):
    session = get_object_or_404(Session, pk=session_id)
    registration = selectors.registration_of(session=session, member=request.auth)
    if registration is None:
        raise NotFound
    services.registration_cancel(registration=registration)
    return Status(204, None)
