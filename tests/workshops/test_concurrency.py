"""On PostgreSQL, with real threads and real transactions: the session row lock hands
out seats one at a time."""

import pytest

from tests.concurrency import race
from tests.factories import MemberFactory, SessionFactory
from workshops.models import Registration
from workshops.selectors import waitlist_position
from workshops.services import registration_cancel, registration_create

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_thirty_members_at_once_for_ten_seats_give_ten_seats_and_twenty_in_line():
    session = SessionFactory(capacity=10)
    members = [MemberFactory() for _ in range(30)]
    results = race(registration_create, [{"session": session, "member": m} for m in members])
    assert all(isinstance(r, Registration) for r in results)
    registered = session.registrations.filter(status=Registration.Status.REGISTERED)
    waitlisted = list(
        session.registrations.filter(status=Registration.Status.WAITLISTED).order_by("id")
    )
    assert registered.count() == 10
    assert len(waitlisted) == 20
    # In order: the waitlist positions follow the order the requests were served.
    assert [waitlist_position(r) for r in waitlisted] == list(range(1, 21))


def test_one_cancellation_promotes_exactly_one_even_when_cancelled_twice_at_once():
    session = SessionFactory(capacity=10)
    for _ in range(12):
        registration_create(session=session, member=MemberFactory())
    seated = session.registrations.filter(status="registered").first()
    results = race(registration_cancel, [{"registration": seated}] * 5)
    assert all(isinstance(r, list) for r in results)  # nobody failed
    assert session.registrations.filter(status="registered").count() == 10
    assert session.registrations.filter(status="waitlisted").count() == 1
