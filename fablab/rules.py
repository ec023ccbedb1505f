"""The Fablab's own booking rules, pure: a machine's qualification and its cap on each
member's future slots. ``Machine.own_refusals`` plugs them into the booking engine's
one ``booking.rules.fits``, so the engine, the machine's day, the machines page and
the nearest-slot suggestions all apply them, and the engine never imports the Fablab.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from booking import refusals as e
from booking.models import Reservation
from booking.refusals import BookingRefused
from booking.rules import Holding

if TYPE_CHECKING:
    from .models import Machine, Qualification

MESSAGE_NOT_QUALIFIED_TRAINING = _(
    "Vous n'êtes pas habilité·e à utiliser « %(machine)s » : suivez d'abord la "
    "formation « %(training)s »."
)
MESSAGE_NOT_QUALIFIED_ASK = _(
    "Vous n'êtes pas habilité·e à utiliser « %(machine)s » : demandez une habilitation "
    "à l'équipe du Fablab."
)
MESSAGE_EXPIRED_TRAINING = _(
    "Votre habilitation à « %(machine)s » a expiré le %(expired)s : suivez de nouveau "
    "la formation « %(training)s »."
)
MESSAGE_EXPIRED_ASK = _(
    "Votre habilitation à « %(machine)s » a expiré le %(expired)s : demandez à l'équipe "
    "du Fablab de la renouveler."
)
MESSAGE_TOO_MANY_SLOTS = _(
    "Vous avez déjà %(count)s créneau(x) à venir sur « %(machine)s » : c'est la limite. "
    "Annulez-en un ou attendez qu'il soit passé."
)


def qualification_refusal(
    *, machine: Machine, qualification: Qualification | None, on: date
) -> BookingRefused | None:
    """``not_qualified`` unless the member holding ``qualification`` (None: none) may
    use ``machine`` on the local day ``on``: missing or expired, the message names the
    training to take (``params``: machine, training, expired; the refusal also
    carries ``machine`` and ``training``). None when no qualification is needed."""
    if not machine.requires_qualification:
        return None
    if qualification is not None and qualification.is_valid_on(on):
        return None
    training = machine.training_workshop
    params = {"machine": machine.name}
    if training is not None:
        params["training"] = training.title
    if qualification is None:
        message = MESSAGE_NOT_QUALIFIED_TRAINING if training else MESSAGE_NOT_QUALIFIED_ASK
    else:
        params["expired"] = qualification.expires_on.strftime("%d/%m/%Y")
        message = MESSAGE_EXPIRED_TRAINING if training else MESSAGE_EXPIRED_ASK
    refusal = BookingRefused(e.NOT_QUALIFIED, message, field="machine", **params)
    refusal.machine, refusal.training = machine, training
    return refusal


def future_slots_refusal(
    *, machine: Machine, holdings: Sequence[Holding], now: datetime
) -> BookingRefused | None:
    """``over_limit`` when the member already holds ``machine.max_future_slots`` Fablab
    slots on the machine not yet over (``holdings``: their active reservations)."""
    if not machine.max_future_slots:
        return None
    future = sum(
        1
        for h in holdings
        if h.resource_id == machine.pk and h.source == Reservation.Source.FABLAB and h.end > now
    )
    if future < machine.max_future_slots:
        return None
    return BookingRefused(
        e.OVER_LIMIT, MESSAGE_TOO_MANY_SLOTS, count=machine.max_future_slots, machine=machine.name
    )
