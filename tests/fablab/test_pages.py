"""The Fablab pages on a phone: the machines with their next free slots, a machine's day
and booking form, "my Fablab slots"; the slots also in "my bookings" and the feed."""

from decimal import Decimal

import pytest

from booking.models import Reservation
from fablab.models import Qualification
from fablab.services import machine_reservation_create, maintenance_schedule
from members.models import CalendarFeed
from tests.factories import MachineFactory, MemberFactory, PrinterFactory, QualificationFactory

from .conftest import at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def signed_in(client, qualified):
    client.force_login(qualified)
    return client


def _book(client, machine, day="2026-03-03", start="14:00", end="15:00"):
    return client.post(f"/fablab/machine/{machine.pk}/", {"date": day, "start": start, "end": end})


def test_the_machines_page_shows_each_machines_next_free_slots(client, laser):
    machine_reservation_create(
        member=QualificationFactory(machine=laser).member,
        machine=laser,
        start=at(1, "14:00"),
        end=at(1, "15:00"),
    )
    response = client.get("/fablab/")
    assert response.status_code == 200
    page = response.content.decode()
    assert laser.name in page
    assert "Formation découpe laser" in page
    (card,) = response.context["overview"].cards
    # 14:00–15:00 is booked and 15:00–15:15 is its buffer: the first free hour is 15:30.
    assert card.next_slots[0] == (at(1, "15:30"), at(1, "16:30"))
    assert "Mardi 3 Mars, 15:30" in page or "mardi 3 mars, 15:30" in page


def test_the_machines_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    first = MachineFactory()
    for i in range(6):
        machine = PrinterFactory(site=first.site)
        machine_reservation_create(
            member=MemberFactory(),
            machine=machine,
            start=at(1 + 2 * (i % 2), "14:00"),
            end=at(1 + 2 * (i % 2), "15:00"),
        )
    # count, machines, Fablab hours, closures, reservations
    with django_assert_num_queries(5):
        response = client.get("/fablab/")
    assert len(response.context["overview"].cards) == 7


def test_the_machines_page_for_a_member_runs_a_fixed_number_of_queries(
    client, qualified, laser, django_assert_num_queries
):
    for _ in range(5):
        PrinterFactory(site=laser.site)
    client.force_login(qualified)
    # session, user, count, machines, hours, closures, reservations, qualifications
    with django_assert_num_queries(8):
        response = client.get("/fablab/")
    card = next(c for c in response.context["overview"].cards if c.machine.pk == laser.pk)
    assert card.qualified is True


def test_the_machine_page_shows_the_fablab_day_and_its_hours(client, laser):
    response = client.get(f"/fablab/machine/{laser.pk}/", {"date": "2026-03-03"})
    assert response.status_code == 200
    slots = response.context["slots"]
    assert slots[0].start == at(1, "14:00") and slots[-1].end == at(1, "18:00")
    assert "start=14:00&amp;end=14:30" in response.content.decode()


def test_a_day_the_fablab_is_closed_says_so(client, laser):
    response = client.get(f"/fablab/machine/{laser.pk}/", {"date": "2026-03-02"})
    assert "Le Fablab n'ouvre pas ce jour-là." in response.content.decode()


def test_a_qualified_member_books_from_the_machine_page(signed_in, qualified, laser):
    response = _book(signed_in, laser)
    assert response.status_code == 302
    assert response["Location"] == "/fablab/mes-creneaux/"
    assert Reservation.objects.get().member == qualified


def test_an_unqualified_member_is_told_on_the_page_which_training_to_take(client, member, laser):
    client.force_login(member)
    response = _book(client, laser)
    assert response.status_code == 403
    assert "Formation découpe laser" in response.content.decode()
    assert not Reservation.objects.exists()


def test_a_slot_in_maintenance_is_refused_on_the_page_with_nearby_free_slots(
    signed_in, laser, animator
):
    maintenance_schedule(
        machine=laser, start=at(1, "14:00"), end=at(1, "16:00"), reason="Tube", by=animator
    )
    response = _book(signed_in, laser)
    assert response.status_code == 409
    assert "en maintenance" in response.content.decode()
    assert response.context["suggestions"]


def test_a_slot_past_closing_time_is_refused_as_the_api_would_with_nearby_free_slots(
    signed_in, laser
):
    response = _book(signed_in, laser, start="17:30", end="18:30")
    # The refusal table's status and its "offer another time", as in the API.
    assert response.status_code == 422
    assert "pas ouvert" in response.content.decode()
    assert response.context["suggestions"]


