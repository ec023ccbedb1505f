"""A session's room hold is a ``booking.Reservation`` now that the engine's models
moved from ``rooms`` to ``booking`` (state only: the column and its table stay)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('booking', '0001_initial'),
        ('workshops', '0001_initial'),
    ]

    # rooms 0007 drops the old models from the state: nothing may point at them then.
    run_before = [
        ('rooms', '0007_engine_models_moved_to_booking'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='session',
                    name='room_hold',
                    field=models.OneToOneField(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='workshop_session', to='booking.reservation', verbose_name='réservation de la salle'),
                ),
            ],
        ),
    ]
