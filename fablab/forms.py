"""Parsing of the Fablab pages: local dates and times become aware datetimes through
``local_datetime`` (which refuses a time skipped or repeated at a daylight-saving
change); every rule is the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from booking.localtime import local_datetime
from booking.refusals import BookingRefused
from core.inputs import validate_reasonable_date
from rooms.forms import DateSelect, TimeSelect

from .models import UsageLog


class MachineBookingForm(forms.Form):
    date = forms.DateField(
        label=_("Date"), widget=DateSelect(), validators=[validate_reasonable_date]
    )
    start = forms.TimeField(label=_("De"), widget=TimeSelect())
    end = forms.TimeField(label=_("À"), widget=TimeSelect())

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        for name in ("start", "end"):
            try:
                data[f"{name}_at"] = local_datetime(data["date"], data[name], field=name)
            except BookingRefused as refusal:
                self.add_error(name, refusal.message)
        if not self.errors and data["end_at"] <= data["start_at"]:
            self.add_error("end", _("La fin doit être après le début."))
        return data


class UsageLogForm(forms.Form):
    """What was used. Ranges are the service's to check (one place), not the form's."""

    minutes = forms.IntegerField(
        label=_("Durée réelle (minutes)"), widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    material = forms.CharField(label=_("Matériau"), max_length=120, required=False)
    quantity = forms.DecimalField(label=_("Quantité"), initial=0, required=False)
    unit = forms.ChoiceField(
        label=_("Unité"), choices=[("", "—"), *UsageLog.Unit.choices], required=False
    )
    notes = forms.CharField(
        label=_("Remarques"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_quantity(self):
        value = self.cleaned_data["quantity"]
        return 0 if value is None else value
