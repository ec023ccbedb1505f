from django import forms

from .models import Preference


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["reminder_24h", "reminder_2h", "programme_digest"]
