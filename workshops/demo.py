"""Demo programme: a year of monthly workshops around today, with registrations and,
for past sessions, the roll call. Idempotent."""

import contextlib
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from booking import refusals
from booking.models import Reservation
from booking.services import reservation_check
from members.demo import ANIMATOR_EMAIL
from members.models import User
from rooms.models import Space

from .models import Registration, Session, Theme, Workshop
from .services import (
    RegistrationRefused,
    attendance_record,
    registration_create,
    session_save,
)

PARIS = ZoneInfo("Europe/Paris")
# The big meeting room of rooms.demo, when it has been seeded.
ROOM_SLUG = "salle-armagnac"

THEMES = {
    "organisation": "Organisation",
    "entraide": "Entraide",
    "fablab": "Fablab",
    "developpement": "Développement de l'activité",
}
WORKSHOPS = [
    # (title, theme, kind, audience, capacity, description)
    (
        "Gestion du temps et des priorités",
        "organisation",
        "monthly",
        "public",
        12,
        "Reprendre la main sur son agenda quand on travaille seul·e.",
    ),
    (
        "Codéveloppement",
        "entraide",
        "codev",
        "members",
        10,
        "Une dizaine de participants travaillent sur le projet de chacun : intelligence collective.",
    ),
    (
        "Formation découpe laser",
        "fablab",
        "training",
        "members",
        6,
        "Sécurité, réglages et premières découpes : ouvre l'accès à la découpe laser.",
    ),
    (
        "Trouver ses premiers clients",
        "developpement",
        "monthly",
        "public",
        12,
        "Prospection, réseau et recommandation pour les entrepreneurs solos.",
    ),
]
# Month → workshop title: March is time and priorities, February co-development.
CALENDAR = {
    1: "Trouver ses premiers clients",
    2: "Codéveloppement",
    3: "Gestion du temps et des priorités",
    4: "Formation découpe laser",
    5: "Codéveloppement",
    6: "Trouver ses premiers clients",
    7: "Formation découpe laser",
    9: "Gestion du temps et des priorités",
    10: "Codéveloppement",
    11: "Formation découpe laser",
    12: "Trouver ses premiers clients",
}


def _second_tuesday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(1 - first.weekday()) % 7 + 7)


# A session's preferred times, in order: the morning, else the afternoon of the same
# day, else the next days of that week.
PREFERRED_TIMES = [time(9, 30), time(14, 0)]
LENGTH = timedelta(hours=2, minutes=30)


# The animator's hold lifts the booking window by design (a past session of the
# demo's history, one months ahead); any other refusal — a closed day or public
# holiday, outside the hours, a taken time — means trying another time.
WINDOW_CODES = frozenset({refusals.PAST, refusals.BEYOND_HORIZON})


def _engine_accepts(*, room, start: datetime, end: datetime, seats: int) -> bool:
    """Whether the engine's dry run would hold ``room`` for a session then, as a
    member-less workshop hold, with only the booking window lifted."""
    found = reservation_check(
        resource=room,
        start=start,
        end=end,
        seats=seats,
        whole=True,
        source=Reservation.Source.WORKSHOP,
    )
    return all(refusal.code in WINDOW_CODES for refusal in found)


def _schedule(*, workshop: Workshop, capacity: int, room, day: date, by) -> Session | None:
    """Schedule the month's session at the first time the booking engine grants its room.

    Each candidate time is first asked of the engine's dry run without the animator's
    override (``_engine_accepts``: a closed day or a public holiday is skipped, never
    forced); an accepted one goes through ``session_save`` inside a savepoint, which
    holds the room or refuses, and a refusal leaves nothing behind. Returns the saved
    session, or None when no time of that week is free."""
    for offset in range(4):
        for at in PREFERRED_TIMES:
            start = datetime.combine(day + timedelta(days=offset), at, tzinfo=PARIS)
            session = Session(
                workshop=workshop, start=start, end=start + LENGTH, capacity=capacity, room=room
            )
            if room is not None and not _engine_accepts(
                room=room, start=session.start, end=session.end, seats=session.seats
            ):
                continue
            try:
                with transaction.atomic():
                    session_save(session=session, by=by)
            except ValidationError:
                continue
            return session
    return None


def seed(stdout=None) -> None:
    themes = {
        slug: Theme.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in THEMES.items()
    }
    workshops = {}
    for title, theme, kind, audience, _capacity, description in WORKSHOPS:
        workshops[title], _ = Workshop.objects.get_or_create(
            title=title,
            defaults={
                "theme": themes[theme],
                "kind": kind,
                "audience": audience,
                "description": description,
                "facilitator": "Audrey, animatrice Soho Solo",
            },
        )
    capacities = {w[0]: w[4] for w in WORKSHOPS}
    animator = User.objects.get(email=ANIMATOR_EMAIL)
    room = Space.objects.filter(slug=ROOM_SLUG).first()
    members = list(User.objects.filter(is_staff=False).order_by("pk"))
    today = timezone.localdate()
    now = timezone.now()
    for offset in range(-5, 7):
        year, month = divmod(today.year * 12 + today.month - 1 + offset, 12)
        month += 1
        title = CALENDAR.get(month)
        if title is None:
            continue  # no workshop in August
        first_of_month = datetime(year, month, 1, tzinfo=PARIS)
        if Session.objects.filter(
            workshop=workshops[title],
            start__gte=first_of_month,
            start__lt=(first_of_month + timedelta(days=32)).replace(day=1),
        ).exists():
            continue
        session = _schedule(
            workshop=workshops[title],
            capacity=capacities[title],
            room=room,
            day=_second_tuesday(year, month),
            by=animator,
        )
        if session is None:
            continue
        # The co-development sessions fill up (ten people); the others half-fill.
        rotated = members[offset % len(members) :] + members[: offset % len(members)]
        wanted = session.capacity if title == "Codéveloppement" else session.capacity // 2
        attendees = rotated[:wanted]
        for member in attendees:
            if session.start > now:
                with contextlib.suppress(RegistrationRefused):
                    registration_create(session=session, member=member)
            else:
                # The past cannot be registered for through the service: write history.
                Registration.objects.create(
                    session=session,
                    member=member,
                    name=member.display_name,
                    email=member.email,
                    status=Registration.Status.REGISTERED,
                )
        if session.end < now:
            marks = {
                r.pk: ("absent" if i % 5 == 4 else "present")
                for i, r in enumerate(session.registrations.all())
            }
            attendance_record(session=session, marks=marks)
    if stdout:
        stdout.write(f"Workshops: {Workshop.objects.count()}, sessions: {Session.objects.count()}")
