from django.urls import reverse

from core.ics import Event
from core.links import absolute_url

from .models import Reservation


def booking_sequence(booking: Reservation) -> int:
    """The booking's calendar revision: 0 as made, 1 once cancelled. A reservation is
    never moved (another time is another booking) and a cancellation is final, so the
    status alone orders every message about it, with no counter to store."""
    return 1 if booking.status == Reservation.Status.CANCELLED else 0


def booking_event(booking: Reservation) -> Event:
    """The booking as a calendar event; its UID (``reservation-<id>@ladynamo``) is the
    same in the feed, the download and every e-mail about it; it links to the member's
    bookings on SITE_URL."""
    resource = booking.resource
    return Event(
        uid=f"reservation-{booking.pk}@ladynamo",
        start=booking.start,
        end=booking.end,
        summary=f"{resource.name} — {resource.site.name}",
        description=booking.purpose,
        location=f"{resource.name}, {resource.site.name}, {resource.site.address}",
        url=absolute_url(reverse("my_bookings")),
        cancelled=booking.status == Reservation.Status.CANCELLED,
        sequence=booking_sequence(booking),
    )
