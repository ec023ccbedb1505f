"""The range of dates the site accepts from people and programs.

Dates far outside it are typing mistakes (0001-01-01, 9999-12-31) that would only
overflow date arithmetic further on; refusing them at the door gives a clear message
on the field instead of an error page.
"""

from datetime import date, datetime
from typing import Annotated

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Field
from pydantic_core import PydanticCustomError

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


def validate_reasonable_date(value: date) -> None:
    """Form validator: refuse a date outside EARLIEST..LATEST."""
    if not EARLIEST <= value <= LATEST:
        raise ValidationError(
            _("Choisissez une date entre %(earliest)s et %(latest)s."),
            code="date_out_of_range",
            params={"earliest": EARLIEST.year, "latest": LATEST.year},
        )


def _reasonable_datetime(value: datetime) -> datetime:
    if not EARLIEST <= value.date() <= LATEST:
        raise PydanticCustomError(
            "date_out_of_range",
            "the date must be between {earliest} and {latest}",
            {"earliest": EARLIEST.year, "latest": LATEST.year},
        )
    return value


# API types: a 422 naming the field, like any other invalid value.
ApiDate = Annotated[date, Field(ge=EARLIEST, le=LATEST)]
ApiDatetime = Annotated[AwareDatetime, AfterValidator(_reasonable_datetime)]


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold a NUL character; say so instead of failing later.
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "the text must not contain a NUL character")
    return value


def _not_a_bool(value):
    # Python's True is the integer 1: without this, {"space": true} would book space 1.
    # Not StrictInt: ids in paths and queries arrive as text ("5") and must still parse.
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


ApiId = Annotated[int, BeforeValidator(_not_a_bool), Field(ge=1, le=2**63 - 1)]
ApiText = Annotated[str, AfterValidator(_no_nul)]
# Page numbers past this are typing mistakes, and would overflow the database's OFFSET.
MAX_PAGE = 1_000_000


class ModelChoiceField(forms.ModelChoiceField):
    """Django's, with an id too large for the database answered as an invalid choice
    (on SQLite a 20-digit id overflows before the lookup)."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except OverflowError:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


# The API's input errors, in the request's language: pydantic's error type → message.
# Pydantic's own (English) message is kept for a type not listed here.
INPUT_MESSAGES = {
    "missing": _("ce champ est obligatoire."),
    "int_type": _("un nombre entier est attendu."),
    "int_parsing": _("un nombre entier est attendu."),
    "int_from_float": _("un nombre entier est attendu."),
    "bool_type": _("vrai ou faux (true/false) est attendu."),
    "bool_parsing": _("vrai ou faux (true/false) est attendu."),
    "date_type": _("une date est attendue, au format AAAA-MM-JJ."),
    "date_parsing": _("une date est attendue, au format AAAA-MM-JJ."),
    "date_from_datetime_parsing": _("une date est attendue, au format AAAA-MM-JJ."),
    "date_from_datetime_inexact": _("une date sans heure est attendue (AAAA-MM-JJ)."),
    "datetime_type": _("une date et une heure sont attendues, au format ISO 8601."),
    "datetime_parsing": _("une date et une heure sont attendues, au format ISO 8601."),
    "datetime_from_date_parsing": _("une date et une heure sont attendues, au format ISO 8601."),
    "timezone_aware": _("l'heure doit porter son décalage horaire (2026-03-03T10:00+01:00)."),
    "string_type": _("un texte est attendu."),
    "string_too_long": _("le texte est trop long (%(max_length)s caractères au plus)."),
    "greater_than_equal": _("la valeur doit être au moins %(ge)s."),
    "less_than_equal": _("la valeur doit être au plus %(le)s."),
    "date_out_of_range": _("la date doit être entre %(earliest)s et %(latest)s."),
    "nul_character": _("le texte ne doit pas contenir de caractère NUL."),
    "json_invalid": _("le corps de la requête n'est pas du JSON valide."),
}


def input_error_message(error: dict) -> str:
    """One pydantic error (an item of ``ValidationError.errors()``) said to a person in
    the active language (French, or English for an English request)."""
    template = INPUT_MESSAGES.get(error.get("type", ""))
    if template is None:
        return str(error.get("msg", ""))
    context = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
    text = str(template)
    try:
        return text % context if "%(" in text else text
    except (KeyError, ValueError):
        return text
