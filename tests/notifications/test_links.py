"""Every link in every e-mail leads to the site: absolute, on SITE_URL.

Each kind of notification is produced by the real action a person takes (a booking,
a rental request, a registration, a maintenance window…), then rendered as the worker
renders it, in text and HTML, with its calendar file.
"""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from booking.services import booking_create, reservation_cancel, reservation_create
from fablab.services import machine_reservation_create, maintenance_schedule
from members.services import animator_make
from notifications.emails import notification_message
from notifications.models import Notification, Preference
from notifications.services import notification_enqueue
from rooms.services.rentals import (
    rental_request_accept,
    rental_request_create,
    rental_request_decline,
)
from tests.calendars import event_of, has_invitation, invitation
from tests.factories import MemberFactory, PrinterFactory, SessionFactory, SpaceFactory
from workshops.services import programme_send, registration_cancel, registration_create
from workshops.services import session_save as workshop_session_save

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
SITE_URL = "https://reserver.ladynamo.example"
# A Monday morning in winter, far from the daylight-saving changes.
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=PARIS)

HREF = re.compile(r"""\b(?:href|src|action)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
ADDRESS = re.compile(r"[a-z][a-z0-9+.-]*://[^\s<>\"']+", re.IGNORECASE)
# A path on its own in plain text ("/ateliers/confirmer/…/") is a link a mail client
# cannot open.
BARE_PATH = re.compile(r"(?:^|\s)(/[\w\-./?=&%~:]+)", re.MULTILINE)


def at(days: int, hour: int, minute: int = 0) -> datetime:
    day = NOW.date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


def _every_kind_through_what_people_do() -> None:
    """One or more notifications of every kind, each from the action that causes it."""
    animator = animator_make(email=MemberFactory().email)
    member, neighbour = MemberFactory(), MemberFactory()
    Preference.objects.create(user=member, programme_digest=True)
    room = SpaceFactory()

    # A member books (a reminder); an animator books for them, then cancels it.
    booking_create(member=member, space=room, start=at(1, 10), end=at(1, 12))
    for_member = reservation_create(
        resource=room, member=member, start=at(2, 10), end=at(2, 12), by=animator
    )
    reservation_cancel(reservation=for_member, by=animator)

    # Outsiders ask to rent the room: one is accepted, one declined.
    accepted = rental_request_create(
        space=room, start=at(3, 14), end=at(3, 16), people=3, name="Maître Dupont",
        email="dupont@example.org", purpose="Cours de droit",
    )
    rental_request_accept(request=accepted, by=animator)
    declined = rental_request_create(
        space=room, start=at(4, 14), end=at(4, 16), people=3, name="Jeanne Martin",
        email="jeanne@example.org", purpose="Examen",
    )
    rental_request_decline(request=declined, by=animator, note="Salle prise")

    # A public workshop of one seat: a member registers, another waits and is promoted,
    # a visitor receives the confirmation link; then the session is cancelled.
    session = SessionFactory(workshop__audience="public", capacity=1, start=at(8, 9, 30))
    first = registration_create(session=session, member=member)
    registration_create(session=session, member=neighbour)
    registration_create(session=session, name="Visiteuse", email="visiteuse@example.org")
    registration_cancel(registration=first)
    programme_send(year=session.start.year, month=session.start.month)
    session.start, session.end = session.start + timedelta(hours=1), session.end + timedelta(hours=1)
    workshop_session_save(session=session, by=animator)
    session.is_cancelled = True
    workshop_session_save(session=session, by=animator)

    # A Fablab slot (Tuesday afternoon) meets a maintenance window.
    printer = PrinterFactory(site=room.site)
    machine_reservation_create(member=member, machine=printer, start=at(1, 14), end=at(1, 15))
    maintenance_schedule(
        machine=printer, start=at(1, 14), end=at(1, 18), reason="Buse changée", by=animator
    )

    # A plain message from the animators (no action sends one yet).
    notification_enqueue(
        kind=Notification.Kind.MESSAGE,
        recipient=member,
        context={"body": "La salle est repeinte.", "url": "/espaces/"},
    )


def _links(message) -> tuple[list[str], list[str]]:
    """(every link found, the relative ones) in the text, the HTML and the .ics."""
    html = message.alternatives[0].content
    links = HREF.findall(html) + ADDRESS.findall(html) + ADDRESS.findall(message.body)
    relative = BARE_PATH.findall(message.body) + [
        href for href in HREF.findall(html) if not ADDRESS.match(href)
    ]
    if has_invitation(message):
        _part, calendar = invitation(message)
        value = str(event_of(calendar).get("URL", ""))
        (links if ADDRESS.match(value) else relative).append(value)
    return links, relative


def test_every_link_in_every_email_leads_to_the_site_url(settings):
    settings.SITE_URL = SITE_URL
    with time_machine.travel(NOW, tick=False):
        _every_kind_through_what_people_do()

    notifications = list(Notification.objects.order_by("pk"))
    assert {n.kind for n in notifications} == set(Notification.Kind.values)
    seen = 0
    for notification in notifications:
        message = notification_message(notification=notification)
        links, relative = _links(message)
        assert relative == [], notification.kind
        assert all(link.startswith(SITE_URL + "/") for link in links), (notification.kind, links)
        seen += len(links)
    # Outsiders' rental mails carry no link; every other kind carries several.
    assert seen > 3 * len(notifications)


def test_a_visitor_confirms_a_public_registration_from_the_email_link(settings, client):
    settings.SITE_URL = SITE_URL
    with time_machine.travel(NOW, tick=False):
        session = SessionFactory(workshop__audience="public", capacity=5)
        registration = registration_create(
            session=session, name="Visiteuse", email="visiteuse@example.org"
        )
        [verify] = Notification.objects.filter(kind=Notification.Kind.REGISTRATION_VERIFY)
        message = notification_message(notification=verify)

        [link] = [url for url in ADDRESS.findall(message.body) if "/confirmer/" in url]
        assert link.startswith(SITE_URL + "/ateliers/confirmer/")
        assert f'href="{link}"' in message.alternatives[0].content
        client.post(link.removeprefix(SITE_URL))

    registration.refresh_from_db()
    assert registration.status == registration.Status.REGISTERED


def test_a_notification_names_the_site_and_links_to_the_site_url(settings):
    settings.SITE_URL = "http://127.0.0.1:8101"
    settings.SITE_NAME = "Le Tiers-lieu d'essai"
    member = MemberFactory()
    notification = notification_enqueue(
        kind=Notification.Kind.MESSAGE, recipient=member, context={"body": "Bonjour", "url": "/"}
    )

    message = notification_message(notification=notification)

    assert "http://127.0.0.1:8101/" in message.body
    assert "8000" not in message.body
    assert "Le Tiers-lieu d'essai" in message.body
    assert 'href="http://127.0.0.1:8101/compte/notifications/"' in message.alternatives[0].content
