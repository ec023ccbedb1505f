"""The booking engine's models, moved from ``rooms`` without moving a row.

Site, OpeningHours, Closure, Resource and Reservation were created by ``rooms``
migrations 0001-0002 (and the no-overlap exclusion constraint by ``rooms`` 0003, on
PostgreSQL only). Their tables keep their names (``Meta.db_table``), so this migration
only tells Django's migration state that the models now belong to ``booking``: every
operation is state-only. ``rooms`` 0007 removes them from the ``rooms`` state once
Space, Machine, sessions and rental requests point here; ``booking`` 0002 moves their
content types, so permissions, admin history and generic relations follow.
"""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        # The tables exist, as rooms' last migration before the move left them.
        ('rooms', '0006_rental_request_once'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Site',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=120, verbose_name='nom')),
                        ('slug', models.SlugField(max_length=80, unique=True, verbose_name='identifiant')),
                        ('address', models.CharField(blank=True, max_length=200, verbose_name='adresse')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('jauge', models.PositiveIntegerField(blank=True, help_text='Nombre maximal de personnes présentes en même temps ; vide = pas de limite.', null=True, verbose_name='jauge du lieu')),
                    ],
                    options={
                        'verbose_name': 'lieu',
                        'verbose_name_plural': 'lieux',
                        'db_table': 'rooms_site',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='Resource',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=120, verbose_name='nom')),
                        ('category', models.CharField(db_index=True, editable=False, max_length=40, verbose_name='catégorie')),
                        ('exclusive', models.BooleanField(default=True, help_text='Une seule réservation à la fois (bureau, salle, machine) ; sinon, des places.', verbose_name='exclusif')),
                        ('capacity', models.PositiveIntegerField(default=1, help_text='Personnes (salle) ou places (bureau partagé).', validators=[django.core.validators.MinValueValidator(1)], verbose_name='capacité')),
                        ('jauge', models.PositiveIntegerField(blank=True, help_text='Capacité réduite décidée par les animateurs ; vide = capacité normale.', null=True, validators=[django.core.validators.MinValueValidator(1)], verbose_name='jauge réduite')),
                        ('is_active', models.BooleanField(default=True, verbose_name='réservable')),
                        ('slot_minutes', models.PositiveSmallIntegerField(default=30, validators=[django.core.validators.MinValueValidator(5)], verbose_name='pas de la grille (minutes)')),
                        ('min_minutes', models.PositiveIntegerField(default=30, validators=[django.core.validators.MinValueValidator(5)], verbose_name='durée minimale (minutes)')),
                        ('max_minutes', models.PositiveIntegerField(default=600, validators=[django.core.validators.MinValueValidator(5)], verbose_name='durée maximale (minutes)')),
                        ('horizon_days', models.PositiveSmallIntegerField(default=90, verbose_name="réservable jusqu'à (jours à l'avance)")),
                        ('cancellation_cutoff_hours', models.PositiveSmallIntegerField(default=24, verbose_name="annulation possible jusqu'à (heures avant)")),
                        ('buffer_minutes', models.PositiveSmallIntegerField(default=0, help_text="Bloqué après la fin (nettoyage, refroidissement d'une machine).", verbose_name='battement après chaque créneau (minutes)')),
                        ('max_bookings_per_day', models.PositiveSmallIntegerField(blank=True, help_text='Comptées sur tous les espaces de la même catégorie du lieu ; vide = sans limite.', null=True, verbose_name='réservations max. par membre et par jour')),
                        ('max_minutes_per_week', models.PositiveIntegerField(blank=True, help_text='Comptées sur tous les espaces de la même catégorie du lieu ; vide = sans limite.', null=True, verbose_name='minutes max. par membre et par semaine')),
                        ('site', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='resources', to='booking.site', verbose_name='lieu')),
                    ],
                    options={
                        'verbose_name': 'ressource réservable',
                        'verbose_name_plural': 'ressources réservables',
                        'db_table': 'rooms_resource',
                        'ordering': ['site', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='OpeningHours',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('weekday', models.PositiveSmallIntegerField(choices=[(0, 'lundi'), (1, 'mardi'), (2, 'mercredi'), (3, 'jeudi'), (4, 'vendredi'), (5, 'samedi'), (6, 'dimanche')], verbose_name='jour')),
                        ('opens', models.TimeField(verbose_name='ouverture')),
                        ('closes', models.TimeField(verbose_name='fermeture')),
                        ('site', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='opening_hours', to='booking.site', verbose_name='lieu')),
                    ],
                    options={
                        'verbose_name': "horaire d'ouverture",
                        'verbose_name_plural': "horaires d'ouverture",
                        'db_table': 'rooms_openinghours',
                        'ordering': ['site', 'weekday', 'opens'],
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='Closure',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('start_date', models.DateField(verbose_name='du')),
                        ('end_date', models.DateField(verbose_name='au (inclus)')),
                        ('reason', models.CharField(max_length=120, verbose_name='motif')),
                        ('site', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='closures', to='booking.site', verbose_name='lieu')),
                    ],
                    options={
                        'verbose_name': 'fermeture',
                        'verbose_name_plural': 'fermetures',
                        'db_table': 'rooms_closure',
                        'ordering': ['site', 'start_date'],
                    },
                ),
                migrations.CreateModel(
                    name='Reservation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('tentative', 'En attente'), ('confirmed', 'Confirmée'), ('cancelled', 'Annulée')], default='confirmed', max_length=12, verbose_name='statut')),
                        ('start', models.DateTimeField(verbose_name='début')),
                        ('end', models.DateTimeField(verbose_name='fin')),
                        ('blocked_until', models.DateTimeField(verbose_name="bloqué jusqu'à")),
                        ('seats', models.PositiveIntegerField(default=1, verbose_name='places / personnes')),
                        ('exclusive', models.BooleanField(default=True, editable=False, verbose_name='exclusif')),
                        ('source', models.CharField(choices=[('booking', "Réservation d'un membre"), ('rental_request', 'Demande de location'), ('workshop', "Séance d'atelier"), ('fablab', 'Créneau Fablab'), ('maintenance', 'Maintenance'), ('admin', 'Saisie par un·e animateur·rice')], default='booking', max_length=20, verbose_name='origine')),
                        ('purpose', models.CharField(blank=True, max_length=200, verbose_name='objet')),
                        ('override_reason', models.CharField(blank=True, max_length=200, verbose_name='motif de la dérogation')),
                        ('overridden_rules', models.CharField(blank=True, help_text='Codes des règles auxquelles il a été dérogé.', max_length=200, verbose_name='règles levées')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='créée le')),
                        ('cancelled_at', models.DateTimeField(blank=True, null=True, verbose_name='annulée le')),
                        ('member', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='reservations', to=settings.AUTH_USER_MODEL, verbose_name='membre')),
                        ('override_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='règle levée par')),
                        ('resource', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reservations', to='booking.resource', verbose_name='ressource')),
                    ],
                    options={
                        'verbose_name': 'réservation',
                        'verbose_name_plural': 'réservations',
                        'db_table': 'rooms_reservation',
                        'ordering': ['start', 'id'],
                        'permissions': [('override_rules', 'Peut déroger aux règles de réservation')],
                        'indexes': [models.Index(fields=['resource', 'blocked_until', 'start'], name='reservation_active_idx'), models.Index(fields=['member', 'start'], name='reservation_member_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('end__gt', models.F('start'))), name='reservation_end_after_start', violation_error_message='La fin doit suivre le début.'), models.CheckConstraint(condition=models.Q(('blocked_until__gte', models.F('end'))), name='reservation_blocked_after_end'), models.CheckConstraint(condition=models.Q(('seats__gte', 1)), name='reservation_seats_positive')],
                    },
                ),
                migrations.AddIndex(
                    model_name='resource',
                    index=models.Index(fields=['site', 'category'], name='resource_site_category_idx'),
                ),
                migrations.AddConstraint(
                    model_name='resource',
                    constraint=models.CheckConstraint(condition=models.Q(('max_minutes__gte', models.F('min_minutes'))), name='resource_min_le_max', violation_error_message='La durée maximale doit dépasser la durée minimale.'),
                ),
                migrations.AddIndex(
                    model_name='openinghours',
                    index=models.Index(fields=['site', 'weekday'], name='openinghours_site_idx'),
                ),
                migrations.AddConstraint(
                    model_name='openinghours',
                    constraint=models.CheckConstraint(condition=models.Q(('closes__gt', models.F('opens'))), name='openinghours_opens_before_closes', violation_error_message="La fermeture doit suivre l'ouverture."),
                ),
                migrations.AddIndex(
                    model_name='closure',
                    index=models.Index(fields=['site', 'end_date'], name='closure_site_end_idx'),
                ),
                migrations.AddConstraint(
                    model_name='closure',
                    constraint=models.CheckConstraint(condition=models.Q(('end_date__gte', models.F('start_date'))), name='closure_valid_range', violation_error_message='La fin de la fermeture précède son début.'),
                ),
            ],
        ),
    ]
