from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone
from django.utils.text import slugify

from members.models import Plan, Sector, Skill, User

PASSWORD = "un-mot-de-passe-solide"
PARIS = ZoneInfo("Europe/Paris")


def _paris_at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Secteur {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Compétence {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class MemberFactory(factory.django.DjangoModelFactory):
    """A member with a verified address, who can log in with PASSWORD."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"membre{n}@example.org")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        obj.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)

    @factory.post_generation
    def skills(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.skills.set(extracted)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    name = factory.Sequence(lambda n: f"Formule {n}")
    kind = Plan.Kind.RESIDENT
    price = "180.00"


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "workshops.Theme"
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Thème {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "workshops.Workshop"

    title = factory.Sequence(lambda n: f"Atelier {n}")
    theme = factory.SubFactory(ThemeFactory)
    kind = "monthly"
    audience = "members"
    facilitator = "Audrey"


class SessionFactory(factory.django.DjangoModelFactory):
    """A session next week, 9:30–12:00 Paris time, without a room."""

    class Meta:
        model = "workshops.Session"

    workshop = factory.SubFactory(WorkshopFactory)
    start = factory.LazyFunction(lambda: _paris_at(timezone.localdate() + timedelta(days=7), 9, 30))
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=2, minutes=30))
    capacity = 10
