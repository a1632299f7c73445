"""Forms for tracking the delivery of funded projects."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from localpower.budgets.forms.staff_widgets import GovukDateField
from localpower.budgets.models import DeliveryStatus
from localpower.core.forms import GovukForm


class DeliveryForm(GovukForm):
    status = forms.ChoiceField(label=_("Status"), choices=DeliveryStatus.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Public update (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Residents see this on the project's page."),
    )
    cancelled_reason = forms.CharField(
        label=_("Why it was cancelled"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the project is cancelled. Residents will see it."),
    )


class MilestoneForm(GovukForm):
    title = forms.CharField(
        label=_("Milestone"), max_length=200, help_text=_("For example, “Benches ordered”.")
    )
    due_on = GovukDateField(label=_("Due (optional)"), required=False)
    govuk_widths = {"title": "govuk-input--width-30"}

    def clean_due_on(self):
        value = self.cleaned_data.get("due_on")
        return value.date() if value else None
