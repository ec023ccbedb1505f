"""What members are told about their reservations, written in the same transaction as
the change (the outbox delivers after commit). Spaces and Fablab machines alike."""

from django.urls import reverse

from notifications.models import Notification
from notifications.services import (
    notification_enqueue,
    notifications_cancel_for,
    reminders_schedule,
)

from .models import Reservation


def _context(reservation: Reservation) -> dict:
    resource = reservation.resource
    return {
        "title": resource.name,
        "starts_at": reservation.start,
        "place": f"{resource.name}, {resource.site.name}",
        "url": reverse("my_bookings"),
        "cancel_url": reverse("my_bookings"),
    }


def reservation_created(reservation: Reservation, *, by=None) -> None:
    """Schedule the member's reminder; tell them at once when someone else (an animator)
    booked for them."""
    if reservation.member_id is None or reservation.status != Reservation.Status.CONFIRMED:
        return
    context = _context(reservation)
    if by is not None and by.pk != reservation.member_id:
        notification_enqueue(
            kind=Notification.Kind.BOOKING_CONFIRMED,
            recipient=reservation.member,
            about=reservation,
            context=context,
        )
    reminders_schedule(
        kind=Notification.Kind.BOOKING_REMINDER,
        about=reservation,
        starts_at=reservation.start,
        recipient=reservation.member,
        context=context,
    )


def reservation_cancelled(reservation: Reservation, *, by=None) -> None:
    """Drop the reservation's pending reminders; tell the member when someone else
    cancelled it."""
    notifications_cancel_for(about=reservation)
    if reservation.member_id is not None and by is not None and by.pk != reservation.member_id:
        notification_enqueue(
            kind=Notification.Kind.BOOKING_CANCELLED,
            recipient=reservation.member,
            about=reservation,
            # The cancelled booking as a CANCEL: calendar apps withdraw the event.
            context=_context(reservation),
        )
