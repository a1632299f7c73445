"""Forms for the council's review of ideas and for ballot projects."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from localpower.budgets.models import IdeaStatus
from localpower.core.forms import GovukForm

ASSESS_CHOICES = [
    (IdeaStatus.UNDER_REVIEW, _("Under review")),
    (IdeaStatus.FEASIBLE, _("Feasible")),
    (IdeaStatus.NOT_FEASIBLE, _("Not feasible")),
]


def _money(label, *, required: bool = True, help_text=None) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        help_text=help_text,
    )


class AssessForm(GovukForm):
    status = forms.ChoiceField(label=_("Decision"), choices=ASSESS_CHOICES, widget=forms.RadioSelect)
    public_reason = forms.CharField(
        label=_("Public reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The idea's author and everyone else will see this. Needed when the idea is not feasible."
        ),
    )
    estimated_cost = _money(
        _("Council's costing (optional)"), required=False, help_text=_("Replaces the resident's estimate.")
    )
    govuk_widths = {"estimated_cost": "govuk-input--width-10"}


class MergeForm(GovukForm):
    into = forms.ModelChoiceField(
        label=_("Merge this idea into"), queryset=None, empty_label=_("Choose the idea to keep")
    )
    public_reason = forms.CharField(
        label=_("Public reason (optional)"),
        required=False,
        max_length=500,
        help_text=_("Shown on this idea. When empty: “Merged with a similar idea”."),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = candidates


class ProjectForm(GovukForm):
    title = forms.CharField(label=_("Project title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    cost = _money(_("Final cost"))
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=None, required=False, empty_label=_("None")
    )
    location_text = forms.CharField(label=_("Where"), required=False, max_length=200)
    feasibility_reason = forms.CharField(
        label=_("Council's assessment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to voters beside the project."),
    )
    govuk_widths = {"cost": "govuk-input--width-10"}

    def __init__(self, *args, process, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = process.categories.all()
        if not process.categories.exists():
            del self.fields["category"]


class IdeaProjectForm(ProjectForm):
    """Turn an idea (and any similar feasible ideas) into a ballot project."""

    also = forms.ModelMultipleChoiceField(
        label=_("Also combine these ideas (optional)"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, others, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["also"].queryset = others
        if not others.exists():
            del self.fields["also"]
