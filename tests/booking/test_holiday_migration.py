"""A database seeded by the old demo, with each French public holiday typed as a
closure row, loses exactly those rows when it migrates: the calendar now computes
them, and an animator's own closures stay."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from booking.models import Closure

BEFORE = [("booking", "0002_content_types_from_rooms")]


def _migrate_forward():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


@pytest.fixture
def old_apps(transactional_db):
    MigrationExecutor(connection).migrate(BEFORE)
    try:
        loader = MigrationExecutor(connection).loader
        yield loader.project_state(list(loader.applied_migrations)).apps
    finally:
        _migrate_forward()


def test_migrating_removes_the_demos_holiday_rows_and_keeps_the_animators(old_apps):
    site = old_apps.get_model("booking", "Site").objects.create(name="La Dynamo", slug="dyn")
    closures = old_apps.get_model("booking", "Closure").objects
    for day, reason in [
        (date(2027, 3, 29), "Lundi de Pâques"),  # written by the old demo
        (date(2027, 5, 8), "Victoire 1945"),  # the demo's name for it
        (date(2027, 5, 1), "Pont du 1er mai"),  # an animator's reason: kept
        (date(2027, 12, 24), "Noël"),  # not a public holiday: kept
        (date(2027, 7, 26), "Fermeture estivale"),
    ]:
        end = date(2027, 8, 15) if reason == "Fermeture estivale" else day
        closures.create(site=site, start_date=day, end_date=end, reason=reason)

    _migrate_forward()

    kept = sorted(Closure.objects.values_list("reason", "kind"))
    assert kept == [
        ("Fermeture estivale", "closed"),
        ("Noël", "closed"),
        ("Pont du 1er mai", "closed"),
    ]
