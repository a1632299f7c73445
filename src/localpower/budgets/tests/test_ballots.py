"""Ballot validation for each ballot kind, with the messages voters see."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from localpower.budgets.ballots import ballot_project_ids, money, validate_ballot
from localpower.budgets.models import BallotKind, Process

PROJECTS = {
    1: SimpleNamespace(title="Benches", cost=Decimal("1000")),
    2: SimpleNamespace(title="Trees", cost=Decimal("2500")),
    3: SimpleNamespace(title="Playground", cost=Decimal("6000")),
    10: SimpleNamespace(title="Library", cost=Decimal("3000")),
}


def process(kind, **fields) -> Process:
    return Process(ballot_kind=kind, budget=Decimal("10000"), currency="GBP", **fields)


def check(proc, raw):
    return validate_ballot(proc, raw, PROJECTS)


def refused(proc, raw) -> str:
    with pytest.raises(ValidationError) as info:
        check(proc, raw)
    return " ".join(info.value.messages)


def test_approval_accepts_any_number_and_sorts():
    assert check(process(BallotKind.APPROVAL), {"projects": ["10", 2, 1]}) == {"projects": [1, 2, 10]}
    assert check(process(BallotKind.APPROVAL), [3]) == {"projects": [3]}


def test_approval_needs_at_least_one_project():
    assert refused(process(BallotKind.APPROVAL), {"projects": []}) == "Choose at least one project."


def test_unknown_and_repeated_projects():
    assert refused(process(BallotKind.APPROVAL), [1, 77]) == "Project 77 is not on this ballot."
    assert refused(process(BallotKind.APPROVAL), ["abc"]) == "“abc” is not a project on this ballot."
    assert refused(process(BallotKind.APPROVAL), [2, "2"]) == "“Trees” is chosen more than once."
    assert (
        refused(process(BallotKind.APPROVAL), "1,2")
        == "The ballot could not be read. Choose your projects again."
    )


def test_k_approval_limits():
    proc = process(BallotKind.K_APPROVAL, min_choices=2, max_choices=3)
    assert check(proc, [1, 2]) == {"projects": [1, 2]}
    assert refused(proc, [1]) == "Choose at least 2 projects (you chose 1)."
    assert refused(proc, [1, 2, 3, 10]) == "Choose no more than 3 projects (you chose 4)."


def test_knapsack_stops_overspending_with_the_amounts():
    proc = process(BallotKind.KNAPSACK, max_cost=Decimal("9000"))
    assert check(proc, [3, 2]) == {"projects": [2, 3]}  # 8,500
    message = refused(proc, [3, 10, 1])  # 10,000
    assert message == (
        "Your projects cost £10,000, which is more than the £9,000 you can spend. Remove a project to continue."
    )


def test_knapsack_defaults_to_the_budget():
    proc = process(BallotKind.KNAPSACK)
    assert check(proc, [3, 10, 1]) == {"projects": [1, 3, 10]}  # exactly the budget
    assert "more than the £10,000" in refused(proc, [3, 10, 1, 2])


def test_cumulative_points():
    proc = process(BallotKind.CUMULATIVE, points_total=10, max_points_per_project=6)
    assert check(proc, {"points": {"10": 4, 2: "6", 3: 0}}) == {"points": {"2": 6, "10": 4}}
    assert refused(proc, {"points": {1: 6, 2: 5}}) == (
        "You gave out 11 points but you have 10. Take some points away to continue."
    )
    assert refused(proc, {1: 7}) == "You can give at most 6 points to one project; “Benches” has 7."
    assert refused(proc, {1: "2.5"}) == "Points must be whole numbers; “2.5” is not."
    assert refused(proc, {1: -1}) == "Points cannot be negative."
    assert refused(proc, {1: 0}) == "Give at least one point to a project."
    assert refused(proc, [1, 2]) == "The ballot could not be read. Give your points again."


def test_ranked_top_k_keeps_the_order():
    proc = process(BallotKind.RANKED, max_choices=3)
    assert check(proc, {"ranking": [10, 1, 3]}) == {"ranking": [10, 1, 3]}
    assert refused(proc, [10, 1, 3, 2]) == "Choose no more than 3 projects (you chose 4)."
    assert refused(proc, [10, 10]) == "“Library” is chosen more than once."
    assert refused(proc, []) == "Choose at least one project."


def test_ballot_project_ids_and_money():
    assert ballot_project_ids({"ranking": [3, 1]}) == [3, 1]
    assert ballot_project_ids({"points": {"2": 1, "10": 3}}) == [2, 10]
    assert money(Decimal("1234.50")) == "£1,234.50"
    assert money(Decimal("12"), "PLN") == "12 PLN"
