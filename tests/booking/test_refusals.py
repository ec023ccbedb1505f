"""The one refusal type: each domain's codes say their status, their field, whether
nearest slots are offered and whether an animator may lift them."""

import pytest

from booking import refusals as booking
from booking.refusals import BookingRefused
from core.refusals import NotFound, Refusal
from workshops import refusals as workshops
from workshops.refusals import RegistrationRefused


@pytest.mark.parametrize("refusal_class", [BookingRefused, RegistrationRefused, NotFound])
def test_every_domain_refusal_is_the_one_refusal_type(refusal_class):
    assert issubclass(refusal_class, Refusal)


@pytest.mark.parametrize(
    "code",
    [
        booking.BEYOND_HORIZON,
        booking.CANCELLATION_TOO_LATE,
        booking.OVER_LIMIT,
        booking.TOO_SHORT,
        booking.TOO_LONG,
        booking.OUTSIDE_HOURS,
        booking.CLOSED,
    ],
)
def test_an_animator_may_lift_the_horizon_cutoff_limits_durations_hours_and_closures(code):
    assert BookingRefused.codes[code].overridable


@pytest.mark.parametrize(
    "code",
    [
        booking.TAKEN,
        booking.IN_BUFFER,
        booking.OVER_CAPACITY,
        booking.FULL,
        booking.OVER_JAUGE,
        booking.IN_MAINTENANCE,
        booking.NOT_QUALIFIED,
    ],
)
def test_nobody_may_lift_overlap_capacity_the_jauge_maintenance_or_qualification(code):
    assert not BookingRefused.codes[code].overridable


def test_a_held_slot_is_a_conflict_offering_the_nearest_free_ones():
    refusal = BookingRefused(booking.TAKEN)
    assert (refusal.status, refusal.offers_alternatives) == (409, True)


def test_a_rule_broken_names_its_field_by_default_and_the_raise_site_may_name_another():
    assert BookingRefused(booking.TOO_LONG, minutes=180).field == "end"
    assert BookingRefused(booking.OFF_GRID, field="end", minutes=30).field == "end"
    assert BookingRefused(booking.BEYOND_HORIZON, days=90).status == 422


def test_a_missing_qualification_is_forbidden():
    assert BookingRefused(booking.NOT_QUALIFIED).status == 403


def test_the_message_is_formatted_with_its_parameters():
    refusal = BookingRefused(booking.BEYOND_HORIZON, days=90)
    assert refusal.message == "On ne peut pas réserver plus de 90 jours à l'avance."
    assert str(refusal) == refusal.message


def test_the_codes_keep_the_values_clients_rely_on():
    assert set(BookingRefused.codes) >= {
        "invalid_range",
        "naive_datetime",
        "nonexistent_local_time",
        "ambiguous_local_time",
        "invalid_seats",
        "inactive",
        "off_grid",
        "past",
        "beyond_horizon",
        "closed",
        "outside_hours",
        "too_short",
        "too_long",
        "over_limit",
        "over_capacity",
        "taken",
        "in_buffer",
        "in_maintenance",
        "not_qualified",
        "full",
        "over_jauge",
        "cancellation_too_late",
        "override_reason_required",
        "held_elsewhere",
        "unknown_space",
        "unknown_machine",
    }
    assert set(RegistrationRefused.codes) == {
        "cancelled",
        "past",
        "not_open_yet",
        "closed",
        "already_registered",
        "members_only",
        "not_found",
    }


@pytest.mark.parametrize(
    ("code", "status"),
    [
        (workshops.ALREADY_REGISTERED, 409),
        (workshops.CLOSED, 409),
        (workshops.MEMBERS_ONLY, 403),
        (workshops.NOT_FOUND, 404),
    ],
)
def test_registration_refusals_say_their_status(code, status):
    params = {"date": "lundi"} if code == workshops.NOT_OPEN_YET else {}
    assert RegistrationRefused(code, **params).status == status


def test_an_unknown_code_is_a_programming_error():
    with pytest.raises(KeyError):
        BookingRefused("no_such_code")
