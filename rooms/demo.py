"""Demo data for the rooms: the Dynamo's spaces, opening hours and a few bookings by
the demo members. Idempotent: running it twice changes nothing. No closure rows for
public holidays: the site is in France, and the engine closes its public holidays
itself (``booking.public_holidays``)."""

from datetime import time, timedelta

from django.utils import timezone
from django.utils.text import slugify

from booking.localtime import local_datetime
from booking.models import OpeningHours, Reservation, Site
from booking.refusals import BookingRefused
from booking.services import booking_create
from members.models import User

from .models import Amenity, Space

AMENITIES = ["Écran", "Kit visio", "Tableau blanc", "Paperboard", "Fibre", "Cuisine équipée"]

# name, kind, capacity, reduced jauge, amenities, rules, prices (member h/half/day,
# public h/half/day), description
SPACES = [
    (
        "Bureau Baïse",
        Space.Kind.INDIVIDUAL_OFFICE,
        2,
        None,
        ["Fibre"],
        {},
        ("6.00", "20.00", "35.00", "10.00", "30.00", "50.00"),
        "Bureau fermé au calme pour une ou deux personnes, lumineux, donnant sur le jardin.",
    ),
    (
        "Bureau Gers",
        Space.Kind.INDIVIDUAL_OFFICE,
        2,
        None,
        ["Fibre", "Écran"],
        {},
        ("6.00", "20.00", "35.00", "10.00", "30.00", "50.00"),
        "Bureau fermé avec grand écran, idéal pour les appels et la visio.",
    ),
    (
        "Open space",
        Space.Kind.SHARED_OFFICE,
        12,
        10,
        ["Fibre", "Cuisine équipée"],
        {"min_minutes": 240, "max_bookings_per_day": 1},
        (None, "8.00", "15.00", None, "12.00", "20.00"),
        "Douze postes de coworking (dix en jauge réduite), à la demi-journée ou à la journée.",
    ),
    (
        "Salle Armagnac",
        Space.Kind.MEETING_ROOM,
        12,
        None,
        ["Écran", "Kit visio", "Tableau blanc", "Fibre"],
        {"max_minutes_per_week": 600},
        ("15.00", "50.00", "90.00", "25.00", "80.00", "150.00"),
        "Grande salle de réunion avec kit de visioconférence : cours à distance, formations.",
    ),
    (
        "Salle Gascogne",
        Space.Kind.MEETING_ROOM,
        6,
        None,
        ["Écran", "Paperboard", "Fibre"],
        {"max_minutes_per_week": 600},
        ("10.00", "30.00", "55.00", "18.00", "55.00", "100.00"),
        "Petite salle pour six : rendez-vous clients, réunions d'équipe.",
    ),
    (
        "Espace convivialité",
        Space.Kind.CONVIVIALITY,
        20,
        None,
        ["Cuisine équipée"],
        {},
        (None, None, None, "20.00", "60.00", "100.00"),
        "Le cœur de la Dynamo : cuisine, grande table, canapés.",
    ),
]


def seed(stdout=None) -> None:
    site, _ = Site.objects.get_or_create(
        slug="la-dynamo",
        defaults={
            "name": "La Dynamo du Gers",
            "address": "Auch (Gers)",
            "description": "Tiers-lieu de 1000 m² : coworking, salles de réunion, Fablab.",
        },
    )
    if site.jauge is None:
        site.jauge = 40
        site.save(update_fields=["jauge"])
    if not site.opening_hours.exists():
        OpeningHours.objects.bulk_create(
            OpeningHours(site=site, weekday=day, opens=time(8, 30), closes=time(18, 30))
            for day in range(5)
        )
    amenities = {}
    for name in AMENITIES:
        amenities[name], _ = Amenity.objects.get_or_create(
            slug=slugify(name), defaults={"name": name}
        )
    spaces = {}
    for name, kind, capacity, jauge, wanted, rules, prices, description in SPACES:
        space = Space.objects.filter(slug=slugify(name)).first()
        if space is None:
            mh, mhd, md, ph, phd, pd = prices
            space = Space(
                site=site,
                name=name,
                slug=slugify(name),
                kind=kind,
                capacity=capacity,
                jauge=jauge,
                description=description,
                price_member_hour=mh,
                price_member_half_day=mhd,
                price_member_day=md,
                price_public_hour=ph,
                price_public_half_day=phd,
                price_public_day=pd,
                **rules,
            )
            space.full_clean()
            space.save()
            space.amenities.set(amenities[a] for a in wanted)
        spaces[name] = space
    if stdout:
        stdout.write(f"Spaces: {Space.objects.count()}")


def seed_bookings(stdout=None) -> None:
    """Members' bookings, made last: the workshop programme and the Fablab are planned
    first, as in life, and each booking goes through the engine, which refuses whatever
    is already held (a session's room, a holiday, a member's limit): the demo skips those,
    so it fits around the rest on any date."""
    site = Site.objects.filter(slug="la-dynamo").first()
    made_by_members = Reservation.objects.filter(
        resource__site=site, source=Reservation.Source.BOOKING
    )
    if site is not None and not made_by_members.exists():
        _bookings({space.name: space for space in Space.objects.filter(site=site)})
    if stdout:
        stdout.write(f"Reservations: {Reservation.objects.count()}")


def _bookings(spaces: dict[str, Space]) -> None:
    """A plausible fortnight: desks most days, a few meetings, one video class."""
    members = list(
        User.objects.filter(email__endswith="@ladynamo.example", is_staff=False).order_by(
            "last_name", "first_name"
        )
    )
    if not members:
        return
    day = timezone.localdate() + timedelta(days=1)
    plans = [
        ("Open space", "08:30", "18:30"),
        ("Open space", "08:30", "12:30"),
        ("Open space", "13:30", "18:30"),
        ("Salle Armagnac", "09:00", "12:00"),
        ("Salle Gascogne", "14:00", "15:30"),
        ("Bureau Baïse", "09:00", "17:00"),
    ]
    made = 0
    while made < 40 and day < timezone.localdate() + timedelta(days=21):
        if day.weekday() < 5:
            for i, (space, start, end) in enumerate(plans):
                member = members[(day.toordinal() + i) % len(members)]
                try:
                    booking_create(
                        member=member,
                        space=spaces[space],
                        start=local_datetime(day, time.fromisoformat(start)),
                        end=local_datetime(day, time.fromisoformat(end)),
                        purpose="Cours de droit en visio" if space == "Salle Armagnac" else "",
                    )
                    made += 1
                except BookingRefused:
                    continue  # a holiday, a limit: the demo simply skips it
        day += timedelta(days=1)
