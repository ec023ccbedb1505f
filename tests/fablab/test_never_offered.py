"""The Fablab never offers a slot its booking would refuse: a member without the
training, or already holding the machine's number of future slots, sees no free slot
on the machine's day (page and API), on the machines page or in the suggestions —
each says why — and a maintenance window or a closed day reads as such."""

from datetime import timedelta

import pytest

from booking.selectors import SlotState, nearest_free_slots
from fablab.selectors import machine_day, machines_overview
from fablab.services import machine_reservation_create, maintenance_schedule
from members.services import api_token_create
from tests.factories import ClosureFactory, MemberFactory, PrinterFactory, QualificationFactory

from .conftest import at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

TUESDAY = at(1, "00:00").date()


@pytest.fixture
def api(client, member):
    _token, key = api_token_create(member=member, name="tests")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def _card(overview, machine):
    return next(c for c in overview.cards if c.machine.pk == machine.pk)


def test_a_machine_needing_training_is_never_offered_free_to_an_unqualified_member(
    member, laser, api, client
):
    slots = machine_day(machine=laser, day=TUESDAY, member=member)
    assert slots and not [s for s in slots if s.state == SlotState.FREE]
    assert {s.reason for s in slots} == {"not_qualified"}
    body = api.get(f"/api/v1/fablab/machines/{laser.pk}/availability", {"date": "2026-03-03"})
    assert {(s["state"], s["reason"]) for s in body.json()["slots"]} == {
        ("unavailable", "not_qualified")
    }
    assert _card(machines_overview(member=member), laser).next_slots == []
    assert (
        nearest_free_slots(
            resource=laser, start=at(1, "14:00"), duration=timedelta(hours=1), member=member
        )
        == []
    )
    client.force_login(member)
    page = client.get(f"/fablab/machine/{laser.pk}/", {"date": "2026-03-03"}).content.decode()
    assert "Habilitation requise" in page and "start=14:00" not in page
    machines = client.get("/fablab/").content.decode()
    assert "Habilitation requise" in machines and "Aucun créneau libre" not in machines


def test_a_qualified_member_is_offered_the_machine(qualified, laser):
    slots = machine_day(machine=laser, day=TUESDAY, member=qualified)
    assert slots[0].state == SlotState.FREE and slots[0].reason is None
    assert _card(machines_overview(member=qualified), laser).next_slots[0] == (
        at(1, "14:00"),
        at(1, "15:00"),
    )


def test_a_member_holding_the_machines_number_of_future_slots_is_offered_no_more(member, api):
    printer = PrinterFactory(max_future_slots=1)
    machine_reservation_create(
        member=member, machine=printer, start=at(1, "14:00"), end=at(1, "15:00")
    )

    slots = machine_day(machine=printer, day=at(3, "00:00").date(), member=member)
    # An hour at least from each start: the last one would end after closing.
    assert slots and {s.reason for s in slots[:-1]} == {"over_limit"}
    assert slots[-1].reason == "outside_hours"
    body = api.get(f"/api/v1/fablab/machines/{printer.pk}/availability", {"date": "2026-03-05"})
    assert "free" not in {s["state"] for s in body.json()["slots"]}
    assert "over_limit" in {s["reason"] for s in body.json()["slots"]}
    assert _card(machines_overview(member=member), printer).next_slots == []
    assert (
        nearest_free_slots(
            resource=printer, start=at(3, "14:00"), duration=timedelta(hours=1), member=member
        )
        == []
    )
    # Someone else is offered the machine.
    assert _card(machines_overview(member=MemberFactory()), printer).next_slots


def test_the_machine_day_shows_a_maintenance_window_as_maintenance(
    client, qualified, laser, animator
):
    maintenance_schedule(
        machine=laser, start=at(1, "15:00"), end=at(1, "16:00"), reason="Nettoyage", by=animator
    )
    slots = {s.start: s for s in machine_day(machine=laser, day=TUESDAY, member=qualified)}
    assert (slots[at(1, "15:00")].state, slots[at(1, "15:00")].reason) == (
        SlotState.BUSY,
        "in_maintenance",
    )
    client.force_login(qualified)
    page = client.get(f"/fablab/machine/{laser.pk}/", {"date": "2026-03-03"}).content.decode()
    assert '<td class="slot maintenance">Maintenance</td>' in page
    assert "Occupé" not in page


def test_a_closed_day_shows_closed_with_its_reason_on_the_machine_day(client, qualified, laser):
    ClosureFactory(site=laser.site, start_date=TUESDAY, end_date=TUESDAY, reason="Inventaire")
    slots = machine_day(machine=laser, day=TUESDAY, member=qualified)
    assert {(s.state, s.reason) for s in slots} == {(SlotState.CLOSED, "closed")}
    client.force_login(qualified)
    page = client.get(f"/fablab/machine/{laser.pk}/", {"date": "2026-03-03"}).content.decode()
    assert "Fermé : Inventaire" in page


@pytest.mark.parametrize("slots", [0, 4])
def test_a_members_machine_day_costs_a_fixed_number_of_queries(
    qualified, laser, slots, django_assert_num_queries
):
    laser.max_future_slots = 10
    laser.save()
    for i in range(slots):
        machine_reservation_create(
            member=QualificationFactory(machine=laser).member if i % 2 else qualified,
            machine=laser,
            start=at(1 + 2 * (i % 2), f"{14 + i // 2}:00"),
            end=at(1 + 2 * (i % 2), f"{14 + i // 2}:30"),
        )
    # hours, closures, reservations, the member's holdings, their qualification
    with django_assert_num_queries(5):
        machine_day(machine=laser, day=TUESDAY, member=qualified)
