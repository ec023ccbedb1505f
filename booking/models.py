"""Sites, opening hours, the bookable Resource and the one Reservation table every
bookable thing shares: the booking engine's data.

Shape of the booking engine (why it looks like this):

- ``Resource`` is the bookable thing as the engine sees it: which site, exclusive or
  seat-counted, how many seats, the booking rules, the buffer after a slot. Each
  concrete bookable (``rooms.Space``, ``fablab.Machine``) *is a* Resource through
  Django's multi-table inheritance: a one-to-one primary key to the ``Resource`` row,
  so ``space.pk == space.resource_ptr_id`` and the engine never needs to know which
  app a resource comes from.
- ``Reservation`` is the single table of time ranges held on a resource: members'
  bookings, rental requests (tentative), workshop sessions' room holds, Fablab slots
  and maintenance windows. One table means one PostgreSQL exclusion constraint covers
  every exclusive resource, and "my bookings", calendar feeds and reports read one
  place.
- Availability is never stored as slots: it follows from ``OpeningHours``,
  ``Closure`` and the active reservations (see ``booking.selectors``).

These models were born in the ``rooms`` app and moved here without moving data: each
keeps its ``rooms_…`` table (``Meta.db_table``), see ``booking/migrations/0001``.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import periods
from .localtime import local_label
from .public_holidays import (
    DEFAULT_COUNTRY,
    UnknownRegion,
    public_holidays,
    region_normalised,
)


class Site(models.Model):
    """A tiers-lieu of the network: La Dynamo in Auch first, others may follow."""

    name = models.CharField(_("nom"), max_length=120)
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    jauge = models.PositiveIntegerField(
        _("jauge du lieu"),
        null=True,
        blank=True,
        help_text=_("Nombre maximal de personnes présentes en même temps ; vide = pas de limite."),
    )
    # Public holidays are computed from these (``booking.public_holidays``), never typed.
    country = models.CharField(
        _("pays"),
        max_length=2,
        default=DEFAULT_COUNTRY,
        help_text=_("Code ISO du pays (FR, BE, CH…) : ses jours fériés ferment le lieu."),
    )
    subdivision = models.CharField(
        _("subdivision"),
        max_length=40,
        blank=True,
        help_text=_(
            "Région dont les jours fériés s'ajoutent à ceux du pays (57 pour la Moselle, "
            "6AE pour l'Alsace) ; vide = le pays seul."
        ),
    )

    class Meta:
        db_table = "rooms_site"
        ordering = ["name"]
        verbose_name = _("lieu")
        verbose_name_plural = _("lieux")

    def __str__(self):
        return self.name

    def clean(self):
        """Country and subdivision must be known to the ``holidays`` package (stored in
        its spelling: "fr" → "FR", "Moselle" → "57")."""
        super().clean()
        try:
            self.country, self.subdivision = region_normalised(self.country, self.subdivision)
        except UnknownRegion as unknown:
            if unknown.part == "country":
                error = ValidationError(
                    _("Pays inconnu du calendrier des jours fériés : %(code)s."),
                    params={"code": unknown.value},
                )
            elif unknown.known:
                error = ValidationError(
                    _("Subdivision inconnue pour ce pays ; possibles : %(known)s."),
                    params={"known": ", ".join(unknown.known)},
                )
            else:
                error = ValidationError(_("Ce pays n'a pas de subdivision : laissez vide."))
            raise ValidationError({unknown.part: error}) from unknown


class WeeklyHours(models.Model):
    """A window on a weekday, in the site's local (Europe/Paris) time; several windows a
    day are allowed (8:30–12:30 and 13:30–18:30)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("lundi")
        TUESDAY = 1, _("mardi")
        WEDNESDAY = 2, _("mercredi")
        THURSDAY = 3, _("jeudi")
        FRIDAY = 4, _("vendredi")
        SATURDAY = 5, _("samedi")
        SUNDAY = 6, _("dimanche")

    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday)
    opens = models.TimeField(_("ouverture"))
    closes = models.TimeField(_("fermeture"))

    class Meta:
        abstract = True
        ordering = ["site", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")),
                name="%(class)s_opens_before_closes",
                violation_error_message=_("La fermeture doit suivre l'ouverture."),
            ),
        ]
        indexes = [models.Index(fields=["site", "weekday"], name="%(class)s_site_idx")]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class OpeningHours(WeeklyHours):
    """When a site's spaces can be used."""

    site = models.ForeignKey(
        Site, verbose_name=_("lieu"), on_delete=models.CASCADE, related_name="opening_hours"
    )

    class Meta(WeeklyHours.Meta):
        db_table = "rooms_openinghours"
        verbose_name = _("horaire d'ouverture")
        verbose_name_plural = _("horaires d'ouverture")


