from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.money import money

from .models import ApiToken, Membership, Plan, Sector, Skill, User
from .services import account_delete, member_deactivate


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["plan"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["last_name", "first_name"]
    list_display = [
        "email",
        "first_name",
        "last_name",
        "kind",
        "commune",
        "directory_visibility",
        "is_staff",
    ]
    list_filter = ["kind", "directory_visibility", "is_staff", "is_active", "sector"]
    search_fields = ["email", "first_name", "last_name", "company_name", "commune"]
    list_select_related = ["sector"]
    autocomplete_fields = ["skills", "sector"]
    inlines = [MembershipInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identité"), {"fields": ("first_name", "last_name", "language")}),
        (
            _("Profil réseau"),
            {
                "fields": (
                    "kind",
                    "activity",
                    "company_name",
                    "sector",
                    "commune",
                    "phone",
                    "website",
                    "bio",
                    "skills",
                    "looking_for",
                    "directory_visibility",
                )
            },
        ),
        (_("Droits"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "first_name", "last_name", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ["last_login", "date_joined"]
    actions = ["deactivate_members"]

    def save_model(self, request, obj, form, change):
        # Unticking "Actif" is a deactivation: it releases what the account holds still
        # to come, through the one service, in the admin's transaction.
        deactivated = change and "is_active" in form.changed_data and not obj.is_active
        super().save_model(request, obj, form, change)
        if deactivated:
            member_deactivate(member=obj)

    @admin.action(
        description=_("Désactiver les comptes choisis (libère leurs réservations et places)"),
        permissions=["change"],
    )
    def deactivate_members(self, request, queryset):
        # One transaction per member (member_deactivate's own): each takes its member's
        # locks first, which one transaction for all could not do in order.
        members = list(queryset.filter(is_active=True).order_by("pk"))
        for member in members:
            member_deactivate(member=member)
        count = len(members)
        self.message_user(
            request,
            ngettext("%(count)d compte désactivé.", "%(count)d comptes désactivés.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def delete_model(self, request, obj):
        # Deleting a member here is the account deletion of the account page: what the
        # account holds still to come is released (seats go to the waitlist) first.
        account_delete(member=obj)

    def delete_queryset(self, request, queryset):
        # The "delete selected" action: the same account deletion, one member (and one
        # transaction) at a time.
        for member in queryset.order_by("pk"):
            account_delete(member=member)

    def get_readonly_fields(self, request, obj=None):
        # Animators run members, not rights: only a superuser grants staff or superuser.
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_staff", "is_superuser", "groups"]
        return fields


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "price_display", "days_included", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]

    @admin.display(description=_("prix (TTC)"), ordering="price")
    def price_display(self, plan):
        return money(plan.price)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["member", "plan", "valid_from", "valid_until"]
    list_filter = ["plan"]
    search_fields = ["member__email", "member__last_name"]
    autocomplete_fields = ["member", "plan"]
    list_select_related = ["member", "plan"]
    date_hierarchy = "valid_from"


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "member", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["member"]
    search_fields = ["member__email", "name"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]
