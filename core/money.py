"""Amounts of money as people read them: "54,00 €" in French, "€54.00" in English.

One formatter for every page, e-mail and admin column that shows a price: the
function ``money`` and the template filter of the same name (``{% load money %}``,
``{{ quote|money }}``). Digits come from Django's number formats for the active
language (decimal comma in French, grouped thousands); where the euro sign goes is a
translated pattern, so each language places it as its readers expect.
"""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext

register = template.Library()


def money(amount) -> str:
    """``amount`` (a Decimal, number or numeric string, in euros) formatted in the
    active language with two decimals and the euro sign; "" for None or "" (no
    price). Raises ValueError for text that is not a number."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        raise ValueError(f"Not an amount of money: {amount!r}") from None
    digits = number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    # Translators: an amount in euros; put the sign where your readers expect it.
    return gettext("%(amount)s €") % {"amount": digits}


register.filter("money", money, is_safe=True)
