"""After a slot, the member or an animator records what was really used; a negative or
absurd log is refused with the field named, and nothing is stored."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from fablab.models import UsageLog
from fablab.services import machine_reservation_create, usage_log_record
from tests.factories import MemberFactory

from .conftest import at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def slot(qualified, laser):
    return machine_reservation_create(
        member=qualified, machine=laser, start=at(1, "14:00"), end=at(1, "16:00")
    )


def record(slot, by=None, *, now=None, **values):
    values = {
        "minutes": 95,
        "material": "Contreplaqué 3 mm",
        "quantity": 2,
        "unit": "sheet",
    } | values
    return usage_log_record(
        reservation=slot, by=by or slot.member, now=now or at(1, "16:05"), **values
    )


def refused_on(slot, field, **values):
    with pytest.raises(ValidationError) as info:
        record(slot, **values)
    assert not UsageLog.objects.exists()
    return info.value.message_dict[field]


def test_the_member_logs_what_was_used_after_the_slot(slot):
    log = record(slot, notes="Deux boîtes gravées")
    assert (log.minutes, log.material, log.quantity, log.unit) == (
        95,
        "Contreplaqué 3 mm",
        Decimal("2"),
        "sheet",
    )
    assert log.recorded_by == slot.member


def test_recording_again_corrects_the_one_log(slot):
    record(slot)
    record(slot, minutes=100)
    assert UsageLog.objects.get().minutes == 100


def test_an_animator_may_log_a_members_slot(slot, animator):
    assert record(slot, by=animator).recorded_by == animator


def test_another_member_may_not(slot):
    with pytest.raises(PermissionDenied):
        record(slot, by=MemberFactory())
    assert not UsageLog.objects.exists()


def test_a_log_before_the_slot_started_is_refused(slot):
    with pytest.raises(ValidationError, match="pas encore commencé"):
        record(slot, now=at(1, "13:55"))
    assert not UsageLog.objects.exists()


def test_a_log_during_the_slot_is_accepted(slot):
    assert record(slot, now=at(1, "15:00"), minutes=60)


def test_negative_minutes_are_refused(slot):
    assert "entre 1 minute et 24 h" in refused_on(slot, "minutes", minutes=-30)[0]


def test_zero_minutes_are_refused(slot):
    refused_on(slot, "minutes", minutes=0)


def test_more_than_a_day_is_refused_as_absurd(slot):
    refused_on(slot, "minutes", minutes=24 * 60 + 1)


def test_a_negative_quantity_is_refused(slot):
    assert "négative" in refused_on(slot, "quantity", quantity=-1)[0]


def test_an_absurd_quantity_is_refused(slot):
    refused_on(slot, "quantity", quantity=Decimal("1e12"))


def test_a_quantity_that_is_not_a_number_is_refused(slot):
    refused_on(slot, "quantity", quantity="beaucoup")


def test_an_unknown_unit_is_refused(slot):
    refused_on(slot, "unit", unit="barils")


def test_a_cancelled_slot_cannot_be_logged(slot):
    slot.status = "cancelled"
    slot.save(update_fields=["status"])
    with pytest.raises(ValidationError, match="annulé"):
        record(slot)


@pytest.mark.parametrize("minutes, quantity", [(0, 1), (24 * 60 + 1, 1), (30, -1)])
def test_the_database_refuses_an_absurd_log_written_behind_the_services_back(
    slot, minutes, quantity
):
    with pytest.raises(IntegrityError), transaction.atomic():
        UsageLog.objects.create(reservation=slot, minutes=minutes, quantity=quantity)


def test_the_usage_page_shows_the_field_error_and_stores_nothing(client, slot, clock):
    clock.move_to(at(1, "16:05"))
    client.force_login(slot.member)
    url = f"/fablab/creneaux/{slot.pk}/utilisation/"
    response = client.post(url, {"minutes": "-5", "quantity": "1", "unit": "sheet"})
    assert response.status_code == 400
    assert "entre 1 minute et 24 h" in response.content.decode()
    assert not UsageLog.objects.exists()
    response = client.post(url, {"minutes": "90", "material": "Médium", "quantity": "1"})
    assert response.status_code == 302
    assert UsageLog.objects.get().material == "Médium"


def test_another_members_usage_page_is_404(client, slot):
    client.force_login(MemberFactory())
    assert client.get(f"/fablab/creneaux/{slot.pk}/utilisation/").status_code == 404


def test_the_admin_records_a_usage_log_through_the_service(client, slot, animator, clock):
    clock.move_to(at(1, "16:05"))
    client.force_login(animator)
    response = client.post(
        "/admin/fablab/usagelog/add/",
        {"reservation": slot.pk, "minutes": "5000", "quantity": "1", "unit": ""},
    )
    assert response.status_code == 200
    assert "minutes" in response.context["adminform"].form.errors
    response = client.post(
        "/admin/fablab/usagelog/add/",
        {"reservation": slot.pk, "minutes": "110", "quantity": "1", "unit": "sheet"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert UsageLog.objects.get().recorded_by == animator
