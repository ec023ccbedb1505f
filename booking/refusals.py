"""The booking engine's refusals: its codes on the one refusal base class of ``core``.

Pages and the admin show ``message``; the API answers with the table's status (409
someone else holds the slot or a limit is reached, 422 naming ``field``, 403 not
qualified) and, when another time would do (the slot held, past, closed, outside the
hours, a limit reached), the nearest free ones. An animator may
lift the overridable codes, with a recorded reason: the horizon, the cancellation
cut-off, per-member limits, minimum and maximum durations, opening hours and closures
(and the grid, the past, an inactive resource); never overlap, capacity, the jauge
(a space's or the site's), maintenance or qualification.
"""

from http import HTTPStatus

from django.utils.translation import gettext_lazy as _

from core.refusals import Code, Refusal, code_table

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
UNKNOWN_SPACE = "unknown_space"
UNKNOWN_MACHINE = "unknown_machine"

MESSAGES_LIMIT_DAY = _(
    "Vous avez déjà %(count)s réservation(s) de ce type d'espace ce jour-là : c'est la limite."
)
MESSAGES_LIMIT_WEEK = _(
    "Cette réservation dépasserait votre limite de %(hours)s heures par semaine "
    "pour ce type d'espace."
)


CONFLICT = HTTPStatus.CONFLICT
FORBIDDEN = HTTPStatus.FORBIDDEN


class BookingRefused(Refusal):
    """A booking (or cancellation) the engine will not make, and why.

    ``code`` is one of the constants above; ``message`` is French, translated in the
    active language; ``field`` names the input to blame ("start", "end", "seats",
    "space"), the table's default unless the raise site names another.
    """

    codes = code_table(
        # Malformed input: never stored, never overridable.
        Code(INVALID_RANGE, _("La fin doit être après le début."), field="end"),
        Code(
            NAIVE_DATETIME,
            _("Indiquez la date et l'heure avec leur fuseau horaire (par ex. +01:00)."),
            field="start",
        ),
        Code(
            NONEXISTENT_LOCAL_TIME,
            _(
                "Cette heure n'existe pas ce jour-là (passage à l'heure d'été) : "
                "choisissez-en une autre."
            ),
            field="start",
        ),
        Code(
            AMBIGUOUS_LOCAL_TIME,
            _(
                "Cette heure existe deux fois ce jour-là (passage à l'heure d'hiver) : "
                "choisissez-en une autre."
            ),
            field="start",
        ),
        Code(INVALID_SEATS, _("Le nombre de personnes doit être au moins 1."), field="seats"),
        # The request names a resource that does not exist (an id in the API's body).
        Code(UNKNOWN_SPACE, _("Espace inconnu."), field="space"),
        Code(UNKNOWN_MACHINE, _("Machine inconnue."), field="machine"),
        Code(
            OVERRIDE_REASON_REQUIRED,
            _("Indiquez le motif de la dérogation."),
            field="override_reason",
        ),
        # The resource's rules: an animator may lift them.
        Code(
            INACTIVE,
            _("Cet espace n'est pas réservable pour le moment."),
            field="space",
            overridable=True,
        ),
        Code(
            OFF_GRID,
            _("Les réservations commencent et finissent sur la grille de %(minutes)s minutes."),
            field="start",
            overridable=True,
        ),
        Code(
            PAST,
            _("Ce créneau est déjà passé."),
            field="start",
            alternatives=True,
            overridable=True,
        ),
        Code(
            BEYOND_HORIZON,
            _("On ne peut pas réserver plus de %(days)s jours à l'avance."),
            field="start",
            overridable=True,
        ),
        Code(
            CLOSED,
            _("Le lieu est fermé ce jour-là (%(reason)s)."),
            field="start",
            alternatives=True,
            overridable=True,
        ),
        Code(
            OUTSIDE_HOURS,
            _("Le lieu n'est pas ouvert sur tout ce créneau."),
            field="start",
            alternatives=True,
            overridable=True,
        ),
        Code(
            TOO_SHORT,
            _("La durée minimale est de %(minutes)s minutes."),
            field="end",
            overridable=True,
        ),
        Code(
            TOO_LONG,
            _("La durée maximale est de %(minutes)s minutes."),
            field="end",
            overridable=True,
        ),
        Code(
            OVER_LIMIT,
            _("Vous avez atteint votre limite de réservations pour ce type d'espace."),
            status=CONFLICT,
            alternatives=True,
            overridable=True,
        ),
        Code(
            CANCELLATION_TOO_LATE,
            _(
                "Il est trop tard pour annuler en ligne (au plus tard %(hours)s h avant) : "
                "contactez l'équipe."
            ),
            status=CONFLICT,
            overridable=True,
        ),
        # Guarantees: never lifted.
        Code(
            OVER_CAPACITY,
            _("Cet espace accueille au plus %(capacity)s personnes."),
            status=CONFLICT,
            field="seats",
        ),
        Code(TAKEN, _("Ce créneau est déjà réservé."), status=CONFLICT, alternatives=True),
        Code(
            IN_BUFFER,
            _(
                "Ce créneau est déjà réservé : il faut laisser un battement (nettoyage, "
                "refroidissement) entre deux créneaux."
            ),
            status=CONFLICT,
            alternatives=True,
        ),
        Code(
            IN_MAINTENANCE,
            _("La machine est en maintenance sur ce créneau."),
            status=CONFLICT,
            alternatives=True,
        ),
        Code(
            FULL,
            _("Il ne reste plus assez de places sur ce créneau."),
            status=CONFLICT,
            alternatives=True,
        ),
        Code(
            OVER_JAUGE,
            _("La jauge du lieu serait dépassée sur ce créneau."),
            status=CONFLICT,
            alternatives=True,
        ),
        Code(
            NOT_QUALIFIED,
            _("Vous n'êtes pas habilité·e à utiliser cette machine."),
            status=FORBIDDEN,
            field="machine",
        ),
        Code(
            HELD_ELSEWHERE,
            _(
                "Ce créneau tient une séance d'atelier, une demande de location ou une "
                "maintenance : annulez-le depuis celle-ci."
            ),
            status=CONFLICT,
        ),
    )


# Derived from the table, for the engine. (Whether a code is a conflict or offers
# alternatives is read on the refusal itself: ``is_conflict``, ``offers_alternatives``.)
# Held by another slot on an exclusive resource (not a count of seats).
OVERLAP_CODES = frozenset({TAKEN, IN_BUFFER, IN_MAINTENANCE})
# Rules an animator may deliberately lift (recorded on the row).
OVERRIDABLE_CODES = BookingRefused.codes_where(overridable=True)
