"""Reservations made before prices were stored get, once, the price their rule gives
when the database migrates: members' bookings and Fablab slots at the member's
tariff, rental requests at the public rate, holds left unpriced.

The test database is migrated back to the schema before booking 0003 (no price
columns), rows are written with the historical models, and it migrates forward; it
always ends on the latest schema, whatever happens.
"""

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from booking.localtime import SITE_TZ
from booking.models import Reservation

BEFORE_PRICES = [
    ("booking", "0003_site_country_and_holiday_openings"),
    ("rooms", "0007_engine_models_moved_to_booking"),
    ("fablab", "0002_engine_models_in_booking"),
]
TUESDAY = date(2026, 3, 3)


def at(hhmm: str, day: date = TUESDAY) -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=SITE_TZ)


@pytest.fixture
def before_prices(transactional_db):
    """The historical models before prices were stored; migrated forward at the end."""
    MigrationExecutor(connection).migrate(BEFORE_PRICES)
    try:
        loader = MigrationExecutor(connection).loader
        yield loader.project_state(list(loader.applied_migrations)).apps
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        ContentType.objects.clear_cache()


def _seed(apps) -> dict[str, int]:
    """A site open 08:30–18:30 on Tuesdays, the demo open space's and a laser cutter's
    rates, a member in the network and an outsider, and one row of each kind."""
    site = apps.get_model("booking", "Site").objects.create(name="La Dynamo", slug="la-dynamo")
    apps.get_model("booking", "OpeningHours").objects.create(
        site=site, weekday=1, opens=time(8, 30), closes=time(18, 30)
    )
    apps.get_model("fablab", "FablabHours").objects.create(
        site=site, weekday=1, opens=time(14, 0), closes=time(18, 0)
    )
    desks = apps.get_model("rooms", "Space").objects.create(
        site=site,
        name="Open space",
        slug="open-space",
        kind="shared_office",
        category="shared_office",
        exclusive=False,
        capacity=12,
        price_member_half_day=Decimal("8.00"),
        price_member_day=Decimal("15.00"),
        price_public_half_day=Decimal("12.00"),
        price_public_day=Decimal("20.00"),
    )
    laser = apps.get_model("fablab", "Machine").objects.create(
        site=site,
        name="Découpe laser",
        slug="laser",
        kind="laser_cutter",
        category="laser_cutter",
        price_member_hour=Decimal("12.00"),
        price_public_hour=Decimal("25.00"),
    )
    users = apps.get_model("members", "User").objects
    member = users.create(email="camille@example.org", password="!")
    outsider = users.create(email="dominique@example.org", password="!")
    plan = apps.get_model("members", "Plan").objects.create(name="Résident", kind="resident")
    apps.get_model("members", "Membership").objects.create(
        member=member, plan=plan, valid_from=date(2000, 1, 1)
    )
    reservations = apps.get_model("booking", "Reservation").objects

    def reserve(resource, start, end, **fields):
        return reservations.create(
            resource_id=resource.pk,
            start=at(start),
            end=at(end),
            blocked_until=at(end),
            exclusive=resource.exclusive,
            **fields,
        ).pk

    return {
        "morning": reserve(desks, "08:30", "13:00", member=member),
        "outsiders_day": reserve(desks, "08:30", "18:30", member=outsider),
        "rental": reserve(desks, "13:00", "18:30", source="rental_request", seats=4),
        "workshop": reserve(desks, "13:00", "15:00", source="workshop"),
        "slot": reserve(laser, "14:00", "15:30", member=member, source="fablab"),
        "maintenance": reserve(laser, "16:00", "18:00", source="maintenance"),
    }


def _prices(ids: dict[str, int]) -> dict[str, tuple]:
    rows = Reservation.objects.in_bulk(ids.values())
    return {
        name: (rows[pk].price_amount, rows[pk].price_rate, rows[pk].price_tariff)
        for name, pk in ids.items()
    }


@pytest.mark.django_db(transaction=True)
def test_reservations_made_before_prices_were_stored_get_the_price_of_their_rule(
    before_prices,
):
    ids = _seed(before_prices)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert _prices(ids) == {
        "morning": (Decimal("8.00"), "half_day", "member"),
        "outsiders_day": (Decimal("20.00"), "day", "public"),
        "rental": (Decimal("12.00"), "half_day", "public"),
        "workshop": (None, "none", ""),
        "slot": (Decimal("18.00"), "hour", "member"),
        "maintenance": (None, "none", ""),
    }
