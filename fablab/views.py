"""The Fablab pages: thin, parse → selector or service → render; no rule lives here."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from booking.localtime import local_label
from booking.refusals import BookingRefused
from booking.selectors import nearest_free_slots
from booking.services import booking_cancel, cancellation_deadline, reservation_cancellation
from core.money import price_text
from rooms.forms import WeekForm

from . import selectors
from .forms import MachineBookingForm, UsageLogForm
from .services import (
    machine_reservation_create,
    machine_reservation_get_for_member,
    usage_log_record,
)


def _member(request):
    return request.user if request.user.is_authenticated else None


def index(request):
    overview = selectors.machines_overview(member=_member(request), page=request.GET.get("page"))
    return render(request, "fablab/index.html", {"overview": overview, "page": overview.page})


def machine(request, machine_id: int):
    """The machine, its day (``?date=``) and the booking form; POST books."""
    found = selectors.machine_get(machine_id=machine_id)
    if found is None:
        raise Http404
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    day_form = WeekForm({"semaine": request.GET.get("date", "")})
    day = (day_form.cleaned_data.get("semaine") if day_form.is_valid() else None) or (
        timezone.localdate()
    )
    refusal, suggestions, status, cancel_until = None, [], 200, None
    if request.method == "POST":
        form = MachineBookingForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            day = data["date"]
            cancel_until = cancellation_deadline(resource=found, start=data["start_at"])
            try:
                slot = machine_reservation_create(
                    member=request.user, machine=found, start=data["start_at"], end=data["end_at"]
                )
            except BookingRefused as exc:
                refusal = exc
                status = exc.status
                if exc.offers_alternatives:
                    suggestions = nearest_free_slots(
                        resource=found,
                        start=data["start_at"],
                        duration=data["end_at"] - data["start_at"],
                        member=request.user,
                    )
            else:
                if slot.replayed:
                    messages.info(request, _("Ce créneau était déjà réservé à votre nom."))
                else:
                    done = _("C'est réservé : %(machine)s, %(when)s.") % {
                        "machine": found.name,
                        "when": local_label(slot.start),
                    }
                    price = price_text(slot)
                    messages.success(request, f"{done} {_('Prix :')} {price}." if price else done)
                return redirect("fablab:my_slots")
        else:
            status = 400
    else:
        chosen = {"date": day, "start": request.GET.get("start"), "end": request.GET.get("end")}
        form = MachineBookingForm(initial=chosen)
        if chosen["start"] and chosen["end"]:
            # A slot picked on the grid: say until when it could be cancelled.
            preview = MachineBookingForm({**chosen, "date": day.isoformat()})
            if preview.is_valid():
                cancel_until = cancellation_deadline(
                    resource=found, start=preview.cleaned_data["start_at"]
                )
    slots = selectors.machine_day(machine=found, day=day, member=_member(request))
    return render(
        request,
        "fablab/machine.html",
        {
            "machine": found,
            "day": day,
            "slots": slots,
            "form": form,
            "refusal": refusal,
            "suggestions": suggestions,
            "cancel_until": cancel_until,
            "cancel_until_passed": cancel_until is not None and cancel_until < timezone.now(),
            "qualification": selectors.qualification_for(member=request.user, machine=found),
            "previous_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
        },
        status=status,
    )


@login_required
def my_slots(request):
    past = request.GET.get("passees") == "1"
    slots = selectors.fablab_slots_for_member(member=request.user, upcoming=not past)
    page = Paginator(slots, 20).get_page(request.GET.get("page"))
    now = timezone.now()
    for slot in page:
        # The engine's own verdict: the button shows only while cancelling can work.
        slot.cancellation = reservation_cancellation(reservation=slot, by=request.user, now=now)
    return render(
        request,
        "fablab/my_slots.html",
        {
            "page": page,
            "past": past,
            "query": "passees=1" if past else "",
            "now": now,
        },
    )


@login_required
@require_POST
def cancel(request, reservation_id: int):
    slot = machine_reservation_get_for_member(member=request.user, reservation_id=reservation_id)
    try:
        booking_cancel(member=request.user, booking=slot)
    except BookingRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Votre créneau est annulé."))
    return redirect("fablab:my_slots")


@login_required
def usage_log(request, reservation_id: int):
    """After (or during) a slot, what was really used; the service says what it refuses."""
    slot = machine_reservation_get_for_member(member=request.user, reservation_id=reservation_id)
    existing = getattr(slot, "usage_log", None)
    if request.method == "POST":
        form = UsageLogForm(request.POST)
        if form.is_valid():
            try:
                usage_log_record(reservation=slot, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for name, problems in error.error_dict.items():
                        form.add_error(name if name in form.fields else None, problems)
                else:
                    form.add_error(None, error)
            except PermissionDenied:
                raise Http404 from None
            else:
                messages.success(request, _("Utilisation enregistrée, merci."))
                return redirect(reverse("fablab:my_slots") + "?passees=1")
    else:
        initial = (
            {
                "minutes": existing.minutes,
                "material": existing.material,
                "quantity": existing.quantity,
                "unit": existing.unit,
                "notes": existing.notes,
            }
            if existing
            else {"minutes": int(slot.duration.total_seconds() // 60), "quantity": 0}
        )
        form = UsageLogForm(initial=initial)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "fablab/usage_log.html",
        {"slot": slot, "form": form, "started": slot.start <= timezone.now()},
        status=status,
    )
