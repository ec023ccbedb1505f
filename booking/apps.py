from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingConfig(AppConfig):
    """The booking engine every bookable thing shares: sites, hours, closures,
    resources and reservations, with the rules, services and selectors over them."""

    name = "booking"
    verbose_name = _("Réservations")
