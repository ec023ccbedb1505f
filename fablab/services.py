"""Writes of the Fablab: slots on machines, qualifications, maintenance, usage logs.

Slots and maintenance windows are reservations written by the one booking engine
(``booking.services.reservation_create``): opening hours (the Fablab's own, through
``Machine.weekly_hours``), closures, the grid, minimum and maximum length, horizon,
overlap and the buffer after each slot are checked there, once, by ``booking.rules.fits``,
which also applies the Fablab's own rules — the qualification and the per-member
number of future slots (``fablab.rules``, plugged in by ``Machine.own_refusals``), so
the machine's day and the machines page apply them too. What is the Fablab's alone
lives here: booking a machine (``machine_reservation_create``, which the pages, the
API and the admin all call), the roll call that qualifies (``qualifications_from_attendance``,
which ``FablabConfig.ready`` registers as a listener of the workshops' roll call), maintenance over booked slots,
and the usage log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from booking import refusals as e
from booking.localtime import require_aware, to_local
from booking.locking import lock
from booking.models import Reservation
from booking.refusals import BookingRefused
from booking.selectors import active_overlapping
from booking.services import can_override, reservation_cancel, reservation_create
from core.refusals import NotFound
from notifications.models import Notification
from notifications.services import notification_enqueue
from workshops.models import Registration, Session

from .models import MAX_USAGE_MINUTES, Machine, Qualification, UsageLog

# --- Qualifications -----------------------------------------------------------------


@transaction.atomic
def qualification_grant(
    *,
    member,
    machine: Machine,
    by=None,
    expires_on: date | None = None,
    session: Session | None = None,
    now: datetime | None = None,
) -> Qualification:
    """Record that ``member`` may use ``machine`` (``by`` an animator, or attending
    ``session``, a training). Granting again renews the one row: new date, grantor,
    expiry and source. Raises ValidationError on an expiry in the past."""
    now = now or timezone.now()
    if expires_on is not None and expires_on < to_local(now).date():
        raise ValidationError({"expires_on": _("La date d'expiration est déjà passée.")})
    values = {
        "granted_at": now,
        "granted_by": by,
        "expires_on": expires_on,
        "source": Qualification.Source.TRAINING if session else Qualification.Source.ANIMATOR,
        "session": session,
    }
    try:
        # A savepoint: two animators granting at once meet the unique constraint.
        with transaction.atomic():
            qualification, _created = Qualification.objects.update_or_create(
                member=member, machine=machine, defaults=values
            )
    except IntegrityError:
        qualification, _created = Qualification.objects.update_or_create(
            member=member, machine=machine, defaults=values
        )
    return qualification


def qualifications_from_attendance(*, session: Session, by=None) -> list[Qualification]:
    """After a roll call: every member marked present at ``session`` is qualified on the
    machines its workshop trains for (``Machine.training_workshop``); a qualification
    this same session gave to someone no longer marked present is withdrawn (a roll
    call corrected). Returns the qualifications granted. Two queries when the workshop
    trains for no machine. Call it inside the roll call's transaction."""
    machines = list(Machine.objects.filter(training_workshop_id=session.workshop_id))
    if not machines:
        return []
    present = list(
        get_user_model().objects.filter(
            registrations__session=session,
            registrations__status=Registration.Status.REGISTERED,
            registrations__attendance=Registration.Attendance.PRESENT,
        )
    )
    Qualification.objects.filter(
        session=session, source=Qualification.Source.TRAINING, machine__in=machines
    ).exclude(member__in=present).delete()
    already = set(
        Qualification.objects.filter(
            session=session, machine__in=machines, member__in=present
        ).values_list("member_id", "machine_id")
    )
    return [
        qualification_grant(member=member, machine=machine, by=by, session=session)
        for member in present
        for machine in machines
        if (member.pk, machine.pk) not in already
    ]


# --- Slots --------------------------------------------------------------------------


def machine_reservation_create(
    *,
    member,
    machine: Machine,
    start: datetime,
    end: datetime,
    by=None,
    now: datetime | None = None,
) -> Reservation:
    """Book [start, end) on a machine for a member: a Fablab slot.

    Everything the engine checks (``reservation_create`` through
    ``booking.rules.fits``: the Fablab's hours, closures, grid, minimum and maximum
    length, horizon; the member's qualification on the slot's day, ``not_qualified``
    naming the training to take; at most ``machine.max_future_slots`` future slots on
    the machine, ``over_limit``; overlap, maintenance windows, the buffer after each
    slot), under the engine's locks: the member's row too when the machine caps
    future slots (``Machine.member_rules_apply``), so the count cannot race. A second
    click returns the same slot with ``replayed`` True. ``by`` is who acts when not the member (an animator in the
    admin): the member is then told. No rule is lifted here.

    Raises BookingRefused (codes of ``booking.refusals``).
    """
    now = now or timezone.now()
    return reservation_create(
        resource=machine,
        member=member,
        start=start,
        end=end,
        source=Reservation.Source.FABLAB,
        purpose="",
        by=by,
        now=now,
    )


def machine_reservation_get_for_member(*, member, reservation_id: int) -> Reservation:
    """One of the member's own Fablab slots; another member's, a space booking or an
    unknown id raises NotFound. Animators reach every Fablab slot."""
    slots = Reservation.objects.select_related("resource", "resource__site").filter(
        source=Reservation.Source.FABLAB
    )
    if not can_override(member):
        slots = slots.filter(member=member)
    slot = slots.filter(pk=reservation_id).first()
    if slot is None:
        raise NotFound
    return slot


