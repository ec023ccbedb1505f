"""A site's public holidays, computed by the ``holidays`` package for any year.

Public holidays are never stored: the engine's ``Calendar`` closes them (see
``booking.rules``) from the site's country and subdivision, and an animator opens one
with a ``Closure`` row of kind "open". No queries here, and each (country,
subdivision, year) is computed once per process.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays

DEFAULT_COUNTRY = "FR"
# The interface is French: holiday names in French wherever the package has them,
# else in the country's own language (German in Bavaria).
LANGUAGE = "fr"


def public_holidays(site, first_day: date, last_day: date) -> dict[date, str]:
    """The public holidays of ``site`` (its ``country`` and ``subdivision``) from
    ``first_day`` to ``last_day`` included: {date: name}. Two holidays on one date
    share it ("Ascension; Fête nationale"). Empty when the range is empty."""
    if last_day < first_day:
        return {}
    found: dict[date, str] = {}
    for year in range(first_day.year, last_day.year + 1):
        for day, name in _year(site.country, site.subdivision or "", year):
            if first_day <= day <= last_day:
                found[day] = name
    return found


@lru_cache(maxsize=512)
def _year(country: str, subdivision: str, year: int) -> tuple[tuple[date, str], ...]:
    subdiv = subdivision or None
    entity = holidays.country_holidays(country, subdiv=subdiv)  # no year: computes nothing
    # Always explicit: left unset, the package guesses from the process's locale.
    language = LANGUAGE if LANGUAGE in entity.supported_languages else entity.default_language
    calendar = holidays.country_holidays(country, subdiv=subdiv, years=year, language=language)
    return tuple(sorted(calendar.items()))


def supported_countries() -> dict[str, list[str]]:
    """Two-letter ISO country codes the package knows, each with its subdivision codes."""
    return {
        code: list(subdivisions)
        for code, subdivisions in holidays.list_supported_countries().items()
        if len(code) == 2
    }


class UnknownRegion(ValueError):
    """A country or subdivision the ``holidays`` package does not know: ``part`` is
    "country" or "subdivision", ``known`` the codes it knows there (may be empty)."""

    def __init__(self, part: str, value: str, known: list[str]):
        super().__init__(f"unknown {part}: {value!r}")
        self.part, self.value, self.known = part, value, known


def region_normalised(country: str, subdivision: str) -> tuple[str, str]:
    """The package's own spelling of a country code and a subdivision code or alias
    ("fr", "moselle" → ("FR", "57")); the subdivision may be blank (the whole country).

    Raises UnknownRegion for the first part the package does not know.
    """
    code = (country or "").strip().upper()
    countries = supported_countries()
    if code not in countries:
        raise UnknownRegion("country", code, [])
    wanted = (subdivision or "").strip()
    if not wanted:
        return code, ""
    known = {s.casefold(): s for s in countries[code]}
    aliases = getattr(holidays.country_holidays(code), "subdivisions_aliases", {}) or {}
    known.update({alias.casefold(): s for alias, s in aliases.items()})
    if wanted.casefold() not in known:
        raise UnknownRegion("subdivision", wanted, countries[code])
    return code, known[wanted.casefold()]
