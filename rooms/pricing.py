"""What a booking costs, shown before the member confirms.

Prices are per hour, half-day and day, for members (a plan in force) and for
everyone else. The quote takes the cheapest fair reading: a day price for a day or
more of hours, a half-day price for up to a half-day, otherwise the hourly price,
capped by the longer period's price when that is cheaper.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from .models import Space

HALF_DAY = timedelta(hours=4, minutes=30)
DAY = timedelta(hours=10)
CENTS = Decimal("0.01")


@dataclass(frozen=True)
class Quote:
    amount: Decimal
    basis: str  # "hour", "half_day", "day"
    member_rate: bool


def quote(*, space: Space, duration: timedelta, member_rate: bool) -> Quote | None:
    """The price of one booking of ``duration``; None when the space has no price."""
    prefix = "price_member_" if member_rate else "price_public_"
    hour = getattr(space, prefix + "hour")
    half_day = getattr(space, prefix + "half_day")
    day = getattr(space, prefix + "day")
    options = []
    if hour is not None:
        hours = Decimal(duration / timedelta(minutes=1)) / 60
        options.append((hour * hours, "hour"))
    if half_day is not None and duration <= HALF_DAY:
        options.append((half_day, "half_day"))
    if day is not None and duration <= DAY:
        options.append((day, "day"))
    if not options:
        return None
    amount, basis = min(options, key=lambda option: option[0])
    return Quote(amount.quantize(CENTS, ROUND_HALF_UP), basis, member_rate)
