"""Why a registration cannot be taken or cancelled: the workshops' codes on the one
refusal base class of ``core``. The session's state is a conflict (409); a members'
workshop is forbidden to a visitor (403); an unknown confirmation link is not found."""

from http import HTTPStatus

from django.utils.translation import gettext_lazy as _

from core.refusals import Code, Refusal, code_table

# Reason codes, stable: pages, the API and tests rely on them.
CANCELLED = "cancelled"
PAST = "past"
NOT_OPEN_YET = "not_open_yet"
CLOSED = "closed"
ALREADY_REGISTERED = "already_registered"
MEMBERS_ONLY = "members_only"
NOT_FOUND = "not_found"

CONFLICT = HTTPStatus.CONFLICT


class RegistrationRefused(Refusal):
    """A registration that cannot be taken (or cancelled); ``code`` for programs,
    ``message`` for people, ``field`` the form field to blame when there is one."""

    codes = code_table(
        Code(CANCELLED, _("Cette séance est annulée."), status=CONFLICT),
        Code(PAST, _("Cette séance a déjà commencé ou est passée."), status=CONFLICT),
        Code(NOT_OPEN_YET, _("Les inscriptions ouvrent le %(date)s."), status=CONFLICT),
        Code(CLOSED, _("Les inscriptions à cette séance sont closes."), status=CONFLICT),
        Code(ALREADY_REGISTERED, _("Vous êtes déjà inscrit·e à cette séance."), status=CONFLICT),
        Code(
            MEMBERS_ONLY,
            _("Cet atelier est réservé aux membres : connectez-vous."),
            status=HTTPStatus.FORBIDDEN,
        ),
        Code(
            NOT_FOUND,
            _("Ce lien de confirmation n'est pas valable."),
            status=HTTPStatus.NOT_FOUND,
        ),
    )
