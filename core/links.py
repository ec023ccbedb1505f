"""The site's one name and one address, for whatever is read away from the site.

E-mails (ours and allauth's) and calendar files are rendered by a worker or read
in a mail client, with no request to take a host from: every link in them is
built here, from the ``SITE_URL`` setting, and the site names itself with
``SITE_NAME``. Django's Sites framework is not used: its ``Site`` model would
clash with ours (a tiers-lieu of the network).
"""

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings


def absolute_url(path: str) -> str:
    """The address of ``path`` (``/ateliers/…``) on this site: ``SITE_URL`` + path.

    An address that already has a scheme (an outside link) is returned unchanged, and
    an empty one stays empty (no link). Takes a string, returns a string; never raises.
    """
    if not path or urlsplit(path).scheme:
        return path
    return settings.SITE_URL + (path if path.startswith("/") else "/" + path)


def rebased_url(url: str) -> str:
    """The same page as ``url`` (absolute or not) at this site's address.

    For links a library built from the request's host (allauth): only the path,
    query and fragment are kept, so the link goes to ``SITE_URL`` whichever host
    the request came through.
    """
    if not url:
        return url
    parts = urlsplit(url)
    return absolute_url(urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment)))


@dataclass(frozen=True)
class SiteIdentity:
    """What allauth's templates read as ``current_site``: a ``name`` and a ``domain``."""

    name: str
    domain: str


def site_identity() -> SiteIdentity:
    """This installation's name (``SITE_NAME``) and the host of ``SITE_URL``."""
    return SiteIdentity(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)
