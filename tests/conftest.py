import os
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# CI sets this: the suite must run on PostgreSQL and Redis, and fail, not skip,
# when they are not there.
REQUIRE_SERVICES = os.environ.get("DYNAMO_REQUIRE_SERVICES") == "1"

# Property tests (hypothesis): the "ci" profile, used by default and in CI, draws the
# same bounded set of examples on every run, so the suite stays fast and a failure
# can be replayed; "thorough" (--hypothesis-profile=thorough) searches further at home.
# No deadline: a draw touches the database, whose timing varies.
_HYPOTHESIS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
hypothesis_settings.register_profile(
    "ci", max_examples=30, derandomize=True, print_blob=True, **_HYPOTHESIS
)
hypothesis_settings.register_profile("thorough", max_examples=400, **_HYPOTHESIS)
hypothesis_settings.load_profile("ci")


def pytest_addoption(parser):
    parser.addoption(
        "--today",
        metavar="YYYY-MM-DD",
        help=(
            "run the whole suite as on that day (the clock travels there, 10:15 in Paris, "
            "and ticks on): no test may depend on the real date. Tests marked realclock "
            "(other processes or a real worker, which cannot travel) are deselected."
        ),
    )


def _today_option(config) -> date | None:
    value = config.getoption("--today")
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(f"--today takes a date as YYYY-MM-DD, not {value!r}") from None


def pytest_configure(config):
    day = _today_option(config)
    if day is not None:
        moment = datetime.combine(day, time(10, 15), tzinfo=ZoneInfo("Europe/Paris"))
        config._dynamo_traveller = time_machine.travel(moment, tick=True)
        config._dynamo_traveller.start()


def pytest_unconfigure(config):
    traveller = getattr(config, "_dynamo_traveller", None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config):
    day = _today_option(config)
    return f"dynamo: the clock is moved to {day} 10:15 Europe/Paris" if day else None


def pytest_collection_modifyitems(config, items):
    if _today_option(config) is None:
        return
    kept, travel_proof = [], []
    for item in items:
        (travel_proof if item.get_closest_marker("realclock") else kept).append(item)
    if travel_proof:
        config.hook.pytest_deselected(items=travel_proof)
        items[:] = kept


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
