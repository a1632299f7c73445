"""Explanations: round by round for everyone, and "which of my projects won, and why" for one voter."""

from __future__ import annotations

import json
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from localpower.tally.checks import mes_price_system
from localpower.tally.explain import explain_outcome, explain_voter, money
from localpower.tally.model import Election, Profile, Project
from localpower.tally.rules import RULES
from localpower.tally.rules.mes import method_of_equal_shares
from localpower.tally.tests.fair_oracle import fair_settings
from localpower.tally.tests.oracle import elections_with_profiles


def _election():
    # Budget £1,000, 10 voters (share £100). Park (cost 570) backed by voters 0-5, Library (cost 288)
    # by voters 6-8, Skatepark (cost 290) by voters 4, 5 and 9.
    projects = (
        Project("P", Fraction(570), name="Park"),
        Project("L", Fraction(288), name="Library"),
        Project("S", Fraction(290), name="Skatepark"),
    )
    election = Election(projects, Fraction(1000), {"vote_type": "approval", "currency": "GBP"})
    ballots = [[0]] * 4 + [[0, 2]] * 2 + [[1]] * 3 + [[2]]
    profile = Profile.from_ballots("approval", ballots, 3, voter_ids=[f"v{i}" for i in range(10)])
    return election, profile


def test_outcome_explanation_goes_round_by_round():
    election, profile = _election()
    outcome = method_of_equal_shares(election, profile, sat="cardinality")
    report = explain_outcome(election, profile, outcome)
    json.dumps(report)  # serialisable as it is
    assert [r["project_id"] for r in report["rounds"]] == ["P", "L"]
    first, second = report["rounds"]
    # Park costs £95 per supporter, Library £96; Skatepark (about £96.67) is dearer still.
    assert first["price_per_voter"] == 95.0 and first["remaining_budget"] == "430"
    assert second["price_per_voter"] == 96.0 and second["remaining_budget"] == "142"
    # Paying for the park left two of the skatepark's three supporters with £5 each.
    assert [d["project_id"] for d in first["dropped"] + second["dropped"]] == ["S"]
    (skate,) = report["not_funded"]
    assert skate["reason"] == "not funded: its supporters had run out of money after funding P (Park)"
    assert report["budget_text"] == "£1,000"


def test_voter_explanation_says_what_was_paid_and_why_others_lost():
    election, profile = _election()
    outcome = method_of_equal_shares(election, profile, sat="cardinality")
    voter = profile.voter_index("v5")  # Park and Skatepark
    report = explain_voter(election, profile, outcome, voter)
    json.dumps(report)
    park, skate = report["projects"]
    assert park["funded"] and park["you_paid"] == "95"
    assert "you paid £95" in park["reason"]
    assert not skate["funded"] and "run out of money after funding P" in skate["reason"]
    assert skate["reason"].endswith("(you had £5 of your share left then)")
    assert report["left"] == "5" and report["summary"] == "1 of the 2 projects you supported won"


def test_greedy_explanation_uses_the_money_left():
    election, profile = _election()
    outcome = RULES["greedy"](election, profile)
    report = explain_voter(election, profile, outcome, profile.voter_index("v9"))
    (skate,) = report["projects"]
    # Park (6 votes) and Library (3 votes, ahead of Skatepark on the id tie-break) leave £142.
    assert not skate["funded"] and "290" in skate["reason"] and "142" in skate["reason"]


def test_money_follows_the_currency():
    election, _ = _election()
    assert money(election, Fraction(1250)) == "£1,250"
    election.meta["currency"] = "PLN"
    assert money(election, Fraction(5, 2)) == "2.50 PLN"


@fair_settings(100)
@given(
    case=elections_with_profiles(kind="approval", max_voters=10),
    rule=st.sampled_from(["mes", "greedy", "phragmen", "max-welfare"]),
)
def test_every_project_is_explained_and_payments_add_up(case, rule):
    election, profile = case
    outcome = RULES[rule](election, profile)
    report = explain_outcome(election, profile, outcome)
    json.dumps(report)
    explained = {r["project_id"] for r in report["rounds"]} | {r["project_id"] for r in report["not_funded"]}
    assert explained == {p.id for p in election.projects}
    for entry in report["not_funded"]:
        assert entry["reason"].startswith(("not funded", "skipped", "excluded", "not considered"))
    for i in range(len(profile.voter_ids)):
        json.dumps(explain_voter(election, profile, outcome, i))
    if rule == "mes":
        # What the voters are told they paid adds up to the cost of every project MES funded.
        prices = mes_price_system(election, profile, outcome)
        for q in outcome.details["mes_selected"]:
            total = sum(
                int(profile.weights[r]) * pays.get(q, Fraction(0)) for r, pays in prices.payments.items()
            )
            assert total == election.projects[q].cost
