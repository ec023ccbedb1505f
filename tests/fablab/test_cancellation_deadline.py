"""Fablab slots say until when they can be cancelled, before booking and in "my Fablab
slots", where "Annuler" shows only while cancelling would work."""

from html import unescape

import pytest
import time_machine

from fablab.services import machine_reservation_create
from tests.factories import PrinterFactory

from .conftest import NOW, at

pytestmark = pytest.mark.django_db

# Monday 2 March 2026, 15:10 in Auch: less than 24 h before Tuesday 14:00.
MONDAY_AFTERNOON = NOW.replace(hour=15, minute=10)


@pytest.fixture
def printer(db):
    return PrinterFactory(name="Prusa MK4", cancellation_cutoff_hours=24)


def test_a_slot_for_tomorrow_booked_this_afternoon_offers_no_cancel_button(client, member, printer):
    with time_machine.travel(MONDAY_AFTERNOON, tick=False):
        machine_reservation_create(
            member=member, machine=printer, start=at(1, "14:00"), end=at(1, "15:00")
        )
        client.force_login(member)
        page = unescape(client.get("/fablab/mes-creneaux/").text)
    assert "/annuler/" not in page
    assert "Délai d'annulation dépassé (c'était jusqu'au lundi 2 mars 2026 à 14:00)" in page


def test_a_slot_next_week_offers_the_cancel_button_and_says_until_when(client, member, printer):
    with time_machine.travel(MONDAY_AFTERNOON, tick=False):
        slot = machine_reservation_create(
            member=member, machine=printer, start=at(8, "14:00"), end=at(8, "15:00")
        )
        client.force_login(member)
        page = unescape(client.get("/fablab/mes-creneaux/").text)
    assert f"/fablab/creneaux/{slot.pk}/annuler/" in page
    assert "Annulation possible jusqu'au lundi 9 mars 2026 à 14:00" in page


def test_a_slot_picked_on_the_machines_day_says_until_when_it_can_be_cancelled(
    client, member, printer
):
    with time_machine.travel(MONDAY_AFTERNOON, tick=False):
        client.force_login(member)
        page = unescape(
            client.get(
                f"/fablab/machine/{printer.pk}/",
                {"date": "2026-03-05", "start": "14:00", "end": "15:00"},
            ).text
        )
    assert "Annulable en ligne jusqu'au mercredi 4 mars 2026 à 14:00" in page
    assert "Annulation en ligne jusqu'à 24 heures avant le début du créneau" in page
