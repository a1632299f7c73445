"""The list of budgets and a budget's own page."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_safe

from localpower.budgets import selectors
from localpower.budgets.ballots import money
from localpower.budgets.models import Phase
from localpower.budgets.views._common import (
    RULE_EXPLANATIONS,
    ballot_explanation,
    get_process,
    participation,
    timetable,
)
from localpower.places.models import Area

OPEN_PHASES = (Phase.IDEAS, Phase.REVIEW, Phase.VOTING)


@require_safe
def process_list(request):
    processes = list(
        selectors.public_processes().exclude(state="cancelled").order_by("-voting_opens_at", "title")
    )
    areas = sorted({p.area for p in processes}, key=lambda a: a.name)
    chosen = request.GET.get("area", "")
    if chosen:
        processes = [p for p in processes if p.area.slug == chosen]
    mine = (
        {p.pk for p in selectors.processes_for_resident(request.user)}
        if request.user.is_authenticated
        else set()
    )
    rows = [
        {"process": p, "phase": p.phase, "budget": money(p.budget, p.currency), "mine": p.pk in mine}
        for p in processes
    ]
    return render(
        request,
        "budgets/process_list.html",
        {
            "open_rows": [r for r in rows if r["phase"] in OPEN_PHASES],
            "other_rows": [r for r in rows if r["phase"] not in OPEN_PHASES],
            "areas": areas,
            "chosen_area": next((a for a in areas if a.slug == chosen), None) if chosen else None,
            "unknown_area": bool(chosen) and not any(a.slug == chosen for a in areas),
        },
    )


@require_safe
def process_detail(request, slug: str):
    process = get_process(request, slug)
    phase = process.phase
    context = {
        "process": process,
        "phase": phase,
        "budget": money(process.budget, process.currency),
        "timetable": timetable(process),
        "ballot_explanation": ballot_explanation(process),
        "rule_explanation": RULE_EXPLANATIONS.get(process.rule, ""),
        "you": participation(request.user, process),
        "can_manage": request.user.has_perm("budgets.change_process", process),
        "projects": list(process.projects.select_related("category").order_by("title"))
        if phase not in (Phase.UPCOMING, Phase.IDEAS)
        else [],
        "idea_count": process.ideas.filter(hidden_at__isnull=True).count(),
        "result": selectors.published_result(process),
        "categories": list(process.categories.all()),
        "turnout": selectors.turnout(process)["voters"]
        if phase in (Phase.COUNTING, Phase.RESULTS, Phase.DELIVERY)
        else None,
    }
    return render(request, "budgets/process_detail.html", context)


def processes_for_area(area: Area) -> list:
    return list(selectors.public_processes(area).exclude(state="cancelled").order_by("-voting_opens_at"))
