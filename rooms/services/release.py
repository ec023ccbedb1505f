from django.db import transaction
from django.utils import timezone

from ..models import Reservation
from .bookings import reservation_cancel


@transaction.atomic
def reservations_release_for_member(*, member, now=None) -> int:
    """Before an account is deleted: cancel the member's reservations not yet over, at
    any notice, so the slots go back to others. Past ones stay, and lose the member
    when the account row goes (SET_NULL), for the reports. Returns how many were cancelled."""
    now = now or timezone.now()
    upcoming = Reservation.objects.filter(member=member, status__in=Reservation.ACTIVE, end__gt=now)
    cancelled = 0
    for reservation in upcoming.order_by("resource_id", "start"):
        reservation_cancel(reservation=reservation, now=now, enforce_cutoff=False)
        cancelled += 1
    return cancelled
