import re

import pytest
from django.core import mail

from members.models import User
from tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db

SIGNUP = "/accounts/signup/"


def _signup(client, **overrides):
    data = {
        "email": "lea.dupont@example.org",
        "first_name": "Léa",
        "last_name": "Dupont",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return client.post(SIGNUP, data)


def test_a_newcomer_signs_up_confirms_her_email_and_logs_in(client, settings):
    response = _signup(client)
    assert response.status_code == 302

    # Before the address is confirmed, logging in leads to "confirm your e-mail".
    response = client.post(
        "/accounts/login/", {"login": "lea.dupont@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "confirm-email" in response["Location"]

    (message,) = [m for m in mail.outbox if "lea.dupont@example.org" in m.to]
    confirm_url = re.search(
        re.escape(settings.SITE_URL) + r"(/accounts/confirm-email/\S+/)", message.body
    )[1]
    assert client.post(confirm_url).status_code == 302

    response = client.post(
        "/accounts/login/", {"login": "lea.dupont@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    account = client.get("/compte/")
    assert account.status_code == 200
    assert "Léa Dupont" in account.content.decode()
    user = User.objects.get(email="lea.dupont@example.org")
    assert user.directory_visibility == User.Visibility.HIDDEN


def test_signing_up_with_an_existing_email_is_refused_with_a_message(client):
    MemberFactory(email="deja@example.org")
    response = _signup(client, email="Deja@Example.org")
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert User.objects.filter(email__iexact="deja@example.org").count() == 1


def test_signing_up_without_a_name_is_refused_and_stores_nothing(client):
    response = _signup(client, first_name="")
    assert "first_name" in response.context["form"].errors
    assert not User.objects.filter(email="lea.dupont@example.org").exists()


def test_after_five_wrong_passwords_even_the_right_one_must_wait(client):
    MemberFactory(email="cible@example.org")
    for _ in range(5):
        client.post("/accounts/login/", {"login": "cible@example.org", "password": "faux"})
    response = client.post("/accounts/login/", {"login": "cible@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert "Trop de tentatives" in str(response.context["form"].non_field_errors())
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link_that_sets_a_new_password(client, settings):
    MemberFactory(email="oubli@example.org")
    client.post("/accounts/password/reset/", {"email": "oubli@example.org"})
    (message,) = [m for m in mail.outbox if "oubli@example.org" in m.to]
    reset_url = re.search(
        re.escape(settings.SITE_URL) + r"(/accounts/password/reset/key/\S+/)", message.body
    )[1]
    form_page = client.get(reset_url, follow=True)
    client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else reset_url,
        {"password1": "nouveau-mot-de-passe-42", "password2": "nouveau-mot-de-passe-42"},
    )
    assert client.login(email="oubli@example.org", password="nouveau-mot-de-passe-42")


# --- allauth's e-mails name the site and link to it as the notifications do ----------

URL = re.compile(r"https?://\S+")


def test_the_signup_email_greets_with_the_site_name_and_links_to_the_site_url(
    client, settings
):
    settings.SITE_URL = "https://reserver.ladynamo.example"
    settings.SITE_NAME = "La Dynamo du Gers"

    # The request comes through another host, as with `make run HOST=127.0.0.1:8101`
    # behind a proxy: the e-mail still names the site and links to SITE_URL.
    client.post(
        SIGNUP,
        {
            "email": "lea.dupont@example.org",
            "first_name": "Léa",
            "last_name": "Dupont",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        HTTP_HOST="localhost",
    )

    (message,) = [m for m in mail.outbox if "lea.dupont@example.org" in m.to]
    assert "La Dynamo du Gers" in message.body
    assert "localhost" not in message.body
    links = URL.findall(message.body)
    assert links
    assert all(link.startswith("https://reserver.ladynamo.example/") for link in links)
    assert "https://reserver.ladynamo.example/accounts/confirm-email/" in message.body


def test_the_password_reset_email_links_to_the_site_url(client, settings):
    settings.SITE_URL = "https://reserver.ladynamo.example"
    MemberFactory(email="oubli@example.org")

    client.post("/accounts/password/reset/", {"email": "oubli@example.org"}, HTTP_HOST="localhost")

    (message,) = [m for m in mail.outbox if "oubli@example.org" in m.to]
    links = URL.findall(message.body)
    assert links
    assert all(link.startswith("https://reserver.ladynamo.example/") for link in links)
