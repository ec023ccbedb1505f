from django import forms
from django.utils.translation import gettext_lazy as _

from core.inputs import ModelChoiceField

from .models import Registration, Theme, Workshop


class ProgrammeFilterForm(forms.Form):
    theme = ModelChoiceField(
        label=_("Thème"),
        queryset=Theme.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("Tous les thèmes"),
    )
    kind = forms.ChoiceField(
        label=_("Type"), choices=[("", _("Tous les types")), *Workshop.Kind.choices], required=False
    )


class VisitorRegistrationForm(forms.Form):
    name = forms.CharField(label=_("Votre nom"), max_length=150)
    email = forms.EmailField(label=_("Votre e-mail"))


class RollCallForm(forms.Form):
    """One radio group per registered person: present, absent, excused."""

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.registrations = list(registrations)
        for registration in self.registrations:
            self.fields[f"r{registration.pk}"] = forms.ChoiceField(
                label=registration.name,
                choices=Registration.Attendance.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=registration.attendance or None,
            )

    def marks(self) -> dict[int, str]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items() if value}
