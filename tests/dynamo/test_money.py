"""Amounts of money read the same everywhere: "54,00 €" in French, "€54.00" in English."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from core.money import money


@pytest.mark.parametrize(
    ("amount", "french", "english"),
    [
        (Decimal("54.00"), "54,00 €", "€54.00"),
        ("54.00", "54,00 €", "€54.00"),  # as kept in the session between two pages
        (15, "15,00 €", "€15.00"),
        (Decimal("7.5"), "7,50 €", "€7.50"),
        (Decimal("1234.50"), "1\xa0234,50 €", "€1,234.50"),
    ],
)
def test_an_amount_reads_the_french_or_the_english_way(amount, french, english):
    with translation.override("fr"):
        assert money(amount) == french
    with translation.override("en"):
        assert money(amount) == english


def test_no_price_shows_nothing():
    assert money(None) == ""
    assert money("") == ""


def test_text_that_is_not_an_amount_is_refused():
    with pytest.raises(ValueError):
        money("cinquante")


def test_templates_format_amounts_with_the_money_filter():
    template = Template("{% load money %}{{ quote|money }} TTC")

    with translation.override("fr"):
        assert template.render(Context({"quote": Decimal("54")})) == "54,00 € TTC"


def test_no_template_writes_the_euro_sign_next_to_a_raw_number():
    """Every price goes through the one formatter: no template types "€" itself."""
    templates = Path(settings.BASE_DIR, "templates")
    offenders = [
        str(path.relative_to(templates))
        for path in templates.rglob("*")
        if path.is_file() and "€" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
