"""Pages that gather everything a member holds, across apps: "Mes réservations" (bookings
and Fablab slots, with workshop registrations) and the private calendar feed.

They read several apps at once, so they live at the top layer, above them all; each
app keeps the pages about its own things. Their URLs are set in ``dynamo/urls.py``."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from booking.selectors import bookings_for_member
from booking.services import reservation_cancellation
from core.ics import ics_response
from workshops.selectors import registrations_for_member

from .calendar import feed_events


@login_required
def my_bookings(request):
    past = request.GET.get("passees") == "1"
    bookings = bookings_for_member(member=request.user, upcoming=not past)
    page = Paginator(bookings, 20).get_page(request.GET.get("page"))
    now = timezone.now()
    for booking in page:
        # The engine's own verdict: the button shows only while cancelling can work.
        booking.cancellation = reservation_cancellation(
            reservation=booking, by=request.user, now=now
        )
    return render(
        request,
        "dynamo/my_bookings.html",
        {
            "page": page,
            "past": past,
            "query": "passees=1" if past else "",
            "registrations": [] if past else registrations_for_member(member=request.user)[:50],
        },
    )


def calendar_feed(request, token: str):
    name, events = feed_events(token=token)
    return ics_response(events, filename="dynamo.ics", name=f"La Dynamo — {name}")