class Closure(models.Model):
    """The site is closed on these local dates, both included (a summer closing, an
    inventory) — or, of kind "open", open on the public holidays among them.

    Public holidays close the site without any row (``booking.public_holidays``); an
    "open" row is the exception that lifts them. It lifts only public holidays: a
    "closed" row over the same dates still closes. Both kinds live in one table so the
    grids load them in the one query they already make for closures.
    """

    class Kind(models.TextChoices):
        CLOSED = "closed", _("Fermeture")
        OPEN = "open", _("Ouverture un jour férié")

    site = models.ForeignKey(
        Site, verbose_name=_("lieu"), on_delete=models.CASCADE, related_name="closures"
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind, default=Kind.CLOSED)
    start_date = models.DateField(_("du"))
    end_date = models.DateField(_("au (inclus)"))
    reason = models.CharField(_("motif"), max_length=120)

    class Meta:
        db_table = "rooms_closure"
        ordering = ["site", "start_date"]
        verbose_name = _("fermeture")
        verbose_name_plural = _("fermetures")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="closure_valid_range",
                violation_error_message=_("La fin de la fermeture précède son début."),
            ),
        ]
        # Selectors ask "closures of this site ending on or after day X".
        indexes = [models.Index(fields=["site", "end_date"], name="closure_site_end_idx")]

    def __str__(self):
        return f"{self.reason} ({self.start_date:%d/%m/%Y}–{self.end_date:%d/%m/%Y})"

    @property
    def is_opening(self) -> bool:
        return self.kind == self.Kind.OPEN

    def clean(self):
        """An opening must cover one of the site's public holidays, or it would do
        nothing."""
        super().clean()
        if not self.is_opening or not (self.start_date and self.end_date):
            return
        if self.end_date < self.start_date:
            return  # the range constraint says so
        site = self.site if (self.site_id or Closure.site.is_cached(self)) else None
        if site is not None and not public_holidays(site, self.start_date, self.end_date):
            raise ValidationError(
                {"start_date": _("Aucun jour férié du lieu à ces dates : rien à ouvrir.")}
            )


