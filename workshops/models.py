"""Workshops of the Soho Solo network, their sessions, registrations and roll call.

A session's room is held through the booking engine: ``Session.room_hold`` is a
``booking.Reservation`` (source "workshop"), so nobody can book the room then and a
session cannot be put in a room already taken.
"""

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from booking.localtime import local_label


class Theme(models.Model):
    name = models.CharField(_("nom"), max_length=80, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")

    def __str__(self):
        return self.name


class Workshop(models.Model):
    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("Atelier mensuel")
        CODEV = "codev", _("Codéveloppement")
        TRAINING = "training", _("Formation")
        OTHER = "other", _("Autre")

    class Audience(models.TextChoices):
        MEMBERS = "members", _("Réservé aux membres")
        PUBLIC = "public", _("Ouvert au public")

    title = models.CharField(_("titre"), max_length=160)
    theme = models.ForeignKey(
        Theme, verbose_name=_("thème"), on_delete=models.PROTECT, related_name="workshops"
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind, default=Kind.MONTHLY)
    audience = models.CharField(
        _("public"), max_length=10, choices=Audience, default=Audience.MEMBERS
    )
    description = models.TextField(_("description"), blank=True)
    facilitator = models.CharField(_("animé par"), max_length=120, blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("atelier")
        verbose_name_plural = _("ateliers")

    def __str__(self):
        return self.title

    @property
    def is_public(self) -> bool:
        return self.audience == self.Audience.PUBLIC


class Session(models.Model):
    """One date of a workshop, in a room, with its seats and registration window."""

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("atelier"), on_delete=models.CASCADE, related_name="sessions"
    )
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    room = models.ForeignKey(
        "rooms.Space",
        verbose_name=_("salle"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="workshop_sessions",
    )
    room_hold = models.OneToOneField(
        "booking.Reservation",
        verbose_name=_("réservation de la salle"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="workshop_session",
    )
    capacity = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(1)])
    jauge = models.PositiveIntegerField(
        _("jauge réduite"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Places réduites décidées par les animateurs ; vide = toutes les places."),
    )
    registration_opens_at = models.DateTimeField(
        _("inscriptions ouvertes le"), null=True, blank=True
    )
    registration_closes_at = models.DateTimeField(
        _("inscriptions closes le"),
        null=True,
        blank=True,
        help_text=_("Vide : jusqu'au début de la séance."),
    )
    is_cancelled = models.BooleanField(_("séance annulée"), default=False)
    # The calendar revision (iCalendar SEQUENCE) of the session's events: raised by
    # each change of start, end, room or cancellation, so a calendar app that imported
    # an earlier e-mail applies the later one. See ``workshops.calendar``.
    sequence = models.PositiveIntegerField(_("révision (agenda)"), default=0, editable=False)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("séance")
        verbose_name_plural = _("séances")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="session_end_after_start",
                violation_error_message=_("La séance doit finir après son début."),
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__isnull=True)
                | Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="session_registration_window",
                violation_error_message=_("Les inscriptions doivent fermer après leur ouverture."),
            ),
        ]
        indexes = [models.Index(fields=["start"], name="session_start_idx")]

    def __str__(self):
        return f"{self.workshop.title} — {local_label(self.start)}"

    def get_absolute_url(self):
        return reverse("workshops:session", args=[self.pk])

    @property
    def seats(self) -> int:
        """Seats open to registration: the capacity, lowered by a reduced jauge."""
        return min(self.capacity, self.jauge) if self.jauge is not None else self.capacity


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class Registration(models.Model):
    """A seat in a session, a place on its waitlist, or a public request awaiting its
    e-mail confirmation. The waitlist order is the order of ``waitlisted_at``."""

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("À confirmer par e-mail")
        REGISTERED = "registered", _("Inscrit·e")
        WAITLISTED = "waitlisted", _("Liste d'attente")
        CANCELLED = "cancelled", _("Annulée")

    class Attendance(models.TextChoices):
        PRESENT = "present", _("Présent·e")
        ABSENT = "absent", _("Absent·e")
        EXCUSED = "excused", _("Excusé·e")

    ACTIVE = (Status.UNCONFIRMED, Status.REGISTERED, Status.WAITLISTED)
    # Who may be handed a freed seat: a visitor (told by e-mail) or a member whose account
    # is still active. A deactivated account can neither come nor be told, so the
    # waitlist passes over it (its places are normally released on deactivation; this
    # covers an account switched off some other way).
    PROMOTABLE = Q(member__isnull=True) | Q(member__is_active=True)

    session = models.ForeignKey(
        Session, verbose_name=_("séance"), on_delete=models.CASCADE, related_name="registrations"
    )
    # Kept without the member when an account is deleted: attendance counts stay.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("membre"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
    )
    name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("e-mail"))
    status = models.CharField(_("statut"), max_length=12, choices=Status)
    waitlisted_at = models.DateTimeField(_("en liste d'attente depuis"), null=True, blank=True)
    attendance = models.CharField(
        _("présence"), max_length=10, choices=Attendance, blank=True, default=""
    )
    confirmation_token = models.CharField(
        max_length=40, default=_new_token, unique=True, editable=False
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)

    class Meta:
        ordering = ["session", "created_at", "id"]
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        constraints = [
            # One live registration per person and session: a second click or a second
            # tab cannot take two seats.
            models.UniqueConstraint(
                "session",
                Lower("email"),
                condition=Q(status__in=["unconfirmed", "registered", "waitlisted"]),
                name="registration_one_active_per_email",
                violation_error_message=_("Vous êtes déjà inscrit·e à cette séance."),
            ),
            models.CheckConstraint(
                condition=~Q(status="waitlisted") | Q(waitlisted_at__isnull=False),
                name="registration_waitlist_has_time",
            ),
        ]
        indexes = [
            models.Index(
                fields=["session", "status", "waitlisted_at"], name="registration_queue_idx"
            ),
            models.Index(fields=["member", "status"], name="registration_member_idx"),
        ]

    def __str__(self):
        return f"{self.name} — {self.session}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    def calendar_event(self):
        """The session as this person's calendar event (attached to their e-mails)."""
        from .calendar import registration_event

        return registration_event(self)
