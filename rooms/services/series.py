"""Recurring bookings: the same slot every week for N weeks.

The member first sees every date with its verdict (free, or why not), then confirms;
the free dates are booked at once, in one transaction, and the others skipped.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction

from ..models import Reservation, Space
from .bookings import booking_create
from .errors import BookingRefused
from .localtime import local_datetime, to_local

MAX_WEEKS = 26


@dataclass
class Occurrence:
    start: datetime
    end: datetime
    refusal: BookingRefused | None = None
    booking: Reservation | None = None

    @property
    def is_free(self) -> bool:
        return self.refusal is None


class _DryRun(Exception):
    """Raised inside a savepoint to undo a trial booking."""


def weekly_occurrences(*, start: datetime, end: datetime, weeks: int) -> list[Occurrence]:
    """The same local wall-clock slot on ``weeks`` consecutive weeks (a booking at 9:00
    stays at 9:00 across a daylight-saving change). A week whose local time does not
    exist or is ambiguous carries that refusal."""
    local_start, local_end = to_local(start), to_local(end)
    occurrences = []
    for week in range(max(1, min(weeks, MAX_WEEKS))):
        day = local_start.date() + timedelta(weeks=week)
        end_day = local_end.date() + timedelta(weeks=week)
        try:
            occurrences.append(
                Occurrence(
                    local_datetime(day, local_start.time()),
                    local_datetime(end_day, local_end.time(), field="end"),
                )
            )
        except BookingRefused as refusal:
            occurrences.append(
                Occurrence(start + timedelta(weeks=week), end + timedelta(weeks=week), refusal)
            )
    return occurrences


def series_preview(
    *, member, space: Space, occurrences: list[Occurrence], seats: int = 1
) -> list[Occurrence]:
    """Mark each occurrence free or refused (with the engine's reason), booking nothing.

    Each date is tried for real by the engine inside a savepoint that is then rolled
    back, so the verdict is exactly what booking would say, limits included (earlier
    dates of the series count towards them, as they would when booked together).
    """
    try:
        with transaction.atomic():
            for occurrence in occurrences:
                if occurrence.refusal is not None:
                    continue
                try:
                    booking_create(
                        member=member,
                        space=space,
                        start=occurrence.start,
                        end=occurrence.end,
                        seats=seats,
                    )
                except BookingRefused as refusal:
                    occurrence.refusal = refusal
            raise _DryRun
    except _DryRun:
        pass
    return occurrences


@transaction.atomic
def series_book(
    *, member, space: Space, occurrences: list[Occurrence], seats: int = 1
) -> list[Occurrence]:
    """Book every occurrence that is free now; the others keep their refusal. A date
    taken since the preview is refused, not double-booked. Clicking twice books
    nothing twice (the engine returns the existing booking)."""
    for occurrence in occurrences:
        if occurrence.refusal is not None and occurrence.refusal.code in (
            "nonexistent_local_time",
            "ambiguous_local_time",
        ):
            continue
        occurrence.refusal = None
        try:
            occurrence.booking = booking_create(
                member=member, space=space, start=occurrence.start, end=occurrence.end, seats=seats
            )
        except BookingRefused as refusal:
            occurrence.refusal = refusal
    return occurrences
