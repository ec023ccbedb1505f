"""Local (Europe/Paris) dates and times, and the daylight-saving traps.

Stored datetimes are UTC; rules (opening hours, the grid, "a day", "a week") are in
the site's local time. Forms build datetimes with ``local_datetime`` so that a time
skipped (spring forward) or repeated (fall back) is refused, never guessed.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from .refusals import AMBIGUOUS_LOCAL_TIME, NAIVE_DATETIME, NONEXISTENT_LOCAL_TIME, BookingRefused

# Every site of the network is in metropolitan France so far; a per-site zone would
# be a field on Site read here.
SITE_TZ = ZoneInfo(settings.TIME_ZONE)


def local_datetime(
    day: date, at: time, *, tz: ZoneInfo = SITE_TZ, field: str = "start"
) -> datetime:
    """The aware datetime for a local wall-clock date and time.

    Raises BookingRefused ``nonexistent_local_time`` for a time the clocks skip
    (e.g. 02:30 on the last Sunday of March) and ``ambiguous_local_time`` for one they
    show twice (02:30 on the last Sunday of October), naming ``field``.
    """
    naive = datetime.combine(day, at.replace(tzinfo=None, fold=0))
    candidate = naive.replace(tzinfo=tz)
    # A skipped time does not survive a round trip through UTC.
    if candidate.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
        raise BookingRefused(NONEXISTENT_LOCAL_TIME, field=field)
    if candidate.utcoffset() != candidate.replace(fold=1).utcoffset():
        raise BookingRefused(AMBIGUOUS_LOCAL_TIME, field=field)
    return candidate


def require_aware(value: datetime, *, field: str) -> datetime:
    """Refuse a naive datetime (``naive_datetime``): its instant cannot be known."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise BookingRefused(NAIVE_DATETIME, field=field)
    return value


def to_local(value: datetime, tz: ZoneInfo = SITE_TZ) -> datetime:
    return value.astimezone(tz)


# The one way a moment is written in a label: admin titles, action messages, __str__.
LABEL_FORMAT = "%d/%m/%Y %H:%M"


def local_label(value: datetime | None, fmt: str = LABEL_FORMAT) -> str:
    """An aware datetime as the site's wall-clock text ("10/11/2026 09:30"), whatever
    zone it carries (UTC from the database, Paris from a form); "" for None.

    A naive value is read as local time, as Django reads one on save.
    """
    if value is None:
        return ""
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=SITE_TZ)
    return to_local(value).strftime(fmt)


def local_day_bounds(day: date, tz: ZoneInfo = SITE_TZ) -> tuple[datetime, datetime]:
    """[midnight, next midnight) of a local day, aware (23 or 25 hours at DST changes)."""
    return (
        datetime.combine(day, time(0), tzinfo=tz),
        datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz),
    )


def minutes_since_midnight(value: datetime) -> int:
    """Wall-clock minutes since local midnight: what the grid is aligned on."""
    return value.hour * 60 + value.minute
