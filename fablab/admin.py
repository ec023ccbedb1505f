"""The animators' back office for the Fablab.

Nothing here writes a slot, a qualification, a maintenance window or a usage log with
the admin's own ``save()``: each form calls its service while it validates (so a
refusal shows on the form, as in ``booking.admin``), and the admin's save then has
nothing left to do.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from booking.localtime import local_label
from booking.models import Reservation
from booking.refusals import BookingRefused
from booking.services import reservation_cancel

from .models import FablabHours, FablabSlot, Machine, Maintenance, Qualification, UsageLog
from .services import (
    machine_reservation_create,
    maintenance_schedule,
    qualification_grant,
    usage_log_record,
)


def _refusal_to_form(form, refusal: BookingRefused, *, aliases=None) -> None:
    field = (aliases or {}).get(refusal.field, refusal.field)
    form.add_error(field if field in form.fields else None, refusal.message)


@admin.register(FablabHours)
class FablabHoursAdmin(admin.ModelAdmin):
    list_display = ["site", "weekday", "opens", "closes"]
    list_filter = ["site"]
    list_select_related = ["site"]
    ordering = ["site", "weekday", "opens"]


@admin.register(Machine)
class MachineAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "site",
        "kind",
        "requires_qualification",
        "training_workshop",
        "buffer_minutes",
        "is_active",
    ]
    list_filter = ["site", "kind", "requires_qualification", "is_active"]
    list_select_related = ["site", "training_workshop"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
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
                    "safety_notes",
                ]
            },
        ),
        (_("Habilitation"), {"fields": ["requires_qualification", "training_workshop"]}),
        (_("Prix"), {"fields": [("price_member_hour", "price_public_hour")]}),
        (
            _("Règles de réservation"),
            {
                "fields": [
                    "slot_minutes",
                    ("min_minutes", "max_minutes"),
                    "buffer_minutes",
                    "horizon_days",
                    "cancellation_cutoff_hours",
                    "max_future_slots",
                    ("max_bookings_per_day", "max_minutes_per_week"),
                ]
            },
        ),
    ]


class QualificationForm(forms.ModelForm):
    """Granted (or renewed) through ``qualification_grant``, in the animator's name."""

    class Meta:
        model = Qualification
        fields = ["member", "machine", "expires_on"]

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            self.instance = qualification_grant(
                member=self.cleaned_data["member"],
                machine=self.cleaned_data["machine"],
                by=self.request_user,
                expires_on=self.cleaned_data.get("expires_on"),
            )
        except ValidationError as error:
            self._update_errors(error)


@admin.register(Qualification)
class QualificationAdmin(admin.ModelAdmin):
    form = QualificationForm
    list_display = [
        "member",
        "machine",
        "granted_at",
        "granted_by",
        "expires_on",
        "source",
        "session",
    ]
    list_filter = ["machine", "source", "machine__site"]
    list_select_related = ["member", "machine", "granted_by", "session__workshop"]
    search_fields = ["member__email", "member__first_name", "member__last_name", "machine__name"]
    date_hierarchy = "granted_at"
    autocomplete_fields = ["member"]
    readonly_fields = ["granted_at", "granted_by", "source", "session"]

    def get_readonly_fields(self, request, obj=None):
        # Changing an existing qualification renews it: same member, same machine.
        if obj is not None:
            return ["member", "machine", *self.readonly_fields]
        return self.readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request_user = request.user
        return form

    def save_model(self, request, obj, form, change):
        # Already written by the form's qualification_grant.
        pass


class FablabSlotAddForm(forms.ModelForm):
    """An animator books a slot for a member: same checks as the member's own booking
    (qualification, future slots, Fablab hours, buffer), through the service."""

    machine = forms.ModelChoiceField(label=_("Machine"), queryset=Machine.objects.all())

    class Meta:
        model = FablabSlot
        fields = ["member", "start", "end"]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if cleaned.get("member") is None:
            self.add_error("member", _("Indiquez le membre."))
            return cleaned
        try:
            self.instance = machine_reservation_create(
                member=cleaned["member"],
                machine=cleaned["machine"],
                start=cleaned["start"],
                end=cleaned["end"],
                by=self.request_user,
            )
        except BookingRefused as refusal:
            _refusal_to_form(self, refusal, aliases={"space": "machine"})
        return cleaned


