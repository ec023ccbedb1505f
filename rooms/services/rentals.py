"""Rental requests from outsiders: held as tentative, then accepted or declined."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from booking import refusals as e
from booking.models import Reservation
from booking.refusals import BookingRefused
from booking.selectors import active_overlapping
from booking.services import (
    can_override,
    reservation_cancel,
    reservation_confirm,
    reservation_create,
    reservation_lock,
)
from notifications.models import Notification
from notifications.services import notification_enqueue

from ..models import RentalRequest, Space


def _tell_requester(request: RentalRequest, kind: str) -> None:
    notification_enqueue(
        kind=kind,
        email=request.email,
        name=request.name,
        about=request,
        context={
            "title": request.space.name,
            "starts_at": request.start,
            "place": f"{request.space.name}, {request.space.site.name}",
            "reason": request.decision_note,
            # Whether the slot is held for them, or they wait behind an earlier request.
            "held": request.hold_id is not None,
            "ics": False,
        },
    )


def _only_pending_requests_in_the_way(*, space: Space, start, end) -> bool:
    """True when what blocks [start, end) is nothing but other outsiders' requests."""
    blocking = active_overlapping(resource_ids=[space.pk], start=start, until=end + space.buffer)
    return (
        blocking.exists()
        and not blocking.exclude(
            status=Reservation.Status.TENTATIVE, source=Reservation.Source.RENTAL_REQUEST
        ).exists()
    )


@transaction.atomic
def rental_request_create(
    *,
    space: Space,
    start,
    end,
    people: int,
    name: str,
    email: str,
    purpose: str,
    phone: str = "",
    organisation: str = "",
) -> RentalRequest:
    """Record an outsider's request. The slot is held as tentative when it is free; when
    only other pending requests hold it, this one is kept as their competitor, unheld
    (``hold`` None): on a waiting list behind them, and its requester is told so, on
    the page (``request.hold_id``) and in the RENTAL_RECEIVED e-mail (``held``).

    Sending the same request twice (a double click, a reload) returns the first one:
    the engine's locks for the hold (the site's row when it has a jauge, then the
    space's) are taken before looking, so two submits cannot both get through, and in
    the order a member's booking takes them.

    Raises BookingRefused (closed, outside hours, taken by a booking, too many people…)
    and ValidationError naming the field; nothing is stored then.
    """
    reservation_lock(resource=space)
    existing = RentalRequest.objects.filter(
        space=space,
        start=start,
        end=end,
        email__iexact=email.strip(),
        status=RentalRequest.Status.PENDING,
    ).first()
    if existing is not None:
        return existing
    request = RentalRequest(
        space=space,
        start=start,
        end=end,
        people=people,
        name=name.strip(),
        email=email.strip(),
        purpose=purpose.strip(),
        phone=phone.strip(),
        organisation=organisation.strip(),
    )
    request.full_clean(exclude=["space"])
    try:
        request.hold = reservation_create(
            resource=space,
            start=start,
            end=end,
            seats=people,
            status=Reservation.Status.TENTATIVE,
            source=Reservation.Source.RENTAL_REQUEST,
            purpose=f"{request.organisation or request.name} — {request.purpose}"[:200],
        )
    except BookingRefused as refusal:
        if refusal.code not in (*e.OVERLAP_CODES, e.FULL) or not _only_pending_requests_in_the_way(
            space=space, start=start, end=end
        ):
            raise
    request.save()
    _tell_requester(request, Notification.Kind.RENTAL_RECEIVED)
    return request


def rental_competitors(request: RentalRequest):
    """Other pending requests for the same space whose time meets this one's: accepting
    this request declines them."""
    return (
        RentalRequest.objects.filter(
            space_id=request.space_id,
            status=RentalRequest.Status.PENDING,
            start__lt=request.end,
            end__gt=request.start,
        )
        .exclude(pk=request.pk)
        .order_by("created_at")
    )


def _lock_pending(request: RentalRequest) -> RentalRequest:
    """Take the locks a decision on ``request`` needs, all at once: what holding its
    slot takes (its space's site when it has a jauge, then the space), the space also
    covering its competitors' holds, which are on the same space. Every decision on a
    space's requests is so serialised by the space's row; returns the request re-read
    under it."""
    reservation_lock(resource=request.space)
    return RentalRequest.objects.select_related("space__site").get(pk=request.pk)


def _decide(request: RentalRequest, *, status: str, by, note: str, now) -> None:
    request.status = status
    request.decided_by = by
    request.decided_at = now
    request.decision_note = note.strip()[:500]
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


@transaction.atomic
def rental_request_decline(
    *, request: RentalRequest, by, note: str = "", now=None
) -> RentalRequest:
    """Decline a pending request and free its slot. Declining twice changes nothing.
    Locks the space's site row (when it has a jauge), then the space's row. Raises
    PermissionDenied unless ``by`` is an animator."""
    if not can_override(by):
        raise PermissionDenied
    now = now or timezone.now()
    request = _lock_pending(request)
    if request.status != RentalRequest.Status.PENDING:
        return request
    if request.hold_id:
        reservation_cancel(reservation=request.hold, by=by, now=now, enforce_cutoff=False)
    _decide(request, status=RentalRequest.Status.DECLINED, by=by, note=note, now=now)
    _tell_requester(request, Notification.Kind.RENTAL_DECLINED)
    return request


@transaction.atomic
def rental_request_accept(
    *, request: RentalRequest, by, note: str = "", now=None
) -> tuple[RentalRequest, list[RentalRequest]]:
    """Accept a pending request: its competitors are declined first, then its slot is
    confirmed (its own tentative hold, or a new reservation made in the animator's name,
    which may lift booking rules but never the no-overlap guarantee).

    Locks the space's site row (when it has a jauge), then the space's row, before
    reading anything. Returns (request, declined competitors). Raises PermissionDenied unless ``by`` is
    an animator, and BookingRefused when the slot has been taken meanwhile (then
    nothing changes).
    """
    if not can_override(by):
        raise PermissionDenied
    now = now or timezone.now()
    request = _lock_pending(request)
    if request.status != RentalRequest.Status.PENDING:
        return request, []
    declined = [
        rental_request_decline(request=competitor, by=by, now=now)
        for competitor in rental_competitors(request)
    ]
    if request.hold_id:
        reservation_confirm(reservation=request.hold, by=by)
    else:
        request.hold = reservation_create(
            resource=request.space,
            start=request.start,
            end=request.end,
            seats=request.people,
            source=Reservation.Source.RENTAL_REQUEST,
            purpose=f"{request.organisation or request.name} — {request.purpose}"[:200],
            override_by=by,
            override_reason=str(RentalRequest._meta.verbose_name),
            now=now,
        )
        request.save(update_fields=["hold"])
    _decide(request, status=RentalRequest.Status.ACCEPTED, by=by, note=note, now=now)
    _tell_requester(request, Notification.Kind.RENTAL_ACCEPTED)
    return request, declined
