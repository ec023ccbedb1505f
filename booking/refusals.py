"""The one refusal the booking engine raises, with a reason code each interface renders.

Pages show ``message``; the API answers 409 for the codes in ``CONFLICT_CODES`` and
422 naming ``field`` for the others; the admin shows the message on the form.
"""

from django.utils.translation import gettext_lazy as _

# Reason codes, stable: pages, the API and tests rely on them.
INVALID_RANGE = "invalid_range"
NAIVE_DATETIME = "naive_datetime"
NONEXISTENT_LOCAL_TIME = "nonexistent_local_time"
AMBIGUOUS_LOCAL_TIME = "ambiguous_local_time"
INVALID_SEATS = "invalid_seats"
INACTIVE = "inactive"
OFF_GRID = "off_grid"
PAST = "past"
BEYOND_HORIZON = "beyond_horizon"
CLOSED = "closed"
OUTSIDE_HOURS = "outside_hours"
TOO_SHORT = "too_short"
TOO_LONG = "too_long"
OVER_LIMIT = "over_limit"
OVER_CAPACITY = "over_capacity"
TAKEN = "taken"
IN_BUFFER = "in_buffer"
IN_MAINTENANCE = "in_maintenance"
NOT_QUALIFIED = "not_qualified"
FULL = "full"
OVER_JAUGE = "over_jauge"
CANCELLATION_TOO_LATE = "cancellation_too_late"
OVERRIDE_REASON_REQUIRED = "override_reason_required"
HELD_ELSEWHERE = "held_elsewhere"

MESSAGES = {
    INVALID_RANGE: _("La fin doit être après le début."),
    NAIVE_DATETIME: _("Indiquez la date et l'heure avec leur fuseau horaire (par ex. +01:00)."),
    NONEXISTENT_LOCAL_TIME: _(
        "Cette heure n'existe pas ce jour-là (passage à l'heure d'été) : choisissez-en une autre."
    ),
    AMBIGUOUS_LOCAL_TIME: _(
        "Cette heure existe deux fois ce jour-là (passage à l'heure d'hiver) : "
        "choisissez-en une autre."
    ),
    INVALID_SEATS: _("Le nombre de personnes doit être au moins 1."),
    INACTIVE: _("Cet espace n'est pas réservable pour le moment."),
    OFF_GRID: _("Les réservations commencent et finissent sur la grille de %(minutes)s minutes."),
    PAST: _("Ce créneau est déjà passé."),
    BEYOND_HORIZON: _("On ne peut pas réserver plus de %(days)s jours à l'avance."),
    CLOSED: _("Le lieu est fermé ce jour-là (%(reason)s)."),
    OUTSIDE_HOURS: _("Le lieu n'est pas ouvert sur tout ce créneau."),
    TOO_SHORT: _("La durée minimale est de %(minutes)s minutes."),
    TOO_LONG: _("La durée maximale est de %(minutes)s minutes."),
    OVER_LIMIT: _("Vous avez atteint votre limite de réservations pour ce type d'espace."),
    OVER_CAPACITY: _("Cet espace accueille au plus %(capacity)s personnes."),
    TAKEN: _("Ce créneau est déjà réservé."),
    IN_BUFFER: _(
        "Ce créneau est déjà réservé : il faut laisser un battement (nettoyage, "
        "refroidissement) entre deux créneaux."
    ),
    IN_MAINTENANCE: _("La machine est en maintenance sur ce créneau."),
    NOT_QUALIFIED: _("Vous n'êtes pas habilité·e à utiliser cette machine."),
    FULL: _("Il ne reste plus assez de places sur ce créneau."),
    OVER_JAUGE: _("La jauge du lieu serait dépassée sur ce créneau."),
    CANCELLATION_TOO_LATE: _(
        "Il est trop tard pour annuler en ligne (au plus tard %(hours)s h avant) : "
        "contactez l'équipe."
    ),
    OVERRIDE_REASON_REQUIRED: _("Indiquez le motif de la dérogation."),
    HELD_ELSEWHERE: _(
        "Ce créneau tient une séance d'atelier, une demande de location ou une "
        "maintenance : annulez-le depuis celle-ci."
    ),
}

MESSAGES_LIMIT_DAY = _(
    "Vous avez déjà %(count)s réservation(s) de ce type d'espace ce jour-là : c'est la limite."
)
MESSAGES_LIMIT_WEEK = _(
    "Cette réservation dépasserait votre limite de %(hours)s heures par semaine "
    "pour ce type d'espace."
)

# Someone else holds what was asked: 409 Conflict in the API. The rest is the
# request's own fault (or a rule it breaks): 422 naming the field.
CONFLICT_CODES = frozenset(
    {
        TAKEN,
        IN_BUFFER,
        IN_MAINTENANCE,
        FULL,
        OVER_JAUGE,
        OVER_CAPACITY,
        OVER_LIMIT,
        CANCELLATION_TOO_LATE,
        HELD_ELSEWHERE,
    }
)

# The slot itself is held (by a booking, its buffer or a maintenance window): the
# interfaces offer the nearest free slots instead.
OVERLAP_CODES = frozenset({TAKEN, IN_BUFFER, IN_MAINTENANCE})

# Rules an animator may deliberately lift (recorded on the row). Never the
# no-overlap, seat-count or jauge guarantees, nor malformed input.
OVERRIDABLE_CODES = frozenset(
    {
        OFF_GRID,
        PAST,
        BEYOND_HORIZON,
        CLOSED,
        OUTSIDE_HOURS,
        TOO_SHORT,
        TOO_LONG,
        OVER_LIMIT,
        INACTIVE,
    }
)


class BookingRefused(Exception):
    """A booking (or cancellation) the engine will not make, and why.

    ``code`` is one of the constants above; ``message`` is French, translated in the
    active language; ``field`` names the input to blame ("start", "end", "seats",
    "space") or is None.
    """

    def __init__(self, code: str, message=None, *, field: str | None = None, **params):
        self.code = code
        self.field = field
        self.params = params
        template = message if message is not None else MESSAGES[code]
        self.message = str(template) % params if params else str(template)
        super().__init__(self.message)

    @property
    def is_conflict(self) -> bool:
        return self.code in CONFLICT_CODES

    def __repr__(self):
        return f"BookingRefused({self.code!r}, field={self.field!r})"
