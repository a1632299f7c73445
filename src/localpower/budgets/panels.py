"""The "Participatory budgets" panel on an area's page: the public budgets of the area and of the larger areas
it is part of (their residents take part too), with their phase, and how the funded projects are getting on."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from localpower.budgets import selectors
from localpower.budgets.ballots import money
from localpower.budgets.models import Delivery, Phase, Process
from localpower.places import selectors as places
from localpower.places.panels import AreaPanel, register_area_panel


@register_area_panel
def budgets_panel(request, area):
    area_ids = [area.pk, *(a.pk for a in places.ancestors(area))]
    processes = list(
        selectors.public_processes()
        .filter(area_id__in=area_ids)
        .exclude(state="cancelled")
        .order_by("-voting_opens_at", "title")
    )
    if not processes:
        return None
    delivering = [p.pk for p in processes if p.phase in (Phase.RESULTS, Phase.DELIVERY)]
    by_process: dict[int, list[Delivery]] = {}
    for delivery in Delivery.objects.filter(project__process_id__in=delivering).select_related("project"):
        by_process.setdefault(delivery.project.process_id, []).append(delivery)
    rows = [_row(p, area, by_process.get(p.pk, [])) for p in processes]
    return AreaPanel(
        title=_("Participatory budgets"),
        template_name="budgets/area_panel.html",
        context={"rows": rows},
        order=10,
    )


def _row(process: Process, area, deliveries: list[Delivery]) -> dict:
    return {
        "process": process,
        "phase": process.phase,
        "budget": money(process.budget, process.currency),
        "wider": process.area_id != area.pk,
        "deliveries": sorted(deliveries, key=lambda d: d.project.title),
    }
