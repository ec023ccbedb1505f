"""A member's data export holds what the Fablab and the outbox keep about them: their
qualifications, the usage logs of their slots and the messages sent to them."""

import pytest

from fablab.services import machine_reservation_create, usage_log_record
from notifications.models import Notification

from .conftest import at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def test_the_data_export_includes_qualifications_usage_logs_and_notifications(
    client, qualified, laser
):
    slot = machine_reservation_create(
        member=qualified, machine=laser, start=at(1, "14:00"), end=at(1, "16:00")
    )
    usage_log_record(
        reservation=slot,
        by=qualified,
        now=at(1, "16:05"),
        minutes=95,
        material="Contreplaqué 3 mm",
        quantity=2,
        unit="sheet",
    )
    Notification.objects.create(recipient=qualified, kind=Notification.Kind.MESSAGE)
    client.force_login(qualified)

    data = client.get("/compte/mes-donnees.json").json()

    (qualification,) = data["qualifications"]
    assert qualification["machine"] == "Découpe laser Trotec"
    (log,) = data["usage_logs"]
    assert (log["machine"], log["minutes"], log["material"], log["quantity"]) == (
        "Découpe laser Trotec",
        95,
        "Contreplaqué 3 mm",
        "2.00",
    )
    assert "message" in [m["kind"] for m in data["notifications"]["messages"]]
    assert data["notifications"]["preferences"]["reminder_24h"] is True
    # The slot itself is among the reservations, as before.
    assert [r["resource"] for r in data["reservations"]] == ["Découpe laser Trotec"]
