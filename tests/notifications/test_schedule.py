import pytest
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from notifications import services

pytestmark = pytest.mark.django_db


def test_beat_runs_the_sweep_every_five_minutes():
    PeriodicTask.objects.filter(task=services.SWEEP_TASK).delete()

    task = services.notifications_schedule_ensure()

    assert task.enabled
    assert (task.interval.every, task.interval.period) == (5, IntervalSchedule.MINUTES)


def test_an_animators_change_to_the_sweep_schedule_is_kept():
    task = services.notifications_schedule_ensure()
    task.interval = IntervalSchedule.objects.create(every=10, period=IntervalSchedule.MINUTES)
    task.save()

    assert services.notifications_schedule_ensure().interval.every == 10
