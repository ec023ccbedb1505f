"""The moved models' content types follow them: ``rooms.site`` becomes ``booking.site``,
and so on, renamed in place.

A content type's id is what permissions (the Animateurs group's rights, the custom
``override_rules``), admin history (LogEntry) and the notifications' generic relations
point at; renaming the row keeps every one of them pointing at the right model.

When the target content type already exists too (``post_migrate`` created it, e.g.
after a partial ``migrate``), the two are merged: whatever points at the extra one
(permissions, with their group and user grants; log entries; notifications; any other
foreign key to ContentType) is moved onto the one being renamed, and the extra one is
deleted. Going backwards does the same from ``booking`` to ``rooms``.
"""

from django.db import migrations, router

MOVED_MODELS = ("site", "openinghours", "closure", "resource", "reservation")


def _foreign_keys_to(apps, target_label):
    """(model, field) for every foreign key to ``target_label`` in the migration state,
    auto-created many-to-many tables included."""
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.local_fields:
            if field.is_relation and field.related_model._meta.label_lower == target_label:
                yield model, field


def _repoint_permission(apps, db, *, old, new):
    """Move the group and user grants of permission ``old`` onto ``new``, then delete
    ``old``. A grant that ``new`` already has is dropped, not duplicated."""
    for through, field in _foreign_keys_to(apps, "auth.permission"):
        if through._meta.label_lower == "auth.permission":
            continue
        others = [f for f in through._meta.local_fields if f.is_relation and f is not field]
        for row in through._default_manager.using(db).filter(**{field.name: old}):
            twin = through._default_manager.using(db).filter(
                **{field.name: new}, **{f.attname: getattr(row, f.attname) for f in others}
            )
            if twin.exists():
                row.delete()
            else:
                setattr(row, field.name, new)
                row.save(update_fields=[field.name])
    old.delete()


def _merge(apps, db, *, keep, drop):
    """Everything pointing at content type ``drop`` now points at ``keep``."""
    Permission = apps.get_model("auth", "Permission")
    for permission in Permission._default_manager.using(db).filter(content_type=drop):
        twin = (
            Permission._default_manager.using(db)
            .filter(content_type=keep, codename=permission.codename)
            .first()
        )
        if twin is None:
            permission.content_type = keep
            permission.save(update_fields=["content_type"])
        else:
            _repoint_permission(apps, db, old=permission, new=twin)
    for model, field in _foreign_keys_to(apps, "contenttypes.contenttype"):
        if model._meta.label_lower == "auth.permission":
            continue
        model._default_manager.using(db).filter(**{field.name: drop}).update(
            **{field.name: keep}
        )


def _move(apps, schema_editor, *, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not router.allow_migrate_model(db, ContentType):
        return
    types = ContentType._default_manager.using(db)
    for model in MOVED_MODELS:
        moving = types.filter(app_label=source, model=model).first()
        if moving is None:
            continue  # a fresh database: post_migrate creates the new one later
        already = types.filter(app_label=target, model=model).first()
        if already is not None:
            _merge(apps, db, keep=moving, drop=already)
            already.delete()
        moving.app_label = target
        moving.save(update_fields=["app_label"])
    # Both caches map ids and natural keys to content types: drop what they remember.
    ContentType._default_manager.clear_cache()
    from django.contrib.contenttypes.models import ContentType as CurrentContentType

    CurrentContentType.objects.clear_cache()


def forwards(apps, schema_editor):
    _move(apps, schema_editor, source="rooms", target="booking")


def backwards(apps, schema_editor):
    _move(apps, schema_editor, source="booking", target="rooms")


class Migration(migrations.Migration):

    dependencies = [
        ('booking', '0001_initial'),
        ('rooms', '0007_engine_models_moved_to_booking'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
        # Tables whose rows point at content types, so the merge can reach them.
        ('admin', '0003_logentry_add_action_flag_choices'),
        ('notifications', '0003_more_kinds'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
