import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import AccountDeleteForm, ApiTokenForm, DirectorySearchForm, ProfileForm
from .models import User


def directory(request):
    form = DirectorySearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    members = selectors.directory_search(viewer=request.user, **filters)
    page = Paginator(members, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "members/directory.html",
        {
            "form": form,
            "page": page,
            "sectors": selectors.sectors_all(),
            "skill": selectors.skill_get(slug=filters["skill"]) if filters.get("skill") else None,
            "query": query.urlencode(),
        },
    )


def profile(request, member_id: int):
    member = selectors.profile_get_visible(viewer=request.user, member_id=member_id)
    return render(request, "members/profile.html", {"member": member})


@login_required
def account(request):
    member = request.user
    return render(
        request,
        "members/account.html",
        {
            "member": member,
            "membership": selectors.membership_current(member=member),
            "tokens": selectors.api_tokens_for(member=member),
            "token_form": ApiTokenForm(),
            "new_key": request.session.pop("new_api_key", None),
            "calendar_feed": getattr(member, "calendar_feed", None),
        },
    )


@login_required
def profile_edit(request):
    # A fresh row: a refused form must not leave its values on request.user.
    member = User.objects.get(pk=request.user.pk)
    form = ProfileForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        skill_names = data.pop("skills")
        services.profile_update(member=member, skill_names=skill_names, **data)
        messages.success(request, _("Votre profil est enregistré."))
        return redirect("members:account")
    return render(
        request, "members/profile_edit.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def data_export(request):
    data = selectors.member_data_export(member=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="mes-donnees-dynamo-{stamp}.json"'
    return response


@login_required
def account_delete(request):
    form = AccountDeleteForm(request.POST or None, member=request.user)
    if request.method == "POST" and form.is_valid():
        member = request.user
        logout(request)
        services.account_delete(member=member)
        messages.success(request, _("Votre compte est supprimé. Au revoir, et merci !"))
        return redirect("home")
    return render(
        request, "members/account_delete.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@require_POST
def api_token_create(request):
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Donnez un nom à votre jeton (60 caractères au plus)."))
        return redirect("members:account")
    _token, key = services.api_token_create(member=request.user, name=form.cleaned_data["name"])
    # Shown once on the next page, then gone.
    request.session["new_api_key"] = key
    return redirect("members:account")


@login_required
@require_POST
def api_token_revoke(request, token_id: int):
    token = services.api_token_revoke(member=request.user, token_id=token_id)
    messages.success(request, _("Le jeton « %(name)s » est révoqué.") % {"name": token.name})
    return redirect("members:account")


@login_required
@require_POST
def calendar_feed_renew(request):
    services.calendar_feed_renew(member=request.user)
    messages.success(request, _("Nouvelle adresse d'agenda créée ; l'ancienne ne fonctionne plus."))
    return redirect("members:account")


@login_required
@require_POST
def calendar_feed_revoke(request):
    services.calendar_feed_revoke(member=request.user)
    messages.success(request, _("Votre agenda privé est désactivé."))
    return redirect("members:account")

