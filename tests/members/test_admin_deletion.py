"""Deleting a member in the admin is the account deletion of the account page: what
they held still to come is released, and the waitlist moves up."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from booking.models import Reservation
from booking.services import booking_create
from members.models import User
from tests.factories import MemberFactory, SessionFactory, SpaceFactory
from workshops.models import Registration
from workshops.services import registration_create

pytestmark = pytest.mark.django_db

PARIS = timezone.get_default_timezone()
# A Monday morning; the session is a week later, the booking on the Wednesday.
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def admin_user(client):
    """A superuser: deleting an account also deletes its e-mail addresses (allauth's),
    which the animators' group has no right to delete."""
    user = MemberFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def _member_with_a_seat_a_waitlist_and_a_booking():
    member = MemberFactory()
    session = SessionFactory(capacity=1)
    registration_create(session=session, member=member)
    waiting = registration_create(session=session, member=MemberFactory())
    start = datetime(2026, 12, 2, 10, 0, tzinfo=PARIS)
    booking = booking_create(
        member=member, space=SpaceFactory(), start=start, end=start + timedelta(hours=1)
    )
    return member, waiting, booking


def test_deleting_a_member_in_the_admin_promotes_the_waitlist_and_frees_their_booking(
    client, admin_user
):
    member, waiting, booking = _member_with_a_seat_a_waitlist_and_a_booking()

    response = client.post(f"/admin/members/user/{member.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=member.pk).exists()
    waiting.refresh_from_db()
    booking.refresh_from_db()
    assert waiting.status == Registration.Status.REGISTERED
    assert booking.status == Reservation.Status.CANCELLED
    assert booking.member_id is None


def test_deleting_members_from_the_admin_list_releases_what_they_held(client, admin_user):
    member, waiting, booking = _member_with_a_seat_a_waitlist_and_a_booking()
    other, other_waiting, other_booking = _member_with_a_seat_a_waitlist_and_a_booking()

    response = client.post(
        "/admin/members/user/",
        {"action": "delete_selected", "_selected_action": [member.pk, other.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert not User.objects.filter(pk__in=[member.pk, other.pk]).exists()
    for registration in (waiting, other_waiting):
        registration.refresh_from_db()
        assert registration.status == Registration.Status.REGISTERED
    for reservation in (booking, other_booking):
        reservation.refresh_from_db()
        assert reservation.status == Reservation.Status.CANCELLED
