import pytest
from django.core.management import call_command

from booking.models import Closure, Reservation
from rooms.models import Space


@pytest.mark.django_db
def test_seed_demo_creates_the_dynamos_spaces_and_bookings_once():
    call_command("seed_demo", stdout=None)
    counts = (Space.objects.count(), Reservation.objects.count(), Closure.objects.count())
    assert counts[0] == 6
    assert counts[1] > 0
    assert Space.objects.get(slug="salle-armagnac").amenities.filter(slug="kit-visio").exists()
    call_command("seed_demo", stdout=None)
    assert (Space.objects.count(), Reservation.objects.count(), Closure.objects.count()) == counts
