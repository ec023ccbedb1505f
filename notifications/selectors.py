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
