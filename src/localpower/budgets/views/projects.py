"""A project on the ballot: what it is, the ideas it came from, and (once funded) how its delivery is going."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from localpower.budgets import selectors
from localpower.budgets.ballots import money
from localpower.budgets.models import Delivery, Project
from localpower.budgets.views._common import get_process


@require_safe
def project_detail(request, slug: str, project_id: int):
    process = get_process(request, slug)
    project = get_object_or_404(Project.objects.select_related("category"), pk=project_id, process=process)
    delivery = (
        Delivery.objects.filter(project=project).prefetch_related("milestones", "updates__author").first()
    )
    result = selectors.published_result(process)
    funded = result is not None and project.pk in result.selected_ids
    return render(
        request,
        "budgets/project_detail.html",
        {
            "process": process,
            "project": project,
            "cost": money(project.cost, process.currency),
            "ideas": list(project.ideas.filter(hidden_at__isnull=True)),
            "delivery": delivery,
            "milestones": list(delivery.milestones.all()) if delivery else [],
            "updates": list(delivery.updates.all()) if delivery else [],
            "result": result,
            "funded": funded,
            "votes": (result.votes or {}).get(str(project.pk)) if result else None,
        },
    )
