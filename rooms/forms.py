"""Parsing of the booking pages. Local dates and times become aware datetimes through
``local_datetime``, which refuses a time skipped or repeated at a daylight-saving
change; every other rule is the engine's."""

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from booking.localtime import local_datetime, to_local
from booking.models import Site
from booking.periods import AFTERNOON, DAY, MORNING
from booking.refusals import BookingRefused
from booking.selectors import periods_for_day
from core.inputs import ModelChoiceField, validate_reasonable_date
from members.validators import validate_phone

from .models import Amenity, Space
from .services.series import MAX_WEEKS

DURATIONS = [
    (30, _("30 min")),
    (60, _("1 h")),
    (90, _("1 h 30")),
    (120, _("2 h")),
    (180, _("3 h")),
    (240, _("4 h (demi-journée)")),
    (300, _("5 h")),
    (600, _("Journée")),
]


class TimeSelect(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", attrs={"step": 1800, **kwargs.get("attrs", {})})


class DateSelect(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _aware(form, day, at, field):
    try:
        return local_datetime(day, at, field=field)
    except BookingRefused as refusal:
        form.add_error(field, refusal.message)
        return None


class BookingForm(forms.Form):
    """One booking, or the same slot every week for ``weeks`` weeks. Desks are booked
    by the morning, the afternoon or the day (``period``): their times are the
    space's own periods of that day (``booking.selectors.periods_for_day``), the ones
    the price is computed on."""

    PERIODS = [
        ("", _("Horaires libres")),
        (MORNING, _("Matin")),
        (AFTERNOON, _("Après-midi")),
        (DAY, _("Journée")),
    ]

    space = ModelChoiceField(
        label=_("Espace"), queryset=Space.objects.filter(is_active=True).select_related("site")
    )
    date = forms.DateField(
        label=_("Date"), widget=DateSelect(), validators=[validate_reasonable_date]
    )
    period = forms.ChoiceField(label=_("Période"), choices=PERIODS, required=False)
    start = forms.TimeField(label=_("De"), required=False, widget=TimeSelect())
    end = forms.TimeField(label=_("À"), required=False, widget=TimeSelect())
    seats = forms.IntegerField(
        label=_("Personnes"), min_value=1, max_value=500, initial=1, required=False
    )
    weeks = forms.IntegerField(
        label=_("Répéter chaque semaine pendant"),
        min_value=1,
        max_value=MAX_WEEKS,
        initial=1,
        required=False,
        help_text=_("Nombre de semaines, 1 = une seule fois."),
    )

    def clean_seats(self):
        return self.cleaned_data["seats"] or 1

    def clean_weeks(self):
        return self.cleaned_data["weeks"] or 1

    def clean(self):
        data = super().clean()
        space, day = data.get("space"), data.get("date")
        if space is None or day is None:
            return data
        period = data.get("period")
        if period:
            periods = {p.name: p for p in periods_for_day(resource=space, day=day)}
            if not periods:
                self.add_error("date", _("Le lieu est fermé ce jour-là."))
                return data
            chosen = periods.get(period)
            if chosen is None:
                self.add_error("period", _("Cette période n'est pas proposée ce jour-là."))
                return data
            data["start"] = to_local(chosen.start).time()
            data["end"] = to_local(chosen.end).time()
        for field in ("start", "end"):
            if data.get(field) is None and field not in self.errors:
                self.add_error(field, _("Indiquez l'heure, ou choisissez une période."))
        if self.errors:
            return data
        data["start_at"] = _aware(self, day, data["start"], "start")
        # An end at midnight or before the start is an error, not the next day.
        data["end_at"] = _aware(self, day, data["end"], "end")
        if data["start_at"] and data["end_at"] and data["end_at"] <= data["start_at"]:
            self.add_error("end", _("La fin doit être après le début."))
        return data


class SearchForm(forms.Form):
    site = ModelChoiceField(label=_("Lieu"), queryset=Site.objects.all(), empty_label=None)
    date = forms.DateField(
        label=_("Date"), widget=DateSelect(), validators=[validate_reasonable_date]
    )
    start = forms.TimeField(label=_("À partir de"), widget=TimeSelect(), initial=time(9, 0))
    duration = forms.TypedChoiceField(label=_("Durée"), choices=DURATIONS, coerce=int, initial=120)
    people = forms.IntegerField(label=_("Personnes"), min_value=1, max_value=500, initial=1)
    amenities = forms.ModelMultipleChoiceField(
        label=_("Équipements"),
        queryset=Amenity.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        data["start_at"] = _aware(self, data["date"], data["start"], "start")
        if data["start_at"] is not None:
            data["end_at"] = data["start_at"] + timedelta(minutes=data["duration"])
        return data


class WeekForm(forms.Form):
    """?semaine=YYYY-MM-DD (any day of the week) &espace=<id>; bad values fall back."""

    semaine = forms.DateField(required=False, validators=[validate_reasonable_date])
    espace = forms.IntegerField(required=False, min_value=1)

    def week_start(self):
        day = (
            self.cleaned_data.get("semaine") if self.is_valid() else None
        ) or timezone.localdate()
        return day - timedelta(days=day.weekday())

    def space_id(self):
        return self.cleaned_data.get("espace") if self.is_valid() else None


def grid_link_params(space, start: datetime, end: datetime) -> str:
    local_start, local_end = timezone.localtime(start), timezone.localtime(end)
    return f"space={space.pk}&date={local_start:%Y-%m-%d}&start={local_start:%H:%M}&end={local_end:%H:%M}"


class RentalRequestForm(forms.Form):
    name = forms.CharField(label=_("Votre nom"), max_length=150)
    email = forms.EmailField(label=_("Votre e-mail"))
    phone = forms.CharField(
        label=_("Téléphone"), max_length=25, required=False, validators=[validate_phone]
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=150, required=False)
    purpose = forms.CharField(
        label=_("Pour quoi faire ?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ex. : cours de droit en visio, préparation d'un concours…"),
    )
    space = ModelChoiceField(
        label=_("Espace"),
        queryset=Space.objects.filter(is_active=True).select_related("site").order_by("name"),
    )
    date = forms.DateField(
        label=_("Date"), widget=DateSelect(), validators=[validate_reasonable_date]
    )
    start = forms.TimeField(label=_("De"), widget=TimeSelect())
    end = forms.TimeField(label=_("À"), widget=TimeSelect())
    people = forms.IntegerField(label=_("Personnes"), min_value=1, max_value=500, initial=1)
    # Left empty by people, filled in by spam robots.
    website = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        data["start_at"] = _aware(self, data["date"], data["start"], "start")
        data["end_at"] = _aware(self, data["date"], data["end"], "end")
        if data["start_at"] and data["end_at"] and data["end_at"] <= data["start_at"]:
            self.add_error("end", _("La fin doit être après le début."))
        return data
