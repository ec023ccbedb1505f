"""The JSON API, /api/v1/: one NinjaAPI, a router per app."""

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

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


api = NinjaAPI(
    title="Dynamo API",
    version="1",
    description="La Dynamo du Gers: espaces, ateliers, Fablab et réseau Soho Solo.",
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    """A model or service validation error: 422 naming each field, like ninja's own."""
    if hasattr(exc, "error_dict"):
        detail = [
            {"loc": ["body", field], "msg": " ".join(m for e in errors for m in e.messages)}
            for field, errors in exc.error_dict.items()
        ]
    else:
        detail = [{"loc": ["body"], "msg": " ".join(exc.messages)}]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc: PermissionDenied):
    return api.create_response(request, {"detail": str(exc) or "Forbidden"}, status=403)


api.add_router("/", members_router)
api.add_router("/", rooms_router)
api.add_router("/", workshops_router)
api.add_router("/", fablab_router)
