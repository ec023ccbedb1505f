from datetime import timedelta
from email.utils import parseaddr

import pytest
import time_machine
from django.urls import reverse

from booking.services import booking_create
from notifications import services
from notifications.models import Notification, Preference
from tests.calendars import event_of, has_invitation, invitation
from tests.factories import PASSWORD, MemberFactory, SpaceFactory

from .conftest import paris

Kind = Notification.Kind
Status = Notification.Status
pytestmark = pytest.mark.django_db

STARTS_AT = paris(2026, 11, 27, 14, 0)


def _deliver(notification):
    with time_machine.travel(STARTS_AT - timedelta(hours=20), tick=False):
        assert services.notification_deliver(notification_id=notification.pk) == "sent"


def _reminder(member, item, **context):
    with time_machine.travel(STARTS_AT - timedelta(days=3), tick=False):
        [reminder] = services.reminders_schedule(
            kind=Kind.BOOKING_REMINDER,
            about=item,
            starts_at=STARTS_AT,
            recipient=member,
            context={"title": "Salle Armagnac", **context},
        )
    return reminder


def test_a_reminder_is_written_in_french_for_a_french_speaking_member(item, mailoutbox):
    member = MemberFactory(language="fr")

    _deliver(_reminder(member, item))

    [message] = mailoutbox
    html = message.alternatives[0].content
    assert "novembre" in message.subject
    assert '<html lang="fr">' in html
    assert "novembre" in message.body


def test_a_reminder_is_written_in_english_for_an_english_speaking_member(item, mailoutbox):
    member = MemberFactory(language="en")

    _deliver(_reminder(member, item))

    [message] = mailoutbox
    assert "Nov" in message.subject
    assert "novembre" not in message.body
    assert '<html lang="en">' in message.alternatives[0].content


def test_an_email_has_plain_text_and_html(member, item, mailoutbox):
    _deliver(_reminder(member, item))

    [message] = mailoutbox
    assert "Salle Armagnac" in message.body
    assert "<p>" not in message.body
    assert message.alternatives[0].mimetype == "text/html"


def test_the_cancel_link_is_in_the_email_as_an_absolute_url(member, item, mailoutbox, settings):
    settings.SITE_URL = "https://reserver.ladynamo.example"

    _deliver(_reminder(member, item, cancel_url="/espaces/reservations/12/annuler/"))

    [message] = mailoutbox
    url = "https://reserver.ladynamo.example/espaces/reservations/12/annuler/"
    assert url in message.body
    assert f'href="{url}"' in message.alternatives[0].content


def test_a_booking_reminder_carries_the_booking_as_a_calendar_file(member, mailoutbox):
    room = SpaceFactory(name="Salle Armagnac")
    with time_machine.travel(STARTS_AT - timedelta(days=3), tick=False):
        booking = booking_create(
            member=member, space=room, start=STARTS_AT, end=STARTS_AT + timedelta(hours=2)
        )
    reminder = Notification.objects.get(kind=Kind.BOOKING_REMINDER, object_id=booking.pk)

    _deliver(reminder)

    part, calendar = invitation(mailoutbox[0])
    assert part.get_filename() == "invitation.ics"
    event = event_of(calendar)
    assert event.to_ical().decode().count("DTSTART:20261127T130000Z") == 1
    assert "Salle Armagnac" in str(event["SUMMARY"])


def test_no_calendar_file_when_the_item_has_none(member, item, mailoutbox):
    _deliver(_reminder(member, item))

    assert mailoutbox[0].attachments == []
    assert not has_invitation(mailoutbox[0])


def test_a_member_name_with_an_apostrophe_is_not_html_escaped_in_plain_text(item, mailoutbox):
    member = MemberFactory(first_name="Zoé", last_name="d'Artagnan")

    _deliver(_reminder(member, item))

    assert "Bonjour Zoé d'Artagnan," in mailoutbox[0].body


# --- The programme digest and its one-click unsubscribe ---------------------------------


@pytest.fixture
def subscriber(db):
    member = MemberFactory()
    Preference.objects.create(user=member, programme_digest=True)
    return member


def _send_digest(mailoutbox):
    services.programme_digest_enqueue(
        period="2026-12",
        context={
            "period_label": "décembre 2026",
            "intro": "Au programme ce mois-ci :",
            "items": [{"title": "Atelier Canva", "starts_at": STARTS_AT, "url": "/ateliers/"}],
        },
    )
    for notification_id in services.notifications_due_sweep():
        services.notification_deliver(notification_id=notification_id)
    return mailoutbox


def test_the_digest_goes_only_to_members_who_opted_in(subscriber, member, mailoutbox):
    _send_digest(mailoutbox)

    # Only the address: a name with accents is MIME-encoded in the header.
    assert [[parseaddr(to)[1] for to in m.to] for m in mailoutbox] == [[subscriber.email]]


def test_the_digest_of_a_month_is_sent_once(subscriber, mailoutbox):
    _send_digest(mailoutbox)
    _send_digest(mailoutbox)

    assert len(mailoutbox) == 1


def test_the_digest_carries_a_one_click_list_unsubscribe(subscriber, mailoutbox):
    [message] = _send_digest(mailoutbox)

    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert url.startswith("http://127.0.0.1:8000/compte/notifications/desabonnement/")
    assert url in message.body


def _unsubscribe_path(message):
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    return url.removeprefix("http://127.0.0.1:8000")


def test_the_one_click_unsubscribe_turns_the_digest_off(subscriber, mailoutbox, client):
    [message] = _send_digest(mailoutbox)

    # What a mail client does (RFC 8058): a POST with no cookie and no CSRF token.
    response = client.post(
        _unsubscribe_path(message),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert Preference.objects.get(user=subscriber).programme_digest is False


def test_opening_the_unsubscribe_link_only_asks(subscriber, mailoutbox, client):
    [message] = _send_digest(mailoutbox)

    response = client.get(_unsubscribe_path(message))

    assert response.status_code == 200
    assert Preference.objects.get(user=subscriber).programme_digest is True


def test_a_forged_unsubscribe_link_changes_nothing(subscriber, client):
    url = reverse("notifications:unsubscribe", args=["forged-token"])

    assert client.post(url).status_code == 404
    assert Preference.objects.get(user=subscriber).programme_digest is True


def test_a_digest_queued_before_unsubscribing_is_not_sent(subscriber, client, mailoutbox):
    services.programme_digest_enqueue(period="2026-12", context={"period_label": "décembre"})
    token = services.unsubscribe_token(user=subscriber, preference="programme_digest")
    client.post(reverse("notifications:unsubscribe", args=[token]))

    for notification_id in services.notifications_due_sweep():
        services.notification_deliver(notification_id=notification_id)

    assert mailoutbox == []


# --- The preferences page ---------------------------------------------------------------


def test_a_member_chooses_their_reminders_on_their_account(member, client):
    client.login(email=member.email, password=PASSWORD)
    url = reverse("notifications:preferences")
    assert client.get(url).status_code == 200

    response = client.post(url, {"reminder_24h": "on", "programme_digest": "on"})

    assert response.status_code == 302
    preference = Preference.objects.get(user=member)
    assert (preference.reminder_24h, preference.reminder_2h, preference.programme_digest) == (
        True,
        False,
        True,
    )


def test_the_preferences_page_needs_a_login(client):
    response = client.get(reverse("notifications:preferences"))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
