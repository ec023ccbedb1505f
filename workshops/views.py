from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.ics import ics_response

from . import selectors, services
from .calendar import session_event
from .forms import ProgrammeFilterForm, RollCallForm, VisitorRegistrationForm
from .models import Registration, Session


def programme(request):
    form = ProgrammeFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        theme = form.cleaned_data["theme"]
        filters = {"theme": theme.slug if theme else "", "kind": form.cleaned_data["kind"]}
    page = Paginator(selectors.programme(**filters), 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "workshops/programme.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def _session_page(request, session, *, visitor_form=None, status=200):
    registration = selectors.registration_of(session=session, member=request.user)
    return render(
        request,
        "workshops/session.html",
        {
            "session": session,
            "registration": registration,
            "position": selectors.waitlist_position(registration) if registration else None,
            "visitor_form": visitor_form or VisitorRegistrationForm(),
        },
        status=status,
    )


def session_detail(request, session_id: int):
    session = get_object_or_404(selectors.sessions_with_seats(), pk=session_id)
    return _session_page(request, session)


def session_ics(request, session_id: int):
    session = get_object_or_404(
        Session.objects.select_related("workshop", "room__site"), pk=session_id
    )
    return ics_response([session_event(session)], filename=f"atelier-{session.pk}.ics")


@login_required
@require_POST
def register(request, session_id: int):
    session = get_object_or_404(Session, pk=session_id)
    try:
        registration = services.registration_create(session=session, member=request.user)
    except services.RegistrationRefused as refused:
        messages.error(request, refused.message)
    else:
        if registration.status == Registration.Status.REGISTERED:
            messages.success(request, _("Vous êtes inscrit·e. À bientôt à la Dynamo !"))
        else:
            messages.info(
                request,
                _("La séance est complète : vous êtes sur la liste d'attente (position %(n)s).")
                % {"n": selectors.waitlist_position(registration)},
            )
    return redirect(session)


@login_required
@require_POST
def cancel(request, session_id: int):
    session = get_object_or_404(Session, pk=session_id)
    registration = selectors.registration_of(session=session, member=request.user)
    if registration is None:
        messages.error(request, _("Vous n'êtes pas inscrit·e à cette séance."))
        return redirect(session)
    try:
        services.registration_cancel(registration=registration)
    except services.RegistrationRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Votre inscription est annulée."))
    return redirect(session)


def cancel_by_link(request, token: str):
    """A visitor without an account cancels from the link in their e-mails. GET shows
    a button, POST cancels: link scanners in mailboxes only GET."""
    registration = get_object_or_404(
        Registration.objects.select_related("session__workshop"),
        confirmation_token=token,
        member__isnull=True,
    )
    if request.method == "POST":
        try:
            services.registration_cancel(registration=registration)
        except services.RegistrationRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request, _("Votre inscription est annulée. Merci de nous avoir prévenus !")
            )
        return redirect(registration.session)
    return render(request, "workshops/cancel_by_link.html", {"registration": registration})


@require_POST
def register_visitor(request, session_id: int):
    session = get_object_or_404(selectors.sessions_with_seats(), pk=session_id)
    form = VisitorRegistrationForm(request.POST)
    if form.is_valid():
        try:
            services.registration_create(
                session=session, name=form.cleaned_data["name"], email=form.cleaned_data["email"]
            )
        except services.RegistrationRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            messages.success(
                request,
                _("Presque fini : confirmez votre inscription avec le lien envoyé à %(email)s.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect(session)
    return _session_page(request, session, visitor_form=form, status=400)


def confirm(request, token: str):
    """GET shows a button, POST confirms: link scanners in mailboxes only GET."""
    if request.method == "POST":
        try:
            registration = services.registration_confirm(token=token)
        except services.RegistrationRefused as refused:
            messages.error(request, refused.message)
            return redirect("workshops:programme")
        if registration.status == Registration.Status.REGISTERED:
            messages.success(request, _("Votre inscription est confirmée. À bientôt !"))
        else:
            messages.info(request, _("La séance est complète : vous êtes sur la liste d'attente."))
        return redirect(registration.session)
    registration = get_object_or_404(
        Registration.objects.select_related("session__workshop"), confirmation_token=token
    )
    return render(request, "workshops/confirm.html", {"registration": registration})


@login_required
@permission_required("workshops.change_registration", raise_exception=True)
def roll_call(request, session_id: int):
    session = get_object_or_404(
        Session.objects.select_related("workshop", "room__site"), pk=session_id
    )
    registrations = selectors.roll_call(session=session)
    form = RollCallForm(request.POST or None, registrations=registrations)
    if request.method == "POST" and form.is_valid():
        changed = services.attendance_record(session=session, marks=form.marks(), by=request.user)
        messages.success(request, _("Appel enregistré (%(n)s changement(s)).") % {"n": changed})
        return redirect(reverse("workshops:roll_call", args=[session.pk]))
    return render(request, "workshops/roll_call.html", {"session": session, "form": form})
