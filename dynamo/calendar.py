"""A member's private calendar feed: bookings, Fablab slots and workshops in one file.

It gathers what several apps hold, so it lives at the top layer, above them all."""

from datetime import timedelta

from django.utils import timezone

from booking.calendar import booking_event
from booking.selectors import bookings_for_member
from core.ics import Event
from core.refusals import NotFound
from members.models import CalendarFeed
from workshops.calendar import registration_event
from workshops.selectors import registrations_for_member

# Calendar apps keep what they saw; a few weeks of history is plenty to send again.
HISTORY = timedelta(days=60)


def feed_events(*, token: str) -> tuple[str, list[Event]]:
    """The member's name and events for a feed token; NotFound for an unknown or revoked one.
    Three queries whatever the number of items."""
    feed = CalendarFeed.objects.select_related("member").filter(token=token).first()
    if feed is None or not feed.member.is_active:
        raise NotFound
    member = feed.member
    since = timezone.now() - HISTORY
    bookings = bookings_for_member(member=member, upcoming=True, now=since)
    # What is on, only: a cancelled booking or session leaves the feed, which is how a
    # subscribed calendar withdraws it.
    registrations = (
        registrations_for_member(member=member, now=since)
        .filter(status="registered", session__is_cancelled=False)
        .select_related("session__room__site")
    )
    events = [booking_event(b) for b in bookings]
    events += [registration_event(r) for r in registrations]
    return member.display_name, events
