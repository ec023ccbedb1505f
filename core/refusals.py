"""One refusal type for every rule the domain enforces, and its code table.

A domain (booking, workshops, Fablab…) subclasses ``Refusal`` and gives it a table of
``Code`` entries: what each code means to a person (its translatable message), how the
API answers it (409 someone else holds it, 422 the request breaks a rule and names its
field, 403 not for you, 404 not found), whether the nearest free slots are worth
offering, and whether an animator may lift it with a recorded reason. Pages and the
admin show ``message``; the API's one exception handler renders
``{code, message, field, alternatives}`` with the table's status.

Code values are an interface: pages, API clients and tests rely on them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Code:
    """One row of a refusal's code table.

    ``status``: 409 someone or something else holds it, 422 the request breaks a rule
    (naming its field), 403 not for this person, 404 unknown or not theirs to see.
    ``field`` is the input blamed by default (a raise site may name another);
    ``alternatives``: the nearest free slots are offered instead; ``overridable``: an
    animator may lift it, and the reason is recorded.
    """

    value: str
    message: Any  # a lazy translation, or a plain string
    status: HTTPStatus = HTTPStatus.UNPROCESSABLE_ENTITY
    field: str | None = None
    alternatives: bool = False
    overridable: bool = False

    @property
    def is_conflict(self) -> bool:
        return self.status == HTTPStatus.CONFLICT


def code_table(*codes: Code) -> Mapping[str, Code]:
    """A refusal class's ``codes``: each code once, looked up by its value."""
    table = {c.value: c for c in codes}
    if len(table) != len(codes):
        raise ValueError("a code appears twice in the table")
    return table


class Refusal(Exception):
    """A request the domain will not carry out, and why.

    ``code`` is a key of the class's ``codes`` table (an unknown code is a
    programming error: KeyError). ``message`` is the table's message, or the one given,
    formatted with ``params`` and translated in the active language. ``field`` names
    the input to blame (the table's default unless given), ``alternatives`` is a list
    of (start, end) pairs an interface may fill in when ``offers_alternatives``.
    """

    codes: ClassVar[Mapping[str, Code]] = {}

    def __init__(self, code: str, message=None, *, field: str | None = None, **params):
        self.entry = self.codes[code]
        self.code = code
        self.field = field or self.entry.field
        self.params = params
        template = message if message is not None else self.entry.message
        self.message = str(template) % params if params else str(template)
        self.alternatives: list[tuple] = []
        super().__init__(self.message)

    @property
    def status(self) -> int:
        return int(self.entry.status)

    @property
    def is_conflict(self) -> bool:
        return self.entry.is_conflict

    @property
    def overridable(self) -> bool:
        return self.entry.overridable

    @property
    def offers_alternatives(self) -> bool:
        return self.entry.alternatives

    def __repr__(self):
        return f"{type(self).__name__}({self.code!r}, field={self.field!r})"

    @classmethod
    def codes_where(cls, **flags) -> frozenset[str]:
        """The codes whose table entries have these attribute values, e.g.
        ``codes_where(overridable=True)``."""
        return frozenset(
            value
            for value, entry in cls.codes.items()
            if all(getattr(entry, name) == wanted for name, wanted in flags.items())
        )


class NotFound(Refusal):
    """What was asked for does not exist, or is not the caller's to see (its existence
    is not revealed). Services and selectors raise it instead of ``Http404``; pages
    answer 404 (``core.middleware``), the API 404 with the one error body."""

    NOT_FOUND = "not_found"
    codes = code_table(Code(NOT_FOUND, _("Introuvable."), status=HTTPStatus.NOT_FOUND))

    def __init__(self, message=None, **params):
        super().__init__(self.NOT_FOUND, message, **params)


class RequestRefused(Refusal):
    """Refusals of the request itself, before any domain rule: not signed in, not
    allowed, malformed, too many. The API maps its framework's errors onto these."""

    NOT_AUTHENTICATED = "not_authenticated"
    FORBIDDEN = "forbidden"
    INVALID = "invalid"
    THROTTLED = "throttled"
    BAD_REQUEST = "bad_request"
    METHOD_NOT_ALLOWED = "method_not_allowed"

    codes = code_table(
        Code(
            NOT_AUTHENTICATED,
            _("Identifiez-vous : session ouverte ou jeton d'API (Authorization: Bearer …)."),
            status=HTTPStatus.UNAUTHORIZED,
        ),
        Code(FORBIDDEN, _("Vous n'avez pas accès à cette action."), status=HTTPStatus.FORBIDDEN),
        Code(INVALID, _("Valeur invalide : %(detail)s"), status=HTTPStatus.UNPROCESSABLE_ENTITY),
        Code(
            THROTTLED,
            _("Trop de requêtes : réessayez dans un instant."),
            status=HTTPStatus.TOO_MANY_REQUESTS,
        ),
        Code(BAD_REQUEST, _("Requête incorrecte : %(detail)s"), status=HTTPStatus.BAD_REQUEST),
        Code(
            METHOD_NOT_ALLOWED,
            _("La méthode %(method)s n'est pas permise ici (permises : %(allowed)s)."),
            status=HTTPStatus.METHOD_NOT_ALLOWED,
        ),
    )


def alternatives_out(pairs: Iterable[tuple]) -> list[dict]:
    """(start, end) pairs as the error body lists them."""
    return [{"start": start, "end": end} for start, end in pairs]


def error_body(refusal: Refusal) -> dict:
    """The one error body of the API: ``{code, message, field, alternatives}``."""
    return {
        "code": refusal.code,
        "message": refusal.message,
        "field": refusal.field,
        "alternatives": alternatives_out(refusal.alternatives),
    }
