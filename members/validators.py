import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_PHONE_ALLOWED = re.compile(r"^\+?[0-9 .\-()]+$")


def validate_phone(value: str) -> None:
    """A French or international number: digits with spaces, dots, dashes; 9 to 15 digits."""
    digits = re.sub(r"\D", "", value)
    if not _PHONE_ALLOWED.match(value) or not 9 <= len(digits) <= 15:
        raise ValidationError(
            _("Numéro de téléphone invalide (ex. 05 62 61 62 71 ou +33 5 62 61 62 71)."),
            code="invalid_phone",
        )
