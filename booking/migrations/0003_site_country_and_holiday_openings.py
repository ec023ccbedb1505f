"""Sites get a country and subdivision, whose public holidays close them without any
row; closures get a kind, "open" lifting a public holiday.

The demo used to write each French public holiday as a one-day closure row. Those rows
are now duplicates of what the calendar computes, and would keep a holiday closed even
after an animator opens it, so they are removed — only rows that are exactly what the
demo wrote: one day, a French public holiday of that year, with the very name the demo
gave it. Any other row (an animator's, another reason, a range) stays. Nothing to undo
going backwards: the calendar used to need those rows, but an older schema has no
computed holidays to duplicate, and re-seeding the demo writes them again.
"""

import holidays
from django.db import migrations, models

# What the demo's hand-written calendar called each holiday, keyed by the ``holidays``
# package's French name for it.
DEMO_NAMES = {
    "Jour de l'an": "Jour de l'an",
    "Lundi de Pâques": "Lundi de Pâques",
    "Fête du Travail": "Fête du Travail",
    "Fête de la Victoire": "Victoire 1945",
    "Ascension": "Ascension",
    "Lundi de Pentecôte": "Lundi de Pentecôte",
    "Fête nationale": "Fête nationale",
    "Assomption": "Assomption",
    "Toussaint": "Toussaint",
    "Armistice": "Armistice 1918",
    "Noël": "Noël",
}


def remove_demo_holiday_closures(apps, schema_editor):
    Closure = apps.get_model("booking", "Closure")
    db = schema_editor.connection.alias
    candidates = Closure.objects.using(db).filter(
        start_date=models.F("end_date"), reason__in=set(DEMO_NAMES.values())
    )
    years = {c.start_date.year for c in candidates}
    if not years:
        return
    french = holidays.country_holidays("FR", years=sorted(years), language="fr")
    demo = {day: DEMO_NAMES.get(name) for day, name in french.items()}
    doomed = [c.pk for c in candidates if demo.get(c.start_date) == c.reason]
    Closure.objects.using(db).filter(pk__in=doomed).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('booking', '0002_content_types_from_rooms'),
    ]

    operations = [
        migrations.AddField(
            model_name='closure',
            name='kind',
            field=models.CharField(choices=[('closed', 'Fermeture'), ('open', 'Ouverture un jour férié')], default='closed', max_length=10, verbose_name='type'),
        ),
        migrations.AddField(
            model_name='site',
            name='country',
            field=models.CharField(default='FR', help_text='Code ISO du pays (FR, BE, CH…) : ses jours fériés ferment le lieu.', max_length=2, verbose_name='pays'),
        ),
        migrations.AddField(
            model_name='site',
            name='subdivision',
            field=models.CharField(blank=True, help_text="Région dont les jours fériés s'ajoutent à ceux du pays (57 pour la Moselle, 6AE pour l'Alsace) ; vide = le pays seul.", max_length=40, verbose_name='subdivision'),
        ),
        migrations.RunPython(remove_demo_holiday_closures, migrations.RunPython.noop),
    ]
