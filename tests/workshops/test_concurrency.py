"""On PostgreSQL, with real threads and real transactions: the session row lock hands
out seats one at a time."""

import threading

import pytest
from django.db import close_old_connections, connection

from tests.factories import MemberFactory, SessionFactory
from workshops.models import Registration
from workshops.selectors import waitlist_position
from workshops.services import registration_cancel, registration_create

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _run_at_once(functions):
    barrier = threading.Barrier(len(functions))
    errors = []

    def run(function):
        try:
            barrier.wait()
            function()
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(f,)) for f in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    close_old_connections()
    return errors


def test_thirty_members_at_once_for_ten_seats_give_ten_seats_and_twenty_in_line():
    session = SessionFactory(capacity=10)
    members = [MemberFactory() for _ in range(30)]
    errors = _run_at_once(
        [lambda m=m: registration_create(session=session, member=m) for m in members]
    )
    assert errors == []
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
    errors = _run_at_once([lambda: registration_cancel(registration=seated)] * 5)
    assert errors == []
    assert session.registrations.filter(status="registered").count() == 10
    assert session.registrations.filter(status="waitlisted").count() == 1
