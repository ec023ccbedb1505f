"""Seed a million past reservations, then time the grid, the availability endpoint, a
booking POST and a trivial view, in-process with Django's test Client.

Runs in its own throw-away database (``<name>_bench``), never the development one.
PostgreSQL: 1,000,000 rows by default, inserted by one INSERT … SELECT generate_series.
SQLite: 100,000 rows by default (bulk_create), with a note saying so: a million rows
there would measure SQLite's inserts rather than the app. ``--rows`` sets either.

Usage: python -m bench.rooms [--rows N] [--requests N] [--spaces N]
"""

import argparse
import os
import statistics
import sys
from datetime import time as dtime
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dynamo.settings")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.rooms", description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=None, help="past reservations to seed")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per line")
    parser.add_argument("--spaces", type=int, default=10, help="spaces on the bench site")
    parser.add_argument("--keep", action="store_true",
                        help="keep the bench database afterwards, and reuse it if seeded")
    args = parser.parse_args(argv)

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    vendor = connection.vendor
    if args.rows is None:
        args.rows = 1_000_000 if vendor == "postgresql" else 100_000
        if vendor != "postgresql":
            print(
                "SQLite: seeding 100,000 reservations, not 1,000,000 (that measures SQLite's\n"
                "bulk inserts, not the app). For the real figure, on PostgreSQL:\n"
                "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/dynamo make bench\n",
                flush=True,
            )

    db = settings.DATABASES["default"]
    db.setdefault("TEST", {})
    if vendor == "postgresql":
        db["TEST"]["NAME"] = f"{db['NAME']}_bench"
    setup_test_environment(debug=False)
    settings.MIDDLEWARE = ["bench.timing.ServerTiming", *settings.MIDDLEWARE]
    settings.ROOT_URLCONF = "bench.urls"
    old_name = connection.settings_dict["NAME"]
    print(f"Creating the bench database on {vendor}…", flush=True)
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.keep)
    try:
        return run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=args.keep)


