from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FablabConfig(AppConfig):
    name = "fablab"
    verbose_name = _("Fablab")

    def ready(self):
        from members import hooks as member_hooks
        from workshops import hooks as workshop_hooks

        from .selectors import qualifications_export, usage_logs_export
        from .services import qualifications_from_attendance

        # Present at a training (a workshop linked to a machine): qualified on it.
        workshop_hooks.register_attendance_listener(qualifications_from_attendance)
        member_hooks.register_export("qualifications", qualifications_export)
        member_hooks.register_export("usage_logs", usage_logs_export)
