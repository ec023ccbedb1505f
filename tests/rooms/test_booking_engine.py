"""The booking engine as a member and an animator meet it: what is booked, what is
refused and why, and that a refusal stores nothing."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from booking.localtime import local_datetime
from booking.models import Reservation
from booking.refusals import BookingRefused
from booking.selectors import nearest_free_slots
from booking.services import booking_cancel, booking_create
from core.refusals import NotFound
from tests.factories import ClosureFactory, DeskSpaceFactory, MemberFactory, SpaceFactory

from .conftest import MONDAY, at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def refused(code, **kwargs) -> BookingRefused:
    with pytest.raises(BookingRefused) as info:
        booking_create(**kwargs)
    assert info.value.code == code, info.value
    assert not Reservation.objects.exists()
    return info.value


# --- A booking that goes through ----------------------------------------------------


def test_member_books_a_free_meeting_room_slot(member):
    room = SpaceFactory()
    booking = booking_create(member=member, space=room, start=at(1, "10:00"), end=at(1, "11:00"))
    assert booking.status == Reservation.Status.CONFIRMED
    assert booking.member == member
    assert booking.resource_id == room.pk
    assert booking.exclusive is True
    assert booking.blocked_until == booking.end
    assert booking.replayed is False


def test_back_to_back_bookings_are_both_accepted(member):
    room = SpaceFactory()
    booking_create(member=member, space=room, start=at(1, "10:00"), end=at(1, "11:00"))
    other = MemberFactory()
    booking_create(member=other, space=room, start=at(1, "11:00"), end=at(1, "12:00"))
    assert Reservation.objects.count() == 2


def test_the_slot_in_progress_can_still_be_booked(member, clock):
    clock.move_to(datetime(2026, 3, 2, 10, 10, tzinfo=at(0, "10:00").tzinfo))
    room = SpaceFactory()
    booking = booking_create(member=member, space=room, start=at(0, "10:00"), end=at(0, "11:00"))
    assert booking.pk


def test_a_second_click_returns_the_same_booking_without_a_duplicate(member):
    room = SpaceFactory()
    first = booking_create(member=member, space=room, start=at(1, "10:00"), end=at(1, "11:00"))
    second = booking_create(member=member, space=room, start=at(1, "10:00"), end=at(1, "11:00"))
    assert second.pk == first.pk
    assert second.replayed is True
    assert Reservation.objects.count() == 1


# --- Bad input: a clear reason, nothing stored ------------------------------------


def test_end_before_start_is_refused(member):
    error = refused(
        "invalid_range",
        member=member,
        space=SpaceFactory(),
        start=at(1, "11:00"),
        end=at(1, "10:00"),
    )
    assert error.field == "end"
    assert "fin" in error.message


def test_zero_length_is_refused(member):
    refused(
        "invalid_range",
        member=member,
        space=SpaceFactory(),
        start=at(1, "11:00"),
        end=at(1, "11:00"),
    )


def test_naive_datetimes_are_refused(member):
    error = refused(
        "naive_datetime",
        member=member,
        space=SpaceFactory(),
        start=datetime(2026, 3, 3, 10),
        end=datetime(2026, 3, 3, 11),
    )
    assert error.field == "start"


def test_a_start_off_the_half_hour_grid_is_refused(member):
    error = refused(
        "off_grid", member=member, space=SpaceFactory(), start=at(1, "10:15"), end=at(1, "11:15")
    )
    assert "30 minutes" in error.message


def test_a_slot_already_past_is_refused(member):
    refused("past", member=member, space=SpaceFactory(), start=at(-7, "10:00"), end=at(-7, "11:00"))


def test_a_slot_beyond_the_horizon_is_refused(member):
    room = SpaceFactory(horizon_days=30)
    error = refused(
        "beyond_horizon", member=member, space=room, start=at(31, "10:00"), end=at(31, "11:00")
    )
    assert "30 jours" in error.message


def test_a_slot_after_closing_time_is_refused(member):
    refused(
        "outside_hours",
        member=member,
        space=SpaceFactory(),
        start=at(1, "18:00"),
        end=at(1, "19:00"),
    )


def test_a_slot_on_a_saturday_when_the_site_is_shut_is_refused(member):
    refused(
        "outside_hours",
        member=member,
        space=SpaceFactory(),
        start=at(5, "10:00"),
        end=at(5, "11:00"),
    )


def test_a_slot_across_the_lunch_break_is_refused(member):
    from tests.factories import SiteFactory

    site = SiteFactory(hours=[(1, time(8, 30), time(12, 30)), (1, time(13, 30), time(18, 30))])
    room = SpaceFactory(site=site)
    refused("outside_hours", member=member, space=room, start=at(1, "12:00"), end=at(1, "14:00"))
    assert booking_create(member=member, space=room, start=at(1, "13:30"), end=at(1, "14:30"))


def test_a_slot_on_a_public_holiday_is_refused_with_its_reason(member):
    room = SpaceFactory()
    ClosureFactory(
        site=room.site,
        start_date=MONDAY + timedelta(days=2),
        end_date=MONDAY + timedelta(days=2),
        reason="Fête locale",
    )
    error = refused("closed", member=member, space=room, start=at(2, "10:00"), end=at(2, "11:00"))
    assert "Fête locale" in error.message


def test_too_short_and_too_long_bookings_are_refused(member):
    room = SpaceFactory(min_minutes=60, max_minutes=180)
    refused("too_short", member=member, space=room, start=at(1, "10:00"), end=at(1, "10:30"))
    refused("too_long", member=member, space=room, start=at(1, "10:00"), end=at(1, "14:00"))


def test_a_local_time_skipped_by_spring_forward_is_refused():
    with pytest.raises(BookingRefused) as info:
        local_datetime(date(2026, 3, 29), time(2, 30))
    assert info.value.code == "nonexistent_local_time"
    assert info.value.field == "start"


def test_a_local_time_repeated_by_fall_back_is_refused():
    with pytest.raises(BookingRefused) as info:
        local_datetime(date(2026, 10, 25), time(2, 30), field="end")
    assert info.value.code == "ambiguous_local_time"
    assert info.value.field == "end"


def test_local_times_around_daylight_saving_days_map_to_the_right_instant():
    assert local_datetime(date(2026, 3, 29), time(10, 0)).utcoffset() == timedelta(hours=2)
    assert local_datetime(date(2026, 3, 28), time(10, 0)).utcoffset() == timedelta(hours=1)


def test_a_booking_on_the_day_clocks_go_forward_follows_local_hours(member, clock):
    from tests.factories import SiteFactory

    clock.move_to(datetime(2026, 3, 27, 9, 0, tzinfo=at(0, "10:00").tzinfo))
    site = SiteFactory(hours=[(6, time(8, 30), time(18, 30))])
    room = SpaceFactory(site=site)
    sunday = date(2026, 3, 29)
    booking = booking_create(
        member=member,
        space=room,
        start=local_datetime(sunday, time(8, 30)),
        end=local_datetime(sunday, time(9, 30)),
    )
    assert booking.start.astimezone(datetime.now().astimezone().tzinfo)  # stored aware
    assert (booking.end - booking.start) == timedelta(hours=1)


# --- Someone else is there ------------------------------------------------------------


def test_an_overlapping_booking_is_refused_as_taken(member):
    room = SpaceFactory()
    booking_create(member=MemberFactory(), space=room, start=at(1, "10:00"), end=at(1, "11:00"))
    with pytest.raises(BookingRefused) as info:
        booking_create(member=member, space=room, start=at(1, "10:30"), end=at(1, "11:30"))
    assert info.value.code == "taken"
    assert info.value.is_conflict
    assert Reservation.objects.count() == 1


def test_a_tentative_hold_blocks_the_slot(member):
    room = SpaceFactory()
    booking_create(
        member=None,
        space=room,
        start=at(1, "10:00"),
        end=at(1, "12:00"),
        status=Reservation.Status.TENTATIVE,
        source=Reservation.Source.RENTAL_REQUEST,
    )
    with pytest.raises(BookingRefused, match="déjà réservé"):
        booking_create(member=member, space=room, start=at(1, "11:00"), end=at(1, "12:00"))


def test_the_buffer_after_a_slot_keeps_the_next_one_blocked(member):
    room = SpaceFactory(buffer_minutes=30)
    first = booking_create(
        member=MemberFactory(), space=room, start=at(1, "10:00"), end=at(1, "11:00")
    )
    assert first.blocked_until == at(1, "11:30")
    with pytest.raises(BookingRefused, match="déjà réservé"):
        booking_create(member=member, space=room, start=at(1, "11:00"), end=at(1, "12:00"))
    assert booking_create(member=member, space=room, start=at(1, "11:30"), end=at(1, "12:30"))


def test_a_cancelled_slot_can_be_booked_again(member):
    room = SpaceFactory()
    first = booking_create(
        member=MemberFactory(), space=room, start=at(1, "10:00"), end=at(1, "11:00")
    )
    booking_cancel(member=first.member, booking=first)
    assert booking_create(member=member, space=room, start=at(1, "10:00"), end=at(1, "11:00"))


def test_more_people_than_the_room_holds_is_refused(member):
    room = SpaceFactory(capacity=6)
    error = refused(
        "over_capacity",
        member=member,
        space=room,
        seats=7,
        start=at(1, "10:00"),
        end=at(1, "11:00"),
    )
    assert error.field == "seats"


def test_a_reduced_jauge_lowers_what_the_room_holds(member):
    room = SpaceFactory(capacity=12, jauge=6)
    refused(
        "over_capacity",
        member=member,
        space=room,
        seats=8,
        start=at(1, "10:00"),
        end=at(1, "11:00"),
    )


def test_the_last_desk_goes_to_one_member_and_the_next_is_told_it_is_full():
    office = DeskSpaceFactory(capacity=2)
    for _ in range(2):
        booking_create(
            member=MemberFactory(), space=office, start=at(1, "08:30"), end=at(1, "12:30")
        )
    with pytest.raises(BookingRefused) as info:
        booking_create(
            member=MemberFactory(), space=office, start=at(1, "10:00"), end=at(1, "11:00")
        )
    assert info.value.code == "full"
    assert Reservation.objects.count() == 2


def test_a_morning_desk_and_an_afternoon_desk_leave_room_for_a_full_day():
    office = DeskSpaceFactory(capacity=2)
    booking_create(member=MemberFactory(), space=office, start=at(1, "08:30"), end=at(1, "12:30"))
    booking_create(member=MemberFactory(), space=office, start=at(1, "13:30"), end=at(1, "18:30"))
    booking_create(member=MemberFactory(), space=office, start=at(1, "08:30"), end=at(1, "18:30"))
    with pytest.raises(BookingRefused, match="places"):
        booking_create(
            member=MemberFactory(), space=office, start=at(1, "09:00"), end=at(1, "10:00")
        )


def test_the_site_jauge_counts_people_across_every_space():
    room = SpaceFactory(capacity=6)
    room.site.jauge = 5
    room.site.save()
    office = DeskSpaceFactory(site=room.site, capacity=10)
    booking_create(
        member=MemberFactory(), space=room, seats=4, start=at(1, "10:00"), end=at(1, "12:00")
    )
    booking_create(member=MemberFactory(), space=office, start=at(1, "08:30"), end=at(1, "12:30"))
    with pytest.raises(BookingRefused) as info:
        booking_create(
            member=MemberFactory(), space=office, start=at(1, "11:00"), end=at(1, "12:00")
        )
    assert info.value.code == "over_jauge"
    # After the meeting, there is room again.
    assert booking_create(
        member=MemberFactory(), space=office, start=at(1, "12:00"), end=at(1, "13:00")
    )


# --- Per-member limits --------------------------------------------------------------


def test_one_desk_a_day_counts_across_shared_offices_of_the_site(member):
    office = DeskSpaceFactory(max_bookings_per_day=1)
    other_office = DeskSpaceFactory(site=office.site, max_bookings_per_day=1)
    booking_create(member=member, space=office, start=at(1, "08:30"), end=at(1, "12:30"))
    with pytest.raises(BookingRefused) as info:
        booking_create(member=member, space=other_office, start=at(1, "13:30"), end=at(1, "18:30"))
    assert info.value.code == "over_limit"
    assert booking_create(
        member=member, space=other_office, start=at(2, "13:30"), end=at(2, "18:30")
    )


def test_meeting_room_hours_are_capped_per_week(member):
    room = SpaceFactory(max_minutes_per_week=180)
    booking_create(member=member, space=room, start=at(1, "10:00"), end=at(1, "12:00"))
    with pytest.raises(BookingRefused, match="3 heures"):
        booking_create(member=member, space=room, start=at(2, "10:00"), end=at(2, "11:30"))
    assert booking_create(member=member, space=room, start=at(2, "10:00"), end=at(2, "11:00"))
    # Next week starts afresh.
    assert booking_create(member=member, space=room, start=at(7, "10:00"), end=at(7, "12:00"))


# --- Animators' overrides -------------------------------------------------------------


def test_an_animator_can_book_on_a_closure_and_the_override_is_recorded(member, animator):
    room = SpaceFactory()
    ClosureFactory(
        site=room.site, start_date=MONDAY + timedelta(days=1), end_date=MONDAY + timedelta(days=1)
    )
    booking = booking_create(
        member=member,
        space=room,
        start=at(1, "19:00"),
        end=at(1, "21:00"),
        override_by=animator,
        override_reason="Soirée partenaires",
    )
    booking.refresh_from_db()
    assert booking.override_by == animator
    assert booking.override_reason == "Soirée partenaires"
    assert booking.overridden_rules == "closed"


def test_an_override_needs_a_reason(member, animator):
    refused(
        "override_reason_required",
        member=member,
        space=SpaceFactory(),
        start=at(1, "19:00"),
        end=at(1, "20:00"),
        override_by=animator,
    )


def test_a_member_cannot_override_the_rules(member):
    with pytest.raises(PermissionDenied):
        booking_create(
            member=member,
            space=SpaceFactory(),
            start=at(1, "19:00"),
            end=at(1, "20:00"),
            override_by=MemberFactory(),
            override_reason="x",
        )


def test_an_override_never_lifts_the_no_overlap_guarantee(member, animator):
    room = SpaceFactory()
    booking_create(member=MemberFactory(), space=room, start=at(1, "10:00"), end=at(1, "11:00"))
    with pytest.raises(BookingRefused, match="déjà réservé"):
        booking_create(
            member=member,
            space=room,
            start=at(1, "10:00"),
            end=at(1, "11:00"),
            override_by=animator,
            override_reason="urgent",
        )


# --- Cancelling --------------------------------------------------------------------------


def test_a_member_cancels_their_booking_before_the_cut_off(member):
    booking = booking_create(
        member=member, space=SpaceFactory(), start=at(3, "10:00"), end=at(3, "11:00")
    )
    booking_cancel(member=member, booking=booking)
    booking.refresh_from_db()
    assert booking.status == Reservation.Status.CANCELLED
    assert booking.cancelled_at is not None


def test_cancelling_inside_the_cut_off_is_refused(member):
    room = SpaceFactory(cancellation_cutoff_hours=24)
    booking = booking_create(member=member, space=room, start=at(0, "15:00"), end=at(0, "16:00"))
    with pytest.raises(BookingRefused) as info:
        booking_cancel(member=member, booking=booking)
    assert info.value.code == "cancellation_too_late"
    booking.refresh_from_db()
    assert booking.status == Reservation.Status.CONFIRMED


def test_an_animator_may_cancel_late(member, animator):
    booking = booking_create(
        member=member, space=SpaceFactory(), start=at(0, "15:00"), end=at(0, "16:00")
    )
    booking_cancel(member=animator, booking=booking)
    booking.refresh_from_db()
    assert booking.status == Reservation.Status.CANCELLED


def test_another_members_booking_cannot_be_cancelled_and_is_not_revealed(member):
    booking = booking_create(
        member=MemberFactory(), space=SpaceFactory(), start=at(3, "10:00"), end=at(3, "11:00")
    )
    with pytest.raises(NotFound):
        booking_cancel(member=member, booking=booking)
    booking.refresh_from_db()
    assert booking.status == Reservation.Status.CONFIRMED


# --- Offered alternatives ---------------------------------------------------------------


def test_the_nearest_free_slots_are_offered_when_a_slot_is_taken(member):
    room = SpaceFactory()
    booking_create(member=MemberFactory(), space=room, start=at(1, "10:00"), end=at(1, "12:00"))
    slots = nearest_free_slots(resource=room, start=at(1, "10:00"), duration=timedelta(hours=1))
    assert slots == [
        (at(1, "09:00"), at(1, "10:00")),
        (at(1, "08:30"), at(1, "09:30")),
        (at(1, "12:00"), at(1, "13:00")),
    ]


def test_the_nearest_free_slots_skip_a_full_office_and_the_closed_weekend():
    office = DeskSpaceFactory(capacity=1)
    booking_create(member=MemberFactory(), space=office, start=at(4, "08:30"), end=at(4, "18:30"))
    slots = nearest_free_slots(
        resource=office, start=at(4, "08:30"), duration=timedelta(hours=10), n=4
    )
    # Friday is full and the weekend (one and two days after) is shut: the days before,
    # then Monday, ties going to the earlier date.
    assert [s for s, _e in slots] == [
        at(3, "08:30"),
        at(2, "08:30"),
        at(1, "08:30"),
        at(7, "08:30"),
    ]


def test_an_animator_cannot_lift_the_site_jauge(member, animator):
    room = SpaceFactory(capacity=6)
    room.site.jauge = 3
    room.site.save()
    with pytest.raises(BookingRefused) as info:
        booking_create(
            member=member,
            space=room,
            seats=4,
            start=at(1, "19:00"),
            end=at(1, "20:00"),
            override_by=animator,
            override_reason="soirée",
        )
    assert info.value.code == "over_jauge"
