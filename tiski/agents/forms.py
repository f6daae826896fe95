from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tiski.agents.models import Agent

COMMON_TIMEZONES = [
    "Europe/Helsinki",
    "Europe/Warsaw",
    "Europe/Stockholm",
    "Europe/Tallinn",
    "Europe/Berlin",
    "Europe/London",
    "UTC",
]


class LoginForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"),
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class PreferencesForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    timezone = forms.ChoiceField(label=_("Time zone"))

    def __init__(self, *args: object, agent: Agent, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        zones = list(COMMON_TIMEZONES)
        if agent.timezone not in zones:
            zones.insert(0, agent.timezone)
        self.fields["timezone"].choices = [(z, z.replace("_", " ")) for z in zones]  # type: ignore[attr-defined]
