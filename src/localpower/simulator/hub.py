"""Open budget simulators on the "Have your say" page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from localpower.core.hub import HubItem, register_hub_provider
from localpower.simulator import selectors


@register_hub_provider
def open_simulators(request):
    return [
        HubItem(
            kind=_("Balance the council's budget"),
            title=simulator.title,
            url=simulator.get_absolute_url(),
            summary=_("Choose how much each service gets and show the council what you would do."),
            area_name=simulator.area.name,
            closes_at=simulator.closes_at,
            order=15,
        )
        for simulator in selectors.open_simulators()
    ]
