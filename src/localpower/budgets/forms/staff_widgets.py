"""A GOV.UK date input (day, month, year boxes) for the staff budget pages.

Budget phases are stored as moments in time; officers choose days. A phase starts at midnight (UK time) at the
start of the chosen day, so "voting opens 1 June" means voting opens as 1 June begins.
"""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class GovukDateWidget(forms.MultiWidget):
    template_name = "budgets/staff/widgets/date.html"

    def __init__(self, attrs=None):
        widgets = {"day": forms.TextInput(), "month": forms.TextInput(), "year": forms.TextInput()}
        super().__init__(widgets, attrs)

    def id_for_label(self, id_):
        """The day box: where an error summary link puts the cursor, as GOV.UK's date input does."""
        return f"{id_}_0" if id_ else ""

    def decompress(self, value):
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        labels = [_("Day"), _("Month"), _("Year")]
        for sub, label in zip(context["widget"]["subwidgets"], labels, strict=True):
            sub["label"] = label
        return context


class GovukDateField(forms.MultiValueField):
    """Day, month and year boxes giving the start of that day (an aware datetime in the site's time zone)."""

    widget = GovukDateWidget

    def __init__(self, *, label, required: bool = True, **kwargs):
        self.field_label = str(label)
        fields = (
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        )
        super().__init__(fields, label=label, required=required, require_all_fields=False, **kwargs)

    def clean(self, value):
        parts = [str(p or "").strip() for p in (value or ["", "", ""])]
        if not any(parts):
            if self.required:
                raise forms.ValidationError(
                    _("Enter the date for “%(label)s”.") % {"label": self.field_label}, code="required"
                )
            return None
        names = [_("day"), _("month"), _("year")]
        missing = [str(n) for n, p in zip(names, parts, strict=True) if not p]
        if missing:
            raise forms.ValidationError(
                _("The date for “%(label)s” must include a %(parts)s.")
                % {"label": self.field_label, "parts": _(" and ").join(missing)},
                code="incomplete",
            )
        try:
            day, month, year = (int(p) for p in parts)
            if year < 1000:
                raise ValueError
            date = datetime.date(year, month, day)
        except ValueError:
            raise forms.ValidationError(
                _("The date for “%(label)s” must be a real date, like 27 3 2027.")
                % {"label": self.field_label},
                code="invalid",
            ) from None
        return timezone.make_aware(datetime.datetime.combine(date, datetime.time.min))

    def compress(self, data_list):  # pragma: no cover - clean() above does the work
        return data_list

    def has_changed(self, initial, data):
        return super().has_changed(self.widget.decompress(initial), data)
