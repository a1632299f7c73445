from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from localpower.core.forms import GovukForm
from localpower.notifications.models import Kind


class PreferencesForm(GovukForm):
    kinds = forms.MultipleChoiceField(
        label=_("E-mail me"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Select all that apply. Leave all empty to get no e-mails from us about budgets and consultations."
        ),
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas I follow"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "You hear about the areas you live in anyway. Following an area includes the areas inside it."
        ),
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = areas
        self.fields["areas"].label_from_instance = lambda area: f"{area.name} ({area.get_kind_display()})"
