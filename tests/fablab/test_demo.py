import pytest
from django.core.management import call_command

from booking.models import Reservation
from fablab.models import FablabHours, Machine, Qualification, UsageLog


@pytest.mark.django_db
def test_seed_demo_creates_the_fablab_once():
    call_command("seed_demo", stdout=None)
    laser = Machine.objects.get(slug="decoupe-laser")
    assert laser.requires_qualification
    assert laser.training_workshop.title == "Formation découpe laser"
    assert Machine.objects.filter(kind="3d_printer").count() == 2
    # Saturday morning: the Fablab opens when the coworking is closed.
    assert FablabHours.objects.filter(weekday=5).exists()
    assert Qualification.objects.filter(machine=laser).exists()
    assert Reservation.objects.filter(source="fablab").exists()
    assert UsageLog.objects.exists()
    assert Reservation.objects.filter(source="maintenance").count() == 1
    counts = (
        Machine.objects.count(),
        Qualification.objects.count(),
        Reservation.objects.count(),
        UsageLog.objects.count(),
    )
    call_command("seed_demo", stdout=None)
    assert (
        Machine.objects.count(),
        Qualification.objects.count(),
        Reservation.objects.count(),
        UsageLog.objects.count(),
    ) == counts
