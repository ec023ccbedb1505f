from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "kind",
        "recipient_email",
        "status",
        "due_at",
        "sent_at",
        "attempts",
        "short_error",
    ]
    list_filter = ["status", "kind", ("last_error", admin.EmptyFieldListFilter), "due_at"]
    search_fields = ["recipient_email", "recipient_name", "dedup_key", "last_error"]
    # The outbox is huge on a network: no COUNT(*) of the whole table per page.
    show_full_result_count = False
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]
    actions = ["retry"]
    readonly_fields = [
        "kind",
        "recipient",
        "recipient_email",
        "recipient_name",
        "language",
        "preference",
        "content_type",
        "object_id",
        "dedup_key",
        "due_at",
        "not_after",
        "status",
        "queued_at",
        "claimed_at",
        "sent_at",
        "attempts",
        "last_error",
        "context",
        "created_at",
    ]

    def has_add_permission(self, request):
        # Rows come from the services, inside the change that causes them.
        return False

    @admin.display(description=_("erreur"))
    def short_error(self, obj):
        return obj.last_error[:80]

    @admin.action(description=_("Renvoyer les notifications en échec"), permissions=["change"])
    def retry(self, request, queryset):
        count = services.notifications_retry(notifications=queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d notification remise en file d'envoi.",
                "%(count)d notifications remises en file d'envoi.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "reminder_24h", "reminder_2h", "programme_digest", "updated_at"]
    list_filter = ["reminder_24h", "reminder_2h", "programme_digest"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
