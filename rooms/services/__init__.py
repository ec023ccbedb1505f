"""Writes of the rooms app and the booking engine shared with Fablab and workshops.

Import from here: ``from rooms.services import booking_create, BookingRefused``.
"""

from . import errors
from .bookings import (
    Cancellation,
    active_overlapping,
    booking_cancel,
    booking_create,
    booking_get_for_member,
    bookings_release_for_member,
    can_override,
    cancellation_deadline,
    nearest_free_slots,
    reservation_cancel,
    reservation_cancellation,
    reservation_confirm,
    reservation_create,
)
from .errors import BookingRefused
from .localtime import SITE_TZ, local_datetime, local_label, require_aware, to_local
from .series import Occurrence, booking_series_create, booking_series_preview

__all__ = [
    "SITE_TZ",
    "BookingRefused",
    "Cancellation",
    "Occurrence",
    "active_overlapping",
    "booking_cancel",
    "booking_create",
    "booking_get_for_member",
    "booking_series_create",
    "booking_series_preview",
    "bookings_release_for_member",
    "can_override",
    "cancellation_deadline",
    "errors",
    "local_datetime",
    "local_label",
    "nearest_free_slots",
    "require_aware",
    "reservation_cancel",
    "reservation_cancellation",
    "reservation_confirm",
    "reservation_create",
    "to_local",
]
