"""Machines, their hours, slots and usage logs point at the engine's models, which
moved from ``rooms`` to ``booking`` (state only: no table changes)."""

import django.db.models.deletion
from django.db import migrations, models

from booking.migration_operations import AlterModelBases


class Migration(migrations.Migration):

    dependencies = [
        ('booking', '0001_initial'),
        ('fablab', '0001_machines_qualifications_usage'),
    ]

    # rooms 0007 drops the old models from the state: nothing may point at them then.
    run_before = [
        ('rooms', '0007_engine_models_moved_to_booking'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                AlterModelBases(name='fablabslot', bases=('booking.reservation',)),
                AlterModelBases(name='maintenance', bases=('booking.reservation',)),
                AlterModelBases(
                    name='machine',
                    bases=('booking.resource',),
                    parent_link=(
                        'resource_ptr',
                        models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to='booking.resource'),
                    ),
                ),
                migrations.AlterField(
                    model_name='fablabhours',
                    name='site',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='fablab_hours', to='booking.site', verbose_name='lieu'),
                ),
                migrations.AlterField(
                    model_name='usagelog',
                    name='reservation',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='usage_log', to='booking.reservation', verbose_name='créneau'),
                ),
            ],
        ),
    ]
