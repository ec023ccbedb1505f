"""Pricing the reservations made before prices were stored: for data migrations only.

Reservations carry what they cost since booking migration 0003; rows written before
get, once, the price their rule gives at migration time (today's rates and opening
hours), by the same pure functions the engine uses (``booking.periods``). Each app
whose resources have prices calls ``price_reservations`` from a data migration of its
own (rooms for spaces, fablab for machines) and says how to read its rates, so this
module knows no app above ``booking``. It works on historical models only.
"""

from collections import defaultdict
from collections.abc import Callable

from . import periods as p
from .localtime import to_local
from .rules import Calendar

BATCH = 1000
PRICE_FIELDS = ["price_amount", "price_rate", "price_tariff"]
# Holds priced by nobody: what they hold the room or machine for is charged elsewhere.
UNPRICED_SOURCES = ("workshop", "maintenance")


def _tariff(row, memberships) -> str:
    if row.source == "rental_request":
        return p.TARIFF_PUBLIC
    # The membership in force on the day the reservation was made.
    made_on = to_local(row.created_at).date()
    for valid_from, valid_until in memberships.get(row.member_id, ()):
        if valid_from <= made_on and (valid_until is None or made_on <= valid_until):
            return p.TARIFF_MEMBER
    return p.TARIFF_PUBLIC


def price_reservations(
    apps,
    schema_editor,
    *,
    resource_model: str,
    hours_model: str,
    rates: Callable[[object, str], p.Rates],
) -> int:
    """Set the price of every reservation of ``resource_model`` ("rooms.Space") still
    unpriced (``price_rate`` "none" without an amount), as the engine would price it
    now: the periods of its day from ``hours_model``'s windows ("booking.OpeningHours")
    and the site's closures, ``rates(resource, tariff)`` for the resource's rates. A
    rental request is priced at the public rate; a member's reservation at the member
    rate when a membership was in force on the day it was made, the public rate
    otherwise; workshop and maintenance holds, and rows without a member, stay
    unpriced. Returns how many rows were priced. Reads in batches of ``BATCH``.
    """
    db = schema_editor.connection.alias
    Reservation = apps.get_model("booking", "Reservation")
    resources = {r.pk: r for r in apps.get_model(resource_model).objects.using(db)}
    if not resources:
        return 0
    hours, closures = defaultdict(list), defaultdict(list)
    for h in apps.get_model(hours_model).objects.using(db):
        hours[h.site_id].append(h)
    for c in apps.get_model("booking", "Closure").objects.using(db):
        closures[c.site_id].append(c)
    calendars = {site_id: Calendar(hours[site_id], closures[site_id]) for site_id in hours}
    memberships = defaultdict(list)
    for member_id, valid_from, valid_until in (
        apps.get_model("members", "Membership")
        .objects.using(db)
        .values_list("member_id", "valid_from", "valid_until")
    ):
        memberships[member_id].append((valid_from, valid_until))

    periods_of: dict[tuple[int, object], list[p.Period]] = {}
    unpriced = (
        Reservation.objects.using(db)
        .filter(price_rate=p.RATE_NONE, price_amount__isnull=True)
        .exclude(source__in=UNPRICED_SOURCES)
        .order_by("pk")
    )
    priced, last_pk = 0, 0
    # Batches by primary key, each read in full before it is written: no cursor stays
    # open over the table being updated (SQLite does not isolate the two).
    while batch := list(unpriced.filter(pk__gt=last_pk)[:BATCH]):
        last_pk = batch[-1].pk
        done = []
        for row in batch:
            resource = resources.get(row.resource_id)
            if resource is None or (row.member_id is None and row.source != "rental_request"):
                continue
            tariff = _tariff(row, memberships)
            day = to_local(row.start).date()
            key = (resource.site_id, day)
            if key not in periods_of:
                calendar = calendars.get(resource.site_id)
                periods_of[key] = p.day_periods(calendar.windows(day)) if calendar else []
            price = p.range_price(
                start=row.start,
                end=row.end,
                periods=periods_of[key],
                rates=rates(resource, tariff),
            )
            if price.rate == p.RATE_NONE:
                continue
            row.price_amount, row.price_rate, row.price_tariff = price.amount, price.rate, tariff
            done.append(row)
        Reservation.objects.using(db).bulk_update(done, PRICE_FIELDS)
        priced += len(done)
    return priced
