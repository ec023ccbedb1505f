"""The notification outbox: one row per message to send.

A change and the messages it causes are written in one transaction; Celery
delivers the rows after commit and a periodic sweep catches whatever a down
broker or worker missed (see services.py).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Kind(models.TextChoices):
        MESSAGE = "message", _("Message")
        BOOKING_CONFIRMED = "booking_confirmed", _("Réservation confirmée")
        BOOKING_CANCELLED = "booking_cancelled", _("Réservation annulée")
        BOOKING_REMINDER = "booking_reminder", _("Rappel de réservation")
        RENTAL_ACCEPTED = "rental_accepted", _("Demande de location acceptée")
        RENTAL_DECLINED = "rental_declined", _("Demande de location refusée")
        WAITLIST_PROMOTED = "waitlist_promoted", _("Place libérée (liste d'attente)")
        MAINTENANCE_CONFLICT = "maintenance_conflict", _("Maintenance sur un créneau")
        REGISTRATION_CONFIRM = "registration_confirm", _("Inscription à un atelier confirmée")
        REGISTRATION_VERIFY = "registration_verify", _("Lien de confirmation d'une inscription")
        SESSION_CANCELLED = "session_cancelled", _("Séance d'atelier annulée")
        SESSION_CHANGED = "session_changed", _("Séance d'atelier déplacée ou changée de salle")
        RENTAL_RECEIVED = "rental_received", _("Demande de location reçue")
        REGISTRATION_REMINDER = "registration_reminder", _("Rappel d'atelier")
        PROGRAMME_DIGEST = "programme_digest", _("Programme du mois")

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        SENDING = "sending", _("En cours d'envoi")
        SENT = "sent", _("Envoyée")
        FAILED = "failed", _("Échec")
        CANCELLED = "cancelled", _("Annulée")
        # Reminders whose item started before they could go out: never sent late.
        EXPIRED = "expired", _("Expirée")

    class PreferenceField(models.TextChoices):
        """The Preference field the recipient must have switched on, if any."""

        NONE = "", _("Aucune")
        REMINDER_24H = "reminder_24h", _("Rappel la veille")
        REMINDER_2H = "reminder_2h", _("Rappel 2 h avant")
        PROGRAMME_DIGEST = "programme_digest", _("Programme du mois")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("destinataire"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    # Outsiders (rental requesters, public workshop registrants) have no account.
    recipient_email = models.EmailField(_("adresse e-mail"), blank=True)
    recipient_name = models.CharField(_("nom du destinataire"), max_length=150, blank=True)
    language = models.CharField(
        _("langue"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    kind = models.CharField(_("type"), max_length=40, choices=Kind)
    preference = models.CharField(
        _("préférence requise"), max_length=30, choices=PreferenceField, blank=True, default=""
    )

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("objet (type)")
    )
    object_id = models.PositiveBigIntegerField(_("objet (identifiant)"), null=True, blank=True)
    about = GenericForeignKey("content_type", "object_id")

    dedup_key = models.CharField(_("clé d'unicité"), max_length=200, null=True, blank=True)
    due_at = models.DateTimeField(_("à envoyer à partir de"), default=timezone.now)
    not_after = models.DateTimeField(
        _("à ne plus envoyer après"),
        null=True,
        blank=True,
        help_text=_("Le début de l'objet pour un rappel : jamais envoyé en retard."),
    )
    status = models.CharField(_("état"), max_length=12, choices=Status, default=Status.PENDING)
    queued_at = models.DateTimeField(_("confiée au worker le"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("prise en charge le"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    context = models.JSONField(_("contexte"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        ordering = ["-due_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            # One reminder of a kind for one item (and one due time) exists once.
            # Cancelled rows do not count, so an item moved back to its first
            # time can get its reminder again.
            models.UniqueConstraint(
                fields=["dedup_key"],
                condition=Q(dedup_key__isnull=False) & ~Q(status="cancelled"),
                name="notification_dedup_key_unique",
            ),
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | ~Q(recipient_email=""),
                name="notification_has_recipient",
            ),
        ]
        indexes = [
            # The sweep: pending rows by due time.
            models.Index(fields=["status", "due_at"], name="notification_sweep_idx"),
            # The admin's list, newest first, on a table that grows with the network.
            models.Index(fields=["due_at"], name="notification_due_idx"),
            # Stuck claims: rows in "sending" by claim time.
            models.Index(fields=["status", "claimed_at"], name="notification_claim_idx"),
            # Moving or cancelling an item finds its reminders.
            models.Index(
                fields=["content_type", "object_id", "kind"], name="notification_about_idx"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.address} ({self.get_status_display()})"

    @property
    def address(self) -> str:
        return self.recipient.email if self.recipient_id else self.recipient_email

    @property
    def display_name(self) -> str:
        if self.recipient_id:
            return self.recipient.get_full_name() or self.recipient.email
        return self.recipient_name or self.recipient_email


class Preference(models.Model):
    """What a member wants to receive. No row means the defaults below."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("membre"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preference",
    )
    reminder_24h = models.BooleanField(_("rappel la veille (24 h avant)"), default=True)
    reminder_2h = models.BooleanField(
        _("rappel 2 h avant, pour ce qui est réservé le jour même"), default=True
    )
    programme_digest = models.BooleanField(_("programme du mois par e-mail"), default=False)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("préférence de notification")
        verbose_name_plural = _("préférences de notification")

    def __str__(self):
        return str(self.user)
