from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import selectors, services
from .models import Registration, Session, Theme, Workshop


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ["start", "end", "room", "capacity", "jauge", "is_cancelled"]
    show_change_link = True


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

    def save_formset(self, request, form, formset, change):
        if formset.model is not Registration:
            return super().save_formset(request, form, formset, change)
        marks = {f.instance.pk: f.instance.attendance for f in formset.forms if f.has_changed()}
        services.attendance_record(session=form.instance, marks=marks)

    def get_queryset(self, request):
        return selectors.sessions_with_seats()

    @admin.display(description=_("inscrit·e·s"), ordering="registered_count")
    def registered(self, obj):
        return obj.registered_count

    @admin.display(description=_("liste d'attente"), ordering="waitlist_count")
    def waitlist(self, obj):
        return obj.waitlist_count

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"capacity", "jauge"} & set(form.changed_data):
            promoted, overflow = services.session_seats_changed(session=obj)
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
        services.attendance_record(session=obj.session, marks={obj.pk: obj.attendance})

    @admin.action(description=_("Annuler les inscriptions choisies (promeut la liste d'attente)"))
    def cancel_registrations(self, request, queryset):
        promoted = sum(len(services.registration_cancel(registration=r)) for r in queryset)
        self.message_user(
            request,
            _("Inscriptions annulées ; %(n)d promue(s) depuis la liste d'attente.")
            % {"n": promoted},
        )
