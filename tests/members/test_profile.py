import pytest

from members.models import Skill, User
from tests.factories import MemberFactory, SectorFactory

pytestmark = pytest.mark.django_db

EDIT = "/compte/profil/"


def _profile_data(**overrides):
    data = {
        "first_name": "Sophie",
        "last_name": "Lacoste",
        "kind": "solo",
        "activity": "Ébéniste",
        "company_name": "Bois & Gers",
        "sector": "",
        "commune": "Auch",
        "phone": "05 62 61 62 71",
        "website": "https://bois-et-gers.example",
        "bio": "Meubles sur mesure.",
        "looking_for": "Un associé pour la découpe laser.",
        "directory_visibility": "members",
        "language": "fr",
        "skills": "Découpe laser, Menuiserie",
    }
    data.update(overrides)
    return data


@pytest.fixture
def member(client):
    member = MemberFactory(first_name="Sophie", last_name="Lacoste")
    client.force_login(member)
    return member


def test_a_member_edits_her_profile_and_sees_it_on_her_account(client, member):
    sector = SectorFactory(name="Artisanat")
    response = client.post(EDIT, _profile_data(sector=sector.pk))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.activity == "Ébéniste"
    assert member.sector == sector
    assert sorted(s.name for s in member.skills.all()) == ["Découpe laser", "Menuiserie"]
    assert member.directory_visibility == User.Visibility.MEMBERS


def test_skills_are_shared_tags_whatever_their_case(client, member):
    other = MemberFactory()
    other.skills.set([Skill.objects.create(name="Découpe laser", slug="decoupe-laser")])
    client.post(EDIT, _profile_data(skills="découpe LASER"))
    assert Skill.objects.count() == 1
    assert list(member.skills.all()) == list(other.skills.all())


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("phone", "appelez-moi"),
        ("phone", "12"),
        ("website", "pas une url"),
        ("bio", "x" * 10_000),
        ("looking_for", "y" * 2_000),
        ("kind", "astronaute"),
        ("directory_visibility", "everyone"),
    ],
)
def test_bad_input_is_refused_with_a_message_on_the_field_and_nothing_saved(
    client, member, field, value
):
    response = client.post(EDIT, _profile_data(**{field: value}))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert response.context["form"].errors[field][0]
    member.refresh_from_db()
    assert member.activity == ""
    assert member.skills.count() == 0


def test_too_many_skills_are_refused(client, member):
    response = client.post(EDIT, _profile_data(skills=",".join(f"c{i}" for i in range(30))))
    assert "skills" in response.context["form"].errors
    assert Skill.objects.count() == 0


def test_profile_pages_need_a_login(client):
    response = client.get(EDIT)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
