"""Residents' forms for ideas: share or change an idea, comment, report abuse."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from localpower.budgets.models import Process
from localpower.core.forms import GovukForm


class IdeaForm(GovukForm):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("A short name for your idea, such as “Benches by the pond”."),
        error_messages={"required": _("Enter a title for your idea.")},
    )
    description = forms.CharField(
        label=_("Describe your idea"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("What should be done, and who would it help?"),
        error_messages={"required": _("Describe your idea.")},
    )
    estimated_cost = forms.DecimalField(
        label=_("Roughly how much would it cost, in pounds? (optional)"),
        required=False,
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        help_text=_("A guess is fine; the council will work out the real cost."),
        error_messages={
            "invalid": _("Enter the cost as a number, such as 1500."),
            "min_value": _("The cost cannot be negative."),
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )
    location_text = forms.CharField(
        label=_("Where? (optional)"),
        max_length=200,
        required=False,
        help_text=_("A street, park or building in the area."),
    )
    image = forms.FileField(
        label=_("Picture (optional)"),
        required=False,
        help_text=_("A JPEG, PNG or WebP picture, up to 5 MB."),
    )
    image_alt = forms.CharField(
        label=_("What the picture shows (optional)"),
        max_length=200,
        required=False,
        help_text=_("For people who cannot see it. Needed if you add a picture."),
    )
    govuk_widths = {"estimated_cost": "govuk-input--width-10"}

    def __init__(self, *args, process: Process, current_image=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_image = current_image
        categories = list(process.categories.all())
        if categories:
            self.fields["category"] = forms.ModelChoiceField(
                label=_("Theme (optional)"),
                queryset=process.categories.all(),
                required=False,
                empty_label=_("Choose a theme"),
            )
            self.fields["category"].widget.attrs["class"] = "govuk-select"
        if current_image:
            self.fields["image"].label = _("Choose a new picture (optional)")
            self.fields["image"].help_text = _(
                "A JPEG, PNG or WebP picture, up to 5 MB. It replaces the picture your idea has now."
            )
            self.fields["remove_image"] = forms.BooleanField(
                label=_("Remove the picture"),
                required=False,
                help_text=_("Take the picture off your idea, without adding another."),
            )
            self.fields["remove_image"].widget.attrs["class"] = "govuk-checkboxes__input"
        self.order_fields(
            ["title", "description", "estimated_cost", "category", "location_text", "image", "remove_image"]
        )

    def clean(self):
        cleaned = super().clean()
        removing = cleaned.get("remove_image")
        if removing and cleaned.get("image"):
            self.add_error("remove_image", _("Either remove the picture or choose a new one, not both."))
        elif cleaned.get("image") and not (cleaned.get("image_alt") or "").strip():
            self.add_error("image_alt", _("Say what the picture shows, for people who cannot see it."))
        return cleaned

    def values(self) -> dict:
        """The cleaned values as keyword arguments for the services. Without a new picture the current one
        stays, unless "Remove the picture" is ticked (then its description goes too)."""
        data = dict(self.cleaned_data)
        removing = data.pop("remove_image", False)
        if not data.get("image"):
            data.pop("image", None)
        if removing:
            data["image"], data["image_alt"] = "", ""
        data.setdefault("category", None)
        return data


class CommentForm(GovukForm):
    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Be kind. Comments are public and show your name."),
        error_messages={"required": _("Write your comment.")},
    )


class ReportForm(GovukForm):
    reason = forms.CharField(
        label=_("What is wrong with it?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=500,
        help_text=_(
            "For example, it is abusive, shares someone’s personal details, or advertises something."
        ),
        error_messages={"required": _("Say what is wrong with it.")},
    )


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where the form has that field, else at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for e in errors:
                for message in e.messages:
                    form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
