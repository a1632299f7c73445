"""The ballot form (one shape per ballot kind) and the review-and-confirm form."""

from __future__ import annotations

import json
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from localpower.budgets.ballots import APPROVAL_KINDS, validate_ballot
from localpower.budgets.models import BallotKind, Process
from localpower.core.forms import GovukForm


class BallotForm(GovukForm):
    """The voter's choices. ``clean`` checks them with ``validate_ballot``; ``content`` is then canonical.

    Approval kinds: checkboxes ``projects``. Cumulative: a number ``points_<id>`` per project. Ranked: a select
    ``rank_<n>`` for each place, first choice first.
    """

    def __init__(self, *args, process: Process, projects: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.process = process
        self.projects = projects
        self.by_id = {p.pk: p for p in projects}
        self.content: dict | None = None
        kind = process.ballot_kind
        if kind in APPROVAL_KINDS:
            self.fields["projects"] = forms.MultipleChoiceField(
                label=gettext_lazy("Projects"),
                choices=[(str(p.pk), p.title) for p in projects],
                widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes__input"}),
                required=False,
            )
        elif kind == BallotKind.CUMULATIVE:
            for p in projects:
                self.fields[f"points_{p.pk}"] = forms.IntegerField(
                    label=p.title,
                    required=False,
                    min_value=0,
                    max_value=process.points_total or None,
                    error_messages={
                        "invalid": _("Points for “%(title)s” must be a whole number.") % {"title": p.title},
                        "min_value": _("Points for “%(title)s” cannot be negative.") % {"title": p.title},
                        "max_value": _("You cannot give “%(title)s” more points than you have.")
                        % {"title": p.title},
                    },
                )
                self.fields[f"points_{p.pk}"].widget.attrs.update(
                    {"inputmode": "numeric", "class": "govuk-input govuk-input--width-3"}
                )
        else:
            places = min(process.max_choices or 1, len(projects))
            choices = [("", _("No choice"))] + [(str(p.pk), p.title) for p in projects]
            for n in range(1, places + 1):
                self.fields[f"rank_{n}"] = forms.ChoiceField(
                    label=_("Choice %(n)d") % {"n": n}, choices=choices, required=False
                )
                self.fields[f"rank_{n}"].widget.attrs["class"] = "govuk-select"

    def raw(self) -> dict:
        kind = self.process.ballot_kind
        data = self.cleaned_data
        if kind in APPROVAL_KINDS:
            return {"projects": data.get("projects", [])}
        if kind == BallotKind.CUMULATIVE:
            return {"points": {str(p.pk): data.get(f"points_{p.pk}") or 0 for p in self.projects}}
        ranking = [data.get(name) for name in self.fields if data.get(name)]
        return {"ranking": ranking}

    def clean(self):
        cleaned = super().clean()
        # Kept for the running total: adding an error to a field removes it from cleaned_data.
        self.chosen_values = dict(cleaned)
        if self.errors:
            return cleaned
        try:
            self.content = validate_ballot(self.process, self.raw(), self.by_id)
        except ValidationError as error:
            field = "projects" if "projects" in self.fields else None
            for message in error.messages:
                self.add_error(field, message)
        return cleaned

    def chosen_ids(self) -> set[int]:
        """The projects the voter has ticked or given points so far (valid or not), for the running total."""
        data = getattr(self, "chosen_values", None) or getattr(self, "cleaned_data", {})
        kind = self.process.ballot_kind
        if kind in APPROVAL_KINDS:
            return {int(x) for x in data.get("projects", []) if str(x).isdigit()}
        if kind == BallotKind.CUMULATIVE:
            return {p.pk for p in self.projects if data.get(f"points_{p.pk}")}
        return {int(data[n]) for n in self.fields if str(data.get(n) or "").isdigit()}

    def running_total(self) -> dict:
        """What the voter has used so far: money for knapsack ballots, points for cumulative, a count otherwise."""
        kind = self.process.ballot_kind
        ids = self.chosen_ids() & set(self.by_id)
        if kind == BallotKind.CUMULATIVE:
            data = getattr(self, "chosen_values", None) or getattr(self, "cleaned_data", {})
            used = sum(data.get(f"points_{p.pk}") or 0 for p in self.projects)
            limit = self.process.points_total or 0
            return {
                "kind": "points",
                "used": used,
                "limit": limit,
                "left": limit - used,
                "over": used > limit,
            }
        if kind == BallotKind.KNAPSACK:
            used = sum((Decimal(self.by_id[i].cost) for i in ids), Decimal(0))
            limit = self.process.effective_max_cost
            return {"kind": "money", "used": used, "limit": limit, "left": limit - used, "over": used > limit}
        return {"kind": "count", "used": len(ids), "limit": self.process.max_choices, "over": False}


class ConfirmForm(GovukForm):
    """The review step: the checked ballot travels as JSON with the submission key (one ballot per key)."""

    ballot = forms.CharField(widget=forms.HiddenInput)
    key = forms.CharField(widget=forms.HiddenInput, max_length=200)

    def __init__(self, *args, process: Process, **kwargs):
        super().__init__(*args, **kwargs)
        self.process = process
        if process.minimum_age:
            self.fields["confirmed_minimum_age"] = forms.BooleanField(
                label=_("I am %(age)d or older") % {"age": process.minimum_age},
                required=True,
                widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
                error_messages={
                    "required": _("Confirm that you are %(age)d or older to vote.")
                    % {"age": process.minimum_age}
                },
            )

    def clean_ballot(self) -> dict:
        try:
            value = json.loads(self.cleaned_data["ballot"])
        except (TypeError, ValueError):
            raise ValidationError(_("Your choices could not be read. Choose your projects again.")) from None
        if not isinstance(value, dict):
            raise ValidationError(_("Your choices could not be read. Choose your projects again."))
        return value


class ReceiptForm(GovukForm):
    receipt = forms.CharField(
        label=gettext_lazy("Receipt code"),
        help_text=gettext_lazy("The code you were given when you voted, for example ABCD-EFGH-JKLM."),
        max_length=40,
        error_messages={"required": gettext_lazy("Enter your receipt code.")},
    )
    govuk_widths = {"receipt": "govuk-input--width-20"}

    def __init__(self, *args, processes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["process"] = forms.ChoiceField(
            label=_("Budget"),
            choices=[("", _("Choose a budget"))] + [(p.slug, p.title) for p in processes],
            error_messages={
                "required": _("Choose the budget you voted in."),
                "invalid_choice": _("Choose the budget you voted in."),
            },
        )
        self.order_fields(["process", "receipt"])

    def clean_receipt(self) -> str:
        value = "".join(ch for ch in self.cleaned_data["receipt"].upper() if ch.isalnum())
        if len(value) != 12:
            raise ValidationError(_("A receipt code has 12 letters and numbers, for example ABCD-EFGH-JKLM."))
        return value
