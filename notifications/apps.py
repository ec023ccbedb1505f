from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from members import hooks

        from .selectors import notifications_export

        hooks.register_export("notifications", notifications_export)
