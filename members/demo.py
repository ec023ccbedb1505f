"""Demo data for the network: plans, sectors, members with skills,
an animator and a superuser. Idempotent: running it twice changes nothing."""

from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone
from django.utils.text import slugify

from .models import Membership, Plan, Sector, User
from .services import animator_make, skills_from_names

DEMO_PASSWORD = "dynamo-demo"
SUPERUSER_EMAIL = "admin@ladynamo.example"
ANIMATOR_EMAIL = "animatrice@ladynamo.example"
MEMBER_EMAIL = "camille.martin@ladynamo.example"

PLANS = [
    ("Pass journée", Plan.Kind.DAY_PASS, "15.00", None),
    ("Carnet 10 jours", Plan.Kind.CARNET, "120.00", 10),
    ("Résident mensuel", Plan.Kind.RESIDENT, "180.00", None),
    ("Réseau seul", Plan.Kind.NETWORK, "0.00", None),
]
SECTORS = [
    "Numérique",
    "Artisanat",
    "Conseil",
    "Formation",
    "Communication",
    "Agriculture",
    "Santé",
]
# (first, last, kind, activity, company, sector, commune, skills, visibility, plan)
MEMBERS = [
    (
        "Camille",
        "Martin",
        "solo",
        "Développeuse web",
        "Atelier Pixel",
        "Numérique",
        "Auch",
        ["WordPress", "Django", "Accessibilité"],
        "members",
        "Résident mensuel",
    ),
    (
        "Julien",
        "Dupuy",
        "teleworker",
        "Chef de projet télésalarié",
        "Airbus",
        "Conseil",
        "Pavie",
        ["Gestion de projet", "Anglais"],
        "public",
        "Carnet 10 jours",
    ),
    (
        "Sophie",
        "Lacoste",
        "solo",
        "Ébéniste",
        "Bois & Gers",
        "Artisanat",
        "Auch",
        ["Découpe laser", "Menuiserie", "Design"],
        "public",
        "Carnet 10 jours",
    ),
    (
        "Thomas",
        "Abadie",
        "solo",
        "Graphiste",
        "",
        "Communication",
        "Mirande",
        ["Design", "Identité visuelle", "Impression 3D"],
        "members",
        "Pass journée",
    ),
    (
        "Nadia",
        "Benali",
        "solo",
        "Avocate",
        "Cabinet Benali",
        "Conseil",
        "Auch",
        ["Droit des affaires", "Formation"],
        "members",
        "Résident mensuel",
    ),
    (
        "Pierre",
        "Castex",
        "teleworker",
        "Ingénieur réseau",
        "",
        "Numérique",
        "Condom",
        ["Réseaux", "Linux"],
        "hidden",
        "Réseau seul",
    ),
    (
        "Claire",
        "Fourcade",
        "solo",
        "Professeure de mathématiques",
        "",
        "Formation",
        "Auch",
        ["Mathématiques", "Soutien scolaire"],
        "public",
        "Carnet 10 jours",
    ),
    (
        "Marc",
        "Soulé",
        "company",
        "Maraîchage bio",
        "Les Jardins de Gascogne",
        "Agriculture",
        "Lectoure",
        ["Vente directe", "Comptabilité"],
        "members",
        "Réseau seul",
    ),
    (
        "Inès",
        "Lafitte",
        "association",
        "Coordinatrice",
        "Gers Solidaire",
        "Santé",
        "Fleurance",
        ["Animation de réseau", "Codéveloppement"],
        "public",
        "Réseau seul",
    ),
    (
        "Lucas",
        "Pujol",
        "solo",
        "Photographe",
        "",
        "Communication",
        "Auch",
        ["Photographie", "Vidéo"],
        "members",
        "Pass journée",
    ),
]


def _account(email, *, first_name="", last_name="", **fields) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email, DEMO_PASSWORD, first_name=first_name, last_name=last_name, **fields
        )
    # A verified address: allauth's mandatory verification lets demo accounts log in.
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def seed(stdout=None) -> None:
    plans = {}
    for name, kind, price, days in PLANS:
        plans[name], _ = Plan.objects.get_or_create(
            name=name, defaults={"kind": kind, "price": price, "days_included": days}
        )
    sectors = {}
    for name in SECTORS:
        sectors[name], _ = Sector.objects.get_or_create(slug=slugify(name), defaults={"name": name})

    admin = _account(SUPERUSER_EMAIL, first_name="Admin", last_name="Dynamo")
    if not admin.is_superuser:
        admin.is_superuser = admin.is_staff = True
        admin.save(update_fields=["is_superuser", "is_staff"])
    _account(ANIMATOR_EMAIL, first_name="Audrey", last_name="Animatrice", kind="other")
    animator_make(email=ANIMATOR_EMAIL)

    start = timezone.localdate().replace(day=1)
    for first, last, kind, activity, company, sector, commune, skills, visibility, plan in MEMBERS:
        email = f"{slugify(first)}.{slugify(last)}@ladynamo.example"
        created = not User.objects.filter(email=email).exists()
        member = _account(
            email,
            first_name=first,
            last_name=last,
            kind=kind,
            activity=activity,
            company_name=company,
            sector=sectors[sector],
            commune=commune,
            directory_visibility=visibility,
            bio=f"{activity} à {commune}, membre du réseau Soho Solo.",
            looking_for="Des contacts et des projets à partager.",
        )
        if created:
            member.skills.set(skills_from_names(skills))
            Membership.objects.create(
                member=member,
                plan=plans[plan],
                valid_from=start - timedelta(days=60),
                valid_until=None
                if plan in ("Résident mensuel", "Réseau seul")
                else date(start.year + 1, 1, 1),
            )
    if stdout:
        stdout.write(f"Members: {User.objects.count()}, plans: {Plan.objects.count()}")
