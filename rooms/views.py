from dataclasses import dataclass
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from booking import refusals
from booking.calendar import booking_event
from booking.localtime import local_label
from booking.models import Site
from booking.periods import TARIFF_MEMBER
from booking.refusals import BookingRefused
from booking.selectors import nearest_free_slots, periods_for_day, tariff_for
from booking.services import (
    booking_cancel,
    booking_create,
    booking_get_for_member,
    cancellation_deadline,
    reservation_check,
)
from core.ics import ics_response
from core.money import price_text

from . import selectors
from .forms import BookingForm, RentalRequestForm, SearchForm, WeekForm, grid_link_params
from .services.rentals import rental_request_create
from .services.series import booking_series_create, booking_series_preview


def _default_site():
    site = Site.objects.order_by("pk").first()
    if site is None:
        raise Http404
    return site


def index(request):
    return week(request, _default_site().slug)


@dataclass(frozen=True, slots=True)
class Cell:
    """One grid cell, ready to print: ``{{ cell }}`` writes its escaped HTML. A week
    grid has a thousand cells or more, so no include, tag or translation per cell."""

    state: str
    text: str
    title: str
    href: str

    def __html__(self) -> str:
        if self.href:
            return format_html(
                '<td class="slot {}" title="{}"><a href="{}">{}<span class="sr">{}</span></a></td>',
                self.state,
                self.title,
                self.href,
                self.text or "\u00a0",
                self.title,
            )
        return format_html(
            '<td class="slot {}" title="{}">{}</td>', self.state, self.title, self.text
        )

    def __str__(self) -> str:
        # The template engine calls str() before escaping: give it the safe HTML.
        return self.__html__()


def _cell_maker():
    book_url = reverse("rooms:book")
    words = {
        "free": _("Libre"),
        "yours": _("Votre réservation"),
        "tentative": _("Demande en attente"),
        "busy": _("Occupé"),
        "past": "",
        "closed": _("Fermé"),
        "unavailable": _("Indisponible"),
    }
    maintenance = _("Maintenance")
    # The legend's words: "à vous".
    short = {"yours": _("à vous"), "tentative": "?"}
    taken_later = _("Occupé ensuite")

    def cell(space, slot, closed_for: str | None = None) -> Cell:
        state = str(slot.state)
        if state == "closed" and closed_for:
            # A closure or a public holiday: say which ("Fermé : Lundi de Pâques").
            return Cell(state, "", f"{words['closed']} : {closed_for}", "")
        if state != "free":
            # Why it cannot be booked, as the engine would say: the closure's reason,
            # a maintenance window, the horizon, your limit…
            title = words[state]
            if slot.reason == refusals.IN_MAINTENANCE:
                title = maintenance
            elif slot.reason == refusals.CLOSED:
                title = _("Fermé : %(reason)s") % {"reason": slot.refusal.params["reason"]}
            elif slot.later and state == "closed":
                title = _("Trop tard pour un créneau de %(minutes)s min") % {
                    "minutes": slot.minutes
                }
            elif slot.later:
                title = f"{taken_later} : {slot.refusal.message}"
            elif state == "unavailable":
                title = slot.refusal.message
            return Cell(state, short.get(state, ""), title, "")
        start, end = timezone.localtime(slot.start), timezone.localtime(slot.end)
        href = (
            f"{book_url}?space={space.pk}&date={start:%Y-%m-%d}&start={start:%H:%M}&end={end:%H:%M}"
        )
        text = "" if space.exclusive else str(slot.seats_left)
        return Cell(state, text, f"{words['free']} {start:%H:%M}", href)

    return cell


def week(request, site_slug: str):
    site = get_object_or_404(Site, slug=site_slug)
    form = WeekForm(request.GET or None)
    week_start = form.week_start()
    grid = selectors.site_week_grid(
        site=site,
        week_start=week_start,
        member=request.user if request.user.is_authenticated else None,
    )
    space_id = form.space_id()
    rows = [row for row in grid.rows if row.space.pk == space_id] or grid.rows
    # Rows of the table are times, columns days: turn each space's days inside out.
    cell = _cell_maker()
    tables = [
        (
            row.space,
            [
                (
                    at,
                    [
                        cell(row.space, slots[k], grid.closures.get(day))
                        for day, slots in zip(grid.days, row.days, strict=True)
                    ],
                )
                for k, at in enumerate(grid.times)
            ],
        )
        for row in rows
    ]
    return render(
        request,
        "rooms/week.html",
        {
            "site": site,
            "grid": grid,
            "columns": [(d, grid.closures.get(d)) for d in grid.days],
            "tables": tables,
            "selected_space": space_id if len(rows) == 1 else None,
            "previous_week": week_start - timedelta(days=7),
            "next_week": week_start + timedelta(days=7),
            "today": timezone.localdate(),
        },
    )


