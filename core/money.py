"""Amounts of money as people read them: "54,00 €" in French, "€54.00" in English.

One formatter for every page, e-mail and admin column that shows a price: the
function ``money`` and the template filter of the same name (``{% load money %}``,
``{{ quote|money }}``). Digits come from Django's number formats for the active
language (decimal comma in French, grouped thousands); where the euro sign goes is a
translated pattern, so each language places it as its readers expect. ``price_text``
(the ``price`` filter) says what a reservation costs, from the price stored on it.
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


def price_text(reservation) -> str:
    """What a reservation costs, as its member reads it on "my bookings", the Fablab
    slots and the confirmation: "8,00 € TTC (demi-journée, tarif membre)", "Gratuit"
    when nothing is to be paid, "" when no price applies (a workshop's hold).
    ``reservation`` is a ``booking.Reservation`` (its ``price_*`` fields)."""
    if reservation.price_rate == "free":
        return gettext("Gratuit")
    if reservation.price_amount is None:
        return ""
    return gettext("%(amount)s TTC (%(rate)s, %(tariff)s)") % {
        "amount": money(reservation.price_amount),
        "rate": reservation.get_price_rate_display(),
        "tariff": reservation.get_price_tariff_display(),
    }


register.filter("price", price_text, is_safe=False)
