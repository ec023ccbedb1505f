from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = _("Ateliers")

    def ready(self):
        from booking.locking import SESSION
        from members import hooks

        from .selectors import registrations_export
        from .services import registrations_cancel_for_member, registrations_forget_member

        # An account switched off or deleted gives back its seats and waitlist places
        # (after its bookings: it locks sessions, which come last in the lock order); a
        # deleted one leaves its past registrations anonymous, for the attendance reports.
        hooks.register_release(registrations_cancel_for_member, order=SESSION)
        hooks.register_forget(registrations_forget_member)
        hooks.register_export("workshop_registrations", registrations_export)