def day(request, site_slug: str):
    """All spaces of a site for one day, side by side: the phone's view of the grid."""
    site = get_object_or_404(Site, slug=site_slug)
    form = WeekForm({"semaine": request.GET.get("date", "")})
    chosen = form.cleaned_data.get("semaine") if form.is_valid() else None
    chosen = chosen or timezone.localdate()
    week_start = chosen - timedelta(days=chosen.weekday())
    grid = selectors.site_week_grid(
        site=site,
        week_start=week_start,
        member=request.user if request.user.is_authenticated else None,
    )
    index = (chosen - week_start).days
    columns = [(row.space, row.days[index]) for row in grid.rows]
    cell = _cell_maker()
    closed_for = grid.closures.get(chosen)
    lines = [
        (at, [cell(space, slots[k], closed_for) for space, slots in columns])
        for k, at in enumerate(grid.times)
    ]
    return render(
        request,
        "rooms/day.html",
        {
            "site": site,
            "day": chosen,
            "spaces": [space for space, _slots in columns],
            "lines": lines,
            "closure": grid.closures.get(chosen),
            "previous_day": chosen - timedelta(days=1),
            "next_day": chosen + timedelta(days=1),
        },
    )


def search(request):
    """Free spaces for a time; by default the next time something is free, and when
    nothing is, the nearest times that are (all through the engine's ``fits``)."""
    site = Site.objects.order_by("pk").first()
    member = request.user if request.user.is_authenticated else None
    initial = {"site": site, "date": timezone.localdate()}
    if not request.GET and site is not None:
        first = timezone.localtime(
            selectors.search_default_start(
                site=site,
                duration=timedelta(minutes=SearchForm.base_fields["duration"].initial),
                member=member,
            )
        )
        initial.update(date=first.date(), start=first.time())
    form = SearchForm(request.GET or None, initial=initial)
    results, nearest = [], []
    member_rate = tariff_for(member) == TARIFF_MEMBER
    if form.is_valid() and form.cleaned_data.get("start_at"):
        data = form.cleaned_data
        amenities = [a.slug for a in data["amenities"]]
        spaces = selectors.spaces_search(
            site=data["site"],
            start=data["start_at"],
            end=data["end_at"],
            people=data["people"],
            amenities=amenities,
            member=member,
        )
        params = {s.pk: grid_link_params(s, data["start_at"], data["end_at"]) for s in spaces}
        # The spaces of a site share its opening hours, so its periods: read them once.
        periods = periods_for_day(resource=spaces[0], day=data["date"]) if spaces else []
        results = [
            (
                space,
                params[space.pk] + f"&seats={data['people']}",
                selectors.price_quote(
                    space=space,
                    start=data["start_at"],
                    end=data["end_at"],
                    is_member=member_rate,
                    periods=periods,
                ),
            )
            for space in spaces
        ]
        if not results:
            query = request.GET.copy()
            for at in selectors.search_free_times(
                site=data["site"],
                start=data["start_at"],
                duration=data["end_at"] - data["start_at"],
                people=data["people"],
                amenities=amenities,
                member=member,
            ):
                local = timezone.localtime(at)
                query["date"], query["start"] = f"{local:%Y-%m-%d}", f"{local:%H:%M}"
                nearest.append((local, query.urlencode()))
    return render(
        request,
        "rooms/search.html",
        {
            "form": form,
            "results": results,
            "nearest": nearest,
            "searched": form.is_bound and form.is_valid(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _book_context(request, form, *, refusal=None, occurrences=None):
    """The booking page: the form, the price, the cancellation deadline and, before
    booking, what the engine's dry run (``reservation_check``) says of the request,
    with the nearest free slots when the slot itself is the problem."""
    context = {"form": form, "refusal": refusal, "occurrences": occurrences}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        context["member_rate"] = tariff_for(request.user) == TARIFF_MEMBER
        periods = periods_for_day(resource=data["space"], day=data["date"])
        labels = dict(BookingForm.PERIODS)
        # The day's periods as the form books them, so "Matin" says what it covers.
        context["periods"] = [(labels[p.name], p.start, p.end) for p in periods]
        context["quote"] = selectors.price_quote(
            space=data["space"],
            start=data["start_at"],
            end=data["end_at"],
            is_member=context["member_rate"],
            periods=periods,
        )
        context["space"] = data["space"]
        # Said before booking: after this instant, only the team can cancel.
        context["cancel_until"] = cancellation_deadline(
            resource=data["space"], start=data["start_at"]
        )
        context["cancel_until_passed"] = context["cancel_until"] < timezone.now()
        if refusal is None and occurrences is None:
            # The price step: say now what booking would refuse, not after the click.
            problems = reservation_check(
                resource=data["space"],
                member=request.user,
                start=data["start_at"],
                end=data["end_at"],
                seats=data["seats"],
            )
            context["problems"] = problems
            refusal = problems[0] if problems else None
        if refusal is not None and refusal.offers_alternatives:
            context["suggestions"] = [
                (s, e, grid_link_params(data["space"], s, e) + f"&seats={data['seats']}")
                for s, e in nearest_free_slots(
                    resource=data["space"],
                    start=data["start_at"],
                    duration=data["end_at"] - data["start_at"],
                    seats=data["seats"],
                    member=request.user,
                )
            ]
    return context


@login_required
def book(request):
    """GET: the form, filled from the grid or the search, with the price and, for a
    weekly series, every date's verdict. POST: book (a second click books nothing more)."""
    if request.method == "GET":
        form = BookingForm(request.GET or None, initial={"seats": 1, "weeks": 1})
        occurrences = None
        if form.is_bound and form.is_valid() and form.cleaned_data["weeks"] > 1:
            data = form.cleaned_data
            occurrences = booking_series_preview(
                member=request.user,
                space=data["space"],
                start=data["start_at"],
                end=data["end_at"],
                weeks=data["weeks"],
                seats=data["seats"],
            )
        if form.is_bound and not form.is_valid():
            return render(request, "rooms/book.html", _book_context(request, form), status=400)
        return render(
            request, "rooms/book.html", _book_context(request, form, occurrences=occurrences)
        )

    form = BookingForm(request.POST)
    if not form.is_valid():
        return render(request, "rooms/book.html", _book_context(request, form), status=400)
    data = form.cleaned_data
    if data["weeks"] > 1:
        occurrences = booking_series_create(
            member=request.user,
            space=data["space"],
            start=data["start_at"],
            end=data["end_at"],
            weeks=data["weeks"],
            seats=data["seats"],
        )
        booked = sum(1 for o in occurrences if o.is_new)
        held = sum(1 for o in occurrences if o.already_held)
        skipped = len(occurrences) - booked - held
        counts = {"booked": booked, "held": held, "skipped": skipped}
        if held:
            done = _(
                "%(booked)s date(s) réservée(s), %(held)s déjà à vous, %(skipped)s écartée(s)."
            )
        else:
            done = _("%(booked)s date(s) réservée(s), %(skipped)s écartée(s).")
        messages.success(request, done % counts)
        return redirect("my_bookings")
    try:
        booking = booking_create(
            member=request.user,
            space=data["space"],
            start=data["start_at"],
            end=data["end_at"],
            seats=data["seats"],
        )
    except BookingRefused as refusal:
        return render(
            request,
            "rooms/book.html",
            _book_context(request, form, refusal=refusal),
            status=refusal.status,
        )
    if getattr(booking, "replayed", False):
        messages.info(request, _("Cette réservation était déjà enregistrée."))
    else:
        done = _("C'est réservé : %(space)s, %(when)s.") % {
            "space": booking.resource.name,
            "when": local_label(booking.start),
        }
        price = price_text(booking)
        messages.success(request, f"{done} {_('Prix :')} {price}." if price else done)
    return redirect("my_bookings")


@login_required
@require_POST
def cancel(request, booking_id: int):
    booking = booking_get_for_member(member=request.user, booking_id=booking_id)
    try:
        booking_cancel(member=request.user, booking=booking)
    except BookingRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Votre réservation est annulée."))
    return redirect("my_bookings")


@login_required
def booking_ics(request, booking_id: int):
    booking = booking_get_for_member(member=request.user, booking_id=booking_id)
    return ics_response([booking_event(booking)], filename=f"reservation-{booking.pk}.ics")


RENTAL_REQUESTS_PER_HOUR = 5


def _rate_limited(request) -> bool:
    """At most a few rental requests an hour from one address: the form is public."""
    key = f"rental-requests:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=3600)
    return cache.incr(key) > RENTAL_REQUESTS_PER_HOUR


def rental_request(request):
    form = RentalRequestForm(request.POST or None, initial=request.GET.dict() or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["website"]:
            return redirect("rooms:rental_request_sent")
        if _rate_limited(request):
            form.add_error(
                None,
                _(
                    "Trop de demandes depuis votre connexion : réessayez dans une heure ou appelez-nous."
                ),
            )
            return render(request, "rooms/rental_request.html", {"form": form}, status=429)
        try:
            rental = rental_request_create(
                space=data["space"],
                start=data["start_at"],
                end=data["end_at"],
                people=data["people"],
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                organisation=data["organisation"],
                purpose=data["purpose"],
            )
        except BookingRefused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            price = selectors.price_quote(
                space=data["space"], start=data["start_at"], end=data["end_at"], is_member=False
            )
            request.session["rental_quote"] = str(price or "")
            # The truth for the thank-you page: held for them, or waiting behind another.
            request.session["rental_held"] = rental.hold_id is not None
            return redirect("rooms:rental_request_sent")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "rooms/rental_request.html", {"form": form}, status=status)


def rental_request_sent(request):
    return render(
        request,
        "rooms/rental_request_sent.html",
        {
            "quote": request.session.pop("rental_quote", ""),
            "held": request.session.pop("rental_held", None),
        },
    )
