import pytest


@pytest.mark.django_db
def test_home_page_shows_the_navigation(client):
    response = client.get("/")
    assert response.status_code == 200
    for label in ["Espaces", "Ateliers", "Fablab", "Réseau"]:
        assert label in response.content.decode()
