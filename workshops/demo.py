"""Demo programme: a year of monthly workshops around today, with registrations and,
for past sessions, the roll call. Idempotent."""

import contextlib
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

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
        day = _second_tuesday(year, month)
        start = datetime.combine(day, time(9, 30), tzinfo=PARIS)
        if Session.objects.filter(workshop=workshops[title], start=start).exists():
            continue
        session = Session(
            workshop=workshops[title],
            start=start,
            end=start + timedelta(hours=2, minutes=30),
            capacity=capacities[title],
            room=room,
        )
        # Through the service, so the room is held by the booking engine.
        session_save(session=session, by=animator)
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