class Resource(models.Model):
    """Anything bookable, as the booking engine sees it, with its booking rules.

    Rules live here, not on Space, because Fablab machines and workshop holds go
    through the same checks. The per-member limits are counted over the member's
    reservations on resources of the same ``category`` and site ("at most one desk a
    day", "at most 10 hours of meeting room a week").
    """

    site = models.ForeignKey(
        Site, verbose_name=_("lieu"), on_delete=models.PROTECT, related_name="resources"
    )
    name = models.CharField(_("nom"), max_length=120)
    # Space.kind, or a machine family in the Fablab issue; limits are counted per category.
    category = models.CharField(_("catégorie"), max_length=40, editable=False, db_index=True)
    exclusive = models.BooleanField(
        _("exclusif"),
        default=True,
        help_text=_(
            "Une seule réservation à la fois (bureau, salle, machine) ; sinon, des places."
        ),
    )
    capacity = models.PositiveIntegerField(
        _("capacité"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Personnes (salle) ou places (bureau partagé)."),
    )
    jauge = models.PositiveIntegerField(
        _("jauge réduite"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Capacité réduite décidée par les animateurs ; vide = capacité normale."),
    )
    is_active = models.BooleanField(_("réservable"), default=True)

    # Booking rules, with the defaults a new space gets.
    slot_minutes = models.PositiveSmallIntegerField(
        _("pas de la grille (minutes)"), default=30, validators=[MinValueValidator(5)]
    )
    min_minutes = models.PositiveIntegerField(
        _("durée minimale (minutes)"), default=30, validators=[MinValueValidator(5)]
    )
    max_minutes = models.PositiveIntegerField(
        _("durée maximale (minutes)"), default=10 * 60, validators=[MinValueValidator(5)]
    )
    horizon_days = models.PositiveSmallIntegerField(
        _("réservable jusqu'à (jours à l'avance)"), default=90
    )
    cancellation_cutoff_hours = models.PositiveSmallIntegerField(
        _("annulation possible jusqu'à (heures avant)"), default=24
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        _("battement après chaque créneau (minutes)"),
        default=0,
        help_text=_("Bloqué après la fin (nettoyage, refroidissement d'une machine)."),
    )
    max_bookings_per_day = models.PositiveSmallIntegerField(
        _("réservations max. par membre et par jour"),
        null=True,
        blank=True,
        help_text=_(
            "Comptées sur tous les espaces de la même catégorie du lieu ; vide = sans limite."
        ),
    )
    max_minutes_per_week = models.PositiveIntegerField(
        _("minutes max. par membre et par semaine"),
        null=True,
        blank=True,
        help_text=_(
            "Comptées sur tous les espaces de la même catégorie du lieu ; vide = sans limite."
        ),
    )

    class Meta:
        db_table = "rooms_resource"
        ordering = ["site", "name"]
        verbose_name = _("ressource réservable")
        verbose_name_plural = _("ressources réservables")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_minutes__gte=models.F("min_minutes")),
                name="resource_min_le_max",
                violation_error_message=_("La durée maximale doit dépasser la durée minimale."),
            ),
        ]
        indexes = [models.Index(fields=["site", "category"], name="resource_site_category_idx")]

    def __str__(self):
        return self.name

    # Whether the reservations admin's generic form books this kind. A kind booked
    # through its own service and admin page (a Fablab machine) says no.
    booked_in_reservations_admin = True

    @classmethod
    def kind_links(cls) -> list:
        """The one-to-one parent links from each kind of resource (Space, Machine) to
        this row, found in the model's meta: the engine never names the apps above,
        which register their kinds by subclassing Resource."""
        return [
            relation
            for relation in cls._meta.related_objects
            if relation.one_to_one
            and relation.parent_link
            and issubclass(relation.related_model, cls)
        ]

    def concrete(self) -> "Resource":
        """This resource as its concrete kind (a Space, a Machine), which knows its
        weekly hours, rates and own rules. Itself when already a kind, or when no kind
        holds the row (a plain resource); otherwise one query."""
        if type(self) is not Resource:
            return self
        links = self.kind_links()
        if not links:
            return self
        row = (
            Resource.objects.select_related(*(link.get_accessor_name() for link in links))
            .filter(pk=self.pk)
            .first()
        )
        for link in links:
            kind = getattr(row, link.get_accessor_name(), None) if row is not None else None
            if kind is not None:
                return kind
        return self

    @property
    def effective_capacity(self) -> int:
        """People (or seats) allowed at once: the capacity, lowered by a reduced jauge."""
        return min(self.capacity, self.jauge) if self.jauge else self.capacity

    @property
    def buffer(self) -> timedelta:
        return timedelta(minutes=self.buffer_minutes)

    def weekly_hours(self) -> models.QuerySet:
        """The weekly windows this resource may be booked in (rows with ``weekday``,
        ``opens``, ``closes``). The engine, the day grid and the free-slot search ask
        the resource, so a kind of resource with hours of its own (a Fablab machine)
        overrides this; everything else follows its site's opening hours. The site's
        closures apply to every resource."""
        return OpeningHours.objects.filter(site_id=self.site_id)

    def rates(self, tariff: str) -> periods.Rates | None:
        """This resource's rates for a tariff (``periods.TARIFF_MEMBER`` or
        ``TARIFF_PUBLIC``), read by the price quote and by the engine when it prices a
        reservation. A kind of resource with prices (a Space, a Machine) overrides
        this; None, the default, means it is not priced at all."""
        return None

    # A kind of resource plugs its own booking rules in here (a Fablab machine: the
    # member's qualification, at most N future slots), so that ``rules.fits`` — and
    # so the engine, the grids and the searches — applies them without the booking
    # engine knowing that kind.

    def member_rules_apply(self) -> bool:
        """Whether booking here depends on what the member already holds: the
        per-member limits, or a kind's own such rule. The member's holdings are then
        loaded for ``rules.fits``."""
        return bool(self.max_bookings_per_day or self.max_minutes_per_week)

    @classmethod
    def own_facts_for(cls, resources, *, member) -> dict:
        """What this kind's own rules need to know about ``member`` (None: nobody) on
        each of ``resources``, by resource id, in a fixed number of queries; handed
        back to ``own_refusals`` as ``own``. Nothing for a plain resource (no query)."""
        return {}

    def own_refusals(self, *, member_id: int | None, start, end, now, holdings, own) -> list:
        """The BookingRefused of this kind's own rules for the request, from preloaded
        data only (``holdings``: the member's active reservations, ``own``: what
        ``own_facts_for`` loaded). An empty list for a plain resource."""
        return []


