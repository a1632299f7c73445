"""The "Budget simulators" panel on an area's page: open and recent simulators of the area and the larger areas
it is part of."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from localpower.places import selectors as places
from localpower.places.panels import AreaPanel, register_area_panel
from localpower.simulator import selectors
from localpower.simulator.models import Status


@register_area_panel
def simulators_panel(request, area):
    area_ids = [area.pk, *(a.pk for a in places.ancestors(area))]
    simulators = [
        s for s in selectors.public_simulators().filter(area_id__in=area_ids) if s.status != Status.UPCOMING
    ]
    if not simulators:
        return None
    links = []
    for simulator in simulators:
        if simulator.status == Status.OPEN:
            hint = _("Open until %(day)s") % {"day": simulator.closes_at.strftime("%-d %B %Y")}
            url = simulator.get_absolute_url()
        else:
            hint = _("Closed: see what people chose")
            url = reverse("simulator:results", args=[simulator.slug])
        links.append({"text": simulator.title, "url": url, "hint": hint})
    return AreaPanel(
        title=_("Budget simulators"),
        template_name="places/panels/links.html",
        context={
            "summary": _(
                "Try balancing the council's budget yourself, and tell the council what you would do."
            ),
            "links": links,
        },
        order=15,
    )
