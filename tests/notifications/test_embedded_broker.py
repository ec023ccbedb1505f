"""The embedded default of `make run`: a real worker on kombu's filesystem broker."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections, transaction

from dynamo.celery import app as celery_app
from notifications import services
from notifications.models import Notification

pytestmark = [pytest.mark.realclock, pytest.mark.django_db(transaction=True)]


def _close_worker_connections(**kwargs):
    connections.close_all()


@pytest.fixture
def filesystem_broker(tmp_path):
    folders = {name: tmp_path / name for name in ("queue", "processed", "control")}
    for folder in folders.values():
        folder.mkdir()
    conf = celery_app.conf
    saved = (
        conf.broker_read_url,
        conf.broker_write_url,
        conf.broker_transport_options,
        conf.task_always_eager,
    )
    conf.broker_read_url = conf.broker_write_url = "filesystem://"
    conf.broker_transport_options = {
        "data_folder_in": str(folders["queue"]),
        "data_folder_out": str(folders["queue"]),
        "processed_folder": str(folders["processed"]),
        "control_folder": str(folders["control"]),
    }
    conf.task_always_eager = False
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    task_postrun.connect(_close_worker_connections, weak=False)
    yield
    task_postrun.disconnect(_close_worker_connections)
    (
        conf.broker_read_url,
        conf.broker_write_url,
        conf.broker_transport_options,
        conf.task_always_eager,
    ) = saved
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def test_with_no_redis_a_worker_on_the_embedded_broker_sends_the_notification(
    filesystem_broker, member, mailoutbox
):
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        with transaction.atomic():
            notification = services.notification_enqueue(
                kind=Notification.Kind.MESSAGE,
                recipient=member,
                context={"subject": "Essai", "body": "Bonjour"},
            )
        # Watch the outbox, not the database: SQLite's shared in-memory test database
        # would refuse a reader while the worker writes ("table is locked").
        deadline = time.monotonic() + 30
        while not mailoutbox and time.monotonic() < deadline:
            time.sleep(0.1)

    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert len(mailoutbox) == 1
