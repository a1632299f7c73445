"""The "Consultations" panel on an area's page: consultations and calls for evidence of the area, of the areas
inside it and of the larger areas it is part of (open first, then coming soon, then the last few closed)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from localpower.consultations import selectors
from localpower.places import selectors as places
from localpower.places.panels import AreaPanel, register_area_panel

CLOSED_SHOWN = 5


@register_area_panel
def consultations_panel(request, area):
    area_ids = {area.pk, *(a.pk for a in places.ancestors(area)), *places.descendant_ids(area)}
    groups = {"open": [], "upcoming": [], "closed": []}
    from django.utils import timezone

    now = timezone.now()
    for c in selectors.consultations_in(area_ids).order_by("closes_at"):
        if c.opens_at > now:
            groups["upcoming"].append(c)
        elif c.closes_at > now:
            groups["open"].append(c)
        else:
            groups["closed"].append(c)
    if not any(groups.values()):
        return None
    groups["closed"] = sorted(groups["closed"], key=lambda c: c.closes_at, reverse=True)[:CLOSED_SHOWN]
    return AreaPanel(
        title=_("Consultations"),
        template_name="consultations/area_panel.html",
        context={"groups": groups, "area": area},
        order=20,
    )
