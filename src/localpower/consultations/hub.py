"""Consultations and calls for evidence on the "Have your say" page: the open ones."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from localpower.consultations import selectors
from localpower.consultations.models import ConsultationKind
from localpower.core.hub import HubItem, register_hub_provider


@register_hub_provider
def open_consultations(request):
    return [
        HubItem(
            kind=_("Calls for evidence")
            if c.kind == ConsultationKind.CALL_FOR_EVIDENCE
            else _("Consultations"),
            title=c.title,
            url=c.get_absolute_url(),
            summary=c.summary,
            area_name=c.area.name,
            closes_at=c.closes_at,
            order=30 if c.kind == ConsultationKind.CONSULTATION else 40,
        )
        for c in selectors.open_consultations()
    ]
