"""The filter on the public list of consultations."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from localpower.consultations import selectors
from localpower.consultations.models import ConsultationKind
from localpower.core.forms import GovukForm
from localpower.places.models import Area


class FilterForm(GovukForm):
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("All areas"),
        to_field_name="slug",
    )
    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("Consultations and calls for evidence")), *ConsultationKind.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        used = selectors.public_consultations().values_list("area_id", flat=True)
        self.fields["area"].queryset = Area.objects.filter(pk__in=used).order_by("name")