def run(args) -> int:
    import time as clock

    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from bench import timing
    from booking.localtime import local_datetime
    from booking.models import Site
    from members.models import User
    from members.services import api_token_create
    from rooms.models import Space

    site = Site.objects.filter(slug="banc-d-essai").first()
    if site is not None:  # --keep: reuse what an earlier run seeded
        from booking.models import Reservation

        Reservation.objects.filter(start__gte=timezone.now()).delete()
        spaces = list(Space.objects.filter(site=site).order_by("pk"))
        member = User.objects.get(email="bench0@example.org")
        args.rows = Reservation.objects.count()
        print(f"Reusing {args.rows:,} seeded reservations", flush=True)
    else:
        site, spaces, members = make_site(args.spaces)
        member = members[0]
        started = clock.perf_counter()
        seed(rows=args.rows, spaces=spaces, members=members)
        print(f"Seeded {args.rows:,} past reservations in "
              f"{clock.perf_counter() - started:.0f} s", flush=True)
    _token, key = api_token_create(member=member, name="bench")

    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    tuesday = monday + timedelta(days=1)
    target = spaces[1]
    days_ahead = (monday + timedelta(days=d) for d in range(300))
    slot_days = [day for day in days_ahead if day.weekday() < 5]

    def booking_body(k):
        space = spaces[k % len(spaces)]
        hour = 9 + (k // len(spaces)) % 9
        day = slot_days[k // (len(spaces) * 9)]
        start = local_datetime(day, dtime(hour, 0))
        return {"space": space.pk, "start": start.isoformat(),
                "end": (start + timedelta(hours=1)).isoformat()}

    lines = [
        ("trivial view (baseline)", lambda k: client.get("/bench/ping"), 200),
        ("/healthz (one SELECT 1)", lambda k: client.get("/healthz"), 200),
        ("week grid page (HTML)",
         lambda k: client.get(f"/espaces/lieu/{site.slug}/", {"semaine": monday.isoformat()}),
         200),
        ("GET availability (API)",
         lambda k: client.get(f"/api/v1/spaces/{target.pk}/availability",
                              {"date": tuesday.isoformat()}), 200),
        ("POST booking (API)",
         lambda k: client.post("/api/v1/bookings", booking_body(k),
                               content_type="application/json"), 201),
    ]
    results = []
    for label, call, expected in lines:
        # Warm up (and count queries) outside the timed runs, on throw-away inputs.
        offset = 10_000
        queries: list[str] = []

        def count(execute, sql, *rest, queries=queries):
            queries.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(count):
            response = call(offset)
        if response.status_code != expected:
            print(f"{label}: unexpected {response.status_code} {response.content[:200]!r}")
            return 1
        for k in range(5):
            call(offset + 1 + k)
        timing.SAMPLES.clear()
        failures = 0
        for k in range(args.requests):
            if call(k).status_code != expected:
                failures += 1
        samples = sorted(timing.SAMPLES)
        results.append((label, statistics.median(samples) * 1000,
                        samples[int(0.95 * (len(samples) - 1))] * 1000, len(queries), failures))

    base = results[0][1]
    print()
    print(f"{connection.vendor}, {args.rows:,} past reservations, {args.spaces} spaces, "
          f"{args.requests} requests per line (server time, in-process)")
    header = f"{'':30} {'median ms':>10} {'p95 ms':>9} {'× baseline':>11} {'queries':>8}"
    print(header)
    print("-" * len(header))
    for label, median, p95, count, failures in results:
        note = f"  ({failures} unexpected answers)" if failures else ""
        print(f"{label:30} {median:10.2f} {p95:9.2f} {median / base:11.1f} {count:8d}{note}")
    return 0


def make_site(n_spaces: int):
    from booking.models import OpeningHours, Site
    from members.models import User
    from rooms.models import Space

    site = Site.objects.create(name="Banc d'essai", slug="banc-d-essai", jauge=500)
    OpeningHours.objects.bulk_create(
        OpeningHours(site=site, weekday=d, opens=dtime(8, 30), closes=dtime(18, 30))
        for d in range(5)
    )
    spaces = []
    for i in range(n_spaces):
        kind = Space.Kind.SHARED_OFFICE if i % 3 == 0 else Space.Kind.MEETING_ROOM
        spaces.append(Space.objects.create(
            site=site, name=f"Espace {i}", slug=f"bench-{i}", kind=kind,
            capacity=12, horizon_days=365,
        ))
    members = User.objects.bulk_create(
        User(email=f"bench{i}@example.org", password="!") for i in range(200)
    )
    return site, spaces, members


def seed(*, rows: int, spaces, members) -> None:
    """Past reservations spread evenly over the spaces, one hour each, back to back
    going back in time from yesterday (so the exclusion constraint is satisfied);
    one in ten cancelled."""
    from django.db import connection
    from django.utils import timezone

    from booking.models import Reservation

    per_space = -(-rows // len(spaces))
    base = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(days=1)
    member_ids = [m.pk for m in members]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO rooms_reservation
                    (resource_id, member_id, status, start, "end", blocked_until, seats,
                     exclusive, source, purpose, override_reason, overridden_rules,
                     price_amount, price_rate, price_tariff, created_at)
                SELECT r.id,
                       (%(members)s::bigint[])[1 + (g %% %(n_members)s)],
                       CASE WHEN g %% 10 = 0 THEN 'cancelled' ELSE 'confirmed' END,
                       %(base)s - g * interval '1 hour',
                       %(base)s - (g - 1) * interval '1 hour',
                       %(base)s - (g - 1) * interval '1 hour',
                       1, r.exclusive, 'booking', '', '', '',
                       15.00, 'hour', 'member',
                       %(base)s - g * interval '1 hour' - interval '7 days'
                FROM rooms_resource r
                CROSS JOIN generate_series(1, %(per_space)s) AS g
                WHERE r.id = ANY(%(resources)s)
                """,
                {"members": member_ids, "n_members": len(member_ids), "base": base,
                 "per_space": per_space, "resources": [s.pk for s in spaces]},
            )
            cursor.execute("ANALYZE rooms_reservation")
        return
    batch = []
    for space in spaces:
        for g in range(1, per_space + 1):
            start = base - timedelta(hours=g)
            batch.append(Reservation(
                resource_id=space.pk, member_id=member_ids[g % len(member_ids)],
                status="cancelled" if g % 10 == 0 else "confirmed", start=start,
                end=start + timedelta(hours=1), blocked_until=start + timedelta(hours=1),
                exclusive=space.exclusive,
            ))
            if len(batch) >= 10_000:
                Reservation.objects.bulk_create(batch)
                batch.clear()
    Reservation.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


if __name__ == "__main__":
    sys.exit(main())
