import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

# CI sets this: the suite must run on PostgreSQL and Redis, and fail, not skip,
# when they are not there.
REQUIRE_SERVICES = os.environ.get("DYNAMO_REQUIRE_SERVICES") == "1"


def pytest_sessionstart(session):
    if not REQUIRE_SERVICES:
        return
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.exit("DYNAMO_REQUIRE_SERVICES=1 but DATABASE_URL is not PostgreSQL", returncode=1)
    if not settings.REDIS_URL:
        pytest.exit("DYNAMO_REQUIRE_SERVICES=1 but REDIS_URL is not set", returncode=1)
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=3).ping()
    except redis.RedisError as exc:
        pytest.exit(f"Redis unreachable at {settings.REDIS_URL}: {exc}", returncode=1)


def _redis_broker_problem() -> str | None:
    """Why the Celery broker is not a reachable Redis, or None when it is."""
    broker = settings.CELERY_BROKER_URL
    if not broker.startswith(("redis://", "rediss://")):
        return f"CELERY_BROKER_URL is {broker!r}, not Redis"
    import redis

    try:
        redis.Redis.from_url(broker, socket_timeout=3).ping()
    except redis.RedisError as exc:
        return f"Redis broker unreachable at {broker}: {exc}"
    return None


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        if REQUIRE_SERVICES:
            pytest.fail("this test needs PostgreSQL and CI requires it")
        pytest.skip("needs PostgreSQL (runs in CI, or with DATABASE_URL set)")
    if item.get_closest_marker("redis"):
        problem = _redis_broker_problem()
        if problem and REQUIRE_SERVICES:
            pytest.fail(f"this test needs a real Redis broker and CI requires it: {problem}")
        if problem:
            pytest.skip(f"needs a Redis broker (runs in CI, or with CELERY_BROKER_URL): {problem}")


@pytest.fixture(autouse=True)
def _fresh_cache():
    # allauth's rate limits count in the cache: each test starts with none used.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _site_language():
    # LocaleMiddleware leaves a request's language active in the thread: a page asked
    # for in English must not turn the next test's messages English.
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness tests nothing of ours.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def deliver_outbox():
    """Send every notification due now through the real delivery service, as the worker
    would after commit (a test's transaction never commits, so nothing is handed over
    on its own)."""
    from django.utils import timezone

    from notifications.models import Notification
    from notifications.services import notification_deliver

    def deliver() -> None:
        due = Notification.objects.filter(
            status=Notification.Status.PENDING, due_at__lte=timezone.now()
        ).values_list("pk", flat=True)
        for notification_id in list(due):
            notification_deliver(notification_id=notification_id)

    return deliver
