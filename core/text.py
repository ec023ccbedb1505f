"""Text compared the way people type it: without accents, whatever the database.

Searches use Django's ``__unaccent`` lookup (``django.contrib.postgres``): on
PostgreSQL it is the ``unaccent`` extension (members migration 0003); SQLite has no
such function, so every SQLite connection gets one, written here, under the same
name. "comptabilite" then finds "Comptabilité" on both.
"""

import unicodedata


def unaccent(text: str | None) -> str | None:
    """``text`` without its accents and other combining marks ("Découpe" → "Decoupe");
    None stays None (SQL NULL)."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def sqlite_add_unaccent(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: give a SQLite connection an UNACCENT function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("UNACCENT", 1, unaccent, deterministic=True)
