"""The published results: funded projects, a chart, the count round by round, the proportionality check,
"what happened to my choices", and the anonymised ballot files."""

from __future__ import annotations

import re

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from localpower.budgets import exports, selectors
from localpower.budgets.ballots import money
from localpower.budgets.models import BallotKind
from localpower.budgets.views._common import RULE_EXPLANATIONS, get_process


def _rows(process, result) -> list[dict]:
    projects = {p.pk: p for p in process.projects.select_related("category")}
    votes = {int(k): v for k, v in (result.votes or {}).items()}
    top = max([float(v) for v in votes.values()] or [0]) or 1
    funded = set(result.selected_ids)
    rows = []
    for pid, project in projects.items():
        count = votes.get(pid, 0)
        rows.append(
            {
                "project": project,
                "votes": count,
                "cost": money(project.cost, process.currency),
                "funded": pid in funded,
                "percent": round(100 * float(count) / top, 1),
            }
        )
    rows.sort(key=lambda r: (not r["funded"], -float(r["votes"]), r["project"].title))
    return rows


@require_safe
def results(request, slug: str):
    process = get_process(request, slug)
    result = selectors.published_result(process)
    if result is None:
        return render(
            request,
            "budgets/results_pending.html",
            {"process": process, "can_manage": request.user.has_perm("budgets.compute_results", process)},
        )
    explanation = result.explanation or {}
    names = {str(p.pk): p.title for p in process.projects.all()}
    rounds = []
    for step in explanation.get("rounds", []):
        rounds.append(
            {
                **step,
                "title": names.get(str(step.get("project_id")), step.get("name")),
                "remaining": money(_decimal(step.get("remaining_budget")), process.currency),
                "price_text": money(_decimal(step["price_per_voter"]), process.currency)
                if step.get("price_per_voter")
                else "",
            }
        )
    not_funded = [
        {
            **item,
            "title": names.get(str(item.get("project_id")), item.get("name")),
            "reason": plain_reason(item.get("reason", "")),
        }
        for item in explanation.get("not_funded", [])
    ]
    choices = selectors.my_choices(request.user, process) if request.user.is_authenticated else None
    if choices:
        for item in choices.get("projects", []):
            item["title"] = names.get(str(item.get("project_id")), item.get("name"))
            item["reason"] = plain_reason(item.get("reason", ""))
    unit = {BallotKind.CUMULATIVE: "points", BallotKind.RANKED: "ranked"}.get(process.ballot_kind, "votes")
    return render(
        request,
        "budgets/results.html",
        {
            "process": process,
            "result": result,
            "rows": _rows(process, result),
            "unit": unit,
            "total_cost": money(result.total_cost, process.currency),
            "budget": money(process.budget, process.currency),
            "left": money(process.budget - result.total_cost, process.currency),
            "rounds": rounds,
            "not_funded": not_funded,
            "rule_explanation": RULE_EXPLANATIONS.get(process.rule, ""),
            "ejr": result.ejr,
            "choices": choices,
            "voters_text": f"{result.voters:,}",
        },
    )


PROJECT_REFERENCE = re.compile(r"\b\d+ \(([^()]*)\)")


def plain_reason(text: str) -> str:
    """The counting engine names projects as "12 (Community fridge)"; residents need only the name."""
    return PROJECT_REFERENCE.sub(r"\1", text or "")


def _decimal(value):
    from decimal import Decimal, InvalidOperation

    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)


def _export(request, slug: str, kind: str) -> HttpResponse:
    process = get_process(request, slug)
    if selectors.published_result(process) is None:
        raise Http404
    body, content_type, name = {
        "pb": (exports.export_pabulib, "text/plain; charset=utf-8", f"{process.slug}.pb"),
        "csv": (exports.export_csv, "text/csv; charset=utf-8", f"{process.slug}-ballots.csv"),
        "projects": (exports.export_projects_csv, "text/csv; charset=utf-8", f"{process.slug}-projects.csv"),
    }[kind]
    body = body(process)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
def export_pb(request, slug: str):
    return _export(request, slug, "pb")


@require_safe
def export_csv(request, slug: str):
    return _export(request, slug, "csv")


@require_safe
def export_projects_csv(request, slug: str):
    return _export(request, slug, "projects")
