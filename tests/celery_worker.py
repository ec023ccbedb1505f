"""A real Celery worker for end-to-end tests (no eager mode), shared by the apps' tests."""

import time
from contextlib import contextmanager

from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections

from dynamo.celery import app as celery_app


def _close_worker_connections(**kwargs):
    # The worker thread opens its own database connection: close it after each
    # task so the test database can be flushed and dropped.
    connections.close_all()


@contextmanager
def real_worker():
    celery_app.control.purge()  # leftovers of earlier runs on this broker database
    task_postrun.connect(_close_worker_connections, weak=False)
    try:
        with start_worker(
            celery_app,
            pool="solo",
            perform_ping_check=False,
            shutdown_timeout=30,
            loglevel="WARNING",
        ) as worker:
            yield worker
    finally:
        task_postrun.disconnect(_close_worker_connections)


def wait_for_emails(mailoutbox, count, timeout=30.0):
    # Watch the outbox, not the database: the test thread stays off the database
    # while the worker writes (SQLite's shared in-memory test database would refuse
    # one of them, "table is locked", instead of waiting).
    deadline = time.monotonic() + timeout
    while len(mailoutbox) < count and time.monotonic() < deadline:
        time.sleep(0.1)
