"""The Fablab: machines booked by appointment, who may use them, and what was used.

A ``Machine`` *is a* ``booking.Resource`` (multi-table inheritance, like ``Space``), so
its slots are ordinary ``booking.Reservation`` rows: the one booking engine checks them,
the PostgreSQL exclusion constraint covers them (buffer included, through
``blocked_until``), and "my bookings", the calendar feed and the reports read them
with everything else. Maintenance windows are reservations too (source
"maintenance", no member, the reason in ``purpose``), so nothing can be booked over
them and no new table is needed.

The Fablab opens by appointment on its own weekly windows (``FablabHours``), not the
coworking's: a machine answers ``weekly_hours()`` with them, and the engine asks every
resource for its hours (see ``booking.models.Resource.weekly_hours``).
"""

from datetime import date

from django.conf import settings
from django.core.validators import (
    FileExtensionValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from booking.localtime import to_local
from booking.models import Reservation, Resource, Site, WeeklyHours
from booking.periods import TARIFF_MEMBER, Rates

# A usage log of more than a day for one slot is a typo, not a long job.
MAX_USAGE_MINUTES = 24 * 60


class FablabHours(WeeklyHours):
    """One "by appointment" window of a site's Fablab on a weekday, local time.

    Separate from the site's ``OpeningHours``: the Fablab opens on Saturday morning
    when the coworking is closed, and keeps shorter hours in the week.
    """

    site = models.ForeignKey(
        Site, verbose_name=_("lieu"), on_delete=models.CASCADE, related_name="fablab_hours"
    )

    class Meta(WeeklyHours.Meta):
        verbose_name = _("horaire du Fablab")
        verbose_name_plural = _("horaires du Fablab")


class Machine(Resource):
    """A Fablab machine; its booking rules (grid, minimum and maximum slot, buffer after
    each slot, horizon, cancellation) are the ``Resource`` fields."""

    class Kind(models.TextChoices):
        LASER_CUTTER = "laser_cutter", _("Découpe laser")
        PRINTER_3D = "3d_printer", _("Imprimante 3D")
        VINYL_CUTTER = "vinyl_cutter", _("Découpe vinyle")
        CNC_ROUTER = "cnc_router", _("Fraiseuse numérique")
        OTHER = "other", _("Autre machine")

    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    kind = models.CharField(_("type de machine"), max_length=40, choices=Kind)
    description = models.TextField(_("description"), blank=True)
    # A FileField, not an ImageField, as for spaces: no Pillow dependency.
    photo = models.FileField(
        _("photo"),
        upload_to="machines/",
        blank=True,
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "webp"])],
    )
    safety_notes = models.TextField(_("consignes de sécurité"), blank=True)
    requires_qualification = models.BooleanField(
        _("habilitation requise"),
        default=True,
        help_text=_("Seuls les membres habilités peuvent réserver cette machine."),
    )
    training_workshop = models.ForeignKey(
        "workshops.Workshop",
        verbose_name=_("formation qui habilite"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        limit_choices_to={"kind": "training"},
        related_name="machines",
        help_text=_("Être présent·e à une séance de cette formation habilite à la machine."),
    )
    price_member_hour = models.DecimalField(
        _("prix membre / heure (€ TTC)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    price_public_hour = models.DecimalField(
        _("prix non-membre / heure"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    max_future_slots = models.PositiveSmallIntegerField(
        _("créneaux à venir max. par membre"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Sur cette machine ; vide = sans limite."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("machine")
        verbose_name_plural = _("machines")

    # Booked as a Fablab slot, from the Fablab's own pages and admin.
    booked_in_reservations_admin = False

    def save(self, *args, **kwargs):
        # The engine reads category and exclusive on the Resource row: a machine is
        # always booked whole, and per-member limits count per machine family.
        self.category = self.kind
        self.exclusive = True
        super().save(*args, **kwargs)

    def weekly_hours(self):
        """The Fablab's own "by appointment" windows, not the coworking's hours."""
        return FablabHours.objects.filter(site_id=self.site_id)

    def rates(self, tariff: str) -> Rates:
        """A machine is charged by the hour only (member or public rate)."""
        return Rates.of(
            hour=self.price_member_hour if tariff == TARIFF_MEMBER else self.price_public_hour
        )

    # The Fablab's own booking rules, plugged into the engine's ``fits`` (see
    # ``booking.models.Resource``): the qualification, the cap on future slots.

    def member_rules_apply(self) -> bool:
        return super().member_rules_apply() or bool(self.max_future_slots)

    @classmethod
    def own_facts_for(cls, machines, *, member) -> dict:
        """The member's qualification on each machine needing one (one query)."""
        needing = [m.pk for m in machines if m.requires_qualification]
        if member is None or not needing:
            return {}
        return {
            q.machine_id: q
            for q in Qualification.objects.filter(member=member, machine_id__in=needing)
        }

    def own_refusals(self, *, member_id, start, end, now, holdings, own) -> list:
        """Not qualified on the slot's day (``own``: the member's qualification), or
        already holding ``max_future_slots`` future slots here. Members only: a
        maintenance window or an animator's hold has no member."""
        from .rules import future_slots_refusal, qualification_refusal

        if member_id is None:
            return []
        found = [
            qualification_refusal(machine=self, qualification=own, on=to_local(start).date()),
            future_slots_refusal(machine=self, holdings=holdings, now=now),
        ]
        return [refusal for refusal in found if refusal is not None]


class Qualification(models.Model):
    """A member may use a machine: granted by an animator, or by attending its training.
    Granting again renews the one row (date, by whom, expiry)."""

    class Source(models.TextChoices):
        ANIMATOR = "animator", _("Animateur·rice")
        TRAINING = "training", _("Formation suivie")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("membre"),
        on_delete=models.CASCADE,
        related_name="qualifications",
    )
    machine = models.ForeignKey(
        Machine,
        verbose_name=_("machine"),
        on_delete=models.CASCADE,
        related_name="qualifications",
    )
    granted_at = models.DateTimeField(_("accordée le"), default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accordée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    expires_on = models.DateField(
        _("valable jusqu'au (inclus)"),
        null=True,
        blank=True,
        help_text=_("Vide = sans limite."),
    )
    source = models.CharField(_("origine"), max_length=10, choices=Source, default=Source.ANIMATOR)
    session = models.ForeignKey(
        "workshops.Session",
        verbose_name=_("séance de formation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="qualifications",
    )

    class Meta:
        ordering = ["machine", "member"]
        verbose_name = _("habilitation")
        verbose_name_plural = _("habilitations")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "machine"],
                name="qualification_one_per_member_machine",
                violation_error_message=_("Ce membre est déjà habilité à cette machine."),
            ),
        ]
        indexes = [models.Index(fields=["machine", "expires_on"], name="qualification_machine_idx")]

    def __str__(self):
        return f"{self.member} — {self.machine}"

    def is_valid_on(self, day: date) -> bool:
        return self.expires_on is None or day <= self.expires_on


class UsageLog(models.Model):
    """What was really used during a Fablab slot, for billing and the staff reports."""

    class Unit(models.TextChoices):
        GRAM = "g", _("grammes")
        METRE = "m", _("mètres")
        SQUARE_METRE = "m2", _("m²")
        SHEET = "sheet", _("plaques")
        PIECE = "piece", _("pièces")

    reservation = models.OneToOneField(
        Reservation,
        verbose_name=_("créneau"),
        on_delete=models.PROTECT,
        related_name="usage_log",
    )
    minutes = models.PositiveIntegerField(
        _("durée réelle (minutes)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_USAGE_MINUTES)],
    )
    material = models.CharField(_("matériau"), max_length=120, blank=True)
    quantity = models.DecimalField(
        _("quantité"),
        max_digits=10,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    unit = models.CharField(_("unité"), max_length=10, choices=Unit, blank=True)
    notes = models.TextField(_("remarques"), blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisi par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("saisi le"), default=timezone.now)

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("journal d'utilisation")
        verbose_name_plural = _("journaux d'utilisation")
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gt=0) & Q(minutes__lte=MAX_USAGE_MINUTES),
                name="usagelog_minutes_sane",
                violation_error_message=_("La durée doit être comprise entre 1 minute et 24 h."),
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=0),
                name="usagelog_quantity_not_negative",
                violation_error_message=_("La quantité ne peut pas être négative."),
            ),
        ]

    def __str__(self):
        return f"{self.reservation} — {self.minutes} min"


class FablabSlot(Reservation):
    """Members' Fablab slots, as the admin lists and books them (through the service)."""

    class Meta:
        proxy = True
        verbose_name = _("créneau Fablab")
        verbose_name_plural = _("créneaux Fablab")


class Maintenance(Reservation):
    """Maintenance windows of the machines, as the admin lists and schedules them."""

    class Meta:
        proxy = True
        verbose_name = _("maintenance")
        verbose_name_plural = _("maintenances")
