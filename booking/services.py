"""The booking engine: every reservation of a space, a machine or a workshop hold is
written by ``reservation_create`` and cancelled by ``reservation_cancel``.

Locks are taken through ``booking.locking.lock`` only, in its one order: the member
row (when a per-member limit applies), the site row (when the site has a jauge), the
resource row (``reservation_lock`` says which, for callers that lock more around a
reservation). Two bookings therefore never wait on each other in opposite orders. On
PostgreSQL the exclusion constraint of migration rooms/0003 backs the overlap check; on
SQLite the IMMEDIATE transaction mode (settings) serialises writers instead.

Whether a request fits is decided by ``booking.rules.fits`` alone, here under the
locks, everywhere else (grids, searches, suggestions) without; ``reservation_check``
is the dry run (no lock, no write) for previews and prices.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.refusals import NotFound

from . import notify
from . import refusals as e
from .localtime import require_aware
from .locking import Locked, lock
from .models import Reservation, Resource, Site
from .refusals import BookingRefused
from .rules import Held, Holding, refusals
from .selectors import reservation_price, rule_facts

EXCLUSION_CONSTRAINT = "reservation_no_overlap"


def can_override(user) -> bool:
    """Animators (and superusers) may lift booking rules and cancel late."""
    return bool(
        user is not None and user.is_authenticated and user.has_perm("booking.override_rules")
    )


def _check_input(*, start: datetime, end: datetime, seats: int) -> None:
    """Malformed requests: never stored, never overridable."""
    require_aware(start, field="start")
    require_aware(end, field="end")
    if end <= start:
        raise BookingRefused(e.INVALID_RANGE, field="end")
    if seats < 1:
        raise BookingRefused(e.INVALID_SEATS, field="seats")


def _with_rules_of(concrete: Resource, locked: Resource) -> Resource:
    """A copy of the caller's concrete resource (Space, Machine) carrying the rules of
    the row just locked: its own rules and hours stay its kind's, the shared rules
    are read as they are now."""
    if type(concrete) is Resource:
        return locked
    fresh = copy.copy(concrete)
    for field in Resource._meta.concrete_fields:
        setattr(fresh, field.attname, getattr(locked, field.attname))
    return fresh


def reservation_lock(
    *, resource: Resource | None = None, member=None, cancelling=(), sessions=()
) -> Locked:
    """Take, in one ``lock`` call, every row lock a transaction needs to create a
    reservation of ``resource`` for ``member`` (what ``reservation_create`` takes: the
    member's row when a per-member rule applies — ``Resource.member_rules_apply`` of
    the concrete kind, so a machine's cap on future slots counts too — the site's
    when it has a jauge, the resource's), to cancel the ``cancelling`` reservations (their
    resources' rows, as ``reservation_cancel`` takes them) and the caller's own
    ``sessions`` (see ``lock``). A path that locks more than the engine does calls it
    first, so the engine then finds its rows held. Returns the ``Locked`` rows; the
    site is None when it has no jauge. Raises LockOrderError outside a transaction
    or after rows that come later in the order."""
    resource_ids = {reservation.resource_id for reservation in cancelling}
    site_id = None
    if resource is not None:
        resource_ids.add(resource.pk)
        # The rule decides: a count the member's row protects (the per-member limits,
        # a kind's own such rule) is what makes the lock needed.
        if not resource.concrete().member_rules_apply():
            member = None
        if Site.objects.filter(pk=resource.site_id, jauge__isnull=False).exists():
            site_id = resource.site_id
    else:
        member = None
    return lock(member=member, site=site_id, resources=resource_ids, sessions=sessions)


def reservation_create(
    *,
    resource: Resource,
    member=None,
    start: datetime,
    end: datetime,
    seats: int = 1,
    status: str = Reservation.Status.CONFIRMED,
    source: str = Reservation.Source.BOOKING,
    purpose: str = "",
    override_by=None,
    override_reason: str = "",
    by=None,
    whole: bool = False,
    now: datetime | None = None,
) -> Reservation:
    """Hold [start, end) on a resource for ``seats`` people, in one transaction.

    Checks, in order: aware datetimes and a real range; then, under the locks
    (member row when a limit applies, site row when it has a jauge, resource row),
    the second-click guard; then ``booking.rules.fits`` — the one rule set the grids
    and searches also ask — from rows read under the locks: the rules (active, grid,
    past, horizon, closure, opening hours of the local day, duration, the kind's own
    rules such as a machine's qualification and cap, per-member limits), of which
    ``override_by`` — a user with ``booking.override_rules`` giving
    ``override_reason`` — may lift the overridable ones, the lifted codes being
    recorded on the row; then capacity, overlap (exclusive) or seats (shared), and
    the site jauge, which nobody lifts. An exclusive resource
    held over the range answers ``in_maintenance`` (a maintenance window), ``in_buffer``
    (only the pause after a slot, before or after this one) or ``taken``.

    The opening hours, rates and own rules are those of the resource's concrete kind
    (``Resource.weekly_hours``: the site's for a space, the Fablab's for a machine;
    ``Resource.rates``): a plain Resource given (the admin's form) is resolved to its
    Space or Machine first (``Resource.concrete``, one query).

    Second click: when the same member already holds an active reservation of the
    same resource with exactly the same range, that reservation is returned (with
    ``replayed = True``) and nothing is written, so a double submit or a retried
    API call never books twice.

    ``whole`` holds a shared space entirely (a workshop in the conviviality space):
    the hold is exclusive, so nobody books a seat there meanwhile.

    The price is fixed on the row (``price_amount``, ``price_rate``, ``price_tariff``:
    see ``selectors.reservation_price``).

    The member's reminder is scheduled in the same transaction; ``by`` (who acts,
    when not the member: an animator in the admin) also has the member told at once.

    Raises BookingRefused (codes of ``booking.refusals``), PermissionDenied when override_by may
    not override, ValueError for a status other than tentative or confirmed. The
    returned reservation has ``replayed`` False when new.
    """
    if status not in Reservation.ACTIVE:
        raise ValueError(f"a reservation is created tentative or confirmed, not {status!r}")
    _check_input(start=start, end=end, seats=seats)
    if override_by is not None:
        if not can_override(override_by):
            raise PermissionDenied
        if not override_reason.strip():
            raise BookingRefused(e.OVERRIDE_REASON_REQUIRED, field="override_reason")
    now = now or timezone.now()
    # The concrete kind (Space, Machine) knows its weekly hours, rates and own rules;
    # the lock re-reads the plain Resource row, with the rules as they are now.
    hours_of = resource = resource.concrete()
    with transaction.atomic():
        locked = reservation_lock(resource=resource, member=member)
        resource = locked.resource(resource.pk)
        # Read under the lock: an animator may just have changed it.
        jauge = locked.site.jauge if locked.site is not None else None
        if member is not None:
            existing = Reservation.objects.filter(
                resource=resource,
                member=member,
                start=start,
                end=end,
                status__in=Reservation.ACTIVE,
            ).first()
            if existing is not None:
                existing.replayed = True
                return existing

        # The rules as they are now (the locked row) on the caller's kind of resource
        # (a Machine adds its own rules, and knows its weekly hours).
        rules_of = _with_rules_of(hours_of, resource)
        blocked_until = end + resource.buffer
        facts = rule_facts(
            resource=rules_of,
            member=member,
            ranges=[(start, blocked_until)],
            now=now,
            jauge=jauge,
        )
        exclusive = resource.exclusive or whole
        met = list(
            refusals(
                rules_of,
                start=start,
                end=end,
                seats=seats,
                member_id=getattr(member, "pk", None),
                whole=whole,
                now=now,
                facts=facts,
            )
        )
        lifted = e.OVERRIDABLE_CODES if override_by is not None else frozenset()
        blocking = [r for r in met if r.code not in lifted]
        if blocking:
            raise blocking[0]
        overridden = ",".join(r.code for r in met)

        # Fixed now, at the rates of the caller's object (a Space, a Machine): a later
        # change of rates leaves what this reservation costs alone.
        price, tariff = reservation_price(
            resource=hours_of, member=member, source=source, start=start, end=end
        )
        reservation = Reservation(
            resource=resource,
            member=member,
            status=status,
            start=start,
            end=end,
            blocked_until=blocked_until,
            seats=seats,
            exclusive=exclusive,
            source=source,
            purpose=purpose[:200],
            override_by=override_by if overridden or override_by else None,
            override_reason=override_reason.strip()[:200] if override_by else "",
            overridden_rules=overridden,
            price_amount=price.amount,
            price_rate=price.rate,
            price_tariff=tariff,
        )
        # The foreign keys are rows just locked or loaded, and the database enforces
        # the constraints: skip the extra queries full_clean would make for them.
        reservation.full_clean(
            exclude=["resource", "member", "override_by"], validate_constraints=False
        )
        reservation.replayed = False
        try:
            # A savepoint, so a caller's outer transaction survives the refusal.
            with transaction.atomic():
                reservation.save()
        except IntegrityError as exc:
            # Only reachable if something bypassed the locks: same answer as the check.
            if EXCLUSION_CONSTRAINT in str(exc):
                raise BookingRefused(e.TAKEN) from exc
            raise
        notify.reservation_created(reservation, by=by or override_by)
    return reservation


def booking_create(
    *,
    member,
    space: Resource,
    start: datetime,
    end: datetime,
    seats: int = 1,
    status: str = Reservation.Status.CONFIRMED,
    purpose: str = "",
    source: str = Reservation.Source.BOOKING,
    override_by=None,
    override_reason: str = "",
    now: datetime | None = None,
) -> Reservation:
    """A member books a space. See ``reservation_create`` for checks, locks and raises."""
    return reservation_create(
        resource=space,
        member=member,
        start=start,
        end=end,
        seats=seats,
        status=status,
        source=source,
        purpose=purpose,
        override_by=override_by,
        override_reason=override_reason,
        now=now,
    )


def reservation_series_check(
    *,
    resource: Resource,
    member=None,
    ranges: Sequence[tuple[datetime, datetime]],
    seats: int = 1,
    whole: bool = False,
    source: str = Reservation.Source.BOOKING,
    override_by=None,
    now: datetime | None = None,
) -> list[list[BookingRefused]]:
    """The dry run of booking each of ``ranges`` in turn: for each, every refusal it
    would meet (empty when it would be booked), as ``reservation_create`` would
    answer, the earlier ranges that would be booked counting as held — against
    overlap, seats and the jauge, and against the member's per-member limits (a weekly
    series counts its earlier dates, as booking it would). A range the member already
    holds exactly would be returned as is by the engine (a second click): no refusal.

    Takes no lock and writes nothing (a GET may call it): a fixed number of queries
    (``booking.selectors.rule_facts`` once for all the ranges). With ``override_by``
    an animator, the rules they may lift are left out. A plain Resource is resolved
    to its Space or Machine first (its hours and own rules: ``Resource.concrete``).
    """
    now = now or timezone.now()
    resource = resource.concrete()
    lifted = e.OVERRIDABLE_CODES if override_by is not None and can_override(override_by) else ()
    results: list[list[BookingRefused] | None] = [None] * len(ranges)
    valid = []
    for i, (start, end) in enumerate(ranges):
        try:
            _check_input(start=start, end=end, seats=seats)
        except BookingRefused as refusal:
            results[i] = [refusal]
        else:
            valid.append(i)
    if not valid:
        return results
    facts = rule_facts(
        resource=resource,
        member=member,
        ranges=[(ranges[i][0], ranges[i][1] + resource.buffer) for i in valid],
        now=now,
        holdings=member is not None,
    )
    member_id = getattr(member, "pk", None)
    exclusive = resource.exclusive or whole
    for i in valid:
        start, end = ranges[i]
        if member_id is not None and any(
            h.resource_id == resource.pk and h.start == start and h.end == end
            for h in facts.holdings
        ):
            results[i] = []
            continue
        met = [
            r
            for r in refusals(
                resource,
                start=start,
                end=end,
                seats=seats,
                member_id=member_id,
                whole=whole,
                now=now,
                facts=facts,
            )
            if r.code not in lifted
        ]
        results[i] = met
        if not met:
            # Booked before the next range: it holds the resource and counts for the member.
            held = Held(
                resource.pk,
                start,
                end,
                end + resource.buffer,
                seats,
                exclusive,
                False,
                member_id,
            )
            facts = replace(
                facts,
                held=[*facts.held, held],
                site_held=[*facts.site_held, held] if facts.jauge is not None else (),
                site_peaks=None,
                holdings=[
                    *(facts.holdings or ()),
                    Holding(resource.pk, resource.site_id, resource.category, source, start, end),
                ]
                if member_id is not None
                else facts.holdings,
            )
    return results


def reservation_check(
    *,
    resource: Resource,
    member=None,
    start: datetime,
    end: datetime,
    seats: int = 1,
    whole: bool = False,
    pending: Sequence[tuple[datetime, datetime]] = (),
    source: str = Reservation.Source.BOOKING,
    override_by=None,
    now: datetime | None = None,
) -> list[BookingRefused]:
    """Every refusal booking [start, end) would meet, in the engine's order (empty:
    it would be booked), without lock or write. ``pending`` are the request's other
    ranges booked before this one (the earlier dates of a series): they count as
    held and against per-member limits when they would be booked themselves. See
    ``reservation_series_check``."""
    return reservation_series_check(
        resource=resource,
        member=member,
        ranges=[*pending, (start, end)],
        seats=seats,
        whole=whole,
        source=source,
        override_by=override_by,
        now=now,
    )[-1]


def reservation_confirm(*, reservation: Reservation, by) -> Reservation:
    """Turn a tentative hold (a rental request accepted) into a confirmed reservation.

    The hold already owns its range, so nothing is re-checked; locks its resource's
    row (every change of a reservation happens under it) and re-reads the hold.
    Raises PermissionDenied unless ``by`` is an animator, BookingRefused ``taken`` if
    the hold was cancelled meanwhile.
    """
    if not can_override(by):
        raise PermissionDenied
    with transaction.atomic():
        lock(resources=[reservation.resource_id])
        locked = Reservation.objects.get(pk=reservation.pk)
        if locked.status == Reservation.Status.CANCELLED:
            raise BookingRefused(e.TAKEN)
        if locked.status == Reservation.Status.TENTATIVE:
            locked.status = Reservation.Status.CONFIRMED
            locked.save(update_fields=["status"])
    return locked


@transaction.atomic
def bookings_release_for_member(*, member, now: datetime | None = None) -> int:
    """Cancel a member's reservations not yet over (account deletion), at any notice,
    so their slots go back to others and their reminders are dropped. Past rows stay
    for the reports (``member`` becomes NULL when the account row goes). Returns how
    many were cancelled.

    Locks the member's row, then every resource they hold something on, at once:
    call it before locking anything else in the transaction (the workshops' release,
    which locks sessions, comes after)."""
    now = now or timezone.now()
    lock(member=member)
    upcoming = list(
        Reservation.objects.filter(
            member=member, status__in=Reservation.ACTIVE, end__gt=now
        ).order_by("resource_id", "start")
    )
    lock(resources=[reservation.resource_id for reservation in upcoming])
    for reservation in upcoming:
        reservation_cancel(reservation=reservation, now=now, enforce_cutoff=False)
    return len(upcoming)


def booking_get_for_member(*, member, booking_id: int) -> Reservation:
    """One of the member's own reservations; raises NotFound for another member's or
    an unknown one.

    Animators may reach every reservation.
    """
    bookings = Reservation.objects.select_related("resource", "resource__site")
    if not can_override(member):
        bookings = bookings.filter(member=member)
    booking = bookings.filter(pk=booking_id).first()
    if booking is None:
        raise NotFound
    return booking


def cancellation_deadline(*, resource: Resource, start: datetime) -> datetime:
    """The last instant a member may cancel online a reservation of ``resource``
    starting at ``start`` (the resource's cut-off before it); shown before booking."""
    return start - timedelta(hours=resource.cancellation_cutoff_hours)


@dataclass(frozen=True)
class Cancellation:
    """Whether someone may cancel a reservation now, and until when.

    ``until`` is the deadline that applies to them (None for an animator, who may
    cancel at any time, or when it can never be cancelled from here); ``refusal`` is
    the reason code when ``allowed`` is False.
    """

    allowed: bool
    until: datetime | None = None
    refusal: str | None = None
    cutoff_hours: int = 0

    def refused(self) -> BookingRefused:
        """The refusal to raise when ``allowed`` is False."""
        if self.refusal == e.CANCELLATION_TOO_LATE:
            return BookingRefused(self.refusal, hours=self.cutoff_hours)
        return BookingRefused(self.refusal)


def reservation_cancellation(
    *, reservation: Reservation, by, now: datetime | None = None
) -> Cancellation:
    """The one decision "may ``by`` cancel this reservation now, and until when", read
    by "my bookings", the Fablab slots and the API, and enforced by ``booking_cancel``.

    Refused with ``held_elsewhere`` for a workshop's, a rental request's or a
    maintenance hold (released by what owns it), and with ``cancellation_too_late``
    after the resource's cut-off unless ``by`` may override; an already cancelled
    reservation cannot be cancelled again (``refusal`` None). Reads no lock.
    """
    if reservation.source in Reservation.HOLD_SOURCES:
        return Cancellation(allowed=False, refusal=e.HELD_ELSEWHERE)
    if reservation.status == Reservation.Status.CANCELLED:
        return Cancellation(allowed=False)
    if can_override(by):
        return Cancellation(allowed=True)
    now = now or timezone.now()
    until = cancellation_deadline(resource=reservation.resource, start=reservation.start)
    if now > until:
        return Cancellation(
            allowed=False,
            until=until,
            refusal=e.CANCELLATION_TOO_LATE,
            cutoff_hours=reservation.resource.cancellation_cutoff_hours,
        )
    return Cancellation(allowed=True, until=until)


def reservation_cancel(
    *, reservation: Reservation, by=None, now: datetime | None = None, enforce_cutoff: bool = True
) -> Reservation:
    """Cancel a reservation (idempotent: an already cancelled one is returned as is).

    Locks the reservation's resource row (every change of a reservation happens
    under it) and re-reads the reservation. With ``enforce_cutoff`` (a member's
    cancellation), asks ``reservation_cancellation`` and raises its BookingRefused
    (``cancellation_too_late`` inside the resource's cut-off unless ``by`` may override,
    ``held_elsewhere`` for a hold); without it (a rental request declined, a workshop
    cancelled) never refuses.
    """
    now = now or timezone.now()
    with transaction.atomic():
        lock(resources=[reservation.resource_id])
        locked = Reservation.objects.select_related("resource").get(pk=reservation.pk)
        if locked.status == Reservation.Status.CANCELLED:
            return locked
        if enforce_cutoff:
            verdict = reservation_cancellation(reservation=locked, by=by, now=now)
            if not verdict.allowed:
                raise verdict.refused()
        locked.status = Reservation.Status.CANCELLED
        locked.cancelled_at = now
        locked.save(update_fields=["status", "cancelled_at"])
        notify.reservation_cancelled(locked, by=by)
    reservation.status, reservation.cancelled_at = locked.status, locked.cancelled_at
    return locked


def booking_cancel(*, member, booking: Reservation, now: datetime | None = None) -> Reservation:
    """A member cancels their booking; an animator may cancel anyone's, even late.

    Raises NotFound for another member's booking (its existence is not revealed), and
    the BookingRefused of ``reservation_cancellation``: ``cancellation_too_late`` inside
    the cut-off, ``held_elsewhere`` for a workshop's, a rental request's or a
    maintenance hold: those are released by cancelling the session, declining the
    request or ending the maintenance, never behind their back.
    """
    if booking.member_id != member.pk and not can_override(member):
        raise NotFound
    return reservation_cancel(reservation=booking, by=member, now=now)


__all__ = [
    "Cancellation",
    "booking_cancel",
    "booking_create",
    "booking_get_for_member",
    "bookings_release_for_member",
    "can_override",
    "cancellation_deadline",
    "reservation_cancel",
    "reservation_cancellation",
    "reservation_check",
    "reservation_confirm",
    "reservation_create",
    "reservation_lock",
    "reservation_series_check",
]