# --- Maintenance --------------------------------------------------------------------


@dataclass
class MaintenanceScheduled:
    """What ``maintenance_schedule`` did: the window, and the members' slots it
    cancelled (each member has been told)."""

    window: Reservation
    affected: list[Reservation] = field(default_factory=list)


def maintenance_conflicts(*, machine: Machine, start: datetime, end: datetime):
    """The active members' slots a maintenance window over [start, end) would meet
    (their range or their buffer), soonest first, with the member."""
    return (
        active_overlapping(resource_ids=[machine.pk], start=start, until=end + machine.buffer)
        .exclude(source=Reservation.Source.MAINTENANCE)
        .select_related("member")
        .order_by("start", "pk")
    )


def maintenance_schedule(
    *,
    machine: Machine,
    start: datetime,
    end: datetime,
    reason: str,
    by,
    now: datetime | None = None,
) -> MaintenanceScheduled:
    """Put a machine into maintenance over [start, end), in one transaction.

    Locks the site row then the machine row (the engine's order), so no slot can be
    booked between the listing and the window. Every active slot the window meets is
    cancelled at any notice and its member is sent one MAINTENANCE_CONFLICT message,
    which says the slot is cancelled and why (the generic "booking cancelled" message
    is not sent as well: one event, one message). Then the window is written through
    the engine, as a reservation without member, lifting the booking rules in ``by``'s
    name (maintenance may fall outside the Fablab's hours); it may not overlap another
    maintenance window (``in_maintenance``, and nothing is cancelled).

    Raises PermissionDenied unless ``by`` is an animator, BookingRefused for a
    malformed range or a missing reason (field "reason").
    """
    if not can_override(by):
        raise PermissionDenied
    require_aware(start, field="start")
    require_aware(end, field="end")
    if end <= start:
        raise BookingRefused(e.INVALID_RANGE, field="end")
    reason = reason.strip()
    if not reason:
        raise BookingRefused(e.OVERRIDE_REASON_REQUIRED, _("Indiquez le motif."), field="reason")
    now = now or timezone.now()
    with transaction.atomic():
        lock(site=machine.site_id, resources=[machine])
        affected = list(maintenance_conflicts(machine=machine, start=start, end=end))
        for slot in affected:
            # by=None: the maintenance message below is the member's one message.
            reservation_cancel(reservation=slot, now=now, enforce_cutoff=False)
            if slot.member_id is not None:
                notification_enqueue(
                    kind=Notification.Kind.MAINTENANCE_CONFLICT,
                    recipient=slot.member,
                    about=slot,
                    context={
                        "title": machine.name,
                        "starts_at": slot.start,
                        "place": f"{machine.name}, {machine.site.name}",
                        "reason": reason,
                        "url": reverse("fablab:machine", args=[machine.pk]),
                    },
                )
        window = reservation_create(
            resource=machine,
            member=None,
            start=start,
            end=end,
            source=Reservation.Source.MAINTENANCE,
            purpose=reason,
            override_by=by,
            override_reason=reason,
            by=by,
            now=now,
        )
    return MaintenanceScheduled(window=window, affected=affected)


# --- Usage logs ---------------------------------------------------------------------


def _decimal(value, field_name: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field_name: _("Indiquez un nombre.")}) from None
    if not number.is_finite():
        raise ValidationError({field_name: _("Indiquez un nombre.")})
    return number


@transaction.atomic
def usage_log_record(
    *,
    reservation: Reservation,
    by,
    minutes: int,
    material: str = "",
    quantity=0,
    unit: str = "",
    notes: str = "",
    now: datetime | None = None,
) -> UsageLog:
    """Record (or correct) what was really used during a Fablab slot.

    Only once the slot has started, only by the slot's member or an animator, only on
    a slot not cancelled. ``minutes`` must be 1 to 24 h, ``quantity`` 0 or more.
    Locks the slot's machine row (as every change of a reservation does), so two saves
    in a row leave one log.

    Raises PermissionDenied for anyone else, ValidationError naming the field
    (``minutes``, ``quantity``, ``unit``…, or ``__all__`` for the slot itself); nothing
    is stored then.
    """
    now = now or timezone.now()
    lock(resources=[reservation.resource_id])
    slot = Reservation.objects.get(pk=reservation.pk)
    if by is None or (slot.member_id != by.pk and not can_override(by)):
        raise PermissionDenied
    if slot.source != Reservation.Source.FABLAB:
        raise ValidationError(_("Ce n'est pas un créneau Fablab."))
    if slot.status == Reservation.Status.CANCELLED:
        raise ValidationError(_("Ce créneau a été annulé."))
    if slot.start > now:
        raise ValidationError(_("Le créneau n'a pas encore commencé."))
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise ValidationError({"minutes": _("Indiquez un nombre entier de minutes.")})
    if not 0 < minutes <= MAX_USAGE_MINUTES:
        raise ValidationError(
            {"minutes": _("La durée doit être comprise entre 1 minute et 24 h (1440 minutes).")}
        )
    quantity = _decimal(quantity, "quantity")
    if quantity < 0:
        raise ValidationError({"quantity": _("La quantité ne peut pas être négative.")})
    log = UsageLog.objects.filter(reservation=slot).first() or UsageLog(reservation=slot)
    log.minutes = minutes
    log.material = material.strip()
    log.quantity = quantity
    log.unit = unit
    log.notes = notes.strip()
    log.recorded_by = by
    log.recorded_at = now
    log.full_clean(exclude=["reservation", "recorded_by"])
    log.save()
    return log
