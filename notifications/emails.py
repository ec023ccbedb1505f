"""Turn an outbox row into an e-mail, in the recipient's language.

Templates per kind: ``notifications/<kind>.subject.txt``, ``.txt`` and ``.html``.
They receive the row's ``context`` (keys ending in ``_at`` become datetimes;
``url`` and keys ending in ``_url`` are links, made absolute with
``core.links.absolute_url``, at any depth) plus ``recipient_name``, ``about``,
``site_name``, ``site_url``, ``preferences_url`` and, for the digest,
``unsubscribe_url``. Callers store paths (``reverse(...)``), so a change of
``SITE_URL`` applies to rows already queued.

The .ics protocol: if the object the notification is about has a method
``calendar_event()`` returning a ``core.ics.Event`` (or None), the event, as the
object stands when the mail is sent, is attached as ``invitation.ics`` — unless the
context says ``"ics": false``. ``core.ics.email_attachment`` makes it a PUBLISH,
or a CANCEL with the same UID and a higher SEQUENCE once the item is cancelled.
"""

from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.dateparse import parse_datetime

from core.ics import email_attachment
from core.links import absolute_url

from .models import Notification


def _is_link(key: str) -> bool:
    return key == "url" or key.endswith("_url")


def _revive(value):
    """JSON gives strings back: turn ``*_at`` values into datetimes and links into
    absolute addresses, recursively."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key.endswith("_at") and isinstance(item, str):
                out[key] = parse_datetime(item) or item
            elif _is_link(key) and isinstance(item, str):
                out[key] = absolute_url(item)
            else:
                out[key] = _revive(item)
        return out
    if isinstance(value, list):
        return [_revive(item) for item in value]
    return value


def notification_language(notification: Notification) -> str:
    # A member's current choice wins over the language recorded at enqueue time.
    if notification.recipient_id and notification.recipient.language:
        return notification.recipient.language
    return notification.language or settings.LANGUAGE_CODE


def notification_message(*, notification: Notification, connection=None) -> EmailMultiAlternatives:
    """The e-mail for one row. Raises TemplateDoesNotExist for a kind with no templates."""
    from .services import unsubscribe_token

    about = notification.about if notification.content_type_id else None
    headers = {
        # RFC 3834: automatic mail, so that auto-responders stay quiet.
        "Auto-Submitted": "auto-generated",
        "X-Dynamo-Notification": str(notification.pk),
    }
    context = _revive(notification.context or {})
    context.update(
        notification=notification,
        recipient_name=notification.display_name,
        about=about,
        site_name=settings.SITE_NAME,
        site_url=settings.SITE_URL,
        preferences_url=absolute_url(reverse("notifications:preferences")),
    )
    if notification.kind == Notification.Kind.PROGRAMME_DIGEST and notification.recipient_id:
        token = unsubscribe_token(user=notification.recipient, preference="programme_digest")
        unsubscribe_url = absolute_url(reverse("notifications:unsubscribe", args=[token]))
        context["unsubscribe_url"] = unsubscribe_url
        # RFC 8058 one-click: the mail client POSTs to the URL, no page to visit.
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"

    base = f"notifications/{notification.kind}"
    with translation.override(notification_language(notification)):
        subject = " ".join(render_to_string(f"{base}.subject.txt", context).split())
        text = render_to_string(f"{base}.txt", context)
        html = render_to_string(f"{base}.html", context)

    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[formataddr((notification.display_name, notification.address))],
        headers=headers,
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    calendar_event = getattr(about, "calendar_event", None)
    if callable(calendar_event) and context.get("ics", True):
        event = calendar_event()
        if event is not None:
            attendee = (notification.display_name, notification.address)
            message.attach(email_attachment(event, attendee=attendee))
    return message
