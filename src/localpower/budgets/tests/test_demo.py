"""The demo budgets: one process in each phase, a counted and published result, and safe to build again."""

from __future__ import annotations

import time

import pytest

from localpower.budgets.demo import build_demo_budgets
from localpower.budgets.exports import export_pabulib
from localpower.budgets.models import Ballot, Delivery, Process, Result
from localpower.budgets.tally_adapter import sha256

pytestmark = pytest.mark.django_db


def test_demo_budgets():
    from localpower.accounts.demo import build_demo_people
    from localpower.places.demo import build_demo_places

    areas = build_demo_places()
    build_demo_people(areas)
    started = time.monotonic()
    processes = build_demo_budgets(areas)
    took = time.monotonic() - started
    assert [p.phase for p in processes] == ["ideas", "review", "voting", "results", "delivery"]
    south = processes[3]
    result = Result.objects.get(process=south, published=True)
    assert result.voters == 3000 and result.selected
    assert result.input_sha256 == sha256(export_pabulib(south))
    assert Ballot.objects.filter(process=processes[2]).count() == 300
    central = processes[4]
    statuses = set(Delivery.objects.filter(project__process=central).values_list("status", flat=True))
    assert len(statuses) >= 2
    assert took < 30, f"building the demo budgets took {took:.1f} s"
    # The demo resident of Castle ward can vote in the North area budget.
    from localpower.accounts.models import User

    rosa = User.objects.get(email="resident.castle@demo.example.org")
    assert rosa.has_perm("budgets.vote", processes[2])
    # Building again changes nothing.
    counts = (Process.objects.count(), Ballot.objects.count(), Result.objects.count())
    build_demo_budgets(areas)
    assert (Process.objects.count(), Ballot.objects.count(), Result.objects.count()) == counts
