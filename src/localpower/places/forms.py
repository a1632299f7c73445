"""Forms for the public places pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from localpower.core.forms import GovukForm
from localpower.places.models import AreaKind
from localpower.places.postcodes import InvalidPostcode, normalise_postcode


class PostcodeForm(GovukForm):
    """A postcode, normalised to "SW1A 1AA"; a badly shaped one gets a GOV.UK-style error message."""

    govuk_widths = {"postcode": "govuk-input--width-10"}
    govuk_autocomplete = {"postcode": "postal-code"}

    postcode = forms.CharField(
        label=_("Postcode"),
        help_text=_("For example, DB1 2AA"),
        max_length=16,
        error_messages={
            "required": _("Enter a postcode"),
            "max_length": _("Enter a real postcode, like DB1 2AA"),
        },
    )

    def clean_postcode(self) -> str:
        try:
            return normalise_postcode(self.cleaned_data["postcode"])
        except InvalidPostcode as error:
            raise forms.ValidationError(error.message, code="invalid") from None


class BrowseForm(GovukForm):
    """Filters for the list of areas. Always valid: unknown values fall back to showing everything."""

    kind = forms.ChoiceField(
        label=_("Kind of area"),
        required=False,
        choices=[("", _("All kinds"))] + list(AreaKind.choices),
    )
    include_past = forms.BooleanField(label=_("Include past boundaries"), required=False)
