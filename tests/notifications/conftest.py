import smtplib
from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

from booking.models import Site
from dynamo.celery import app as celery_app
from tests.factories import MemberFactory

PARIS = ZoneInfo("Europe/Paris")


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


class FakeMailServer:
    """Stands in for the SMTP server: refuses the first ``refusals`` sends, then accepts."""

    refusals = 0
    calls = 0


class RefusingBackend(LocmemBackend):
    def send_messages(self, messages):
        FakeMailServer.calls += 1
        if FakeMailServer.calls <= FakeMailServer.refusals:
            raise smtplib.SMTPResponseException(451, b"4.3.0 Try again later")
        return super().send_messages(messages)


@pytest.fixture
def mail_server(settings):
    """Configure how many times the mail server refuses before it accepts."""
    settings.EMAIL_BACKEND = "tests.notifications.conftest.RefusingBackend"
    FakeMailServer.calls = 0
    FakeMailServer.refusals = 0

    def refusing(times: int) -> type[FakeMailServer]:
        FakeMailServer.refusals = times
        return FakeMailServer

    return refusing


@pytest.fixture
def eager():
    """Tasks run in-process, as in the embedded default with no broker."""
    old = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = old


@pytest.fixture
def retries_in_process():
    """Let Celery's retry machinery run in-process: an eager task that propagates its
    errors would raise the first Retry instead of retrying (a Celery eager limit)."""
    old = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = old


def _reset_broker_pools():
    # Only forget them: kombu keeps its pools per broker URL in a global registry,
    # and the ones for the real broker must still work after the test.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def broker_at(url: str):
    """Publish to another broker (a closed port: Redis is down for the site)."""
    old_url, old_eager = celery_app.conf.broker_write_url, celery_app.conf.task_always_eager
    celery_app.conf.broker_write_url = url
    celery_app.conf.task_always_eager = False
    _reset_broker_pools()
    try:
        yield
    finally:
        celery_app.conf.broker_write_url = old_url
        celery_app.conf.task_always_eager = old_eager
        _reset_broker_pools()


@pytest.fixture
def member(db):
    return MemberFactory(first_name="Camille", last_name="Martin")


@pytest.fixture
def item(db):
    # Any saved model can be what a notification is about; a Site stands in for a
    # booking until the booking engine lands.
    return Site.objects.create(name="Salle Armagnac", slug="salle-armagnac")
