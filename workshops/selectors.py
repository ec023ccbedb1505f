"""Reads for workshops: the programme, a session with its seats, waitlist positions."""

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone

from .models import Registration, Session


def sessions_with_seats() -> QuerySet[Session]:
    """Sessions annotated, in the same query, with ``registered_count``,
    ``waitlist_count`` and ``seats_left`` (never below zero)."""
    registered = Count(
        "registrations", filter=Q(registrations__status=Registration.Status.REGISTERED)
    )
    seats = Least("capacity", Coalesce("jauge", "capacity"))
    return Session.objects.select_related("workshop__theme", "room__site").annotate(
        registered_count=registered,
        waitlist_count=Count(
            "registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)
        ),
        seats_left=Greatest(Value(0), seats - registered),
    )


def programme(*, theme: str = "", kind: str = "", now=None) -> QuerySet[Session]:
    """Upcoming sessions (not cancelled, not over), soonest first, with seat counts."""
    now = now or timezone.now()
    sessions = sessions_with_seats().filter(end__gt=now, is_cancelled=False)
    if theme:
        sessions = sessions.filter(workshop__theme__slug=theme)
    if kind:
        sessions = sessions.filter(workshop__kind=kind)
    return sessions.order_by("start", "id")


def registration_of(*, session: Session, member) -> Registration | None:
    """The member's live registration for the session, if any."""
    if member is None or not member.is_authenticated:
        return None
    return session.registrations.filter(member=member, status__in=Registration.ACTIVE).first()


def waitlist_position(registration: Registration) -> int | None:
    """1 for the head of the waitlist; None when not waitlisted. Only those the waitlist
    would promote count as ahead (``Registration.PROMOTABLE``)."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = registration.session.registrations.filter(
        Registration.PROMOTABLE, status=Registration.Status.WAITLISTED
    ).filter(
        Q(waitlisted_at__lt=registration.waitlisted_at)
        | Q(waitlisted_at=registration.waitlisted_at, id__lt=registration.id)
    )
    return ahead.count() + 1


def registrations_for_member(*, member, upcoming_only: bool = True, now=None):
    """A member's live registrations with their sessions, soonest first."""
    registrations = Registration.objects.filter(
        member=member, status__in=[Registration.Status.REGISTERED, Registration.Status.WAITLISTED]
    ).select_related("session__workshop", "session__room")
    if upcoming_only:
        registrations = registrations.filter(session__end__gt=now or timezone.now())
    return registrations.order_by("session__start", "id")


def roll_call(*, session: Session) -> QuerySet[Registration]:
    """Who holds a seat, by name, for the animator taking the roll."""
    return session.registrations.filter(status=Registration.Status.REGISTERED).order_by(
        "name", "id"
    )


def registrations_export(*, member) -> list[dict]:
    """The member's workshop registrations, any status, oldest session first, as
    JSON-ready data for their data export (``members.hooks``). One query."""
    return [
        {
            "workshop": r.session.workshop.title,
            "start": r.session.start.isoformat(),
            "status": r.status,
            "attendance": r.attendance,
        }
        for r in Registration.objects.filter(member=member)
        .select_related("session__workshop")
        .order_by("session__start")
    ]
