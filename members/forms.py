from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User
from .services import MAX_SKILLS


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up: the name members see in the directory."""

    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)

    def signup(self, request, user):
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.language = getattr(request, "LANGUAGE_CODE", "fr")[:2]
        user.save()


class ProfileForm(forms.ModelForm):
    website = forms.URLField(
        label=_("Site web"), required=False, max_length=200, assume_scheme="https"
    )
    skills = forms.CharField(
        label=_("Compétences"),
        required=False,
        max_length=1000,
        help_text=_("Séparées par des virgules, ex. : comptabilité, découpe laser, WordPress"),
    )

    class Meta:
        model = User
        fields = [
            "first_name",
            "last_name",
            "kind",
            "activity",
            "company_name",
            "sector",
            "commune",
            "phone",
            "website",
            "bio",
            "looking_for",
            "directory_visibility",
            "language",
        ]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 4}),
            "looking_for": forms.Textarea(attrs={"rows": 2}),
            "directory_visibility": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["skills"] = ", ".join(s.name for s in self.instance.skills.all())

    def clean_skills(self):
        names = [n.strip() for n in self.cleaned_data["skills"].split(",") if n.strip()]
        if len(names) > MAX_SKILLS:
            raise forms.ValidationError(
                _("%(max)d compétences au plus."), params={"max": MAX_SKILLS}
            )
        if any(len(n) > 60 for n in names):
            raise forms.ValidationError(_("Une compétence tient en 60 caractères au plus."))
        return names


class DirectorySearchForm(forms.Form):
    name = forms.CharField(
        label=_("Nom, activité ou compétence"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("ex. laser, comptabilité")}),
    )
    skill = forms.SlugField(label=_("Compétence"), required=False, max_length=60)
    sector = forms.SlugField(label=_("Secteur"), required=False, max_length=80)
    commune = forms.CharField(label=_("Commune"), required=False, max_length=80)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nom du jeton"), max_length=60, help_text=_("Pour vous y retrouver, ex. « agenda »")
    )


class AccountDeleteForm(forms.Form):
    password = forms.CharField(label=_("Votre mot de passe"), widget=forms.PasswordInput)

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.member.check_password(password):
            raise forms.ValidationError(_("Mot de passe incorrect."))
        return password
