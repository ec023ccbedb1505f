"""The animators' back office for spaces, their equipment and rental requests.

Sites and reservations are the booking engine's: ``booking.admin``. A rental request
is accepted or declined through its services, which hold or release its slot.
"""

from django.contrib import admin, messages
from django.db import models
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from booking.refusals import BookingRefused

from .models import Amenity, RentalRequest, Space
from .services.rentals import rental_competitors, rental_request_accept, rental_request_decline


@admin.register(Amenity)
class AmenityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    list_display = ["name", "site", "kind", "capacity", "jauge", "is_active"]
    list_filter = ["site", "kind", "is_active"]
    list_select_related = ["site"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["amenities"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "site",
                    "name",
                    "slug",
                    "kind",
                    "is_active",
                    "description",
                    "photo",
                    "amenities",
                ]
            },
        ),
        (_("Capacité"), {"fields": ["capacity", "jauge"]}),
        (
            _("Prix"),
            {
                "fields": [
                    ("price_member_hour", "price_member_half_day", "price_member_day"),
                    ("price_public_hour", "price_public_half_day", "price_public_day"),
                ]
            },
        ),
        (
            _("Règles de réservation"),
            {
                "fields": [
                    "slot_minutes",
                    ("min_minutes", "max_minutes"),
                    "horizon_days",
                    "cancellation_cutoff_hours",
                    "buffer_minutes",
                    ("max_bookings_per_day", "max_minutes_per_week"),
                ]
            },
        ),
    ]


@admin.register(RentalRequest)
class RentalRequestAdmin(admin.ModelAdmin):
    """Pending requests first. Accepting one lists the competing requests it would
    decline and asks the animator to confirm before anything changes."""

    list_display = ["name", "organisation", "space", "start", "end", "people", "status", "held"]
    list_filter = ["status", "space__site", "space"]
    list_select_related = ["space"]
    search_fields = ["name", "email", "organisation", "purpose"]
    date_hierarchy = "start"
    readonly_fields = [
        "name",
        "email",
        "phone",
        "organisation",
        "purpose",
        "space",
        "start",
        "end",
        "people",
        "status",
        "hold",
        "decided_by",
        "decided_at",
        "created_at",
    ]
    fields = readonly_fields[:9] + ["decision_note"] + readonly_fields[9:]
    actions = ["accept", "decline"]

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        # Pending first, then the most recent.
        return (
            super()
            .get_queryset(request)
            .order_by(
                models.Case(models.When(status=RentalRequest.Status.PENDING, then=0), default=1),
                "-created_at",
            )
        )

    @admin.display(boolean=True, description=_("créneau retenu"))
    def held(self, obj):
        return obj.hold_id is not None

    @admin.action(description=_("Accepter la demande choisie"), permissions=["change"])
    def accept(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Acceptez les demandes une par une."), messages.WARNING)
            return None
        rental = queryset.get()
        competitors = list(rental_competitors(rental))
        if competitors and request.POST.get("confirm") != "yes":
            return TemplateResponse(
                request,
                "admin/rooms/rentalrequest/accept_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Accepter cette demande ?"),
                    "rental": rental,
                    "competitors": competitors,
                    "opts": self.model._meta,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        try:
            _rental, declined = rental_request_accept(request=rental, by=request.user)
        except BookingRefused as refusal:
            self.message_user(request, refusal.message, messages.ERROR)
            return None
        self.message_user(
            request,
            _("Demande acceptée ; %(n)d demande(s) concurrente(s) refusée(s).")
            % {"n": len(declined)},
        )
        return None

    @admin.action(description=_("Refuser les demandes choisies"), permissions=["change"])
    def decline(self, request, queryset):
        for rental in queryset:
            rental_request_decline(request=rental, by=request.user)
        self.message_user(request, _("Demandes refusées ; les créneaux sont libérés."))
