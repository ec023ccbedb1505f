"""Benchmark the notification outbox: 10,000 due reminders, swept and delivered.

    python -m bench.notifications [--count 10000] [--threads N]

Runs on a throw-away test database (the DATABASE_URL's engine: SQLite in memory by
default, PostgreSQL when set) and the locmem mail backend. Every reminder is handed
to delivery twice, from several threads on PostgreSQL, as a duplicate beat tick or
a second worker would: the number of duplicate e-mails must be 0. Prints numbers;
asserts nothing about time.
"""

import argparse
import os
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dynamo.settings")


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}/s" if seconds else "n/a"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.notifications")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--threads", type=int, default=None,
                        help="delivering threads (default 4 on PostgreSQL, 1 on SQLite)")
    args = parser.parse_args(argv)

    django.setup()
    import time_machine
    from django.core import mail
    from django.db import connection, connections, transaction
    from django.test.utils import setup_test_environment, teardown_test_environment
    from django.utils import timezone

    from booking.models import Site
    from dynamo.celery import app as celery_app
    from members.models import User
    from notifications import services
    from notifications.models import Notification

    setup_test_environment(debug=False)  # the locmem mail backend, no query log
    celery_app.conf.task_always_eager = True
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    postgres = connection.vendor == "postgresql"
    threads = args.threads or (4 if postgres else 1)
    try:
        members = User.objects.bulk_create(
            User(email=f"bench{i}@example.org", first_name="Membre", last_name=str(i),
                 password="!", language="en" if i % 3 == 0 else "fr")
            for i in range(max(1, args.count // 10))
        )
        items = Site.objects.bulk_create(
            Site(name=f"Espace {i}", slug=f"espace-{i}") for i in range(args.count)
        )
        booked_at = timezone.now()
        starts_at = booked_at + timedelta(days=3)

        # 1. Bookings write their reminders, 500 per transaction (the real service).
        started = time.perf_counter()
        with time_machine.travel(booked_at, tick=True):
            for start in range(0, args.count, 500):
                with transaction.atomic():
                    for i in range(start, min(start + 500, args.count)):
                        services.reminders_schedule(
                            kind=Notification.Kind.BOOKING_REMINDER, about=items[i],
                            starts_at=starts_at + timedelta(minutes=i % 600),
                            recipient=members[i % len(members)],
                            context={"title": items[i].name, "cancel_url": f"/r/{i}/"},
                        )
        enqueue_seconds = time.perf_counter() - started

        # 2. The next day they are all due (starts spread over 10 hours), none started.
        with time_machine.travel(starts_at - timedelta(hours=13), tick=True):
            started = time.perf_counter()
            ids = services.notifications_due_sweep(limit=args.count * 2)
            sweep_seconds = time.perf_counter() - started

            # 3. Delivery, each id handed over twice (a duplicate tick, a second worker).
            def deliver(chunk: list[int]) -> Counter:
                outcomes: Counter = Counter()
                backend = mail.get_connection()
                try:
                    for notification_id in chunk:
                        outcomes[services.notification_deliver(
                            notification_id=notification_id, connection=backend)] += 1
                finally:
                    connections.close_all()
                return outcomes

            handed_over = ids + ids[::-1]
            chunks = [handed_over[i::threads] for i in range(threads)]
            started = time.perf_counter()
            if threads == 1:
                outcomes = deliver(handed_over)
            else:
                with ThreadPoolExecutor(threads) as pool:
                    outcomes = sum(pool.map(deliver, chunks), Counter())
            deliver_seconds = time.perf_counter() - started

        sent_ids = Counter(m.extra_headers["X-Dynamo-Notification"] for m in mail.outbox)
        duplicates = sum(n - 1 for n in sent_ids.values())
        unsent = Notification.objects.exclude(status=Notification.Status.SENT).count()
        total = sweep_seconds + deliver_seconds
        print(f"database: {connection.vendor}, delivering threads: {threads}")
        print(f"reminders enqueued: {args.count:,} in {enqueue_seconds:.2f}s "
              f"({_rate(args.count, enqueue_seconds)})")
        print(f"sweep: {len(ids):,} due found in {sweep_seconds:.3f}s "
              f"({_rate(len(ids), sweep_seconds)})")
        print(f"delivery: {len(handed_over):,} hand-overs in {deliver_seconds:.2f}s, "
              f"outcomes {dict(outcomes)}")
        print(f"reminders/second (sweep + delivery): {_rate(len(sent_ids), total)}")
        print(f"e-mails: {len(mail.outbox):,}, duplicates: {duplicates}, not sent: {unsent}")
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
