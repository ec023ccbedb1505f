"""The API's one error body, as an OpenAPI schema: every 4xx answer of /api/v1 has
this shape (see ``core.refusals.error_body`` and the handlers in ``dynamo.api``)."""

from datetime import datetime

from ninja import Field, Schema

from .refusals import error_body

__all__ = ["AlternativeOut", "ErrorOut", "error_body", "errors"]


class AlternativeOut(Schema):
    start: datetime
    end: datetime


class ErrorOut(Schema):
    code: str = Field(
        description="Why, for programs: stable (taken, full, beyond_horizon, not_qualified, "
        "not_found, invalid, not_authenticated…)"
    )
    message: str = Field(description="Why, for people, in the request's language")
    field: str | None = Field(
        description="The input to blame (start, end, seats, space, machine, date…), or null"
    )
    alternatives: list[AlternativeOut] = Field(
        description="The nearest free slots, when the one asked for is held (else empty)"
    )


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """An operation's error answers for ``response={...}``: ``{201: Out, **errors(401, 409)}``."""
    return dict.fromkeys(statuses, ErrorOut)
