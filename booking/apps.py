from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingConfig(AppConfig):
    """The booking engine every bookable thing shares: sites, hours, closures,
    resources and reservations, with the rules, services and selectors over them."""

    name = "booking"
    verbose_name = _("Réservations")

    def ready(self):
        from members import hooks

        from .locking import MEMBER
        from .selectors import reservations_export
        from .services import bookings_release_for_member

        # An account switched off or deleted gives back its bookings and Fablab slots:
        # it locks the member's row first, then resources.
        hooks.register_release(bookings_release_for_member, order=MEMBER)
        hooks.register_export("reservations", reservations_export)
