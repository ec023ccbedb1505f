"""Reservations keep what they cost: the amount, the rate it was computed at and the
tariff (member or public), fixed when the reservation is made.

Rows made before are priced by the data migrations of the apps whose resources have
prices (rooms 0008 for spaces, fablab 0003 for machines); holds stay unpriced.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('booking', '0003_site_country_and_holiday_openings'),
    ]

    operations = [
        migrations.AddField(
            model_name='reservation',
            name='price_amount',
            field=models.DecimalField(blank=True, decimal_places=2, editable=False, max_digits=8, null=True, verbose_name='prix (€ TTC)'),
        ),
        migrations.AddField(
            model_name='reservation',
            name='price_rate',
            field=models.CharField(choices=[('hour', "à l'heure"), ('half_day', 'demi-journée'), ('day', 'journée'), ('mixed', 'période et heures'), ('free', 'gratuit'), ('none', 'sans prix')], default='none', editable=False, max_length=10, verbose_name='prix calculé'),
        ),
        migrations.AddField(
            model_name='reservation',
            name='price_tariff',
            field=models.CharField(blank=True, choices=[('member', 'tarif membre'), ('public', 'tarif non-membre')], default='', editable=False, max_length=6, verbose_name='tarif'),
        ),
    ]
