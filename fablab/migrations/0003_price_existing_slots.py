"""Fablab slots made before prices were stored get, once, the price their rule gives
today: the machine's current hourly rate (member or public), by the pure functions
the engine prices with (``booking.periods``, through ``booking.migration_pricing``,
which take plain values only, so importing them is safe in a migration).
Maintenance windows stay unpriced.
"""

from django.db import migrations

from booking.migration_pricing import price_reservations
from booking.periods import TARIFF_MEMBER, Rates


def _rates(machine, tariff):
    return Rates.of(
        hour=machine.price_member_hour if tariff == TARIFF_MEMBER else machine.price_public_hour
    )


def price_machine_slots(apps, schema_editor):
    price_reservations(
        apps,
        schema_editor,
        resource_model="fablab.Machine",
        hours_model="fablab.FablabHours",
        rates=_rates,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0004_reservation_price"),
        ("members", "0003_unaccent"),
        ("fablab", "0002_engine_models_in_booking"),
    ]

    operations = [migrations.RunPython(price_machine_slots, migrations.RunPython.noop)]
