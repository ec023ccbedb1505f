"""Spaces, their equipment and outsiders' rental requests.

A ``Space`` *is a* ``booking.Resource`` (multi-table inheritance): its reservations
are ordinary ``booking.Reservation`` rows, checked by the one booking engine of the
``booking`` app, which also holds sites, opening hours and closures.
"""

from django.conf import settings
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from booking.models import Reservation, Resource
from booking.periods import TARIFF_MEMBER, Rates


class Amenity(models.Model):
    """Equipment a space offers: screen, videoconference kit, whiteboard…"""

    name = models.CharField(_("nom"), max_length=80, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("équipement")
        verbose_name_plural = _("équipements")

    def __str__(self):
        return self.name


class Space(Resource):
    """An office, a shared office of N desks, a meeting room, the conviviality space."""

    class Kind(models.TextChoices):
        INDIVIDUAL_OFFICE = "individual_office", _("Bureau individuel")
        SHARED_OFFICE = "shared_office", _("Bureau partagé")
        MEETING_ROOM = "meeting_room", _("Salle de réunion")
        CONVIVIALITY = "conviviality", _("Espace convivialité")

    # Booked whole; the others are booked by the seat (a desk, a place at the table).
    EXCLUSIVE_KINDS = frozenset({Kind.INDIVIDUAL_OFFICE, Kind.MEETING_ROOM})

    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    kind = models.CharField(_("type d'espace"), max_length=40, choices=Kind)
    amenities = models.ManyToManyField(
        Amenity, verbose_name=_("équipements"), blank=True, related_name="spaces"
    )
    description = models.TextField(_("description"), blank=True)
    # A FileField, not an ImageField: ImageField needs Pillow, which the project does
    # not depend on; the extension check keeps uploads to pictures.
    photo = models.FileField(
        _("photo"),
        upload_to="spaces/",
        blank=True,
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "webp"])],
    )
    price_member_hour = models.DecimalField(
        _("prix membre / heure (€ TTC)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    price_member_half_day = models.DecimalField(
        _("prix membre / demi-journée"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    price_member_day = models.DecimalField(
        _("prix membre / journée"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    price_public_hour = models.DecimalField(
        _("prix non-membre / heure"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    price_public_half_day = models.DecimalField(
        _("prix non-membre / demi-journée"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    price_public_day = models.DecimalField(
        _("prix non-membre / journée"), max_digits=8, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("espace")
        verbose_name_plural = _("espaces")

    def save(self, *args, **kwargs):
        # The engine reads category and exclusive on the Resource row (the exclusion
        # constraint cannot look at Space): derive them from the kind on every save.
        self.category = self.kind
        self.exclusive = self.kind in self.EXCLUSIVE_KINDS
        super().save(*args, **kwargs)

    def rates(self, tariff: str) -> Rates:
        """The hourly, half-day and day rates of a tariff (member or public)."""
        if tariff == TARIFF_MEMBER:
            return Rates.of(
                self.price_member_hour, self.price_member_half_day, self.price_member_day
            )
        return Rates.of(self.price_public_hour, self.price_public_half_day, self.price_public_day)


class RentalRequest(models.Model):
    """An outsider asks to rent a space (a lawyer's video class, an exam preparation).

    The first request for a slot holds it as a tentative reservation, so members cannot
    book it meanwhile; later requests for the same slot are kept, without a hold, as
    competitors. An animator accepts one (which declines its competitors) or declines.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        ACCEPTED = "accepted", _("Acceptée")
        DECLINED = "declined", _("Refusée")

    name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("téléphone"), max_length=25, blank=True)
    organisation = models.CharField(_("organisation"), max_length=150, blank=True)
    purpose = models.TextField(_("objet de la location"), max_length=1000)
    space = models.ForeignKey(
        Space, verbose_name=_("espace"), on_delete=models.PROTECT, related_name="rental_requests"
    )
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    people = models.PositiveIntegerField(
        _("personnes"), default=1, validators=[MinValueValidator(1)]
    )
    status = models.CharField(_("statut"), max_length=10, choices=Status, default=Status.PENDING)
    hold = models.OneToOneField(
        Reservation,
        verbose_name=_("réservation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="rental_request",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True, editable=False)
    decision_note = models.CharField(_("message au demandeur"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("reçue le"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("demande de location")
        verbose_name_plural = _("demandes de location")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="rentalrequest_end_after_start",
                violation_error_message=_("La fin doit être après le début."),
            ),
            # The same person cannot have the same request pending twice.
            models.UniqueConstraint(
                "space",
                "start",
                "end",
                Lower("email"),
                condition=Q(status="pending"),
                name="rentalrequest_one_pending_per_person",
            ),
        ]
        indexes = [
            models.Index(fields=["space", "status", "start"], name="rentalrequest_space_idx"),
            models.Index(fields=["status", "-created_at"], name="rentalrequest_status_idx"),
        ]

    def __str__(self):
        from booking.localtime import local_label

        return f"{self.name} — {self.space} {local_label(self.start)}"
