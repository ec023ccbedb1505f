"""Writes of the rooms app: weekly series of bookings and outsiders' rental requests.

The booking engine they call (``reservation_create``, ``BookingRefused``…) is the
``booking`` app's: ``from booking.services import booking_create``.
"""

from .series import Occurrence, booking_series_create, booking_series_preview

__all__ = ["Occurrence", "booking_series_create", "booking_series_preview"]
