"""Greedy rules: worked examples, then agreement with pabutools on random small elections."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings

from localpower.tally.model import Election, Profile, Project, TallyError
from localpower.tally.rules import RULES, get_rule, run_rule
from localpower.tally.tests.oracle import elections_with_profiles, pabutools_greedy


def make(costs: dict[str, int], budget: int, ballots, kind="approval", **meta):
    ids = list(costs)
    projects = tuple(Project(i, Fraction(c)) for i, c in costs.items())
    election = Election(projects, Fraction(budget), {"budget": str(budget), "vote_type": kind, **meta})
    rows = []
    for ballot in ballots:
        if isinstance(ballot, dict):
            rows.append({ids.index(k): v for k, v in ballot.items()})
        else:
            rows.append([ids.index(k) for k in ballot])
    return election, Profile.from_ballots(kind, rows, len(ids))


# Four projects: A is popular but dear, B and C are cheap, D is unsupported.
COSTS = {"A": 60, "B": 30, "C": 20, "D": 10}
BALLOTS = [["A", "B"], ["A"], ["A", "C"], ["B"], ["B", "C"], ["C"]] + [["A"]] * 2


def test_greedy_funds_most_votes_first_and_skips_what_does_not_fit():
    election, profile = make(COSTS, 100, BALLOTS)
    outcome = RULES["greedy"](election, profile)
    # A (5 votes, 60), B (3, 30) fit; C (3 votes, 20) no longer fits; D (0 votes, 10) still fits.
    assert outcome.selected_ids(election) == ["A", "B", "D"]
    notes = {election.projects[r.project].id: r.note for r in outcome.trace}
    assert notes["C"] == "skipped: costs 20 but only 10 is left"
    assert "nobody supports it" in notes["D"]
    assert outcome.cost(election) == 100


def test_ties_in_votes_go_to_the_lexicographically_smaller_id():
    election, profile = make({"2": 10, "10": 10}, 10, [["2"], ["10"]])
    assert RULES["greedy"](election, profile).selected_ids(election) == ["10"]


def test_no_skip_stops_at_the_first_project_that_does_not_fit():
    election, profile = make(COSTS, 100, BALLOTS)
    outcome = RULES["greedy-no-skip"](election, profile)
    assert outcome.selected_ids(election) == ["A", "B"]
    last = [r for r in outcome.trace if "stops here" in r.note]
    assert [election.projects[r.project].id for r in last] == ["C"]


def test_cardinality_satisfaction_favours_cheap_projects():
    election, profile = make(COSTS, 100, BALLOTS)
    # votes per unit cost: C 3/20, B 3/30, A 5/60, D 0
    assert RULES["greedy"](election, profile, sat="cardinality").selected_ids(election) == ["C", "B", "D"]


def test_threshold_excludes_projects_below_the_minimum_support():
    election, profile = make(COSTS, 100, BALLOTS, min_project_score_threshold="4")
    outcome = RULES["greedy-threshold"](election, profile)
    assert outcome.selected_ids(election) == ["A"]
    assert any("below the threshold of 4" in r.note for r in outcome.trace)
    # An explicit option wins over META; support equal to the threshold is enough.
    assert RULES["greedy-threshold"](election, profile, threshold=3).selected_ids(election) == ["A", "B"]


def test_threshold_is_required():
    election, profile = make(COSTS, 100, BALLOTS)
    with pytest.raises(TallyError, match="needs a threshold"):
        RULES["greedy-threshold"](election, profile)
    with pytest.raises(TallyError, match="not a number"):
        RULES["greedy-threshold"](election, profile, threshold="lots")


def test_cumulative_points_order_the_projects():
    election, profile = make({"x": 5, "y": 5}, 5, [{"x": 1, "y": 2}, {"x": 2}], kind="cumulative")
    # x has 3 points, y has 2: x first, then y does not fit.
    assert RULES["greedy"](election, profile).selected_ids(election) == ["x"]


def test_ranked_ballots_count_as_approvals_unless_borda_is_asked_for():
    ballots = [["a", "b", "c"], ["b", "c", "a"], ["c", "a"]]
    election, profile = make({"a": 5, "b": 5, "c": 5}, 5, ballots, kind="ordinal")
    # Every project is ranked by 3 voters: the tie goes to "a".
    assert RULES["greedy"](election, profile).selected_ids(election) == ["a"]
    # Borda (3, 2, 1 on full ballots; 2, 1 on the short one): a 3+1+1=5, b 2+3=5, c 1+2+2=5 -> tie again,
    # so change one ballot to break it.
    election, profile = make({"a": 5, "b": 5, "c": 5}, 5, [*ballots[:2], ["c", "b"]], kind="ordinal")
    outcome = RULES["greedy"](election, profile, ordinal="borda")
    # a: 3+1 = 4, b: 2+3+1 = 6, c: 1+2+2 = 5
    assert outcome.selected_ids(election) == ["b"]
    assert outcome.trace[0].note == "funded: 6 Borda points"


def test_free_supported_projects_come_first():
    election, profile = make({"free": 0, "dear": 10}, 10, [["dear"], ["dear"], ["free"]])
    assert RULES["greedy"](election, profile, sat="cardinality").selected_ids(election) == ["free", "dear"]


def test_bad_options_are_plain_errors():
    election, profile = make(COSTS, 100, BALLOTS)
    with pytest.raises(TallyError, match="sat 'cost' or 'cardinality'"):
        RULES["greedy"](election, profile, sat="happiness")
    with pytest.raises(TallyError, match="no completion method"):
        RULES["greedy"](election, profile, completion="add1")
    with pytest.raises(TallyError, match="does not take the option"):
        RULES["greedy"](election, profile, colour="red")
    with pytest.raises(TallyError, match="rule nonsense is not available"):
        get_rule("nonsense")


def test_run_rule_leaves_out_unset_options():
    election, profile = make(COSTS, 100, BALLOTS)
    outcome = run_rule("greedy", election, profile, sat=None, completion=None)
    assert outcome.details["sat"] == "cost"


# ---------------------------------------------------------------------------------------------- pabutools
KINDS = ("approval", "cumulative", "scoring", "ordinal")
CASES = [
    (kind, sat, rule)
    for kind in KINDS
    for sat in ("cost", "cardinality")
    for rule in ("greedy", "greedy-no-skip")
]


@pytest.mark.parametrize(("kind", "sat", "rule"), CASES)
def test_same_outcome_as_pabutools(kind, sat, rule):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(elections_with_profiles(kind=kind))
    def check(case):
        election, profile = case
        ours = RULES[rule](election, profile, sat=sat).selected_ids(election)
        assert ours == pabutools_greedy(election, profile, sat=sat, rule=rule)

    check()


@pytest.mark.parametrize("sat", ["cost", "cardinality"])
def test_borda_matches_pabutools_with_a_borda_satisfaction(sat):
    @settings(max_examples=40, deadline=None)
    @given(elections_with_profiles(kind="ordinal"))
    def check(case):
        election, profile = case
        ours = RULES["greedy"](election, profile, sat=sat, ordinal="borda").selected_ids(election)
        assert ours == pabutools_greedy(election, profile, sat=sat, ordinal="borda")

    check()


@pytest.mark.parametrize("kind", KINDS)
def test_threshold_matches_pabutools_on_the_projects_that_qualify(kind):
    from localpower.tally.tests.oracle import pabutools_greedy_on, to_pabutools

    @settings(max_examples=30, deadline=None)
    @given(elections_with_profiles(kind=kind))
    def check(case):
        election, profile = case
        threshold = 2
        ours = RULES["greedy-threshold"](election, profile, threshold=threshold).selected_ids(election)
        instance, pb_profile = to_pabutools(election, profile)
        theirs = pabutools_greedy_on(instance, pb_profile, kind, rule="greedy-threshold", threshold=threshold)
        assert ours == theirs

    check()
