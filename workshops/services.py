"""Writes for workshops: registration, waitlist promotion, cancellation, roll call.

Seats are counted under a row lock on the session (``booking.locking.lock``): two
members asking for the last seat are served one after the other, so a session never
holds more registered people than its seats. Sessions come last in the locks' one
order (member, site, resources, sessions): scheduling, which also holds the room,
takes the room's locks and the session's in one call, before anything else.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from booking import refusals as booking_refusals
from booking.localtime import local_label
from booking.locking import lock
from booking.models import Reservation
from booking.refusals import BookingRefused
from booking.services import reservation_cancel, reservation_create, reservation_lock
from notifications.models import Notification
from notifications.services import (
    notification_enqueue,
    notifications_cancel_for,
    reminders_reschedule,
    reminders_schedule,
)

from . import hooks, refusals
from .models import Registration, Session, Workshop
from .refusals import RegistrationRefused

# Refusals of a room hold that are about the room, not the dates.
ROOM_CODES = {
    booking_refusals.TAKEN,
    booking_refusals.IN_BUFFER,
    booking_refusals.IN_MAINTENANCE,
    booking_refusals.FULL,
    booking_refusals.OVER_CAPACITY,
    booking_refusals.OVER_JAUGE,
    booking_refusals.INACTIVE,
}


def _context(session: Session) -> dict:
    place = f"{session.room.name}, {session.room.site.name}" if session.room_id else ""
    return {
        "title": session.workshop.title,
        "starts_at": session.start,
        "place": place,
        "url": session.get_absolute_url(),
    }


def _person_context(registration: Registration) -> dict:
    """The session's context plus the link this person cancels with: the session page
    for a member, their own private link for a visitor without an account."""
    cancel_url = (
        registration.session.get_absolute_url()
        if registration.member_id
        else reverse("workshops:cancel_by_link", args=[registration.confirmation_token])
    )
    return {**_context(registration.session), "cancel_url": cancel_url}


def _notify(registration: Registration, kind: str, **extra) -> None:
    """One message to the person behind a registration, written in the caller's
    transaction (the outbox sends it after commit)."""
    notification_enqueue(
        kind=kind,
        recipient=registration.member,
        email="" if registration.member_id else registration.email,
        name=registration.name,
        about=registration,
        context={**_person_context(registration), **extra},
    )


def _seated(registration: Registration, *, kind=Notification.Kind.REGISTRATION_CONFIRM) -> None:
    """A registration has just taken a seat: tell them and schedule their reminder."""
    _notify(registration, kind)
    reminders_schedule(
        kind=Notification.Kind.REGISTRATION_REMINDER,
        about=registration,
        starts_at=registration.session.start,
        recipient=registration.member,
        email="" if registration.member_id else registration.email,
        name=registration.name,
        context=_person_context(registration),
    )


def _lock_session(session_id: int) -> Session:
    """Lock the session row (not its workshop's) and return it, with its workshop."""
    locked = lock(sessions=Session.objects.filter(pk=session_id).select_related("workshop"))
    if not locked.sessions:
        raise Session.DoesNotExist(session_id)
    return locked.sessions[0]


def registration_window_check(*, session: Session, now=None) -> None:
    """Raise RegistrationRefused unless the session takes registrations now."""
    now = now or timezone.now()
    if session.is_cancelled:
        raise RegistrationRefused(refusals.CANCELLED)
    if session.start <= now:
        raise RegistrationRefused(refusals.PAST)
    if session.registration_opens_at and now < session.registration_opens_at:
        raise RegistrationRefused(
            refusals.NOT_OPEN_YET, date=local_label(session.registration_opens_at)
        )
    if session.registration_closes_at and now >= session.registration_closes_at:
        raise RegistrationRefused(refusals.CLOSED)


def _registered_count(session: Session) -> int:
    return session.registrations.filter(status=Registration.Status.REGISTERED).count()


def _seat_or_waitlist(session: Session, registration: Registration, now) -> None:
    """Give the registration a seat if one is left, else the end of the waitlist.
    The caller holds the session lock."""
    if _registered_count(session) < session.seats:
        registration.status = Registration.Status.REGISTERED
        registration.waitlisted_at = None
    else:
        registration.status = Registration.Status.WAITLISTED
        registration.waitlisted_at = now


def _save_new(registration: Registration) -> Registration:
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        # The partial unique constraint caught a second click that raced the check.
        raise RegistrationRefused(refusals.ALREADY_REGISTERED) from None
    return registration


@transaction.atomic
def registration_create(
    *, session: Session, member=None, name: str = "", email: str = "", now=None
) -> Registration:
    """Register a member (a seat, or the waitlist when full) or, for a public workshop,
    a visitor by name and e-mail (held as unconfirmed until the e-mail link is followed).

    Locks the session row. Raises RegistrationRefused: cancelled, past, not_open_yet,
    closed, members_only, already_registered.
    """
    session = _lock_session(session.pk)
    # Taken after the lock, so waitlist times follow the order seats were handed out.
    now = now or timezone.now()
    registration_window_check(session=session, now=now)
    if member is not None:
        name, email = member.display_name, member.email
    elif session.workshop.audience != Workshop.Audience.PUBLIC:
        raise RegistrationRefused(refusals.MEMBERS_ONLY)
    email = email.strip()
    if session.registrations.filter(email__iexact=email, status__in=Registration.ACTIVE).exists():
        # The address is to blame only when the person typed it (a visitor).
        raise RegistrationRefused(
            refusals.ALREADY_REGISTERED, field="email" if member is None else None
        )
    registration = Registration(session=session, member=member, name=name.strip(), email=email)
    if member is not None:
        _seat_or_waitlist(session, registration, now)
    else:
        # A visitor takes no seat until they prove the address is theirs.
        registration.status = Registration.Status.UNCONFIRMED
    registration.full_clean(validate_constraints=False)
    registration = _save_new(registration)
    if registration.status == Registration.Status.REGISTERED:
        _seated(registration)
    elif registration.status == Registration.Status.UNCONFIRMED:
        _notify(
            registration,
            Notification.Kind.REGISTRATION_VERIFY,
            confirm_url=reverse("workshops:confirm", args=[registration.confirmation_token]),
            ics=False,
        )
    return registration


@transaction.atomic
def registration_confirm(*, token: str, now=None) -> Registration:
    """Follow a visitor's e-mail link: the unconfirmed registration takes a seat or a
    waitlist place. Confirming twice changes nothing. Locks the session row."""
    found = Registration.objects.filter(confirmation_token=token).only("session_id").first()
    if found is None:
        raise RegistrationRefused(refusals.NOT_FOUND)
    session = _lock_session(found.session_id)
    now = now or timezone.now()
    registration = Registration.objects.get(pk=found.pk)
    if registration.status != Registration.Status.UNCONFIRMED:
        return registration
    registration_window_check(session=session, now=now)
    _seat_or_waitlist(session, registration, now)
    registration.save(update_fields=["status", "waitlisted_at"])
    if registration.status == Registration.Status.REGISTERED:
        _seated(registration)
    return registration


def _promote_waitlist(session: Session) -> list[Registration]:
    """Fill free seats from the head of the waitlist, passing over anyone who cannot come
    or be told (``Registration.PROMOTABLE``: a deactivated account keeps its place but
    is never promoted). The caller holds the session lock."""
    free = session.seats - _registered_count(session)
    if free <= 0:
        return []
    promoted = list(
        session.registrations.filter(Registration.PROMOTABLE, status=Registration.Status.WAITLISTED)
        .select_related("member")
        .order_by("waitlisted_at", "id")[:free]
    )
    for registration in promoted:
        registration.status = Registration.Status.REGISTERED
        registration.waitlisted_at = None
        registration.save(update_fields=["status", "waitlisted_at"])
        _seated(registration, kind=Notification.Kind.WAITLIST_PROMOTED)
    return promoted


@transaction.atomic
def registration_cancel(*, registration: Registration, now=None) -> list[Registration]:
    """Cancel a registration (or leave the waitlist) and, when that frees a seat, promote
    the first on the waitlist at once. Returns who was promoted. Cancelling twice is a
    no-op. Locks the session row.

    Raises RegistrationRefused ``past`` once the session has started: the seat can no
    longer go to anyone, and the roll call records who did not come.
    """
    session = _lock_session(registration.session_id)
    now = now or timezone.now()
    registration = Registration.objects.get(pk=registration.pk)
    if not registration.is_active:
        return []
    if session.start <= now:
        raise RegistrationRefused(refusals.PAST)
    registration.status = Registration.Status.CANCELLED
    registration.waitlisted_at = None
    registration.cancelled_at = now
    registration.save(update_fields=["status", "waitlisted_at", "cancelled_at"])
    notifications_cancel_for(about=registration)
    return _promote_waitlist(session)


def _where_and_when(session: Session) -> tuple:
    """What a registrant relies on to come: the times and the room."""
    return (session.start, session.end, session.room_id)


def _hold_signature(session: Session) -> tuple:
    return (*_where_and_when(session), session.seats, session.is_cancelled)


def _calendar_signature(session: Session) -> tuple:
    """What a registrant's calendar shows of the session: a change is a new revision."""
    return (*_where_and_when(session), session.is_cancelled)


@transaction.atomic
def session_save(*, session: Session, by) -> tuple[list[Registration], int]:
    """Create or change a session and keep its room hold in step, in one transaction.
    A change of start, end, room or cancellation raises the session's calendar
    ``sequence``, so the next e-mail about it supersedes the events sent before.

    The room is held through the booking engine (a reservation of source "workshop"
    for the session's seats), so a session cannot go in a room already taken and
    nobody can book the room then. ``by`` is the animator scheduling it: the hold is
    made in their name, lifting the members' booking rules (a programme is planned
    beyond the booking horizon), which the reservation records; overlap, capacity and
    the site jauge still hold. A moved session releases its old hold only if the new
    one is granted.

    Locks, in one call: the new room's site (when it has a jauge) and the rooms of the
    old and new holds, then the session's row.

    Returns (promoted, overflow) as ``session_seats_changed``. Raises ValidationError
    naming the field (room, start, end, capacity) and nothing is saved.
    """
    session.full_clean(exclude=["room_hold"])
    before = (
        Session.objects.select_related("room_hold").filter(pk=session.pk).first()
        if session.pk
        else None
    )
    # The rows come before the session in the order: locked first, with it. (Were the
    # session changed in between by another animator, the old hold's room would then
    # be asked for after the session, and ``lock`` would refuse rather than deadlock.)
    locked = reservation_lock(
        resource=session.room if session.room_id and not session.is_cancelled else None,
        cancelling=[before.room_hold] if before is not None and before.room_hold_id else [],
        sessions=[before] if before is not None else [],
    )
    previous = locked.sessions[0] if locked.sessions else None
    if previous is None or _hold_signature(previous) != _hold_signature(session):
        if previous is not None and previous.room_hold_id:
            reservation_cancel(reservation=previous.room_hold, by=by, enforce_cutoff=False)
        session.room_hold = None
        if session.room_id and not session.is_cancelled:
            try:
                session.room_hold = reservation_create(
                    resource=session.room,
                    start=session.start,
                    end=session.end,
                    seats=session.seats,
                    source=Reservation.Source.WORKSHOP,
                    purpose=session.workshop.title,
                    whole=True,
                    override_by=by,
                    override_reason=str(_("Séance d'atelier")),
                )
            except BookingRefused as refused:
                field = "room" if refused.code in ROOM_CODES else (refused.field or "start")
                if field not in ("room", "start", "end"):
                    field = "capacity" if field == "seats" else "start"
                raise ValidationError({field: refused.message}) from refused
    if previous is not None:
        # Under the row lock: each revision is one more than the last one written.
        session.sequence = previous.sequence + (
            _calendar_signature(previous) != _calendar_signature(session)
        )
    session.save()
    if previous is not None:
        _tell_registrants_of_changes(previous=previous, session=session)
    if previous is not None and previous.seats != session.seats:
        return session_seats_changed(session=session)
    return [], 0


def _tell_registrants_of_changes(*, previous: Session, session: Session) -> None:
    """Keep the people of a changed session informed, in the caller's transaction.

    Cancelled: everyone holding a seat or a waitlist place is told, and their reminders
    go. Moved (start or end) or put in another room: each registered and waitlisted
    person gets one message, due now whatever the new start (unlike a reminder, it is
    never suppressed), with the new .ics; the registered get their reminder moved. A
    visitor who has not confirmed yet learns the new date from the confirmation. A
    session already over (before and after the change) is only a record: nobody is told.
    """
    if previous.is_cancelled and session.is_cancelled:
        return  # they were told already; a cancelled session takes nobody
    cancelled = session.is_cancelled and not previous.is_cancelled
    changed = _where_and_when(previous) != _where_and_when(session)
    # Correcting the record of a session already over tells nobody.
    over = max(previous.end, session.end) <= timezone.now()
    if not (cancelled or changed) or over:
        return
    registrations = session.registrations.filter(status__in=Registration.ACTIVE).select_related(
        "member", "session__workshop", "session__room__site"
    )
    if cancelled:
        for registration in registrations:
            notifications_cancel_for(about=registration)
            if registration.status != Registration.Status.UNCONFIRMED:
                # Carries a CANCEL of the event their confirmation sent.
                _notify(registration, Notification.Kind.SESSION_CANCELLED)
        return
    was = {
        "was_starts_at": previous.start,
        "was_place": _context(previous)["place"],
        "ends_at": session.end,
    }
    for registration in registrations:
        if registration.status == Registration.Status.UNCONFIRMED:
            continue
        _notify(
            registration,
            Notification.Kind.SESSION_CHANGED,
            waitlisted=registration.status == Registration.Status.WAITLISTED,
            **was,
        )
        if registration.status == Registration.Status.REGISTERED:
            reminders_reschedule(
                kind=Notification.Kind.REGISTRATION_REMINDER,
                about=registration,
                starts_at=session.start,
                recipient=registration.member,
                email="" if registration.member_id else registration.email,
                name=registration.name,
                context=_person_context(registration),
            )


@transaction.atomic
def session_seats_changed(*, session: Session) -> tuple[list[Registration], int]:
    """After the animators change a session's capacity or jauge: promote from the
    waitlist if seats were added. Nobody is ever removed when seats are cut: returns
    (promoted, overflow) where overflow is how many registered people exceed the seats,
    for the animator to be warned."""
    session = _lock_session(session.pk)
    promoted = _promote_waitlist(session)
    overflow = max(0, _registered_count(session) - session.seats)
    return promoted, overflow


ATTENDANCE_VALUES = set(Registration.Attendance.values) | {""}


@transaction.atomic
def attendance_record(*, session: Session, marks: dict[int, str], by=None) -> int:
    """Take the roll: ``marks`` maps registration ids of this session to present, absent,
    excused (or "" to clear). Registrations of another session are ignored. Returns how
    many rows changed. Raises ValueError on an unknown mark.

    When a mark changed, the roll call's listeners (``workshops.hooks``) run in this
    transaction: being present at a training linked to a Fablab machine qualifies the
    member on it, in ``by``'s name (``fablab.services.qualifications_from_attendance``)."""
    unknown = set(marks.values()) - ATTENDANCE_VALUES
    if unknown:
        raise ValueError(f"unknown attendance value(s): {sorted(unknown)}")
    changed = 0
    registered = session.registrations.filter(
        pk__in=marks.keys(), status=Registration.Status.REGISTERED
    )
    for registration in registered:
        mark = marks[registration.pk]
        if registration.attendance != mark:
            registration.attendance = mark
            registration.save(update_fields=["attendance"])
            changed += 1
    if changed:
        hooks.attendance_recorded(session=session, by=by)
    return changed


@transaction.atomic
def registrations_cancel_for_member(*, member, now=None) -> int:
    """An account deactivated or deleted: cancel the member's registrations and waitlist
    places in sessions not yet started, promoting each waitlist. Locks their session
    rows, all at once, in id order (after what the booking release locked). Returns how
    many were cancelled."""
    now = now or timezone.now()
    upcoming = list(
        Registration.objects.filter(
            member=member, status__in=Registration.ACTIVE, session__start__gt=now
        ).order_by("session_id")
    )
    if upcoming:
        lock(sessions=Session.objects.filter(pk__in={r.session_id for r in upcoming}))
    for registration in upcoming:
        registration_cancel(registration=registration, now=now)
    return len(upcoming)


@transaction.atomic
def registrations_forget_member(*, member) -> None:
    """Before an account is deleted (after ``registrations_cancel_for_member``): strip
    the name and e-mail from its registrations, which stay, anonymous, for the
    attendance reports."""
    for registration in Registration.objects.filter(member=member).only("pk"):
        Registration.objects.filter(pk=registration.pk).update(
            member=None, name=str(_("Ancien·ne membre")), email=f"anonyme-{registration.pk}@invalid"
        )


@transaction.atomic
def programme_send(*, year: int, month: int) -> int:
    """Send the month's programme to every member who asked for it (once per month:
    sending again writes nothing new). Returns how many members it goes to."""
    from notifications.services import programme_digest_enqueue

    sessions = (
        Session.objects.filter(start__year=year, start__month=month, is_cancelled=False)
        .select_related("workshop")
        .order_by("start")
    )
    items = [
        {"title": s.workshop.title, "starts_at": s.start, "url": s.get_absolute_url()}
        for s in sessions
    ]
    return programme_digest_enqueue(
        period=f"{year}-{month:02d}",
        context={"period_label": f"{month:02d}/{year}", "items": items},
    )
