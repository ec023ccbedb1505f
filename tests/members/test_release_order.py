"""Deleting an account releases everything it holds — a booking, a Fablab slot, a
workshop seat — whatever order the apps were installed (and so registered) in: the
release hooks run in the order of the locks they take, not of INSTALLED_APPS."""

import pytest

from booking.models import Reservation
from booking.services import booking_create
from fablab.services import machine_reservation_create
from members import hooks
from members.models import User
from members.services import account_delete
from tests.factories import (
    MachineFactory,
    MemberFactory,
    QualificationFactory,
    SessionFactory,
    SpaceFactory,
)
from tests.rooms.conftest import at, clock  # noqa: F401  (the frozen week)
from workshops.models import Registration
from workshops.services import registration_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture(params=["as-installed", "reversed"])
def registration_order(request):
    """The release hooks registered as the apps do, or in the reverse order."""
    saved = list(hooks._release)
    if request.param == "reversed":
        hooks._release.clear()
        for order, fn in reversed(saved):
            hooks.register_release(fn, order=order)
    yield request.param
    hooks._release[:] = saved


def test_deleting_an_account_releases_its_booking_fablab_slot_and_seat_in_any_app_order(
    registration_order,
):
    member = MemberFactory()
    laser = MachineFactory(max_future_slots=2)
    QualificationFactory(member=member, machine=laser)
    booking = booking_create(
        member=member, space=SpaceFactory(), start=at(1, "10:00"), end=at(1, "11:00")
    )
    slot = machine_reservation_create(
        member=member, machine=laser, start=at(1, "14:00"), end=at(1, "15:00")
    )
    session = SessionFactory(capacity=1, start=at(7, "09:30"), end=at(7, "12:00"))
    registration_create(session=session, member=member)
    waiting = registration_create(session=session, member=MemberFactory())

    account_delete(member=member)

    assert not User.objects.filter(pk=member.pk).exists()
    for reservation in (booking, slot):
        reservation.refresh_from_db()
        assert reservation.status == Reservation.Status.CANCELLED
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.REGISTERED
