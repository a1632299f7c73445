"""The form an officer types one paper ballot into; its fields follow the process's ballot kind."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from localpower.budgets.ballots import APPROVAL_KINDS
from localpower.budgets.models import BallotKind, Process
from localpower.core.forms import GovukForm


class PaperBallotForm(GovukForm):
    paper_number = forms.CharField(
        label=_("Number printed on the ballot paper"), max_length=30, help_text=_("For example, 000123.")
    )
    govuk_widths = {"paper_number": "govuk-input--width-10"}

    def __init__(self, *args, process: Process, **kwargs):
        super().__init__(*args, **kwargs)
        self.process = process
        self.projects = list(process.projects.order_by("title"))
        kind = process.ballot_kind
        if kind in APPROVAL_KINDS:
            self.fields["projects"] = forms.TypedMultipleChoiceField(
                label=_("Projects marked on the paper"),
                choices=[(p.pk, f"{p.title} ({p.cost:,.2f})") for p in self.projects],
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes__input"}),
            )
        else:
            label = _("Points for “%(title)s”") if kind == BallotKind.CUMULATIVE else _("Rank of “%(title)s”")
            for project in self.projects:
                self.fields[f"project_{project.pk}"] = forms.IntegerField(
                    label=label % {"title": project.title},
                    required=False,
                    min_value=0 if kind == BallotKind.CUMULATIVE else 1,
                    widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3"}),
                    help_text=_("Leave empty when the voter did not rank it.")
                    if kind == BallotKind.RANKED
                    else None,
                )

    def content(self) -> dict:
        """The ballot as the services read it (see ``ballots.validate_ballot``)."""
        kind = self.process.ballot_kind
        if kind in APPROVAL_KINDS:
            return {"projects": self.cleaned_data.get("projects", [])}
        values = {p.pk: self.cleaned_data.get(f"project_{p.pk}") for p in self.projects}
        if kind == BallotKind.CUMULATIVE:
            return {"points": {str(pk): v for pk, v in values.items() if v}}
        ranked = sorted((rank, pk) for pk, rank in values.items() if rank)
        ranks = [rank for rank, _pk in ranked]
        if len(set(ranks)) != len(ranks):
            raise forms.ValidationError(_("Two projects have the same rank; check the paper again."))
        return {"ranking": [pk for _rank, pk in ranked]}


class PaperVoterForm(GovukForm):
    """Record that someone was handed a ballot paper, so they cannot also vote online or get a second paper."""

    paper_reference = forms.CharField(
        label=_("Paper voter reference"),
        required=False,
        max_length=50,
        help_text=_("The council's reference for the voter, such as their electoral roll number."),
    )
    email = forms.EmailField(
        label=_("Or the e-mail address of their account"),
        required=False,
        help_text=_("For a resident who has an account: they will not be able to vote online as well."),
    )
    govuk_widths = {"paper_reference": "govuk-input--width-20", "email": "govuk-input--width-30"}

    def clean(self):
        from django.contrib.auth import get_user_model

        cleaned = super().clean()
        reference, email = (cleaned.get("paper_reference") or "").strip(), cleaned.get("email")
        if bool(reference) == bool(email) and not self.errors:
            raise forms.ValidationError(
                _("Give either the voter's reference or their account's e-mail address.")
            )
        cleaned["user"] = None
        if email:
            cleaned["user"] = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
            if cleaned["user"] is None:
                self.add_error("email", _("There is no account with this e-mail address."))
        return cleaned
