"""Writes for the members' network: profiles, skills, tokens, account deactivation and
deletion, animators."""

import hashlib
import secrets
from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify

from core.refusals import NotFound

from . import hooks
from .models import ApiToken, CalendarFeed, Membership, Plan, Skill, User

ANIMATORS_GROUP = "Animateurs"
# Apps whose data the animators run from the admin (members and plans, sites and
# reservations, spaces, workshops, Fablab, the beat schedule, the notification outbox).
ANIMATOR_APPS = (
    "members",
    "booking",
    "rooms",
    "workshops",
    "fablab",
    "django_celery_beat",
    "notifications",
)
TOKEN_PREFIX = "dyn_"
MAX_SKILLS = 20


def skills_from_names(names: Iterable[str]) -> list[Skill]:
    """The Skill for each name, created when missing; 'Laser' and 'laser' are one."""
    skills: dict[str, Skill] = {}
    for raw in names:
        name = " ".join(raw.split())[:60]
        slug = slugify(name)[:60]
        if not slug or slug in skills:
            continue
        skill = (
            Skill.objects.filter(slug=slug).first()
            or Skill.objects.filter(name__iexact=name).first()
        )
        if skill is None:
            skill, _created = Skill.objects.get_or_create(slug=slug, defaults={"name": name})
        skills[slug] = skill
    return list(skills.values())


@transaction.atomic
def profile_update(*, member: User, skill_names: Iterable[str] | None = None, **fields) -> User:
    """Set profile fields (validated with full_clean) and, when given, the member's skills.

    Raises ValidationError naming the field; nothing is saved then.
    """
    for name, value in fields.items():
        setattr(member, name, value)
    member.full_clean(exclude=["password"])
    member.save()
    if skill_names is not None:
        member.skills.set(skills_from_names(list(skill_names)[:MAX_SKILLS]))
    return member


def membership_grant(*, member: User, plan: Plan, valid_from=None, valid_until=None) -> Membership:
    membership = Membership(
        member=member,
        plan=plan,
        valid_from=valid_from or timezone.localdate(),
        valid_until=valid_until,
    )
    membership.full_clean()
    membership.save()
    return membership


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, member: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; returns it with its key, which is never shown again."""
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        member=member, name=name.strip()[:60], prefix=key[:12], key_hash=_hash_key(key)
    )
    token.full_clean()
    token.save()
    return token, key


def api_token_revoke(*, member: User, token_id: int) -> ApiToken:
    """Revoke one of the member's own tokens; another member's token raises NotFound."""
    token = ApiToken.objects.filter(pk=token_id, member=member, revoked_at__isnull=True).first()
    if token is None:
        raise NotFound
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(key: str) -> User | None:
    """The active member behind a bearer key, or None. Records when the token was last used."""
    if not key.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("member")
        .filter(key_hash=_hash_key(key), revoked_at__isnull=True, member__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # One write a minute at most, not one per request.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.member


@transaction.atomic
def account_delete(*, member: User) -> None:
    """Delete a member's account and what only it owns.

    Tokens, memberships and the profile go with the row. Registrations, bookings and
    Fablab slots still to come are cancelled, which frees seats for others (see
    ``member_deactivate``, which releases the same); past ones stay for the reports,
    without the member. The apps holding them take part through ``members.hooks``
    (release, then forget), registered in their ``AppConfig.ready()``. The account page
    and the admin (its delete page and its "delete selected" action) all delete through
    here.
    """
    hooks.release(member=member)
    hooks.forget(member=member)
    member.delete()


@transaction.atomic
def member_deactivate(*, member: User, now=None) -> User:
    """Switch an account off (``is_active`` False): it can no longer sign in, nothing is
    sent to it, and everything it holds still to come is released exactly as on account
    deletion — bookings, Fablab slots, workshop seats (promoting the waitlist) and
    waitlist places. The account and its past stay, so it can be switched on again
    (nothing released comes back).

    Every way of deactivating an account goes through here (the admin's form and its
    list action); calling it on an inactive account releases whatever is left and
    changes nothing else. Locks what the cancellations lock, in the order account
    deletion takes them: the member's row, the resources of their reservations, the
    sessions of their registrations.
    """
    User.objects.filter(pk=member.pk).update(is_active=False)
    member.is_active = False
    # Bookings and Fablab slots (at any notice), then workshop seats and waitlist
    # places, each freed seat promoting the next person waiting: each app's release
    # hook (``members.hooks``). Past rows are left alone.
    hooks.release(member=member, now=now)
    return member


def animators_group_ensure() -> Group:
    """The animators' group with every permission on the apps they run (idempotent)."""
    group, _created = Group.objects.get_or_create(name=ANIMATORS_GROUP)
    permissions = Permission.objects.filter(content_type__app_label__in=ANIMATOR_APPS)
    group.permissions.add(*permissions)
    return group


def animator_make(*, email: str) -> User:
    """Give an existing member the animators' rights: admin access, not superuser."""
    member = User.objects.annotate(email_ci=Lower("email")).filter(email_ci=email.lower()).first()
    if member is None:
        raise User.DoesNotExist(email)
    member.is_staff = True
    member.save(update_fields=["is_staff"])
    member.groups.add(animators_group_ensure())
    return member


def calendar_feed_renew(*, member: User) -> CalendarFeed:
    """Give the member a new private feed URL; the old one stops working at once."""
    feed, _created = CalendarFeed.objects.update_or_create(
        member=member, defaults={"token": secrets.token_urlsafe(32)}
    )
    return feed


def calendar_feed_revoke(*, member: User) -> None:
    CalendarFeed.objects.filter(member=member).delete()
