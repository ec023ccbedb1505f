"""Weekly series, previews, confirming a hold and the price shown before booking."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from booking.localtime import local_datetime
from booking.models import Reservation, Resource
from booking.refusals import BookingRefused
from booking.services import (
    booking_create,
    bookings_release_for_member,
    reservation_confirm,
    reservation_create,
)
from rooms.selectors import price_quote
from rooms.services import booking_series_create, booking_series_preview
from tests.factories import ClosureFactory, DeskSpaceFactory, MemberFactory, SpaceFactory

from .conftest import MONDAY, at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def test_a_series_preview_names_each_conflicting_date_and_writes_nothing(member):
    room = SpaceFactory()
    ClosureFactory(
        site=room.site,
        start_date=MONDAY + timedelta(days=8),
        end_date=MONDAY + timedelta(days=8),
        reason="Fermeture",
    )
    booking_create(member=MemberFactory(), space=room, start=at(15, "10:00"), end=at(15, "11:00"))
    preview = booking_series_preview(
        member=member, space=room, start=at(1, "10:00"), end=at(1, "11:00"), weeks=4
    )
    assert [o.refusal.code if o.refusal else None for o in preview] == [
        None,
        "closed",
        "taken",
        None,
    ]
    assert Reservation.objects.count() == 1


def test_a_series_books_the_free_dates_at_once_and_returns_the_others(member):
    room = SpaceFactory()
    booking_create(member=MemberFactory(), space=room, start=at(8, "10:00"), end=at(8, "11:00"))
    series = booking_series_create(
        member=member, space=room, start=at(1, "10:00"), end=at(1, "11:00"), weeks=3
    )
    assert [o.booking is not None for o in series] == [True, False, True]
    assert series[1].refusal.code == "taken"
    assert Reservation.objects.filter(member=member).count() == 2


def test_a_weekly_series_keeps_its_local_time_across_the_clocks_change(member, clock):
    clock.move_to(datetime(2026, 3, 16, 9, 0, tzinfo=at(0, "09:00").tzinfo))
    room = SpaceFactory()
    start = local_datetime(date(2026, 3, 24), time(10, 0))
    series = booking_series_create(
        member=member, space=room, start=start, end=start + timedelta(hours=1), weeks=2
    )
    after = series[1].booking.start.astimezone(start.tzinfo)
    assert after.time() == time(10, 0)
    assert after.utcoffset() == timedelta(hours=2)


def test_an_animator_confirms_a_tentative_hold(animator):
    room = SpaceFactory()
    hold = reservation_create(
        resource=room,
        start=at(1, "10:00"),
        end=at(1, "12:00"),
        status=Reservation.Status.TENTATIVE,
        source=Reservation.Source.RENTAL_REQUEST,
    )
    reservation_confirm(reservation=hold, by=animator)
    hold.refresh_from_db()
    assert hold.status == Reservation.Status.CONFIRMED


def test_a_member_cannot_confirm_a_hold(member):
    hold = reservation_create(
        resource=SpaceFactory(),
        start=at(1, "10:00"),
        end=at(1, "12:00"),
        status=Reservation.Status.TENTATIVE,
    )
    with pytest.raises(PermissionDenied):
        reservation_confirm(reservation=hold, by=member)


def test_a_non_space_resource_is_booked_by_the_same_engine(member):
    """What the Fablab will do with a machine: a plain resource with a buffer."""
    space = SpaceFactory()
    laser = Resource.objects.create(
        site=space.site,
        name="Découpe laser",
        category="laser",
        buffer_minutes=15,
        slot_minutes=15,
        min_minutes=15,
    )
    first = reservation_create(
        resource=laser,
        member=member,
        start=at(1, "10:00"),
        end=at(1, "11:00"),
        source=Reservation.Source.FABLAB,
    )
    assert first.blocked_until == at(1, "11:15")
    with pytest.raises(BookingRefused, match="déjà réservé"):
        reservation_create(
            resource=laser, member=MemberFactory(), start=at(1, "11:00"), end=at(1, "11:30")
        )


def test_the_price_is_the_cheapest_of_hourly_half_day_and_day():
    room = SpaceFactory(
        price_member_hour="10.00",
        price_member_half_day="30.00",
        price_member_day="50.00",
        price_public_hour="20.00",
        price_public_half_day=None,
        price_public_day=None,
    )
    assert price_quote(
        space=room, start=at(1, "10:00"), end=at(1, "11:30"), is_member=True
    ) == Decimal("15.00")
    assert price_quote(
        space=room, start=at(1, "08:30"), end=at(1, "12:30"), is_member=True
    ) == Decimal("30.00")
    assert price_quote(
        space=room, start=at(1, "08:30"), end=at(1, "18:30"), is_member=True
    ) == Decimal("50.00")
    assert price_quote(
        space=room, start=at(1, "10:00"), end=at(1, "12:00"), is_member=False
    ) == Decimal("40.00")


def test_a_desk_without_an_hourly_rate_is_priced_by_half_day():
    office = DeskSpaceFactory(
        price_member_hour=None, price_member_half_day="8.00", price_member_day="15.00"
    )
    assert price_quote(
        space=office, start=at(1, "08:30"), end=at(1, "10:30"), is_member=True
    ) == Decimal("8.00")


def test_leaving_the_network_frees_the_members_future_slots(member):
    room = SpaceFactory()
    booking = booking_create(member=member, space=room, start=at(1, "10:00"), end=at(1, "11:00"))
    assert bookings_release_for_member(member=member) == 1
    booking.refresh_from_db()
    assert booking.status == Reservation.Status.CANCELLED
    assert booking_create(
        member=MemberFactory(), space=room, start=at(1, "10:00"), end=at(1, "11:00")
    )


def test_a_series_preview_counts_its_own_dates_towards_the_weekly_limit(member):
    room = SpaceFactory(max_minutes_per_week=90)
    preview = booking_series_preview(
        member=member, space=room, start=at(1, "10:00"), end=at(1, "11:00"), weeks=1
    )
    assert preview[0].is_free
    # Two one-hour dates in the same week: the second goes over 90 minutes.
    first = booking_create(member=member, space=room, start=at(2, "10:00"), end=at(2, "11:00"))
    assert first.pk
    again = booking_series_preview(
        member=member, space=room, start=at(3, "10:00"), end=at(3, "11:00"), weeks=1
    )
    assert again[0].refusal.code == "over_limit"
