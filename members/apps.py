from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Membres et réseau")

    def ready(self):
        from django.db.backends.signals import connection_created

        from core.text import sqlite_add_unaccent

        # The directory searches without accents; SQLite needs the function added.
        connection_created.connect(sqlite_add_unaccent, dispatch_uid="dynamo-sqlite-unaccent")
