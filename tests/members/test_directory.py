import pytest

from members.models import User
from tests.factories import MemberFactory, SectorFactory, SkillFactory

pytestmark = pytest.mark.django_db

DIRECTORY = "/reseau/"


def _names(response):
    return [m.last_name for m in response.context["page"]]


@pytest.fixture
def network():
    laser = SkillFactory(name="Découpe laser")
    web = SkillFactory(name="WordPress")
    craft = SectorFactory(name="Artisanat")
    digital = SectorFactory(name="Numérique")
    return {
        "lacoste": MemberFactory(
            first_name="Sophie",
            last_name="Lacoste",
            commune="Auch",
            sector=craft,
            skills=[laser],
            directory_visibility=User.Visibility.PUBLIC,
        ),
        "martin": MemberFactory(
            first_name="Camille",
            last_name="Martin",
            commune="Auch",
            sector=digital,
            skills=[web],
            directory_visibility=User.Visibility.MEMBERS,
            activity="Développeuse web",
        ),
        "abadie": MemberFactory(
            first_name="Thomas",
            last_name="Abadie",
            commune="Mirande",
            sector=craft,
            skills=[laser, web],
            directory_visibility=User.Visibility.MEMBERS,
        ),
        "castex": MemberFactory(
            first_name="Pierre",
            last_name="Castex",
            commune="Auch",
            skills=[laser],
            directory_visibility=User.Visibility.HIDDEN,
        ),
        "laser": laser,
        "craft": craft,
    }


def test_nobody_appears_without_opting_in(client, network):
    client.force_login(MemberFactory())
    names = _names(client.get(DIRECTORY))
    assert names == ["Abadie", "Lacoste", "Martin"]
    assert "Castex" not in names


def test_visitors_without_an_account_see_only_public_profiles(client, network):
    assert _names(client.get(DIRECTORY)) == ["Lacoste"]


def test_a_new_member_is_hidden_by_default():
    assert MemberFactory().directory_visibility == User.Visibility.HIDDEN


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"skill": "decoupe-laser"}, ["Abadie", "Lacoste"]),
        ({"sector": "artisanat"}, ["Abadie", "Lacoste"]),
        ({"commune": "auch"}, ["Lacoste", "Martin"]),
        ({"name": "martin"}, ["Martin"]),
        ({"name": "développeuse"}, ["Martin"]),
        ({"skill": "decoupe-laser", "commune": "Mirande"}, ["Abadie"]),
        ({"skill": "inconnue"}, []),
    ],
)
def test_members_search_the_directory(client, network, query, expected):
    client.force_login(MemberFactory())
    assert _names(client.get(DIRECTORY, query)) == expected


def test_a_skill_tag_links_to_everyone_who_shares_it(client, network):
    client.force_login(MemberFactory())
    page = client.get(f"/reseau/membre/{network['lacoste'].pk}/").content.decode()
    assert "/reseau/?skill=decoupe-laser" in page
    response = client.get("/reseau/?skill=decoupe-laser")
    assert "Découpe laser" in response.content.decode()
    assert _names(response) == ["Abadie", "Lacoste"]


def test_the_directory_is_paginated(client):
    for i in range(45):
        MemberFactory(last_name=f"Membre{i:02d}", directory_visibility=User.Visibility.PUBLIC)
    first = client.get(DIRECTORY)
    third = client.get(DIRECTORY, {"page": 3})
    assert len(first.context["page"]) == 20
    assert len(third.context["page"]) == 5
    assert "page=2" in first.content.decode()


def test_the_directory_runs_the_same_queries_whatever_the_number_of_members(
    client, django_assert_num_queries
):
    skills = [SkillFactory() for _ in range(3)]
    for _ in range(30):
        MemberFactory(
            directory_visibility=User.Visibility.PUBLIC, skills=skills, sector=SectorFactory()
        )
    # count, page, skills prefetch, sectors list for the filter
    with django_assert_num_queries(4):
        assert client.get(DIRECTORY).status_code == 200


def test_a_hidden_profile_is_not_found(client, network):
    client.force_login(MemberFactory())
    assert client.get(f"/reseau/membre/{network['castex'].pk}/").status_code == 404


def test_a_members_only_profile_is_not_found_for_visitors(client, network):
    assert client.get(f"/reseau/membre/{network['martin'].pk}/").status_code == 404
    assert client.get("/reseau/membre/999999/").status_code == 404


def test_a_member_sees_her_own_hidden_profile(client, network):
    client.force_login(network["castex"])
    assert client.get(f"/reseau/membre/{network['castex'].pk}/").status_code == 200


def test_a_malformed_filter_is_ignored_not_an_error(client, network):
    response = client.get(DIRECTORY, {"skill": "<script>", "page": "abc"})
    assert response.status_code == 200
    assert "skill" in response.context["form"].errors


# --- The one search box finds names, activities and skills, with or without accents --


@pytest.fixture
def skilled(db):
    def member(last_name, *skill_names, **fields):
        skills = [SkillFactory(name=skill) for skill in skill_names]
        return MemberFactory(
            last_name=last_name,
            directory_visibility=User.Visibility.PUBLIC,
            skills=skills,
            **fields,
        )

    member("Dubois", "Django", "Python")
    member("Lafitte", "Comptabilité")
    member("Séguéla", "Découpe laser", "Gravure laser", activity="Ébéniste")
    member("Vidal", activity="Graphiste")
    return member


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("Django", ["Dubois"]),
        ("django", ["Dubois"]),
        ("laser", ["Séguéla"]),
        ("comptabilité", ["Lafitte"]),
        ("comptabilite", ["Lafitte"]),
        ("COMPTABILITE", ["Lafitte"]),
        ("decoupe", ["Séguéla"]),
        ("ebeniste", ["Séguéla"]),
        ("seguela", ["Séguéla"]),
        ("graphiste", ["Vidal"]),
        ("python django", ["Dubois"]),
        ("python laser", []),
    ],
)
def test_the_search_box_finds_people_by_skill_name_or_activity_with_or_without_accents(
    client, skilled, words, expected
):
    assert _names(client.get(DIRECTORY, {"name": words})) == expected


def test_a_member_with_two_matching_skills_is_listed_once(client, skilled):
    response = client.get(DIRECTORY, {"name": "laser"})

    assert _names(response) == ["Séguéla"]
    assert response.context["page"].paginator.count == 1


def test_the_search_box_and_a_skill_chip_work_together(client, skilled):
    SkillFactory(name="Python")
    skilled("Arnaud", "Python", activity="Ébéniste")

    response = client.get(DIRECTORY, {"name": "ebeniste", "skill": "python"})

    assert _names(response) == ["Arnaud"]


def test_searching_the_directory_runs_the_same_queries_whatever_the_number_of_members(
    client, django_assert_num_queries
):
    skills = [SkillFactory(name=name) for name in ("Comptabilité", "Découpe laser", "Django")]
    for _ in range(30):
        MemberFactory(directory_visibility=User.Visibility.PUBLIC, skills=skills)
    # count, page, skills prefetch, sectors list for the filter
    with django_assert_num_queries(4):
        response = client.get(DIRECTORY, {"name": "comptabilite laser"})
    assert response.context["page"].paginator.count == 30