class Reservation(models.Model):
    """A half-open range [start, end) held on a resource; blocked until ``blocked_until``.

    ``exclusive`` is copied from the resource when the row is written, because a
    PostgreSQL exclusion constraint's condition can only read this row. The
    constraint itself is added by ``rooms`` migration 0003, on PostgreSQL only (see there);
    it is on the table, so it stayed when the model moved here.
    """

    class Status(models.TextChoices):
        TENTATIVE = "tentative", _("En attente")
        CONFIRMED = "confirmed", _("Confirmée")
        CANCELLED = "cancelled", _("Annulée")

    class Source(models.TextChoices):
        BOOKING = "booking", _("Réservation d'un membre")
        RENTAL_REQUEST = "rental_request", _("Demande de location")
        WORKSHOP = "workshop", _("Séance d'atelier")
        FABLAB = "fablab", _("Créneau Fablab")
        MAINTENANCE = "maintenance", _("Maintenance")
        ADMIN = "admin", _("Saisie par un·e animateur·rice")

    class PriceRate(models.TextChoices):
        HOUR = periods.RATE_HOUR, _("à l'heure")
        HALF_DAY = periods.RATE_HALF_DAY, _("demi-journée")
        DAY = periods.RATE_DAY, _("journée")
        MIXED = periods.RATE_MIXED, _("période et heures")
        FREE = periods.RATE_FREE, _("gratuit")
        NONE = periods.RATE_NONE, _("sans prix")

    class Tariff(models.TextChoices):
        MEMBER = periods.TARIFF_MEMBER, _("tarif membre")
        PUBLIC = periods.TARIFF_PUBLIC, _("tarif non-membre")

    ACTIVE = (Status.TENTATIVE, Status.CONFIRMED)
    # Rows that hold a resource for something else, which owns their lifecycle.
    HOLD_SOURCES = (Source.WORKSHOP, Source.RENTAL_REQUEST, Source.MAINTENANCE)

    resource = models.ForeignKey(
        Resource,
        verbose_name=_("ressource"),
        on_delete=models.PROTECT,
        related_name="reservations",
    )
    # Past rows stay for the reports when a member deletes their account.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("membre"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reservations",
    )
    status = models.CharField(_("statut"), max_length=12, choices=Status, default=Status.CONFIRMED)
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    blocked_until = models.DateTimeField(_("bloqué jusqu'à"))
    seats = models.PositiveIntegerField(_("places / personnes"), default=1)
    exclusive = models.BooleanField(_("exclusif"), default=True, editable=False)
    source = models.CharField(_("origine"), max_length=20, choices=Source, default=Source.BOOKING)
    purpose = models.CharField(_("objet"), max_length=200, blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("règle levée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    override_reason = models.CharField(_("motif de la dérogation"), max_length=200, blank=True)
    overridden_rules = models.CharField(
        _("règles levées"),
        max_length=200,
        blank=True,
        help_text=_("Codes des règles auxquelles il a été dérogé."),
    )
    # What was charged, fixed when the reservation is made (see booking.periods):
    # later changes of the resource's rates leave it alone, so reports count it.
    price_amount = models.DecimalField(
        _("prix (€ TTC)"), max_digits=8, decimal_places=2, null=True, blank=True, editable=False
    )
    price_rate = models.CharField(
        _("prix calculé"),
        max_length=10,
        choices=PriceRate,
        default=PriceRate.NONE,
        editable=False,
    )
    price_tariff = models.CharField(
        _("tarif"), max_length=6, choices=Tariff, blank=True, default="", editable=False
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)

    class Meta:
        db_table = "rooms_reservation"
        ordering = ["start", "id"]
        verbose_name = _("réservation")
        verbose_name_plural = _("réservations")
        permissions = [
            ("override_rules", _("Peut déroger aux règles de réservation")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="reservation_end_after_start",
                violation_error_message=_("La fin doit suivre le début."),
            ),
            models.CheckConstraint(
                condition=Q(blocked_until__gte=models.F("end")),
                name="reservation_blocked_after_end",
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="reservation_seats_positive"),
            # The no-overlap ExclusionConstraint is NOT declared here: in Meta, Django
            # would try to create it on SQLite too, where it cannot exist. Migration
            # rooms/0003 adds it on PostgreSQL only.
        ]
        indexes = [
            # Overlap, availability and grid queries: "rows of these resources still
            # blocked after X and starting before Y". Leading on blocked_until skips
            # the past (a million old rows) in one index range. Not a partial index on
            # the active statuses: SQLite ignores a partial index when the query binds
            # the statuses as parameters, and cancelled rows are few.
            models.Index(
                fields=["resource", "blocked_until", "start"],
                name="reservation_active_idx",
            ),
            # "My bookings", the per-member limits and the idempotency guard.
            models.Index(fields=["member", "start"], name="reservation_member_idx"),
        ]

    def __str__(self):
        return f"{self.resource} {local_label(self.start)}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    @property
    def is_priced(self) -> bool:
        """True when a price was fixed for it (free included): what pages show."""
        return self.price_amount is not None

    def calendar_event(self):
        """This reservation as a calendar event (attached to its e-mails)."""
        from .calendar import booking_event

        return booking_event(self)
