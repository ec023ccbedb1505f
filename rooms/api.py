"""/api/v1/spaces and /api/v1/bookings: schema in, selector or service call, schema out.

Errors, in the one body ``ErrorOut`` (``dynamo.api`` renders every refusal): 404 unknown
space or not your booking; 409 when someone else holds the slot (``code`` taken, full,
over_jauge, over_capacity, over_limit, cancellation_too_late); 422 naming the ``field``
for everything else (naive datetime, off grid, closed…). When booking, a refusal whose
code offers another time (its table's ``alternatives``: held, full, past, closed,
outside the hours, a limit reached) lists the nearest free ``alternatives``.
"""

from datetime import date as Date
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from booking import refusals
from booking.localtime import to_local
from booking.models import Reservation, Site
from booking.refusals import BookingRefused
from booking.selectors import availability_for_day, bookings_for_member, nearest_free_slots
from booking.services import (
    Cancellation,
    booking_cancel,
    booking_create,
    booking_get_for_member,
    reservation_cancellation,
)
from core.inputs import ApiDate, ApiDatetime, ApiId, ApiText
from core.pagination import Pages
from core.refusals import NotFound, Refusal
from core.schemas import errors

from . import selectors
from .models import Space

router = Router(tags=["rooms"])


class AmenityOut(Schema):
    slug: str
    name: str


class PricesOut(Schema):
    member_hour: Decimal | None
    member_half_day: Decimal | None
    member_day: Decimal | None
    public_hour: Decimal | None
    public_half_day: Decimal | None
    public_day: Decimal | None


class RulesOut(Schema):
    slot_minutes: int
    min_minutes: int
    max_minutes: int
    horizon_days: int
    cancellation_cutoff_hours: int


class SpaceOut(Schema):
    id: int
    site: str
    name: str
    slug: str
    kind: str
    exclusive: bool
    capacity: int
    effective_capacity: int
    description: str
    photo: str | None
    amenities: list[AmenityOut]
    prices: PricesOut
    rules: RulesOut

    @staticmethod
    def resolve_site(obj: Space) -> str:
        return obj.site.slug

    @staticmethod
    def resolve_photo(obj: Space) -> str | None:
        return obj.photo.url if obj.photo else None

    @staticmethod
    def resolve_amenities(obj: Space):
        return list(obj.amenities.all())

    @staticmethod
    def resolve_prices(obj: Space):
        return {
            "member_hour": obj.price_member_hour,
            "member_half_day": obj.price_member_half_day,
            "member_day": obj.price_member_day,
            "public_hour": obj.price_public_hour,
            "public_half_day": obj.price_public_half_day,
            "public_day": obj.price_public_day,
        }

    @staticmethod
    def resolve_rules(obj: Space):
        return obj


class SlotOut(Schema):
    start: datetime
    end: datetime
    state: str = Field(
        description="free, busy, yours, tentative, closed, past, or unavailable (a rule "
        "refuses it: see reason)"
    )
    seats_left: int
    reason: str | None = Field(
        description="What booking this slot would answer you: the refusal code "
        "(beyond_horizon, over_limit, not_qualified, in_maintenance, closed, taken…), "
        "or null when you can book it"
    )


def slots_out(slots) -> list[dict]:
    """A day's slots (booking.selectors.Slot) as the API shows them."""
    return [
        {
            "start": s.start,
            "end": s.end,
            "state": s.state.value,
            "seats_left": s.seats_left,
            "reason": s.reason,
        }
        for s in slots
    ]


class AvailabilityOut(Schema):
    space: ApiId
    date: Date
    slots: list[SlotOut]


class BookingIn(Schema):
    space: ApiId
    start: ApiDatetime = Field(description="ISO-8601 with its offset: 2026-03-03T10:00+01:00")
    end: ApiDatetime
    seats: int = Field(1, ge=1, description="People (meeting room) or desks (shared office)")
    purpose: ApiText = Field("", max_length=200)


def _cancellation(obj: Reservation, context) -> Cancellation:
    # Asked once per row and response: both cancellable fields read the same verdict.
    if getattr(obj, "_api_cancellation", None) is None:
        obj._api_cancellation = reservation_cancellation(
            reservation=obj, by=context["request"].auth
        )
    return obj._api_cancellation


class PriceOut(Schema):
    amount: Decimal | None = Field(
        description="What it costs, € incl. VAT, fixed when booked (null: no price applies)"
    )
    rate: str = Field(description="hour, half_day, day, mixed (a period and hours), free, none")
    tariff: str | None = Field(description="member or public; null when not priced")


