from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core.management import call_command

from booking.localtime import SITE_TZ, local_datetime
from booking.models import Closure, Reservation, Site
from rooms.models import Space
from rooms.selectors import site_week_grid


@pytest.mark.django_db
def test_seed_demo_creates_the_dynamos_spaces_and_bookings_once():
    call_command("seed_demo", stdout=None)
    counts = (Space.objects.count(), Reservation.objects.count(), Closure.objects.count())
    assert counts[0] == 6
    assert counts[1] > 0
    assert Space.objects.get(slug="salle-armagnac").amenities.filter(slug="kit-visio").exists()
    call_command("seed_demo", stdout=None)
    assert (Space.objects.count(), Reservation.objects.count(), Closure.objects.count()) == counts


@pytest.mark.django_db
def test_the_demo_types_no_public_holiday_yet_its_site_closes_on_them():
    with time_machine.travel(datetime(2031, 4, 1, 9, 0, tzinfo=SITE_TZ), tick=False):
        call_command("seed_demo", stdout=None)
        site = Site.objects.get(slug="la-dynamo")
        assert not Closure.objects.filter(site=site).exists()
        assert (site.country, site.subdivision) == ("FR", "")
        easter_monday = date(2031, 4, 14)
        assert not Reservation.objects.filter(
            resource__site=site,
            source=Reservation.Source.BOOKING,
            start__gte=local_datetime(easter_monday, time(0)),
            start__lt=local_datetime(easter_monday + timedelta(days=1), time(0)),
        ).exists()
        grid = site_week_grid(site=site, week_start=easter_monday)
        assert grid.closures[easter_monday] == "Lundi de Pâques"
