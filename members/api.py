from ninja import Router, Schema

from core.schemas import errors

from . import selectors

router = Router(tags=["members"])


class MembershipOut(Schema):
    plan: str
    valid_from: str
    valid_until: str | None


class MeOut(Schema):
    id: int
    email: str
    first_name: str
    last_name: str
    language: str
    kind: str
    activity: str
    company_name: str
    commune: str
    skills: list[str]
    directory_visibility: str
    membership: MembershipOut | None


@router.get("/me", response={200: MeOut, **errors(401)}, summary="The signed-in member")
def me(request):
    member = request.auth
    membership = selectors.membership_current(member=member)
    return {
        "id": member.pk,
        "email": member.email,
        "first_name": member.first_name,
        "last_name": member.last_name,
        "language": member.language,
        "kind": member.kind,
        "activity": member.activity,
        "company_name": member.company_name,
        "commune": member.commune,
        "skills": [s.name for s in member.skills.all()],
        "directory_visibility": member.directory_visibility,
        "membership": {
            "plan": membership.plan.name,
            "valid_from": membership.valid_from.isoformat(),
            "valid_until": membership.valid_until.isoformat() if membership.valid_until else None,
        }
        if membership
        else None,
    }
