"""The one lock helper: rows in one order (member, site, resources, sessions), only
inside a transaction, and a row asked for out of order is refused at once."""

import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from booking.locking import MEMBER, RESOURCE, SESSION, SITE, LockOrderError, batch, held, lock
from booking.models import Resource
from booking.services import reservation_lock
from tests.factories import (
    MachineFactory,
    MemberFactory,
    SessionFactory,
    SiteFactory,
    SpaceFactory,
)
from workshops.models import Session, Workshop


@pytest.mark.django_db(transaction=True)
def test_locking_outside_a_transaction_is_refused():
    member = MemberFactory()
    with pytest.raises(LockOrderError, match="transaction.atomic"):
        lock(member=member)


@pytest.mark.django_db
def test_the_rows_are_taken_member_then_site_then_resources_then_sessions():
    site = SiteFactory()
    rooms = [SpaceFactory(site=site) for _ in range(3)]
    sessions = [SessionFactory() for _ in range(2)]
    member = MemberFactory()

    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        locked = lock(
            sessions=list(reversed(sessions)),
            resources=[rooms[2], rooms[0].pk, rooms[1]],
            site=site,
            member=member,
        )

    tables = [
        next(
            t
            for t in ("members_user", "rooms_site", "rooms_resource", "workshops_session")
            if f'"{t}"' in query["sql"]
        )
        for query in queries.captured_queries
    ]
    assert tables == ["members_user", "rooms_site", "rooms_resource", "workshops_session"]
    assert "ORDER BY" in queries.captured_queries[2]["sql"]
    assert locked.member == member and locked.site == site
    assert [r.pk for r in locked.resources] == sorted(r.pk for r in rooms)
    assert type(locked.resources[0]) is Resource
    assert [s.pk for s in locked.sessions] == sorted(s.pk for s in sessions)
    if connection.features.has_select_for_update_of:
        assert all(" FOR UPDATE OF " in q["sql"] for q in queries.captured_queries)


@pytest.mark.django_db
def test_a_member_asked_for_after_the_site_is_refused():
    site, member = SiteFactory(), MemberFactory()
    with transaction.atomic():
        lock(site=site)
        with pytest.raises(LockOrderError, match="member"):
            lock(member=member)


@pytest.mark.django_db
def test_a_resource_asked_for_after_a_later_one_is_refused():
    first, second = SpaceFactory(), SpaceFactory()
    with transaction.atomic():
        lock(resources=[second])
        with pytest.raises(LockOrderError, match=f"resource {first.pk}"):
            lock(resources=[first])


@pytest.mark.django_db
def test_a_room_asked_for_after_a_session_is_refused():
    room, session = SpaceFactory(), SessionFactory()
    with transaction.atomic():
        lock(sessions=[session])
        with pytest.raises(LockOrderError):
            lock(resources=[room])


@pytest.mark.django_db
def test_rows_held_may_be_asked_for_again_and_later_ones_added():
    site, member = SiteFactory(), MemberFactory()
    room = SpaceFactory(site=site)
    with transaction.atomic():
        lock(member=member, site=site)
        lock(member=member, site=site, resources=[room])
        again = lock(site=site, resources=[room])
        assert again.resource(room.pk).pk == room.pk
        assert held() == {(0, member.pk), (1, site.pk), (2, room.pk)}


@pytest.mark.django_db
def test_each_transaction_starts_holding_nothing():
    site, member = SiteFactory(), MemberFactory()
    with transaction.atomic():
        lock(site=site)
    with transaction.atomic():
        assert held() == set()
        lock(member=member)


@pytest.mark.django_db(transaction=True)
def test_a_committed_or_rolled_back_transaction_leaves_nothing_held():
    site, member = SiteFactory(), MemberFactory()

    @transaction.atomic
    def take_site():
        lock(site=site)

    take_site()
    with transaction.atomic():
        lock(member=member)
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        lock(site=site)
        1 / 0  # noqa: B018
    take_site()  # the same atomic block object again, a new transaction
    with transaction.atomic():
        assert held() == set()


@pytest.mark.django_db
def test_a_batch_lets_each_step_take_its_rows_in_order_on_its_own():
    site, member = SiteFactory(), MemberFactory()
    with batch():
        with transaction.atomic():
            lock(site=site)
            assert held() == {(SITE, site.pk)}
        with transaction.atomic():
            # A member after the site: refused within one transaction, fine in a new step.
            locked = lock(member=member)
            assert held() == {(MEMBER, member.pk)}
    assert locked.member == member


@pytest.mark.django_db
def test_sessions_asked_for_out_of_order_as_a_queryset_are_refused_before_any_lock():
    first, second = SessionFactory(), SessionFactory()
    with transaction.atomic():
        lock(sessions=[second])
        with (
            CaptureQueriesContext(connection) as queries,
            pytest.raises(LockOrderError, match=f"session {first.pk}"),
        ):
            lock(sessions=Session.objects.filter(pk=first.pk).select_related("workshop"))
        assert held() == {(SESSION, second.pk)}
    # Only the ids were read: no row was locked, nothing waited on another transaction.
    assert len(queries.captured_queries) == 1
    assert "FOR UPDATE" not in queries.captured_queries[0]["sql"]
    assert '"workshops_workshop"' not in queries.captured_queries[0]["sql"]


@pytest.mark.django_db
def test_booking_a_room_with_a_per_member_limit_locks_the_members_row():
    member = MemberFactory()
    room = SpaceFactory(max_bookings_per_day=1)
    with transaction.atomic():
        reservation_lock(resource=Resource.objects.get(pk=room.pk), member=member)
        assert held() == {(MEMBER, member.pk), (RESOURCE, room.pk)}


@pytest.mark.django_db
def test_booking_a_machine_that_caps_future_slots_locks_the_members_row():
    member = MemberFactory()
    laser = MachineFactory(max_future_slots=2)
    with transaction.atomic():
        # Given as a plain resource, as the admin does: its kind's rule still counts.
        reservation_lock(resource=Resource.objects.get(pk=laser.pk), member=member)
        assert held() == {(MEMBER, member.pk), (RESOURCE, laser.pk)}


@pytest.mark.django_db
def test_booking_a_room_without_limits_leaves_the_members_row_alone():
    member, room = MemberFactory(), SpaceFactory()
    with transaction.atomic():
        reservation_lock(resource=room, member=member)
        assert held() == {(RESOURCE, room.pk)}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_locking_a_session_leaves_its_workshop_free():
    """``FOR UPDATE OF`` the session only: the workshop read along is not locked."""
    session = SessionFactory()
    locked, done = threading.Event(), threading.Event()
    outcome = {}

    def hold_the_session():
        try:
            with transaction.atomic():
                lock(
                    sessions=type(session).objects.filter(pk=session.pk).select_related("workshop")
                )
                locked.set()
                done.wait(timeout=10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_session)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        with transaction.atomic():
            workshop = Workshop.objects.select_for_update(nowait=True).get(pk=session.workshop_id)
            outcome["workshop"] = workshop.pk
    finally:
        done.set()
        holder.join()
    assert outcome["workshop"] == session.workshop_id
