from dynamo.ics import Event

from .models import Reservation


def booking_event(booking: Reservation, *, url: str = "") -> Event:
    resource = booking.resource
    return Event(
        uid=f"reservation-{booking.pk}@ladynamo",
        start=booking.start,
        end=booking.end,
        summary=f"{resource.name} — {resource.site.name}",
        description=booking.purpose,
        location=f"{resource.name}, {resource.site.name}, {resource.site.address}",
        url=url,
        cancelled=booking.status == Reservation.Status.CANCELLED,
    )
