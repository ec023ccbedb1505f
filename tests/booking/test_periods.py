"""The periods of a day and the price of a range, as the pure functions compute them:
what the booking form offers and what the member is charged."""

from datetime import date, datetime, time
from decimal import Decimal

import pytest

from booking.localtime import SITE_TZ
from booking.periods import Price, Rates, day_periods, range_price

DAY = date(2026, 3, 3)


def at(hhmm: str) -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return datetime.combine(DAY, time(hours, minutes), tzinfo=SITE_TZ)


def periods(*windows: tuple[str, str]):
    return day_periods([(at(opens), at(closes)) for opens, closes in windows])


def spans(found) -> list[tuple[str, str, str]]:
    return [(p.name, f"{p.start:%H:%M}", f"{p.end:%H:%M}") for p in found]


def test_a_day_open_without_a_break_splits_at_the_hour_before_its_middle():
    assert spans(periods(("08:30", "18:30"))) == [
        ("morning", "08:30", "13:00"),
        ("afternoon", "13:00", "18:30"),
        ("day", "08:30", "18:30"),
    ]


def test_a_day_with_a_lunch_break_has_a_window_for_each_half():
    assert spans(periods(("08:30", "12:30"), ("13:30", "18:30"))) == [
        ("morning", "08:30", "12:30"),
        ("afternoon", "13:30", "18:30"),
        ("day", "08:30", "18:30"),
    ]


def test_with_three_windows_the_day_splits_at_the_break_nearest_its_middle():
    found = periods(("08:00", "10:00"), ("10:30", "12:00"), ("14:00", "18:00"))
    assert spans(found)[:2] == [("morning", "08:00", "12:00"), ("afternoon", "14:00", "18:00")]


def test_a_closed_day_has_no_period_and_a_short_one_only_the_day():
    assert periods() == []
    assert spans(periods(("09:00", "10:00"))) == [("day", "09:00", "10:00")]


OPEN_SPACE = Rates.of(None, "8.00", "15.00")  # the demo open space, member rate
MEETING_ROOM = Rates.of("15.00", "50.00", "90.00")  # the demo Salle Armagnac


@pytest.mark.parametrize(
    ("start", "end", "rates", "expected"),
    [
        ("08:30", "13:00", OPEN_SPACE, Price(Decimal("8.00"), "half_day")),
        ("13:00", "18:30", OPEN_SPACE, Price(Decimal("8.00"), "half_day")),
        ("08:30", "18:30", OPEN_SPACE, Price(Decimal("15.00"), "day")),
        # No hourly rate: 2 h inside the morning cost the morning.
        ("10:00", "12:00", OPEN_SPACE, Price(Decimal("8.00"), "half_day")),
        ("10:00", "12:00", MEETING_ROOM, Price(Decimal("30.00"), "hour")),
        # A started half-hour is paid.
        ("10:00", "11:15", MEETING_ROOM, Price(Decimal("22.50"), "hour")),
        # A morning and an hour: a half-day and an hour, cheaper than the day.
        ("08:30", "14:00", MEETING_ROOM, Price(Decimal("65.00"), "mixed")),
        # A morning and three hours: the day is cheaper.
        ("08:30", "16:00", MEETING_ROOM, Price(Decimal("90.00"), "day")),
        ("08:30", "13:00", Rates(), Price(Decimal("0.00"), "free")),
        # Only a day rate, and a range outside the day: no way to price it.
        ("19:00", "20:00", Rates.of(day="90.00"), Price(None, "none")),
    ],
)
def test_a_range_costs_the_cheapest_way_to_pay_for_its_time(start, end, rates, expected):
    day = periods(("08:30", "18:30"))
    assert range_price(start=at(start), end=at(end), periods=day, rates=rates) == expected


def test_a_period_is_never_charged_more_than_its_hours():
    cheap_hours = Rates.of("1.00", "8.00", "15.00")
    day = periods(("08:30", "18:30"))
    morning = day[0]
    assert range_price(
        start=morning.start, end=morning.end, periods=day, rates=cheap_hours
    ) == Price(Decimal("4.50"), "hour")
