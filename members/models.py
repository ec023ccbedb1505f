from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .validators import validate_phone

BIO_MAX_LENGTH = 1000
LOOKING_FOR_MAX_LENGTH = 500


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class Sector(models.Model):
    """A field of activity (numérique, artisanat, conseil…), kept by the animators."""

    name = models.CharField(_("nom"), max_length=80, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("secteur")
        verbose_name_plural = _("secteurs")

    def __str__(self):
        return self.name


class Skill(models.Model):
    """A free tag shared across members: the same word is one Skill for everyone."""

    name = models.CharField(_("nom"), max_length=60)
    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("compétence")
        verbose_name_plural = _("compétences")
        constraints = [
            models.UniqueConstraint(Lower("name"), name="skill_name_unique_ci"),
        ]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A person with an account: a member of the network, an animator or staff.

    The network profile lives on the same row: one table to search for the
    directory, nothing to create when an account is made.
    """

    class Kind(models.TextChoices):
        SOLO = "solo", _("Entrepreneur·e solo")
        TELEWORKER = "teleworker", _("Télétravailleur·se / télésalarié·e")
        ASSOCIATION = "association", _("Association")
        COMPANY = "company", _("Entreprise")
        OTHER = "other", _("Autre")

    class Visibility(models.TextChoices):
        HIDDEN = "hidden", _("Masqué : je n'apparais pas dans l'annuaire")
        MEMBERS = "members", _("Visible des membres connectés")
        PUBLIC = "public", _("Visible de tous, même sans compte")

    username = None
    email = models.EmailField(_("adresse e-mail"), unique=True)
    language = models.CharField(_("langue"), max_length=8, choices=settings.LANGUAGES, default="fr")

    kind = models.CharField(_("profil"), max_length=20, choices=Kind, default=Kind.OTHER)
    activity = models.CharField(_("activité"), max_length=120, blank=True)
    company_name = models.CharField(_("entreprise / structure"), max_length=120, blank=True)
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("secteur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    commune = models.CharField(_("commune"), max_length=80, blank=True)
    phone = models.CharField(_("téléphone"), max_length=25, blank=True, validators=[validate_phone])
    bio = models.TextField(_("présentation courte"), max_length=BIO_MAX_LENGTH, blank=True)
    website = models.URLField(_("site web"), max_length=200, blank=True)
    skills = models.ManyToManyField(
        Skill, verbose_name=_("compétences"), blank=True, related_name="members"
    )
    looking_for = models.TextField(_("je recherche"), max_length=LOOKING_FOR_MAX_LENGTH, blank=True)
    directory_visibility = models.CharField(
        _("visibilité dans l'annuaire"),
        max_length=10,
        choices=Visibility,
        default=Visibility.HIDDEN,
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("membre")
        verbose_name_plural = _("membres")
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]
        indexes = [
            # The directory lists visible members by name, filtered by commune.
            models.Index(
                fields=["directory_visibility", "last_name", "first_name", "id"],
                name="user_directory_idx",
            ),
            models.Index(Lower("commune"), name="user_commune_ci_idx"),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email.split("@")[0]

    def get_absolute_url(self):
        return reverse("members:profile", args=[self.pk])


class Plan(models.Model):
    """A membership formula (day pass, 10-day carnet, monthly resident, network only)."""

    class Kind(models.TextChoices):
        DAY_PASS = "day_pass", _("Pass journée")
        CARNET = "carnet", _("Carnet de jours")
        RESIDENT = "resident", _("Résident mensuel")
        NETWORK = "network", _("Réseau seul")

    name = models.CharField(_("nom"), max_length=80, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind)
    description = models.TextField(_("description"), blank=True)
    price = models.DecimalField(_("prix (€ TTC)"), max_digits=8, decimal_places=2, default=0)
    days_included = models.PositiveSmallIntegerField(
        _("jours inclus"), null=True, blank=True, help_text=_("Pour un carnet.")
    )
    is_active = models.BooleanField(_("proposé"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("formule")
        verbose_name_plural = _("formules")
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gte=0), name="plan_price_positive"),
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A member holds a plan from one date to another (open-ended when no end)."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("membre"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    plan = models.ForeignKey(
        Plan, verbose_name=_("formule"), on_delete=models.PROTECT, related_name="memberships"
    )
    valid_from = models.DateField(_("valable du"), default=timezone.localdate)
    valid_until = models.DateField(_("jusqu'au"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        ordering = ["-valid_from", "-id"]
        verbose_name = _("adhésion")
        verbose_name_plural = _("adhésions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="membership_valid_range",
                violation_error_message=_("La fin de validité précède son début."),
            ),
        ]
        indexes = [models.Index(fields=["member", "-valid_from"], name="membership_member_idx")]

    def __str__(self):
        return f"{self.member} — {self.plan}"


class ApiToken(models.Model):
    """A personal API token. Only a hash is stored: the key is shown once."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("membre"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("nom"), max_length=60)
    prefix = models.CharField(_("début de la clé"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class CalendarFeed(models.Model):
    """A member's private calendar feed: whoever holds the URL reads their agenda, so the
    token is long, random, and replaced or removed from the account page."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("membre"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("créé le"), auto_now=True)

    class Meta:
        verbose_name = _("agenda privé")
        verbose_name_plural = _("agendas privés")

    def __str__(self):
        return str(self.member)