def test_an_unqualified_member_is_offered_no_other_time(client, member, laser):
    client.force_login(member)
    response = _book(client, laser)
    assert response.status_code == 403
    assert response.context["suggestions"] == []


def test_bad_input_on_the_page_names_the_field(signed_in, laser):
    response = _book(signed_in, laser, start="15:00", end="14:00")
    assert response.status_code == 400
    assert "end" in response.context["form"].errors


def test_booking_needs_an_account(client, laser):
    response = _book(client, laser)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Reservation.objects.exists()


def test_my_fablab_slots_lists_cancels_and_links_the_usage_log(signed_in, qualified, laser):
    upcoming = machine_reservation_create(
        member=qualified, machine=laser, start=at(3, "14:00"), end=at(3, "15:00")
    )
    page = signed_in.get("/fablab/mes-creneaux/").content.decode()
    assert laser.name in page
    assert f"/fablab/creneaux/{upcoming.pk}/annuler/" in page
    assert signed_in.post(f"/fablab/creneaux/{upcoming.pk}/annuler/").status_code == 302
    upcoming.refresh_from_db()
    assert upcoming.status == "cancelled"


def test_a_past_slot_offers_the_usage_log(signed_in, qualified, laser):
    past = Reservation.objects.create(
        resource=laser,
        member=qualified,
        start=at(-6, "14:00"),
        end=at(-6, "15:00"),
        blocked_until=at(-6, "15:15"),
        source=Reservation.Source.FABLAB,
    )
    page = signed_in.get("/fablab/mes-creneaux/", {"passees": "1"}).content.decode()
    assert f"/fablab/creneaux/{past.pk}/utilisation/" in page


def test_another_members_slot_cannot_be_cancelled(client, qualified, laser):
    slot = machine_reservation_create(
        member=qualified, machine=laser, start=at(3, "14:00"), end=at(3, "15:00")
    )
    client.force_login(MemberFactory())
    assert client.post(f"/fablab/creneaux/{slot.pk}/annuler/").status_code == 404
    slot.refresh_from_db()
    assert slot.status == "confirmed"


def test_fablab_slots_show_in_my_bookings(signed_in, qualified, laser):
    machine_reservation_create(
        member=qualified, machine=laser, start=at(3, "14:00"), end=at(3, "15:00")
    )
    page = signed_in.get("/espaces/mes-reservations/").content.decode()
    assert laser.name in page


def test_fablab_slots_are_in_the_private_calendar_feed(signed_in, qualified, laser):
    machine_reservation_create(
        member=qualified, machine=laser, start=at(3, "14:00"), end=at(3, "15:00")
    )
    signed_in.post("/compte/agenda/nouveau/")
    feed = signed_in.get(f"/agenda/{CalendarFeed.objects.get().token}.ics").content.decode()
    assert f"SUMMARY:{laser.name}" in feed


def test_the_nav_link_opens_the_fablab(client):
    assert client.get("/fablab/").status_code == 200
    assert Qualification.objects.count() == 0


def test_machine_prices_are_written_with_a_decimal_comma(client):
    printer = PrinterFactory(price_member_hour="12.50", price_public_hour="25.00")

    listing = client.get("/fablab/").content.decode()
    page = client.get(f"/fablab/machine/{printer.pk}/").content.decode()

    assert "12,50 €/h (membre)" in listing
    assert "12,50 € de l'heure pour les membres" in page
    assert "25,00 € pour les autres" in page


def test_a_fablab_slot_is_charged_by_the_hour_and_the_member_sees_the_price(
    signed_in, qualified, laser
):
    # No membership: the public hourly rate of the machine (25 € an hour), 1 h 30.
    response = _book(signed_in, laser, start="14:00", end="15:30")
    slot = Reservation.objects.get()
    assert (slot.price_amount, slot.price_rate, slot.price_tariff) == (
        Decimal("37.50"),
        "hour",
        "public",
    )
    assert "Prix : 37,50 € TTC (à l&#x27;heure, tarif non-membre)." in (
        signed_in.get(response["Location"]).content.decode()
    )
    page = signed_in.get("/fablab/mes-creneaux/").content.decode()
    assert "37,50 € TTC (à l&#x27;heure, tarif non-membre)" in page


def test_a_maintenance_window_has_no_price(laser, animator):
    window = maintenance_schedule(
        machine=laser, start=at(1, "14:00"), end=at(1, "16:00"), reason="Lentille", by=animator
    )
    assert (window.window.price_amount, window.window.price_rate) == (None, "none")
