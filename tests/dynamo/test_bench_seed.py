"""`make bench` seeds its own data with the database's fastest path (raw SQL on
PostgreSQL): it must keep up with the reservation table's columns."""

import pytest

from bench.rooms import make_site, seed
from booking.models import Reservation


@pytest.mark.django_db
def test_the_bench_seeds_past_reservations_the_engine_can_read():
    _site, spaces, members = make_site(2)

    seed(rows=20, spaces=spaces, members=members)

    rows = Reservation.objects.filter(resource__in=[s.pk for s in spaces])
    assert rows.count() == 20
    assert rows.filter(status=Reservation.Status.CANCELLED).count() == 2
