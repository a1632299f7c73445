"""The "Participatory budgets" panel on an area's page: every public budget of the area, with its phase."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from localpower.budgets import selectors
from localpower.budgets.ballots import money
from localpower.places.panels import AreaPanel, register_area_panel


@register_area_panel
def budgets_panel(request, area):
    processes = list(selectors.public_processes(area).order_by("-voting_opens_at", "title"))
    if not processes:
        return None
    return AreaPanel(
        title=_("Participatory budgets"),
        template_name="budgets/area_panel.html",
        context={
            "rows": [
                {"process": p, "phase": p.phase, "budget": money(p.budget, p.currency)} for p in processes
            ]
        },
        order=10,
    )
