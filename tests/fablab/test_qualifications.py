"""Qualifications: granted by an animator, or by being present at the machine's training,
whether the roll is taken on the phone page or in the admin."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError

from fablab.models import Qualification
from fablab.services import machine_reservation_create, qualification_grant
from tests.factories import MachineFactory, MemberFactory, SessionFactory
from workshops.services import attendance_record, registration_create

from .conftest import at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def session(training):
    return SessionFactory(workshop=training)


def _registered(session, n=2):
    return [registration_create(session=session, member=MemberFactory()) for _ in range(n)]


def test_being_present_at_the_training_qualifies_through_the_roll_call_page(
    client, session, laser, animator
):
    came, missed = _registered(session)
    client.force_login(animator)
    response = client.post(
        f"/ateliers/seance/{session.pk}/appel/",
        {f"r{came.pk}": "present", f"r{missed.pk}": "absent"},
    )
    assert response.status_code == 302
    qualification = Qualification.objects.get()
    assert (qualification.member, qualification.machine) == (came.member, laser)
    assert qualification.source == Qualification.Source.TRAINING
    assert qualification.session == session
    assert qualification.granted_by == animator
    # And now the laser cutter books.
    assert machine_reservation_create(
        member=came.member, machine=laser, start=at(1, "14:00"), end=at(1, "15:00")
    )


def test_being_present_at_the_training_qualifies_through_the_admin(
    client, session, laser, animator
):
    (came,) = _registered(session, n=1)
    client.force_login(animator)
    response = client.post(
        f"/admin/workshops/registration/{came.pk}/change/", {"attendance": "present"}
    )
    assert response.status_code == 302
    assert Qualification.objects.filter(member=came.member, machine=laser).exists()


def test_the_session_admins_roll_call_qualifies_too(client, session, laser, animator):
    came, missed = _registered(session)
    client.force_login(animator)
    data = {
        "workshop": session.workshop_id,
        "start_0": at(7, "09:30").strftime("%d/%m/%Y"),
        "start_1": "09:30:00",
        "end_0": at(7, "12:00").strftime("%d/%m/%Y"),
        "end_1": "12:00:00",
        "capacity": session.capacity,
        "registrations-TOTAL_FORMS": "2",
        "registrations-INITIAL_FORMS": "2",
        "registrations-MIN_NUM_FORMS": "0",
        "registrations-MAX_NUM_FORMS": "1000",
        "registrations-0-id": came.pk,
        "registrations-0-session": session.pk,
        "registrations-0-attendance": "present",
        "registrations-1-id": missed.pk,
        "registrations-1-session": session.pk,
        "registrations-1-attendance": "absent",
    }
    session.start, session.end = at(7, "09:30"), at(7, "12:00")
    session.save()
    response = client.post(f"/admin/workshops/session/{session.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(Qualification.objects.values_list("member", flat=True)) == [came.member_id]


def test_absent_or_excused_members_are_not_qualified(session, laser):
    missed, excused = _registered(session)
    attendance_record(session=session, marks={missed.pk: "absent", excused.pk: "excused"})
    assert not Qualification.objects.exists()


def test_correcting_the_roll_call_withdraws_the_qualification_it_gave(session, laser):
    (came,) = _registered(session, n=1)
    attendance_record(session=session, marks={came.pk: "present"})
    attendance_record(session=session, marks={came.pk: "absent"})
    assert not Qualification.objects.exists()


def test_a_training_qualifies_on_every_machine_it_trains_for(session, laser, training):
    other = MachineFactory(site=laser.site, training_workshop=training)
    (came,) = _registered(session, n=1)
    attendance_record(session=session, marks={came.pk: "present"})
    assert set(Qualification.objects.values_list("machine", flat=True)) == {laser.pk, other.pk}


def test_a_workshop_that_trains_for_no_machine_qualifies_nobody(laser):
    session = SessionFactory()
    (came,) = _registered(session, n=1)
    attendance_record(session=session, marks={came.pk: "present"})
    assert not Qualification.objects.exists()


def test_granting_again_renews_the_one_qualification(member, laser, animator):
    qualification_grant(member=member, machine=laser, by=animator, expires_on=date(2026, 4, 1))
    renewed = qualification_grant(
        member=member, machine=laser, by=animator, expires_on=date(2027, 4, 1)
    )
    assert Qualification.objects.count() == 1
    assert renewed.expires_on == date(2027, 4, 1)


def test_an_expiry_in_the_past_is_refused(member, laser, animator):
    with pytest.raises(ValidationError) as info:
        qualification_grant(member=member, machine=laser, by=animator, expires_on=date(2026, 1, 1))
    assert "expires_on" in info.value.message_dict
    assert not Qualification.objects.exists()


def test_an_animator_grants_a_qualification_in_the_admin(client, member, laser, animator):
    client.force_login(animator)
    response = client.post(
        "/admin/fablab/qualification/add/",
        {"member": member.pk, "machine": laser.pk, "expires_on": "2027-03-01"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    qualification = Qualification.objects.get()
    assert qualification.granted_by == animator
    assert qualification.source == Qualification.Source.ANIMATOR
    assert qualification.expires_on == date(2027, 3, 1)


def test_the_qualification_list_filters_and_searches(client, laser, animator):
    qualification_grant(member=MemberFactory(last_name="Lacoste"), machine=laser, by=animator)
    client.force_login(animator)
    response = client.get(
        "/admin/fablab/qualification/", {"q": "Lacoste", "machine__id__exact": laser.pk}
    )
    assert response.status_code == 200
    assert "Lacoste" in response.content.decode()


def test_members_cannot_take_the_roll(client, session, member):
    (came,) = _registered(session, n=1)
    client.force_login(member)
    client.post(f"/ateliers/seance/{session.pk}/appel/", {f"r{came.pk}": "present"})
    assert not Qualification.objects.exists()
    assert not member.user_permissions.filter(
        pk=Permission.objects.get(codename="change_registration").pk
    ).exists()
