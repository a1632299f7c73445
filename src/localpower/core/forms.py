"""GOV.UK Design System markup for Django forms.

Every form in the service renders through these templates, so labels, hints, error messages, fieldsets and the
error summary follow the GOV.UK components without hand-written markup in each page.
"""

from __future__ import annotations

from django import forms
from django.forms.renderers import DjangoTemplates

_INPUT_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "selectmultiple": "govuk-select",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
    "radioselect": "govuk-radios__input",
    "checkboxselectmultiple": "govuk-checkboxes__input",
    "checkbox": "govuk-checkboxes__input",
}
# Field widgets grouped in a <fieldset> with a <legend> rather than a single <label>.
FIELDSET_WIDGETS = {"radioselect", "checkboxselectmultiple"}


class GovukFormRenderer(DjangoTemplates):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


class GovukFormMixin:
    """Adds GOV.UK classes and ARIA links between inputs, hints and error messages."""

    # Optional per-field width classes, e.g. {"postcode": "govuk-input--width-10"}.
    govuk_widths: dict[str, str] = {}
    # Optional per-field autocomplete tokens, e.g. {"email": "email"}.
    govuk_autocomplete: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget_type = self[name].widget_type
            css = _INPUT_CLASSES.get(widget_type, "govuk-input")
            extra = self.govuk_widths.get(name, "")
            field.widget.attrs["class"] = " ".join(
                filter(None, [css, extra, field.widget.attrs.get("class", "")])
            )
            if name in self.govuk_autocomplete:
                field.widget.attrs.setdefault("autocomplete", self.govuk_autocomplete[name])

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + self._error_class(
                    self[name].widget_type
                )

    @staticmethod
    def _error_class(widget_type: str) -> str:
        return {
            "textarea": " govuk-textarea--error",
            "select": " govuk-select--error",
            "clearablefile": " govuk-file-upload--error",
            "file": " govuk-file-upload--error",
        }.get(
            widget_type,
            "" if widget_type in FIELDSET_WIDGETS or widget_type == "checkbox" else " govuk-input--error",
        )


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass
