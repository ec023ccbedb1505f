"""The JSON API, /api/v1/: one NinjaAPI, a router per app.

Every 4xx answer has one body, ``{code, message, field, alternatives}``
(``core.schemas.ErrorOut``): the domain's refusals carry their status in their code
table; the framework's own errors (bad input, no credentials, not allowed, not found,
too many requests) are mapped onto the same shape here.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import HttpError, Throttled
from ninja.errors import ValidationError as InputError
from ninja.security import HttpBearer, SessionAuth

from core.inputs import input_error_message
from core.refusals import NotFound, Refusal, RequestRefused, error_body
from fablab.api import router as fablab_router
from members.api import router as members_router
from members.services import api_token_authenticate
from rooms.api import router as rooms_router
from workshops.api import router as workshops_router


class BearerToken(HttpBearer):
    """Authorization: Bearer <personal token from the account page or `manage.py api_token`>."""

    def authenticate(self, request, token):
        member = api_token_authenticate(token)
        if member is not None:
            request.user = member
        return member


class SignedInSession(SessionAuth):
    """Django's session, CSRF-checked — but only for a signed-in session: a request
    with no credentials at all is 401 ``not_authenticated`` (ninja's own would check
    CSRF first and answer an anonymous write 403); a signed-in session failing the
    CSRF check is 403, saying the CSRF token is missing."""

    def _get_key(self, request):
        if not request.user.is_authenticated:
            return None
        try:
            return super()._get_key(request)
        except HttpError:
            raise RequestRefused(
                RequestRefused.FORBIDDEN,
                _(
                    "Jeton CSRF manquant ou invalide : avec une session ouverte, envoyez "
                    "l'en-tête X-CSRFToken (ou utilisez un jeton d'API)."
                ),
            ) from None


api = NinjaAPI(
    title="Dynamo API",
    version="1",
    description="La Dynamo du Gers: espaces, ateliers, Fablab et réseau Soho Solo.\n\n"
    "Errors: every 4xx answer is `{code, message, field, alternatives}` (ErrorOut): "
    "401 not signed in, 403 not allowed (or a signed-in session without its CSRF token), "
    "404 not found or not yours, 405 method not allowed, 409 taken or full, "
    "422 invalid with the field named, 429 slow down.",
    auth=[BearerToken(), SignedInSession()],
    urls_namespace="api",
)

# Where ninja says where a bad input was: the part of the request, not a field.
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


def _refused(request, refusal: Refusal, status: int | None = None):
    return api.create_response(request, error_body(refusal), status=status or refusal.status)


@api.exception_handler(Refusal)
def refusal(request, exc: Refusal):
    """Any domain refusal, with the status of its code table."""
    return _refused(request, exc)


def _field_of(error: dict) -> str | None:
    """The name of the field an input error is about: the last name of its location
    (["body", "payload", "start"] → "start", ["query", "date"] → "date")."""
    names = [part for part in error.get("loc", ()) if isinstance(part, str)]
    names = names[1:] if names and names[0] in _SOURCES else names
    return names[-1] if names else None


@api.exception_handler(InputError)
def input_error(request, exc: InputError):
    """Ninja's own 422 (the request's shape): the first failing field is named, and
    what is wrong said in the request's language (``core.inputs.INPUT_MESSAGES``)."""
    first = exc.errors[0] if exc.errors else {}
    return _refused(
        request,
        RequestRefused(
            RequestRefused.INVALID, field=_field_of(first), detail=input_error_message(first)
        ),
    )


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    """A model or service validation error: 422 naming its first field."""
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.error_dict.items()))
        message = " ".join(m for e in errors for m in e.messages)
    else:
        field, message = None, " ".join(exc.messages)
    field = None if field == "__all__" else field
    return _refused(request, RequestRefused(RequestRefused.INVALID, message, field=field))


_HTTP_CODES = {
    401: RequestRefused.NOT_AUTHENTICATED,
    403: RequestRefused.FORBIDDEN,
    429: RequestRefused.THROTTLED,
}


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    """Ninja's auth (401, and 403 for a failed CSRF check), throttling (429) and other
    HTTP errors, in the one body; the status is the error's own."""
    if exc.status_code == 404:
        return _refused(request, NotFound())
    code = _HTTP_CODES.get(exc.status_code)
    if code is not None:
        refused = RequestRefused(code)
    else:
        refused = RequestRefused(RequestRefused.BAD_REQUEST, detail=exc.message)
    response = _refused(request, refused, status=exc.status_code)
    if isinstance(exc, Throttled) and exc.wait:
        response["Retry-After"] = str(int(exc.wait))
    return response


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    return _refused(request, NotFound())


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc: PermissionDenied):
    message = str(exc) or None
    return _refused(request, RequestRefused(RequestRefused.FORBIDDEN, message))


def api_not_found(request, *args, **kwargs):
    """Any path under /api/ that names no operation: the one body, 404 (not Django's
    HTML page). Routed last in ``dynamo.urls``."""
    return _refused(request, NotFound())


def _method_not_allowed(view):
    # Ninja answers a method an operation lacks with a plain-text 405; give it the
    # one body, keeping the Allow header.
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if not isinstance(response, HttpResponseNotAllowed):
            return response
        allowed = ", ".join(sorted(m.strip() for m in response["Allow"].split(",")))
        refused = _refused(
            request,
            RequestRefused(
                RequestRefused.METHOD_NOT_ALLOWED, method=request.method, allowed=allowed
            ),
        )
        refused["Allow"] = allowed
        return refused

    return wrapped


def api_urls():
    """``api.urls`` for ``include``, each operation's 405 in the one body."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = _method_not_allowed(pattern.callback)
    return patterns, app_name, namespace


api.add_router("/", members_router)
api.add_router("/", rooms_router)
api.add_router("/", workshops_router)
api.add_router("/", fablab_router)
