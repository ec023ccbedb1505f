"""URL converters that refuse what the database cannot hold: an id of 30 digits or a
token with a NUL byte is a 404, not an error from the database."""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"  # below 2**63: fits every integer primary key

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


class TokenConverter:
    regex = "[-A-Za-z0-9_]{1,100}"  # what secrets.token_urlsafe produces

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")
register_converter(TokenConverter, "token")
