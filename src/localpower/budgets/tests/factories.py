"""Test data for participatory budgets: processes in a chosen phase, projects, voters."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from localpower.budgets.models import BallotKind, Completion, OutcomeRule, Process, ProcessState, Project

PHASE_INDEX = {"ideas": 0, "review": 1, "voting": 2, "counting": 3, "results": 4, "delivery": 5}
_numbers = itertools.count(1)


def timetable(phase: str, *, now: datetime.datetime | None = None) -> dict[str, datetime.datetime]:
    """Dates one day apart that put a process in ``phase`` now (halfway through it)."""
    now = now or timezone.now()
    day = datetime.timedelta(days=1)
    start = now + day if phase == "upcoming" else now - PHASE_INDEX[phase] * day - day / 2
    names = [
        "ideas_open_at",
        "review_opens_at",
        "voting_opens_at",
        "voting_closes_at",
        "results_at",
        "delivery_starts_at",
    ]
    return {name: start + i * day for i, name in enumerate(names)}


def make_process(area, phase: str = "voting", **fields) -> Process:
    n = next(_numbers)
    values = {
        "title": f"Community budget {n}",
        "slug": f"community-budget-{n}",
        "budget": Decimal("10000"),
        "state": ProcessState.SCHEDULED,
        "ballot_kind": BallotKind.APPROVAL,
        "rule": OutcomeRule.MES,
        "completion": Completion.ADD1,
        **timetable(phase),
    }
    values.update(fields)
    process = Process(area=area, **values)
    process.full_clean()
    process.save()
    return process


def make_projects(process: Process, costs) -> list[Project]:
    return [
        Project.objects.create(process=process, title=f"Project {i + 1}", cost=Decimal(str(cost)))
        for i, cost in enumerate(costs)
    ]


def move_to(process: Process, phase: str) -> Process:
    """Shift the dates so the process is in ``phase`` now (the database allows it; services may not)."""
    Process.objects.filter(pk=process.pk).update(**timetable(phase))
    process.refresh_from_db()
    return process
