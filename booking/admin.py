"""The animators' back office for sites (with their opening hours and closures) and
reservations.

Reservations are never written by the admin's own ``save()``: the add form calls the
booking engine (so the opening hours, the no-overlap guarantee, seats and jauge
hold, and an override is recorded with its reason), and cancelling is an action
that calls the cancel service.

Only members' bookings and animators' holds are made and cancelled here. A
workshop's, a rental request's or a maintenance hold belongs to what made it (the
session, the request, the maintenance window, each with its admin page), which
alone releases it: here such a row is read-only, so none is ever orphaned.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Closure, OpeningHours, Reservation, Resource, Site
from .refusals import BookingRefused
from .services import booking_cancel, reservation_create


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class ClosureInline(admin.TabularInline):
    """Closures, and the openings that lift a public holiday (which close the site on
    their own, from its country: nobody types them)."""

    model = Closure
    extra = 0
    ordering = ["-start_date"]
    fields = ["kind", "start_date", "end_date", "reason"]
    verbose_name = _("fermeture ou ouverture un jour férié")
    verbose_name_plural = _("fermetures, et ouvertures les jours fériés")


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "address", "jauge", "country", "subdivision"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OpeningHoursInline, ClosureInline]


# What the reservations admin makes: a member's booking or an animator's hold.
ADMIN_SOURCES = (Reservation.Source.BOOKING, Reservation.Source.ADMIN)


def bookable_here():
    """The resources the generic form books: those of every kind that says so
    (``Resource.booked_in_reservations_admin``), found through the kinds' parent
    links, so this app names none of the apps above it."""
    kinds = Q(pk__in=[])
    for link in Resource.kind_links():
        if link.related_model.booked_in_reservations_admin:
            kinds |= Q(**{f"{link.name}__isnull": False})
    return Resource.objects.filter(kinds)


class ReservationAddForm(forms.ModelForm):
    """Adding a reservation in the admin books it through the engine."""

    class Meta:
        model = Reservation
        fields = [
            "resource",
            "member",
            "start",
            "end",
            "seats",
            "status",
            "source",
            "purpose",
            "override_reason",
        ]
        help_texts = {
            "override_reason": _(
                "Rempli, il permet de déroger aux règles (horaires, fermeture, durée, "
                "limites), jamais à un chevauchement ni à la jauge ; la dérogation est "
                "enregistrée."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Holds of a session, a rental request or a maintenance are made by their own
        # objects, which release them: here, a member's booking or an animator's hold.
        self.fields["source"].choices = [
            (value, label) for value, label in Reservation.Source.choices if value in ADMIN_SOURCES
        ]
        # A reservation is born tentative or confirmed; cancelling is the action.
        self.fields["status"].choices = [
            (value, label)
            for value, label in Reservation.Status.choices
            if value in Reservation.ACTIVE
        ]
        # Spaces only: a Fablab machine is booked from the Fablab admin, as a Fablab
        # slot (its kind says so). The engine prices and checks the concrete kind.
        self.fields["resource"].queryset = bookable_here()
        self.fields["resource"].help_text = _(
            "Un espace. Les machines se réservent dans Fablab › Créneaux Fablab."
        )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        reason = (cleaned.get("override_reason") or "").strip()
        try:
            self.instance = reservation_create(
                resource=cleaned["resource"],
                member=cleaned.get("member"),
                start=cleaned["start"],
                end=cleaned["end"],
                seats=cleaned["seats"],
                status=cleaned["status"],
                source=cleaned["source"],
                purpose=cleaned.get("purpose", ""),
                override_by=self.request_user if reason else None,
                override_reason=reason,
                by=self.request_user,
            )
        except BookingRefused as exc:
            field = exc.field if exc.field in self.fields else None
            if exc.field == "space":
                field = "resource"
            self.add_error(field, exc.message)
        except PermissionDenied:
            self.add_error("override_reason", _("Vous ne pouvez pas déroger aux règles."))
        return cleaned


@admin.register(Reservation)
class ReservationAdmin(admin.ModelAdmin):
    list_display = [
        "resource",
        "member",
        "start",
        "end",
        "seats",
        "status",
        "source",
        "override_by",
    ]
    list_filter = ["status", "source", "resource__site", "resource__category"]
    list_select_related = ["resource", "resource__site", "member", "override_by"]
    search_fields = ["resource__name", "member__email", "member__last_name", "purpose"]
    # Newest first by primary key: no index on start alone, which SQLite's planner
    # would pick for the overlap queries (see Reservation.Meta.indexes).
    ordering = ["-pk"]
    raw_id_fields = ["resource", "member"]
    actions = ["cancel_selected"]
    show_full_result_count = False  # a million rows: no second COUNT(*) per page

    ENGINE_FIELDS = [
        "resource",
        "member",
        "start",
        "end",
        "blocked_until",
        "seats",
        "status",
        "exclusive",
        "source",
        "override_by",
        "override_reason",
        "overridden_rules",
        "price_amount",
        "price_rate",
        "price_tariff",
        "created_at",
        "cancelled_at",
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ReservationAddForm
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request_user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        # Once written, a reservation changes only through the engine (cancel, rebook).
        return self.ENGINE_FIELDS if obj is not None else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return ReservationAddForm.Meta.fields
        return [*self.ENGINE_FIELDS, "purpose"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["purpose"])
        # On add, the engine has already written the row in the form's clean().

    def has_change_permission(self, request, obj=None):
        # A hold is changed and released only by what owns it: read-only here.
        if obj is not None and obj.source in Reservation.HOLD_SOURCES:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Deleting would erase history the reports read: cancel instead.
        return False

    @admin.action(description=_("Annuler les réservations sélectionnées"), permissions=["change"])
    def cancel_selected(self, request, queryset):
        active = queryset.filter(status__in=Reservation.ACTIVE)
        held = active.filter(source__in=Reservation.HOLD_SOURCES).count()
        if held:
            self.message_user(
                request,
                ngettext(
                    "%(n)d réservation tenue par une séance, une demande de location ou "
                    "une maintenance n'est pas annulée ici : annulez-la depuis sa page.",
                    "%(n)d réservations tenues par une séance, une demande de location ou "
                    "une maintenance ne sont pas annulées ici : annulez-les depuis leur page.",
                    held,
                )
                % {"n": held},
                messages.WARNING,
            )
        done = 0
        for reservation in active.exclude(source__in=Reservation.HOLD_SOURCES):
            try:
                booking_cancel(member=request.user, booking=reservation)
                done += 1
            except BookingRefused as exc:
                self.message_user(request, f"{reservation} : {exc.message}", messages.WARNING)
        self.message_user(
            request,
            ngettext("%(n)d réservation annulée.", "%(n)d réservations annulées.", done)
            % {"n": done},
        )
