from django.db import models
from django.utils.translation import gettext_lazy as _


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

    class Meta:
        ordering = ["name"]
        verbose_name = _("lieu")
        verbose_name_plural = _("lieux")

    def __str__(self):
        return self.name
