"""Animators set a site's country and subdivision, and open on a public holiday, from
the site's admin page; what the holidays calendar does not know is a form error."""

import pytest

from booking.models import Closure, Site
from members.services import animator_make
from tests.factories import MemberFactory, SiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def animator_client(client):
    client.force_login(animator_make(email=MemberFactory().email))
    return client


def _post(client, site, *, country, subdivision="", closures=()):
    data = {
        "name": site.name,
        "slug": site.slug,
        "address": site.address,
        "description": "",
        "jauge": "",
        "country": country,
        "subdivision": subdivision,
        "opening_hours-TOTAL_FORMS": "0",
        "opening_hours-INITIAL_FORMS": "0",
        "closures-TOTAL_FORMS": str(len(closures)),
        "closures-INITIAL_FORMS": "0",
    }
    for i, (kind, start, end, reason) in enumerate(closures):
        data.update(
            {
                f"closures-{i}-kind": kind,
                f"closures-{i}-start_date": start,
                f"closures-{i}-end_date": end,
                f"closures-{i}-reason": reason,
            }
        )
    return client.post(f"/admin/booking/site/{site.pk}/change/", data)


def test_an_unknown_country_is_a_form_error_not_a_crash(animator_client):
    site = SiteFactory()
    response = _post(animator_client, site, country="XX")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Pays inconnu du calendrier des jours fériés : XX." in errors["country"]
    assert Site.objects.get(pk=site.pk).country == "FR"


def test_an_unknown_subdivision_lists_the_ones_the_country_has(animator_client):
    site = SiteFactory()
    response = _post(animator_client, site, country="FR", subdivision="Gers")
    assert response.status_code == 200
    [message] = response.context["adminform"].form.errors["subdivision"]
    assert "57" in message and "6AE" in message


def test_a_country_and_subdivision_are_stored_as_the_calendar_spells_them(animator_client):
    site = SiteFactory()
    response = _post(animator_client, site, country="fr", subdivision="moselle")
    assert response.status_code == 302
    site.refresh_from_db()
    assert (site.country, site.subdivision) == ("FR", "57")


def test_an_animator_opens_the_site_on_ascension_from_its_page(animator_client):
    site = SiteFactory()
    response = _post(
        animator_client,
        site,
        country="FR",
        closures=[("open", "2031-05-22", "2031-05-22", "Ouvert pour le salon")],
    )
    assert response.status_code == 302
    opening = Closure.objects.get(site=site)
    assert opening.is_opening


def test_opening_on_a_day_that_is_no_holiday_is_a_form_error(animator_client):
    site = SiteFactory()
    response = _post(
        animator_client,
        site,
        country="FR",
        closures=[("open", "2031-05-21", "2031-05-21", "Ouvert")],
    )
    assert response.status_code == 200
    [formset] = [
        f for f in response.context["inline_admin_formsets"] if f.formset.prefix == "closures"
    ]
    assert formset.formset.errors[0]["start_date"] == [
        "Aucun jour férié du lieu à ces dates : rien à ouvrir."
    ]
    assert not Closure.objects.exists()