class _ReservationViewAdmin(admin.ModelAdmin):
    """Read-only once written; cancelling goes through the engine."""

    source = ""
    list_select_related = ["resource", "resource__site", "member"]
    date_hierarchy = "start"
    actions = ["cancel_selected"]
    show_full_result_count = False
    readonly_fields = [
        "resource",
        "member",
        "start",
        "end",
        "blocked_until",
        "status",
        "purpose",
        "override_by",
        "created_at",
        "cancelled_at",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(source=self.source)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request_user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return list(self.add_form.base_fields)
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # On add, the service has already written the row in the form's clean().
        pass

    @admin.action(description=_("Annuler les créneaux sélectionnés"), permissions=["change"])
    def cancel_selected(self, request, queryset):
        done = 0
        for reservation in queryset.filter(status__in=Reservation.ACTIVE):
            reservation_cancel(reservation=reservation, by=request.user, enforce_cutoff=False)
            done += 1
        self.message_user(
            request,
            ngettext("%(n)d créneau annulé.", "%(n)d créneaux annulés.", done) % {"n": done},
        )


@admin.register(FablabSlot)
class FablabSlotAdmin(_ReservationViewAdmin):
    source = Reservation.Source.FABLAB
    add_form = FablabSlotAddForm
    list_display = ["resource", "member", "start", "end", "status", "has_usage_log"]
    list_filter = ["status", "resource__site", "resource__category"]
    search_fields = ["resource__name", "member__email", "member__last_name"]
    autocomplete_fields = ["member"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = FablabSlotAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    @admin.display(boolean=True, description=_("utilisation saisie"))
    def has_usage_log(self, obj):
        return hasattr(obj, "usage_log")

    def get_queryset(self, request):
        # list_select_related is ignored once get_queryset selects: name them all here.
        return super().get_queryset(request).select_related("usage_log", "resource__site", "member")


class MaintenanceForm(forms.ModelForm):
    """Schedules the window through ``maintenance_schedule``: members' slots it meets
    are cancelled and their members told; the admin then lists them."""

    machine = forms.ModelChoiceField(label=_("Machine"), queryset=Machine.objects.all())
    reason = forms.CharField(label=_("Motif"), max_length=200)

    class Meta:
        model = Maintenance
        fields = ["start", "end"]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            self.outcome = maintenance_schedule(
                machine=cleaned["machine"],
                start=cleaned["start"],
                end=cleaned["end"],
                reason=cleaned["reason"],
                by=self.request_user,
            )
        except BookingRefused as refusal:
            _refusal_to_form(self, refusal, aliases={"space": "machine"})
        except PermissionDenied:
            self.add_error(None, _("Seule l'équipe du Fablab peut programmer une maintenance."))
        else:
            self.instance = self.outcome.window
        return cleaned


@admin.register(Maintenance)
class MaintenanceAdmin(_ReservationViewAdmin):
    source = Reservation.Source.MAINTENANCE
    add_form = MaintenanceForm
    list_display = ["resource", "start", "end", "purpose", "status", "override_by"]
    list_filter = ["status", "resource__site"]
    search_fields = ["resource__name", "purpose"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = MaintenanceForm
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        # Written by the form's maintenance_schedule: tell the animator whom it touched.
        affected = form.outcome.affected
        if not affected:
            self.message_user(request, _("Maintenance programmée ; aucun créneau n'était réservé."))
            return
        who = "; ".join(
            f"{slot.member.display_name} <{slot.member.email}>, "
            f"{local_label(slot.start)}"
            for slot in affected
            if slot.member is not None
        )
        self.message_user(
            request,
            ngettext(
                "Maintenance programmée ; %(n)d créneau annulé, membre prévenu : %(who)s",
                "Maintenance programmée ; %(n)d créneaux annulés, membres prévenus : %(who)s",
                len(affected),
            )
            % {"n": len(affected), "who": who},
            level=messages.WARNING,
        )


class UsageLogForm(forms.ModelForm):
    """Written through ``usage_log_record``; its field errors show on the form."""

    class Meta:
        model = UsageLog
        fields = ["reservation", "minutes", "material", "quantity", "unit", "notes"]

    def _post_clean(self):
        if self.errors:
            return
        data = self.cleaned_data
        try:
            self.instance = usage_log_record(
                reservation=data["reservation"],
                by=self.request_user,
                minutes=data["minutes"],
                material=data.get("material", ""),
                quantity=data.get("quantity") or 0,
                unit=data.get("unit", ""),
                notes=data.get("notes", ""),
            )
        except ValidationError as error:
            self._update_errors(error)
        except PermissionDenied:
            self.add_error(None, _("Vous ne pouvez pas saisir ce journal."))


@admin.register(UsageLog)
class UsageLogAdmin(admin.ModelAdmin):
    list_display = [
        "reservation",
        "member",
        "minutes",
        "material",
        "quantity",
        "unit",
        "recorded_by",
        "recorded_at",
    ]
    list_filter = ["unit", "reservation__resource"]
    list_select_related = ["reservation__resource", "reservation__member", "recorded_by"]
    search_fields = ["reservation__member__email", "reservation__resource__name", "material"]
    date_hierarchy = "recorded_at"
    raw_id_fields = ["reservation"]
    form = UsageLogForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request_user = request.user
        return form

    @admin.display(description=_("membre"), ordering="reservation__member")
    def member(self, obj):
        return obj.reservation.member

    def save_model(self, request, obj, form, change):
        # Already written by the form's usage_log_record.
        pass
