import pytest
from django.core.management import CommandError, call_command

from members.demo import ANIMATOR_EMAIL, DEMO_PASSWORD, MEMBER_EMAIL, SUPERUSER_EMAIL
from members.models import Membership, Plan, Skill, User
from tests.factories import MemberFactory, PlanFactory

pytestmark = pytest.mark.django_db


def test_seed_demo_twice_gives_the_same_data(client):
    call_command("seed_demo")
    counts = (
        User.objects.count(),
        Skill.objects.count(),
        Membership.objects.count(),
        Plan.objects.count(),
    )
    call_command("seed_demo")
    assert counts == (
        User.objects.count(),
        Skill.objects.count(),
        Membership.objects.count(),
        Plan.objects.count(),
    )
    assert counts[0] >= 10


def test_the_readme_logins_work_after_seeding(client):
    call_command("seed_demo")
    for email in (SUPERUSER_EMAIL, ANIMATOR_EMAIL, MEMBER_EMAIL):
        response = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        client.logout()


def test_the_demo_directory_shows_members_who_opted_in(client):
    call_command("seed_demo")
    client.login(email=MEMBER_EMAIL, password=DEMO_PASSWORD)
    response = client.get("/reseau/")
    assert response.context["page"].paginator.count >= 5
    assert "Lacoste" in response.content.decode()


def test_an_animator_runs_members_from_the_admin_without_being_superuser(client):
    MemberFactory(email="audrey@example.org")
    call_command("make_animator", "audrey@example.org")
    animator = User.objects.get(email="audrey@example.org")
    assert animator.is_staff and not animator.is_superuser
    client.force_login(animator)
    assert client.get("/admin/members/user/").status_code == 200
    assert client.get("/admin/members/plan/add/").status_code == 200
    # An animator cannot hand out admin rights.
    page = client.get(f"/admin/members/user/{animator.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page


def test_make_animator_names_an_unknown_email():
    with pytest.raises(CommandError, match="nobody@example.org"):
        call_command("make_animator", "nobody@example.org")


def test_api_token_names_an_unknown_email():
    with pytest.raises(CommandError, match="nobody@example.org"):
        call_command("api_token", "nobody@example.org")


def test_the_plans_list_in_the_admin_shows_prices_in_euros(client):
    PlanFactory(name="Résident", price="180.00")
    MemberFactory(email="audrey@example.org")
    call_command("make_animator", "audrey@example.org")
    client.force_login(User.objects.get(email="audrey@example.org"))

    page = client.get("/admin/members/plan/").content.decode()

    assert "180,00 €" in page
