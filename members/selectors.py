"""Reads for the members' network: the directory, profiles, plans, exports."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from core.refusals import NotFound

from . import hooks
from .models import ApiToken, Membership, Sector, Skill, User


def visibilities_for(viewer) -> list[str]:
    """Which directory visibilities a viewer may see: public, plus members' when signed in."""
    if viewer is not None and viewer.is_authenticated:
        return [User.Visibility.PUBLIC, User.Visibility.MEMBERS]
    return [User.Visibility.PUBLIC]


def directory_search(
    *, viewer, name: str = "", skill: str = "", sector: str = "", commune: str = ""
) -> QuerySet[User]:
    """Members who opted in and whom the viewer may see, filtered, ordered by name.

    ``name`` is the one search box: each of its words (up to five) must be found in
    the member's first or last name, company, activity or one of their skills,
    ignoring case and accents ("comptabilite" finds "Comptabilité"). ``skill`` is a
    skill's slug (the chips). Skills and sector come in the same fixed number of
    queries whatever the page.
    """
    members = User.objects.filter(is_active=True, directory_visibility__in=visibilities_for(viewer))
    if name:
        for word in name.split()[:5]:
            # A subquery, not a join: a member with two matching skills appears once.
            has_skill = Exists(
                User.skills.through.objects.filter(
                    user_id=OuterRef("pk"), skill__name__unaccent__icontains=word
                )
            )
            members = members.filter(
                Q(first_name__unaccent__icontains=word)
                | Q(last_name__unaccent__icontains=word)
                | Q(company_name__unaccent__icontains=word)
                | Q(activity__unaccent__icontains=word)
                | Q(has_skill)
            )
    if skill:
        members = members.filter(skills__slug=skill)
    if sector:
        members = members.filter(sector__slug=sector)
    if commune:
        members = members.filter(commune__iexact=commune.strip())
    return (
        members.select_related("sector")
        .prefetch_related("skills")
        .order_by("last_name", "first_name", "id")
    )


def profile_get_visible(*, viewer, member_id: int) -> User:
    """A member's profile as the viewer may see it; NotFound when hidden from them or unknown."""
    if viewer is not None and viewer.is_authenticated and viewer.pk == member_id:
        visibilities = list(User.Visibility.values)
    else:
        visibilities = visibilities_for(viewer)
    try:
        return (
            User.objects.select_related("sector")
            .prefetch_related("skills")
            .get(pk=member_id, is_active=True, directory_visibility__in=visibilities)
        )
    except User.DoesNotExist:
        raise NotFound from None


def membership_current(*, member: User, on=None) -> Membership | None:
    """The membership in force on a day (today by default), the most recent first."""
    day = on or timezone.localdate()
    return (
        Membership.objects.select_related("plan")
        .filter(member=member, valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .order_by("-valid_from", "-id")
        .first()
    )


def sectors_all() -> QuerySet[Sector]:
    return Sector.objects.order_by("name")


def skill_get(*, slug: str) -> Skill | None:
    return Skill.objects.filter(slug=slug).first()


def api_tokens_for(*, member: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(member=member, revoked_at__isnull=True)


def member_data_export(*, member: User) -> dict:
    """Everything the site holds about a member, as plain JSON-ready data (RGPD art. 20):
    the account, profile, memberships and tokens, then one section per export hook
    (``members.hooks.register_export``), in the order the apps registered them."""
    memberships = Membership.objects.filter(member=member).select_related("plan")
    data = {
        "account": {
            "email": member.email,
            "first_name": member.first_name,
            "last_name": member.last_name,
            "language": member.language,
            "date_joined": member.date_joined.isoformat(),
            "last_login": member.last_login.isoformat() if member.last_login else None,
        },
        "profile": {
            "kind": member.kind,
            "activity": member.activity,
            "company_name": member.company_name,
            "sector": member.sector.name if member.sector else None,
            "commune": member.commune,
            "phone": member.phone,
            "bio": member.bio,
            "website": member.website,
            "skills": [s.name for s in member.skills.all()],
            "looking_for": member.looking_for,
            "directory_visibility": member.directory_visibility,
        },
        "memberships": [
            {
                "plan": m.plan.name,
                "valid_from": m.valid_from.isoformat(),
                "valid_until": m.valid_until.isoformat() if m.valid_until else None,
            }
            for m in memberships
        ],
        "api_tokens": [
            {
                "name": t.name,
                "prefix": t.prefix,
                "created_at": t.created_at.isoformat(),
                "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
            }
            for t in member.api_tokens.all()
        ],
    }
    # What the other apps hold (bookings, registrations, qualifications, notifications…):
    # each exports its own part through ``members.hooks``.
    data.update(hooks.exports(member=member))
    return data
