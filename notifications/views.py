from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from members.models import User

from . import selectors, services
from .forms import PreferenceForm


@login_required
def preferences(request):
    form = PreferenceForm(
        request.POST or None, instance=selectors.preference_for(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        services.preference_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("Vos préférences de notification sont enregistrées."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


# Mail clients POST the one-click unsubscribe (RFC 8058) with no CSRF token; the
# signed token in the URL is the authorisation, and it can only switch things off.
@csrf_exempt
def unsubscribe(request, token: str):
    try:
        user, preference = services.unsubscribe_token_read(token=token)
    except (signing.BadSignature, User.DoesNotExist):
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        services.preference_unsubscribe(token=token)
        return render(request, "notifications/unsubscribe.html", {"done": True, "user": user})
    # A GET only asks: link scanners in mail gateways must not unsubscribe anyone.
    return render(
        request, "notifications/unsubscribe.html", {"preference": preference, "user": user}
    )
