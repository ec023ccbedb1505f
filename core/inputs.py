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
from pydantic import AfterValidator, AwareDatetime, Field

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
        raise ValueError(f"the date must be between {EARLIEST} and {LATEST}")
    return value


# API types: a 422 naming the field, like any other invalid value.
ApiDate = Annotated[date, Field(ge=EARLIEST, le=LATEST)]
ApiDatetime = Annotated[AwareDatetime, AfterValidator(_reasonable_datetime)]


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold a NUL character; say so instead of failing later.
    if "\x00" in value:
        raise ValueError("the text must not contain a NUL character")
    return value


ApiId = Annotated[int, Field(ge=1, le=2**63 - 1)]
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
