"""Site, OpeningHours, Closure, Resource and Reservation now belong to the ``booking``
app (see ``booking/migrations/0001_initial.py``). State only: the tables keep their
``rooms_…`` names and their rows.

First Space and RentalRequest point at the ``booking`` models (Space's parent is now
``booking.Resource``, through the same ``resource_ptr`` column), then the old models
leave the ``rooms`` state. Fablab and workshops point their own models at ``booking``
before this runs (their migrations declare ``run_before`` this one).
"""

import django.db.models.deletion
from django.db import migrations, models

from booking.migration_operations import AlterModelBases


class Migration(migrations.Migration):

    dependencies = [
        ('booking', '0001_initial'),
        ('rooms', '0006_rental_request_once'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                AlterModelBases(
                    name='space',
                    bases=('booking.resource',),
                    parent_link=(
                        'resource_ptr',
                        models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to='booking.resource'),
                    ),
                ),
                migrations.AlterField(
                    model_name='rentalrequest',
                    name='hold',
                    field=models.OneToOneField(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='rental_request', to='booking.reservation', verbose_name='réservation'),
                ),
                migrations.DeleteModel(name='Reservation'),
                migrations.DeleteModel(name='OpeningHours'),
                migrations.DeleteModel(name='Closure'),
                migrations.DeleteModel(name='Resource'),
                migrations.DeleteModel(name='Site'),
            ],
        ),
    ]
