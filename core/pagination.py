from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

from .inputs import MAX_PAGE


class Pages(PageNumberPagination):
    """?page=N, bounded: a page number the database cannot offset to is a 422."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=100)
