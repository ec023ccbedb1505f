from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import selectors, services
from .models import Registration, Session, Theme, Workshop


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class SessionAdminForm(forms.ModelForm):
    """Saves through ``session_save`` while the form validates, so a refused room hold
    (taken, too small, over the jauge) is shown on the form, never as an error page.
    The admin's own save then has nothing left to do."""

    class Meta:
        model = Session
        fields = [
            "workshop",
            "start",
            "end",
            "room",
            "capacity",
            "jauge",
            "registration_opens_at",
            "registration_closes_at",
            "is_cancelled",
        ]

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            self.seats_outcome = services.session_save(session=self.instance, by=self.request_user)
        except ValidationError as error:
            self._update_errors(error)


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ["title", "theme", "kind", "audience", "facilitator"]
    list_filter = ["kind", "audience", "theme"]
    search_fields = ["title", "facilitator"]
    list_select_related = ["theme"]


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    fields = ["name", "email", "status", "waitlisted_at", "attendance"]
    readonly_fields = ["name", "email", "status", "waitlisted_at"]
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        # Seats are handed out by the service, under the session lock.
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("session__workshop", "member")


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "room",
        "capacity",
        "jauge",
        "registered",
        "waitlist",
        "is_cancelled",
    ]
    list_filter = ["workshop__kind", "workshop__theme", "is_cancelled"]
    search_fields = ["workshop__title"]
    date_hierarchy = "start"
    autocomplete_fields = ["workshop"]
    inlines = [RegistrationInline]
    form = SessionAdminForm
    actions = ["send_programme"]

    @admin.action(description=_("Envoyer le programme du mois de ces séances aux abonné·e·s"))
    def send_programme(self, request, queryset):
        starts = [timezone.localtime(s.start) for s in queryset]
        months = {(start.year, start.month) for start in starts}
        for year, month in sorted(months):
            count = services.programme_send(year=year, month=month)
            self.message_user(
                request,
                _("Programme %(month)02d/%(year)d : envoyé à %(n)d membre(s) abonné(s).")
                % {"month": month, "year": year, "n": count},
            )

    readonly_fields = ["room_hold"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request_user = request.user
        return form

    def save_formset(self, request, form, formset, change):
        if formset.model is not Registration:
            return super().save_formset(request, form, formset, change)
        # commit=False fills the formset's change lists for the admin log, writes nothing;
        # the roll call itself goes through the service.
        changed = formset.save(commit=False)
        marks = {r.pk: r.attendance for r in changed}
        services.attendance_record(session=form.instance, marks=marks, by=request.user)

    def get_queryset(self, request):
        return selectors.sessions_with_seats()

    @admin.display(description=_("inscrit·e·s"), ordering="registered_count")
    def registered(self, obj):
        return obj.registered_count

    @admin.display(description=_("liste d'attente"), ordering="waitlist_count")
    def waitlist(self, obj):
        return obj.waitlist_count

    def save_model(self, request, obj, form, change):
        # Already saved by the form's session_save; report what it did to the seats.
        promoted, overflow = form.seats_outcome
        if promoted:
            self.message_user(
                request,
                ngettext(
                    "%(n)d personne passe de la liste d'attente à une place.",
                    "%(n)d personnes passent de la liste d'attente à une place.",
                    len(promoted),
                )
                % {"n": len(promoted)},
            )
        if overflow:
            self.message_user(
                request,
                ngettext(
                    "Attention : %(n)d inscrit·e de plus que les places. Personne n'a été désinscrit.",
                    "Attention : %(n)d inscrit·e·s de plus que les places. Personne n'a été désinscrit.",
                    overflow,
                )
                % {"n": overflow},
                level=messages.WARNING,
            )


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "session", "status", "attendance", "created_at"]
    list_filter = ["status", "attendance", "session__workshop__kind"]
    search_fields = ["name", "email", "session__workshop__title"]
    list_select_related = ["session__workshop"]
    list_editable = ["attendance"]
    readonly_fields = [
        "session",
        "member",
        "name",
        "email",
        "status",
        "waitlisted_at",
        "created_at",
        "cancelled_at",
    ]
    actions = ["cancel_registrations"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        # The roll call goes through the service, whatever page records it.
        services.attendance_record(
            session=obj.session, marks={obj.pk: obj.attendance}, by=request.user
        )

    @admin.action(description=_("Annuler les inscriptions choisies (promeut la liste d'attente)"))
    def cancel_registrations(self, request, queryset):
        promoted = 0
        for registration in queryset:
            try:
                promoted += len(services.registration_cancel(registration=registration))
            except services.RegistrationRefused as refused:
                self.message_user(request, f"{registration} : {refused.message}", messages.WARNING)
        self.message_user(
            request,
            _("Inscriptions annulées ; %(n)d promue(s) depuis la liste d'attente.")
            % {"n": promoted},
        )
