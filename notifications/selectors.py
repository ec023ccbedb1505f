"""Reads for the notification outbox and members' notification preferences."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from members.models import User

from .models import Notification, Preference


def preference_for(*, user: User) -> Preference:
    """The member's preferences; an unsaved row with the defaults if they never chose."""
    try:
        return user.notification_preference
    except Preference.DoesNotExist:
        return Preference(user=user)


def digest_recipients() -> QuerySet[User]:
    """Active members who asked for the monthly programme."""
    return User.objects.filter(is_active=True, notification_preference__programme_digest=True)


def notifications_for_about(*, about, kinds: list[str] | None = None) -> QuerySet[Notification]:
    """Every notification about one object (any status), newest due first."""
    qs = Notification.objects.filter(
        content_type=ContentType.objects.get_for_model(about), object_id=about.pk
    )
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return qs


def notifications_export(*, member: User) -> dict:
    """The member's notification preferences and the messages addressed to them (kind,
    state, when), oldest first, as JSON-ready data for their data export
    (``members.hooks``). Two queries."""
    preference = preference_for(user=member)
    return {
        "preferences": {
            "reminder_24h": preference.reminder_24h,
            "reminder_2h": preference.reminder_2h,
            "programme_digest": preference.programme_digest,
        },
        "messages": [
            {
                "kind": n.kind,
                "status": n.status,
                "created_at": n.created_at.isoformat(),
                "sent_at": n.sent_at.isoformat() if n.sent_at else None,
            }
            for n in Notification.objects.filter(recipient=member).order_by("created_at", "pk")
        ],
    }
