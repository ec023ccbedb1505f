"""Reservations of spaces made before prices were stored get, once, the price their
rule gives today: the space's current rates, the periods of the day from the site's
opening hours (``booking.periods``, the functions the engine prices with).

The rates are read here, from the historical Space, as this migration knows them;
the computing is the pure ``booking.periods`` through ``booking.migration_pricing``,
which take plain values only, so importing them is safe in a migration.
"""

from django.db import migrations

from booking.migration_pricing import price_reservations
from booking.periods import TARIFF_MEMBER, Rates


def _rates(space, tariff):
    if tariff == TARIFF_MEMBER:
        return Rates.of(space.price_member_hour, space.price_member_half_day, space.price_member_day)
    return Rates.of(space.price_public_hour, space.price_public_half_day, space.price_public_day)


def price_space_reservations(apps, schema_editor):
    price_reservations(
        apps,
        schema_editor,
        resource_model="rooms.Space",
        hours_model="booking.OpeningHours",
        rates=_rates,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0004_reservation_price"),
        ("members", "0003_unaccent"),
        ("rooms", "0007_engine_models_moved_to_booking"),
    ]

    # Going back leaves the prices: the columns go with booking 0003 anyway.
    operations = [migrations.RunPython(price_space_reservations, migrations.RunPython.noop)]
