"""/api/v1/fablab: machines, and members' slots on them. Schema in, selector or service
call, schema out.

Errors, in the one body ``ErrorOut``: 403 ``not_qualified`` (the message names the
machine and the training to take); 404 unknown machine slot or another member's; 409
when the slot is held (``code`` taken, in_buffer, in_maintenance), over_limit,
cancellation_too_late; 422 naming the field for everything else. A refusal whose code
offers another time (the refusal table's ``alternatives``) lists the nearest free
``alternatives``.
"""

from datetime import date as Date
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from booking import refusals
from booking.refusals import BookingRefused
from booking.services import booking_cancel
from core.inputs import ApiDate, ApiDatetime, ApiId
from core.pagination import Pages
from core.refusals import NotFound
from core.schemas import errors
from rooms.api import BookingOut, SlotOut, offer_alternatives, slots_out

from . import selectors
from .models import Machine, Qualification
from .services import machine_reservation_create, machine_reservation_get_for_member

router = Router(tags=["fablab"])


class TrainingOut(Schema):
    id: int
    title: str


class MachineRulesOut(Schema):
    slot_minutes: int
    min_minutes: int
    max_minutes: int
    buffer_minutes: int
    horizon_days: int
    cancellation_cutoff_hours: int
    max_future_slots: int | None


class MachineOut(Schema):
    id: int
    site: str
    name: str
    slug: str
    kind: str
    description: str
    safety_notes: str
    photo: str | None
    requires_qualification: bool
    training: TrainingOut | None
    qualified: bool = Field(description="The caller may book it (qualified, or none needed)")
    price_member_hour: Decimal | None
    price_public_hour: Decimal | None
    rules: MachineRulesOut

    @staticmethod
    def resolve_site(obj: Machine) -> str:
        return obj.site.slug

    @staticmethod
    def resolve_photo(obj: Machine) -> str | None:
        return obj.photo.url if obj.photo else None

    @staticmethod
    def resolve_training(obj: Machine):
        return obj.training_workshop

    @staticmethod
    def resolve_qualified(obj: Machine) -> bool:
        today = timezone.localdate()
        return not obj.requires_qualification or any(
            q.is_valid_on(today) for q in obj.callers_qualifications
        )

    @staticmethod
    def resolve_rules(obj: Machine):
        return obj


class SlotIn(Schema):
    machine: ApiId
    start: ApiDatetime = Field(description="ISO-8601 with its offset: 2026-03-03T14:00+01:00")
    end: ApiDatetime


class FablabSlotOut(BookingOut):
    machine: ApiId

    @staticmethod
    def resolve_machine(obj) -> int:
        return obj.resource_id


@router.get(
    "/fablab/machines",
    response={200: list[MachineOut], **errors(401, 422)},
    summary="Fablab machines",
)
@paginate(Pages, page_size=settings.PAGE_SIZE)
def machines(request):
    # The caller's qualifications, judged by ``Qualification.is_valid_on`` as booking does.
    return selectors.machines_active().prefetch_related(
        Prefetch(
            "qualifications",
            queryset=Qualification.objects.filter(member=request.auth),
            to_attr="callers_qualifications",
        )
    )


class MachineAvailabilityOut(Schema):
    machine: ApiId
    date: Date
    slots: list[SlotOut]


@router.get(
    "/fablab/machines/{machine_id}/availability",
    response={200: MachineAvailabilityOut, **errors(401, 404, 422)},
    summary="A machine's slots for a day, inside the Fablab's hours",
)
def machine_availability(request, machine_id: ApiId, date: ApiDate):
    machine = selectors.machine_get(machine_id=machine_id)
    if machine is None:
        raise NotFound
    slots = selectors.machine_day(machine=machine, day=date, member=request.auth)
    return {"machine": machine.pk, "date": date, "slots": slots_out(slots)}


@router.get(
    "/fablab/reservations",
    response={200: list[FablabSlotOut], **errors(401, 422)},
    summary="Your Fablab slots",
)
@paginate(Pages, page_size=settings.PAGE_SIZE)
def reservations(request, past: bool = False):
    return selectors.fablab_slots_for_member(member=request.auth, upcoming=not past)


@router.post(
    "/fablab/reservations",
    response={201: FablabSlotOut, 200: FablabSlotOut, **errors(401, 403, 409, 422)},
    summary="Book a machine (200 with the same slot when it already exists: a retry)",
)
def reservation_post(request, payload: SlotIn):
    machine = selectors.machine_get(machine_id=payload.machine)
    if machine is None:
        raise BookingRefused(refusals.UNKNOWN_MACHINE)
    try:
        slot = machine_reservation_create(
            member=request.auth, machine=machine, start=payload.start, end=payload.end
        )
    except BookingRefused as refusal:
        # The engine names the resource "space"; this body calls it "machine".
        if refusal.field == "space":
            refusal.field = "machine"
        offer_alternatives(
            refusal,
            resource=machine,
            start=payload.start,
            end=payload.end,
            member=request.auth,
        )
        raise
    return Status(200 if slot.replayed else 201, slot)


@router.delete(
    "/fablab/reservations/{reservation_id}",
    response={204: None, **errors(401, 403, 404, 409, 422)},
    summary="Cancel one of your Fablab slots",
)
def reservation_delete(request, reservation_id: ApiId):
    slot = machine_reservation_get_for_member(member=request.auth, reservation_id=reservation_id)
    booking_cancel(member=request.auth, booking=slot)
    return Status(204, None)
