"""Writes of the rooms app, one module each: ``series`` (weekly series of bookings,
exported here) and ``rentals`` (outsiders' rental requests: import them from
``rooms.services.rentals``).

The booking engine they call (``reservation_create``, ``BookingRefused``…) is the
``booking`` app's: ``from booking.services import booking_create``.
"""

from .series import Occurrence, booking_series_create, booking_series_preview

__all__ = ["Occurrence", "booking_series_create", "booking_series_preview"]
