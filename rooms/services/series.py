"""Recurring bookings: the same slot every week for N weeks.

The member first sees every date with its verdict (free, already theirs, or why not),
then confirms; the free dates are booked at once, in one transaction, the dates already
theirs are left as they are, and the others skipped.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction

from booking.localtime import local_datetime, to_local
from booking.models import Reservation
from booking.refusals import BookingRefused
from booking.selectors import member_holdings
from booking.services import booking_create, reservation_series_check

from ..models import Space

MAX_WEEKS = 26


@dataclass
class Occurrence:
    """One date of a weekly series: its range, and its refusal or its booking.
    ``already_held``: the member already holds exactly this range (the engine returns
    that booking as is; nothing new is booked)."""

    start: datetime
    end: datetime
    refusal: BookingRefused | None = None
    booking: Reservation | None = None
    already_held: bool = False

    @property
    def is_free(self) -> bool:
        """Bookable, and not already the member's."""
        return self.refusal is None and not self.already_held

    @property
    def is_new(self) -> bool:
        """Booked by this series (not a booking the member already held)."""
        return self.booking is not None and not self.already_held


def _weekly(*, start: datetime, end: datetime, weeks: int) -> list[Occurrence]:
    """The same local wall-clock range each week (10:00 stays 10:00 across a
    daylight-saving change). A week whose local time is skipped or repeated by the
    clocks carries that refusal instead of failing the whole series."""
    local_start, local_end = to_local(start), to_local(end)
    occurrences = []
    for week in range(max(1, min(weeks, MAX_WEEKS))):
        shift = timedelta(weeks=week)
        try:
            occurrences.append(
                Occurrence(
                    local_datetime(local_start.date() + shift, local_start.time()),
                    local_datetime(local_end.date() + shift, local_end.time(), field="end"),
                )
            )
        except BookingRefused as refusal:
            occurrences.append(Occurrence(start + shift, end + shift, refusal))
    return occurrences


def _book_each(*, member, space: Space, occurrences: list[Occurrence], seats: int, now) -> None:
    for occurrence in occurrences:
        if occurrence.refusal is not None:
            continue
        try:
            occurrence.booking = booking_create(
                member=member,
                space=space,
                start=occurrence.start,
                end=occurrence.end,
                seats=seats,
                now=now,
            )
        except BookingRefused as refusal:
            occurrence.refusal = refusal
        else:
            occurrence.already_held = occurrence.booking.replayed


def booking_series_preview(
    *,
    member,
    space: Space,
    start: datetime,
    end: datetime,
    weeks: int,
    seats: int = 1,
    now: datetime | None = None,
) -> list[Occurrence]:
    """Each weekly occurrence with the refusal it would meet (None when bookable) and
    ``already_held`` when the member already holds exactly that range, writing nothing
    and taking no lock (a GET shows it).

    The engine's dry run (``reservation_series_check``) judges every date with the
    rules booking applies, the earlier dates of the series that would be booked
    counting as held and against the per-member limits, as booking the series would.
    A fixed number of queries whatever the number of weeks.
    """
    occurrences = _weekly(start=start, end=end, weeks=weeks)
    candidates = [o for o in occurrences if o.refusal is None]
    verdicts = reservation_series_check(
        resource=space,
        member=member,
        ranges=[(o.start, o.end) for o in candidates],
        seats=seats,
        now=now,
    )
    for occurrence, found in zip(candidates, verdicts, strict=True):
        occurrence.refusal = found[0] if found else None
    # The dry run answers no refusal for a range the member already holds exactly (the
    # engine would return it as is): say so rather than "free".
    if candidates and member is not None and member.is_authenticated:
        held = {
            (h.start, h.end)
            for h in member_holdings(member=member, since=candidates[0].start)
            if h.resource_id == space.pk
        }
        for occurrence in candidates:
            occurrence.already_held = (
                occurrence.refusal is None and (occurrence.start, occurrence.end) in held
            )
    return occurrences


@transaction.atomic
def booking_series_create(
    *,
    member,
    space: Space,
    start: datetime,
    end: datetime,
    weeks: int,
    seats: int = 1,
    now: datetime | None = None,
) -> list[Occurrence]:
    """Book every weekly occurrence that can be booked, in one transaction; the others
    come back with their refusal, and the dates the member already held exactly with
    that booking and ``already_held`` (``is_new`` counts what this call booked). Each date runs in the engine's own savepoint, so a
    refused date never undoes the booked ones, and a date taken since the preview is
    refused, never double-booked. A second click books nothing twice."""
    occurrences = _weekly(start=start, end=end, weeks=weeks)
    _book_each(member=member, space=space, occurrences=occurrences, seats=seats, now=now)
    return occurrences
