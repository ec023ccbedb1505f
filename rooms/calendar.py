from django.urls import reverse

from dynamo.ics import Event
from dynamo.links import absolute_url

from .models import Reservation


def booking_event(booking: Reservation) -> Event:
    """A reservation as a calendar event, linking to the member's bookings on SITE_URL."""
    resource = booking.resource
    return Event(
        uid=f"reservation-{booking.pk}@ladynamo",
        start=booking.start,
        end=booking.end,
        summary=f"{resource.name} — {resource.site.name}",
        description=booking.purpose,
        location=f"{resource.name}, {resource.site.name}, {resource.site.address}",
        url=absolute_url(reverse("rooms:my_bookings")),
        cancelled=booking.status == Reservation.Status.CANCELLED,
    )
