"""On PostgreSQL, with real threads: outsiders' rental requests and members' bookings
for the same meeting-room hour, all at once, on a site with a jauge. Both paths take
the site's row and the room's row in the one order — a member's booking of a room with
a per-member limit takes the member's row first (member, site, room) while a rental
request, which has no member, takes site then room — so none waits on the other in a
circle: no deadlock, no error, and the room goes to one of them."""

import pytest

from booking.models import Reservation
from booking.refusals import BookingRefused
from booking.services import booking_create
from rooms.models import RentalRequest
from rooms.services.rentals import rental_request_create
from tests.concurrency import race
from tests.factories import MemberFactory, SiteFactory, SpaceFactory

from .conftest import at

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("clock"),
]

ROUNDS = 8
EACH = 4


def _rent(*, room, start, end, n):
    return rental_request_create(
        space=room,
        start=start,
        end=end,
        people=2,
        name=f"Visiteur {n}",
        email=f"visiteur{n}@example.org",
        purpose="Réunion d'association",
    )


def _book(*, room, start, end, member):
    return booking_create(member=member, space=room, start=start, end=end)


def attempt(action, **request):
    """One visitor's or member's request: what it made, the refusal's code, or, for
    anything else (a deadlock, a lock taken out of order), the error itself."""
    try:
        return action(**request)
    except BookingRefused as refused:
        return refused.code
    except Exception as error:  # what this test is about: reported, not raised
        return ("error", repr(error))


# A limit each member stays under (one booking an hour, for ROUNDS hours): with it,
# bookings lock the member's row too, before the site's.
PER_MEMBER_LIMIT = {"max_bookings_per_day": ROUNDS}


@pytest.mark.parametrize("limits", [{}, PER_MEMBER_LIMIT], ids=["no-limit", "per-member-limit"])
def test_rental_requests_and_bookings_for_one_room_hour_at_once_never_deadlock(limits):
    site = SiteFactory(jauge=30)
    room = SpaceFactory(site=site, **limits)
    members = [MemberFactory() for _ in range(EACH)]
    outcomes = []
    for hour in range(9, 9 + ROUNDS):
        start, end = at(1, f"{hour}:00"), at(1, f"{hour + 1}:00")
        requests = [
            {"action": _rent, "room": room, "start": start, "end": end, "n": n} for n in range(EACH)
        ] + [
            {"action": _book, "room": room, "start": start, "end": end, "member": member}
            for member in members
        ]
        outcomes += race(attempt, requests)
        holders = Reservation.objects.filter(
            resource=room, start=start, status__in=Reservation.ACTIVE
        )
        assert holders.count() == 1, list(holders)

    errors = [o for o in outcomes if isinstance(o, tuple)]
    assert errors == []
    refusals = {o for o in outcomes if isinstance(o, str)}
    assert refusals <= {"taken"}
    made = [o for o in outcomes if isinstance(o, Reservation | RentalRequest)]
    assert len(made) + sum(isinstance(o, str) for o in outcomes) == ROUNDS * EACH * 2
    # One holder per hour; any other request that got through is a rental request
    # waiting, unheld, behind a competitor's.
    assert Reservation.objects.filter(resource=room, status__in=Reservation.ACTIVE).count() == (
        ROUNDS
    )