class BookingOut(Schema):
    id: int
    space: ApiId
    space_name: str
    start: datetime
    end: datetime
    seats: int
    status: str
    purpose: str
    created_at: datetime
    cancelled_at: datetime | None
    price: PriceOut
    cancellable: bool = Field(
        description="Whether you may cancel it now (DELETE); the engine's own verdict"
    )
    cancellable_until: datetime | None = Field(
        description="Until when you may cancel it online (null: no deadline applies to you, "
        "or it cannot be cancelled here)"
    )

    @staticmethod
    def resolve_cancellable(obj: Reservation, context) -> bool:
        return _cancellation(obj, context).allowed

    @staticmethod
    def resolve_cancellable_until(obj: Reservation, context) -> datetime | None:
        until = _cancellation(obj, context).until
        return to_local(until) if until is not None else None

    @staticmethod
    def resolve_price(obj: Reservation) -> dict:
        return {
            "amount": obj.price_amount,
            "rate": obj.price_rate,
            "tariff": obj.price_tariff or None,
        }

    @staticmethod
    def resolve_space(obj: Reservation) -> int:
        return obj.resource_id

    @staticmethod
    def resolve_space_name(obj: Reservation) -> str:
        return obj.resource.name

    @staticmethod
    def resolve_start(obj: Reservation) -> datetime:
        return to_local(obj.start)

    @staticmethod
    def resolve_end(obj: Reservation) -> datetime:
        return to_local(obj.end)


class SpacesFilter(Schema):
    site: ApiText | None = Field(None, description="Site slug, e.g. la-dynamo")


def offer_alternatives(
    refusal: Refusal, *, resource, start, end, seats: int = 1, member=None
) -> None:
    """Fill a refusal's ``alternatives`` with the nearest slots ``member`` could book
    (local times) when its code offers them (``Refusal.offers_alternatives``: the
    refusal table decides, for the pages too)."""
    if refusal.offers_alternatives:
        refusal.alternatives = [
            (to_local(s), to_local(e))
            for s, e in nearest_free_slots(
                resource=resource, start=start, duration=end - start, seats=seats, member=member
            )
        ]


@router.get(
    "/spaces",
    response={200: list[SpaceOut], **errors(401, 422)},
    summary="Bookable spaces",
)
@paginate(Pages, page_size=settings.PAGE_SIZE)
def spaces(request, filters: Query[SpacesFilter]):
    site = None
    if filters.site:
        site = Site.objects.filter(slug=filters.site).first()
        if site is None:
            return Space.objects.none()
    return selectors.spaces_list(site=site)


@router.get(
    "/spaces/{space_id}", response={200: SpaceOut, **errors(401, 404, 422)}, summary="One space"
)
def space_detail(request, space_id: ApiId):
    space = selectors.spaces_list().filter(pk=space_id).first()
    if space is None:
        raise NotFound
    return space


@router.get(
    "/spaces/{space_id}/availability",
    response={200: AvailabilityOut, **errors(401, 404, 422)},
    summary="A space's slots for a day: free, busy, yours, tentative, closed, past, "
    "unavailable, each with the reason booking it would be refused (null: bookable)",
)
def space_availability(request, space_id: ApiId, date: ApiDate):
    space = selectors.space_get(space_id=space_id)
    if space is None:
        raise NotFound
    slots = availability_for_day(resource=space, day=date, member=request.auth)
    return {"space": space.pk, "date": date, "slots": slots_out(slots)}


@router.post(
    "/bookings",
    response={201: BookingOut, 200: BookingOut, **errors(401, 403, 409, 422)},
    summary="Book a space (200 with the same booking when it already exists: a retry)",
)
def booking_post(request, payload: BookingIn):
    space = selectors.space_get(space_id=payload.space)
    if space is None:
        raise BookingRefused(refusals.UNKNOWN_SPACE)
    try:
        booking = booking_create(
            member=request.auth,
            space=space,
            start=payload.start,
            end=payload.end,
            seats=payload.seats,
            purpose=payload.purpose,
        )
    except BookingRefused as refusal:
        offer_alternatives(
            refusal,
            resource=space,
            start=payload.start,
            end=payload.end,
            seats=payload.seats,
            member=request.auth,
        )
        raise
    return Status(200 if booking.replayed else 201, booking)


@router.get(
    "/bookings", response={200: list[BookingOut], **errors(401, 422)}, summary="Your bookings"
)
@paginate(Pages, page_size=settings.PAGE_SIZE)
def bookings(request, past: bool = False):
    return bookings_for_member(member=request.auth, upcoming=not past)


@router.get(
    "/bookings/{booking_id}",
    response={200: BookingOut, **errors(401, 404, 422)},
    summary="One of your bookings",
)
def booking_detail(request, booking_id: ApiId):
    return booking_get_for_member(member=request.auth, booking_id=booking_id)


@router.delete(
    "/bookings/{booking_id}",
    response={204: None, **errors(401, 403, 404, 409, 422)},
    summary="Cancel one of your bookings",
)
def booking_delete(request, booking_id: ApiId):
    booking = booking_get_for_member(member=request.auth, booking_id=booking_id)
    booking_cancel(member=request.auth, booking=booking)
    return Status(204, None)
