# The directory compares names and skills without accents (members/selectors.py).
# PostgreSQL only: on SQLite the operation does nothing and core/text.py adds an
# UNACCENT function to each connection instead.

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("members", "0002_calendar_feed"),
    ]

    operations = [
        UnaccentExtension(),
    ]
