"""A database made before the engine moved to the booking app migrates forward with
its data: the animators keep their rights, a notification still reaches its
reservation, admin history still opens, and PostgreSQL still refuses an overlap.

Each test migrates the test database back to the schema before the move (the leaf
migrations of main then), writes rows with the historical models, and migrates
forward again; it always ends on the latest schema, whatever happens.
"""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from booking.models import Reservation
from members.models import User
from notifications.models import Notification

# The schema before the move: no booking app, the engine's models in rooms.
BEFORE_THE_MOVE = [
    ("booking", None),
    ("rooms", "0006_rental_request_once"),
    ("fablab", "0001_machines_qualifications_usage"),
    ("workshops", "0001_initial"),
]
MOVED_MODELS = ("site", "openinghours", "closure", "resource", "reservation")
RESERVATION_PERMISSIONS = (
    "add_reservation",
    "change_reservation",
    "delete_reservation",
    "view_reservation",
    "override_rules",
)
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
END = START + timedelta(hours=2)


def _migrate_forward():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


@pytest.fixture
def old_schema(transactional_db):
    """The historical models of the schema before the move; the database is migrated
    back to it, then forward to the latest migrations however the test ends."""
    MigrationExecutor(connection).migrate(BEFORE_THE_MOVE)
    try:
        loader = MigrationExecutor(connection).loader
        yield loader.project_state(list(loader.applied_migrations)).apps
    finally:
        _migrate_forward()


def _seed(apps):
    """What a running site had before the move: a room booked by a member, its reminder,
    an animator with the reservation rights, a line of admin history."""
    content_types = apps.get_model("contenttypes", "ContentType").objects
    permissions = apps.get_model("auth", "Permission").objects
    site = apps.get_model("rooms", "Site").objects.create(name="La Dynamo", slug="la-dynamo")
    room = apps.get_model("rooms", "Space").objects.create(
        site=site,
        name="Salle Armagnac",
        slug="salle-armagnac",
        kind="meeting_room",
        category="meeting_room",
        exclusive=True,
        capacity=8,
    )
    users = apps.get_model("members", "User").objects
    member = users.create(email="camille@example.org", password="!")
    animator = users.create(email="animation@example.org", password="!", is_staff=True)
    reservation = apps.get_model("rooms", "Reservation").objects.create(
        resource_id=room.pk,
        member=member,
        start=START,
        end=END,
        blocked_until=END,
        exclusive=True,
    )
    reservation_type, _ = content_types.get_or_create(app_label="rooms", model="reservation")
    group = apps.get_model("auth", "Group").objects.create(name="Animateurs")
    for codename in RESERVATION_PERMISSIONS:
        permission, _ = permissions.get_or_create(
            content_type=reservation_type, codename=codename, defaults={"name": codename}
        )
        group.permissions.add(permission)
    animator.groups.add(group)
    notification = apps.get_model("notifications", "Notification").objects.create(
        kind="booking_reminder",
        recipient=member,
        content_type=reservation_type,
        object_id=reservation.pk,
    )
    log = apps.get_model("admin", "LogEntry").objects.create(
        user=animator,
        content_type=reservation_type,
        object_id=str(reservation.pk),
        object_repr="Salle Armagnac",
        action_flag=1,
    )
    return {
        "reservation": reservation.pk,
        "room": room.pk,
        "animator": animator.pk,
        "notification": notification.pk,
        "log": log.pk,
    }


def _group_rights() -> set[str]:
    group = Group.objects.get(name="Animateurs")
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
        if p.content_type.model == "reservation"
    }


@pytest.mark.django_db(transaction=True)
def test_the_animators_keep_their_reservation_rights_under_booking(old_schema):
    ids = _seed(old_schema)
    _migrate_forward()

    assert _group_rights() == {f"booking.{codename}" for codename in RESERVATION_PERMISSIONS}
    animator = User.objects.get(pk=ids["animator"])
    assert animator.has_perm("booking.override_rules")
    assert animator.has_perm("booking.add_reservation")
    assert not ContentType.objects.filter(app_label="rooms", model__in=MOVED_MODELS).exists()


@pytest.mark.django_db(transaction=True)
def test_a_notification_and_admin_history_still_reach_their_reservation(old_schema):
    ids = _seed(old_schema)
    _migrate_forward()

    reservation = Reservation.objects.get(pk=ids["reservation"])
    assert Notification.objects.get(pk=ids["notification"]).about == reservation
    assert LogEntry.objects.get(pk=ids["log"]).get_edited_object() == reservation
    assert reservation.resource.space.slug == "salle-armagnac"


@pytest.mark.django_db(transaction=True)
def test_a_booking_content_type_made_early_is_merged_not_duplicated(old_schema):
    """post_migrate may have created booking's content types (and permissions) before
    the rename ran: they are folded into the renamed ones, grants included."""
    ids = _seed(old_schema)
    content_types = old_schema.get_model("contenttypes", "ContentType").objects
    early = content_types.create(app_label="booking", model="reservation")
    early_override = old_schema.get_model("auth", "Permission").objects.create(
        content_type=early, codename="override_rules", name="override_rules"
    )
    old_schema.get_model("auth", "Group").objects.get(name="Animateurs").permissions.add(
        early_override
    )
    old_schema.get_model("admin", "LogEntry").objects.create(
        user_id=ids["animator"],
        content_type=early,
        object_id=str(ids["reservation"]),
        object_repr="Salle Armagnac",
        action_flag=2,
    )
    _migrate_forward()

    assert ContentType.objects.filter(model="reservation", app_label="booking").count() == 1
    assert _group_rights() == {f"booking.{codename}" for codename in RESERVATION_PERMISSIONS}
    reservation = Reservation.objects.get(pk=ids["reservation"])
    history = LogEntry.objects.filter(object_id=str(reservation.pk))
    assert [entry.get_edited_object() for entry in history] == [reservation, reservation]
    assert Notification.objects.get(pk=ids["notification"]).about == reservation


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_still_refuses_an_overlap_after_the_move(old_schema):
    ids = _seed(old_schema)
    _migrate_forward()

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contype FROM pg_constraint "
            "WHERE conname = 'reservation_no_overlap' AND conrelid = 'rooms_reservation'::regclass"
        )
        assert cursor.fetchall() == [("x",)]  # an exclusion constraint
    with pytest.raises(IntegrityError, match="reservation_no_overlap"), transaction.atomic():
        Reservation.objects.create(
            resource_id=ids["room"],
            start=START + timedelta(hours=1),
            end=END + timedelta(hours=1),
            blocked_until=END + timedelta(hours=1),
        )


@pytest.mark.django_db
def test_the_models_and_their_migrations_agree():
    out = StringIO()
    call_command("makemigrations", check=True, dry_run=True, stdout=out)
    assert "No changes detected" in out.getvalue()
