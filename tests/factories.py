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


# --- Rooms ---------------------------------------------------------------------


class SiteFactory(factory.django.DjangoModelFactory):
    """A site open Monday to Friday, 8:30–18:30 (pass ``hours=[]`` for none)."""

    class Meta:
        model = "booking.Site"
        django_get_or_create = ["slug"]
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Tiers-lieu {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    address = "Auch (Gers)"

    @factory.post_generation
    def hours(obj, create, extracted, **kwargs):
        from datetime import time

        from booking.models import OpeningHours

        if not create:
            return
        windows = (
            extracted
            if extracted is not None
            else [(day, time(8, 30), time(18, 30)) for day in range(5)]
        )
        OpeningHours.objects.bulk_create(
            OpeningHours(site=obj, weekday=day, opens=opens, closes=closes)
            for day, opens, closes in windows
        )


class ClosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "booking.Closure"

    site = factory.SubFactory(SiteFactory)
    start_date = factory.Faker("future_date")
    end_date = factory.SelfAttribute("start_date")
    reason = "Jour férié"


class AmenityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "rooms.Amenity"
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Équipement {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class SpaceFactory(factory.django.DjangoModelFactory):
    """A meeting room for 6 by default; ``kind`` and ``capacity`` change it."""

    class Meta:
        model = "rooms.Space"
        skip_postgeneration_save = True

    site = factory.SubFactory(SiteFactory)
    name = factory.Sequence(lambda n: f"Salle {n}")
    slug = factory.Sequence(lambda n: f"espace-{n}")
    kind = "meeting_room"
    capacity = 6
    price_member_hour = "10.00"
    price_public_hour = "20.00"

    @factory.post_generation
    def amenities(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.amenities.set(extracted)


class DeskSpaceFactory(SpaceFactory):
    """A shared office of 4 desks."""

    name = factory.Sequence(lambda n: f"Open space {n}")
    kind = "shared_office"
    capacity = 4


# --- Fablab --------------------------------------------------------------------

# Tuesday and Thursday afternoons, Saturday morning: the Fablab's own hours.
FABLAB_HOURS = [
    (1, time(14, 0), time(18, 0)),
    (3, time(14, 0), time(18, 0)),
    (5, time(9, 30), time(12, 30)),
]


class MachineFactory(factory.django.DjangoModelFactory):
    """A laser cutter needing a qualification: 30-minute grid, 30 min to 3 h, 15 minutes
    of buffer after each slot. Its site gets the Fablab hours above unless it has some
    (pass ``fablab_hours=[...]`` for others)."""

    class Meta:
        model = "fablab.Machine"
        skip_postgeneration_save = True

    site = factory.SubFactory(SiteFactory)
    name = factory.Sequence(lambda n: f"Découpe laser {n}")
    slug = factory.Sequence(lambda n: f"machine-{n}")
    kind = "laser_cutter"
    requires_qualification = True
    slot_minutes = 30
    min_minutes = 30
    max_minutes = 180
    buffer_minutes = 15
    price_member_hour = "12.00"
    price_public_hour = "25.00"

    @factory.post_generation
    def fablab_hours(obj, create, extracted, **kwargs):
        from fablab.models import FablabHours

        if not create or (extracted is None and obj.site.fablab_hours.exists()):
            return
        FablabHours.objects.bulk_create(
            FablabHours(site=obj.site, weekday=day, opens=opens, closes=closes)
            for day, opens, closes in (extracted if extracted is not None else FABLAB_HOURS)
        )


class PrinterFactory(MachineFactory):
    """A 3D printer anyone may book."""

    name = factory.Sequence(lambda n: f"Imprimante 3D {n}")
    kind = "3d_printer"
    requires_qualification = False
    min_minutes = 60
    max_minutes = 240
    buffer_minutes = 10


class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "fablab.Qualification"

    member = factory.SubFactory(MemberFactory)
    machine = factory.SubFactory(MachineFactory)
    source = "animator"
