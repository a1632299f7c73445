from django import forms
from django.utils.translation import gettext_lazy as _

from localpower.core.forms import GovukForm


class PostcodeForm(GovukForm):
    govuk_widths = {"postcode": "govuk-input--width-10"}
    govuk_autocomplete = {"postcode": "postal-code"}

    postcode = forms.CharField(label=_("Postcode"), help_text=_("For example, DB1 2AA"), max_length=16)
