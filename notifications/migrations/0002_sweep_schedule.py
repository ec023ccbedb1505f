"""Create the periodic sweep in django-celery-beat, so animators see and adjust it."""

from django.db import migrations
from django.utils import timezone

SWEEP_TASK = "notifications.tasks.sweep_notifications"
SWEEP_NAME = "Envoi des notifications dues"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    interval, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    if not PeriodicTask.objects.filter(task=SWEEP_TASK).exists():
        PeriodicTask.objects.create(
            name=SWEEP_NAME,
            task=SWEEP_TASK,
            interval=interval,
            description="Confie au worker les notifications et rappels dus, "
            "y compris ceux manqués pendant une panne de Redis ou du worker.",
        )
        # Tell a running beat that its schedule changed (what PeriodicTask.save() does).
        PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=SWEEP_TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
