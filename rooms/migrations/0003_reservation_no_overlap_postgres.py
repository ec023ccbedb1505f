"""The no-overlap guarantee, on PostgreSQL only.

An ExclusionConstraint in Reservation.Meta would make Django create it on every
database, and SQLite has neither GiST nor ranges: the default `make run` would fail to
migrate. So the constraint lives here, applied through the schema editor only when the
database is PostgreSQL; the migration state does not know it, which keeps
`makemigrations --check` clean. On SQLite the service's check, made inside an
IMMEDIATE transaction (one writer at a time), is the guarantee.

No two active (tentative or confirmed) reservations of an exclusive resource may
overlap over [start, blocked_until): half-open, so back-to-back is allowed, and the
Fablab buffer after a slot is covered by blocked_until.
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations
from django.db.models import Func, Q

CONSTRAINT_NAME = "reservation_no_overlap"


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


def _constraint():
    return ExclusionConstraint(
        name=CONSTRAINT_NAME,
        expressions=[
            ("resource", RangeOperators.EQUAL),
            (TsTzRange("start", "blocked_until", RangeBoundary()), RangeOperators.OVERLAPS),
        ],
        condition=Q(exclusive=True, status__in=["tentative", "confirmed"]),
    )


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.add_constraint(apps.get_model("rooms", "Reservation"), _constraint())


def remove_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_constraint(apps.get_model("rooms", "Reservation"), _constraint())


class Migration(migrations.Migration):

    dependencies = [
        ("rooms", "0002_spaces_and_reservations"),
    ]

    operations = [
        # Equality on the resource id inside a GiST index needs btree_gist; the
        # operation itself does nothing on other databases.
        BtreeGistExtension(),
        migrations.RunPython(add_constraint, remove_constraint),
    ]
