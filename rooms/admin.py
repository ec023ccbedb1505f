from django.contrib import admin

from .models import Site


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "address", "jauge"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
