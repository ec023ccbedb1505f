from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FablabConfig(AppConfig):
    name = "fablab"
    verbose_name = _("Fablab")
