"""A deactivated account (the admin's "Actif" box) holds nothing still to come, and the
waitlist never hands it a seat."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from booking.models import Reservation
from booking.services import booking_create
from members.models import User
from members.services import animator_make, member_deactivate
from tests.factories import MemberFactory, SessionFactory, SpaceFactory
from workshops.models import Registration
from workshops.selectors import waitlist_position
from workshops.services import registration_cancel, registration_create

pytestmark = pytest.mark.django_db

PARIS = timezone.get_default_timezone()
# A Monday morning; the sessions are a week later, the booking on the Wednesday.
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def animator(client):
    animator = animator_make(email=MemberFactory().email)
    client.force_login(animator)
    return animator


def _untick_active_in_the_admin(client, member):
    """Post the member's admin form as an animator would, with "Actif" unticked."""
    data = {
        "email": member.email,
        "first_name": member.first_name,
        "last_name": member.last_name,
        "language": member.language,
        "kind": member.kind,
        "directory_visibility": member.directory_visibility,
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "_save": "Enregistrer",
    }
    response = client.post(f"/admin/members/user/{member.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    member.refresh_from_db()
    assert not member.is_active


def _full_session_with_waitlist():
    """Capacity 1: A registered, then B and C on the waitlist."""
    session = SessionFactory(capacity=1)
    a, b, c = (
        MemberFactory(email=f"{name}@example.org", first_name=name.upper())
        for name in ("a", "b", "c")
    )
    seats = [registration_create(session=session, member=m) for m in (a, b, c)]
    assert [r.status for r in seats] == ["registered", "waitlisted", "waitlisted"]
    return seats


def test_a_member_deactivated_in_the_admin_is_not_promoted_the_next_person_is(
    client, animator, deliver_outbox, mailoutbox
):
    a, b, c = _full_session_with_waitlist()
    deliver_outbox()
    mailoutbox.clear()

    _untick_active_in_the_admin(client, b.member)
    registration_cancel(registration=a)
    deliver_outbox()

    b.refresh_from_db()
    c.refresh_from_db()
    assert b.status == Registration.Status.CANCELLED
    assert c.status == Registration.Status.REGISTERED
    (message,) = mailoutbox
    assert message.to[0].endswith("<c@example.org>")
    assert "Une place s'est libérée" in message.subject


def test_the_waitlist_passes_over_an_account_switched_off_outside_the_admin(
    deliver_outbox, mailoutbox
):
    a, b, c = _full_session_with_waitlist()
    deliver_outbox()
    mailoutbox.clear()

    # Switched off by a bulk update (a script, the shell): nothing was released.
    User.objects.filter(pk=b.member_id).update(is_active=False)
    promoted = registration_cancel(registration=a)
    deliver_outbox()

    b.refresh_from_db()
    assert [r.pk for r in promoted] == [c.pk]
    assert b.status == Registration.Status.WAITLISTED
    (message,) = mailoutbox
    assert message.to[0].endswith("<c@example.org>")


def test_deactivating_a_member_in_the_admin_releases_their_upcoming_booking_and_seat(
    client, animator
):
    member = MemberFactory()
    session = SessionFactory(capacity=1)
    seat = registration_create(session=session, member=member)
    waiting = registration_create(session=session, member=MemberFactory())
    start = datetime(2026, 12, 2, 10, 0, tzinfo=PARIS)
    booking = booking_create(
        member=member, space=SpaceFactory(), start=start, end=start + timedelta(hours=1)
    )

    _untick_active_in_the_admin(client, member)

    seat.refresh_from_db()
    waiting.refresh_from_db()
    booking.refresh_from_db()
    assert seat.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.REGISTERED
    assert booking.status == Reservation.Status.CANCELLED


def test_deactivating_members_from_the_admin_list_releases_their_seats(client, animator):
    member = MemberFactory()
    session = SessionFactory(capacity=1)
    seat = registration_create(session=session, member=member)
    waiting = registration_create(session=session, member=MemberFactory())

    response = client.post(
        "/admin/members/user/",
        {"action": "deactivate_members", "_selected_action": [member.pk]},
        follow=True,
    )

    member.refresh_from_db()
    seat.refresh_from_db()
    waiting.refresh_from_db()
    assert "1 compte désactivé." in response.content.decode()
    assert not member.is_active
    assert seat.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.REGISTERED


def test_a_deactivated_member_keeps_their_past_registrations():
    member = MemberFactory()
    session = SessionFactory()
    attended = registration_create(session=session, member=member)

    with time_machine.travel(session.end + timedelta(days=1), tick=False):
        member_deactivate(member=member)

    attended.refresh_from_db()
    assert attended.status == Registration.Status.REGISTERED
    assert attended.member_id == member.pk


def test_the_person_behind_a_switched_off_account_sees_themselves_first_in_line():
    _a, b, c = _full_session_with_waitlist()

    User.objects.filter(pk=b.member_id).update(is_active=False)

    assert waitlist_position(c) == 1
