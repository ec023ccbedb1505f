"""Each row of a machine's day says what booking from that start would answer, in
words a newcomer reads right: "à vous" only inside their own slot, "Occupé ensuite"
when the slot of the minimum length would run into someone's, "Trop tard pour un
créneau de N min" near closing rather than "Fermé". The machines page offers no slot
that booking refuses, even one already started."""

from datetime import datetime, time, timedelta

import pytest
import time_machine

from booking.localtime import SITE_TZ
from booking.refusals import BookingRefused
from booking.selectors import SlotState
from fablab.selectors import machine_day, machines_overview
from fablab.services import machine_reservation_create, maintenance_schedule
from tests.factories import MachineFactory, MemberFactory

from .conftest import at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

TUESDAY = at(1, "00:00").date()


def _rows(client, machine):
    page = client.get(f"/fablab/machine/{machine.pk}/", {"date": "2026-03-03"}).content.decode()
    return page


def test_my_booking_reads_a_vous_only_on_its_own_rows_and_the_row_before_says_taken_later(
    client, qualified, laser
):
    laser.min_minutes = 60
    laser.save()
    machine_reservation_create(
        member=qualified, machine=laser, start=at(1, "15:00"), end=at(1, "17:00")
    )
    slots = {s.start: s for s in machine_day(machine=laser, day=TUESDAY, member=qualified)}
    assert slots[at(1, "14:30")].state == SlotState.BUSY and slots[at(1, "14:30")].later
    assert [slots[at(1, t)].state for t in ("15:00", "15:30", "16:30")] == [SlotState.YOURS] * 3
    # 17:00 is in the pause after my slot, not someone else's booking.
    assert slots[at(1, "17:00")].reason == "in_buffer"
    client.force_login(qualified)
    page = _rows(client, laser)
    assert '<th scope="row">14:30</th>\n        <td class="slot busy"' in page
    assert "Occupé ensuite" in page
    assert page.count('<td class="slot yours">à vous</td>') == 4
    assert "Battement" in page
    # The legend and the cells say the same word.
    assert "moi<" not in page


def test_the_last_rows_of_the_day_say_too_late_for_the_minimum_slot_not_closed(
    client, qualified, laser
):
    laser.min_minutes = 90
    laser.save()
    slots = {s.start: s for s in machine_day(machine=laser, day=TUESDAY, member=qualified)}
    last = slots[at(1, "17:00")]
    assert (last.state, last.reason, last.later) == (SlotState.CLOSED, "outside_hours", True)
    client.force_login(qualified)
    page = _rows(client, laser)
    assert page.count("Trop tard pour un créneau de 90 min") == 2  # 17:00 and 17:30
    assert ">Fermé<" not in page


def test_a_maintenance_window_coming_later_in_the_slot_reads_maintenance_later(
    client, qualified, laser, animator
):
    laser.min_minutes = 60
    laser.save()
    maintenance_schedule(
        machine=laser, start=at(1, "15:00"), end=at(1, "16:00"), reason="Nettoyage", by=animator
    )
    client.force_login(qualified)
    page = _rows(client, laser)
    assert "Maintenance ensuite" in page
    assert '<td class="slot maintenance">Maintenance</td>' in page


def test_at_10_20_the_machines_page_does_not_offer_10_00_when_a_pause_ends_at_10_10():
    printer = MachineFactory(
        requires_qualification=False,
        slot_minutes=60,
        min_minutes=60,
        buffer_minutes=10,
        fablab_hours=[(d, time(8, 0), time(18, 0)) for d in range(7)],
    )
    nine = datetime(2026, 3, 4, 9, 0, tzinfo=SITE_TZ)
    # Someone's slot 9:00–10:00, then its 10-minute pause until 10:10.
    machine_reservation_create(
        member=MemberFactory(), machine=printer, start=nine, end=nine + timedelta(hours=1)
    )
    member = MemberFactory()
    now = nine + timedelta(minutes=80)  # 10:20
    with time_machine.travel(now, tick=False):
        overview = machines_overview(member=member, now=now)
        card = next(c for c in overview.cards if c.machine == printer)
        # The slot in progress, 10:00–11:00, would be booked at 10:20 were it not for
        # the pause: it is not offered; 11:00 is.
        assert card.next_slots[0] == (nine + timedelta(hours=2), nine + timedelta(hours=3))
        with pytest.raises(BookingRefused) as refused:
            machine_reservation_create(
                member=member,
                machine=printer,
                start=nine + timedelta(hours=1),
                end=nine + timedelta(hours=2),
                now=now,
            )
        assert refused.value.code == "in_buffer"
