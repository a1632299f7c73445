"""Method of Equal Shares: same outcomes as pabutools 1.2.3 on random and hand-made elections."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from localpower.tally.model import BallotKind, Election, Profile, Project, TallyError
from localpower.tally.rules.mes import method_of_equal_shares
from localpower.tally.tests.fair_oracle import fair_settings, free_ids, pabutools_mes, same_order, tie_heavy
from localpower.tally.tests.oracle import elections_with_profiles

pytest.importorskip("pabutools")

SETTINGS = fair_settings(150)


def _ids(election, outcome):
    return outcome.selected_ids(election)


def _check(election, profile, sat, completion):
    ours = method_of_equal_shares(election, profile, sat=sat, completion=completion)
    theirs = pabutools_mes(election, profile, sat=sat, completion=completion)
    assert same_order(_ids(election, ours), theirs, free_ids(election)), (
        _ids(election, ours),
        theirs,
    )
    assert ours.cost(election) <= election.budget
    return ours


@SETTINGS
@given(case=elections_with_profiles(kind="approval"), sat=st.sampled_from(["cost", "cardinality"]))
def test_approval_mes_matches_pabutools(case, sat):
    _check(*case, sat, "none")


@SETTINGS
@given(
    case=tie_heavy(kind="approval"),
    sat=st.sampled_from(["cost", "cardinality"]),
    completion=st.sampled_from(["none", "add1", "utilitarian", "add1-utilitarian", "add1-full"]),
)
def test_tie_heavy_approval_mes_with_every_completion_matches_pabutools(case, sat, completion):
    _check(*case, sat, completion)


@SETTINGS
@given(
    case=elections_with_profiles(kind="approval", max_voters=20), sat=st.sampled_from(["cost", "cardinality"])
)
def test_add1_matches_pabutools(case, sat):
    _check(*case, sat, "add1")


@SETTINGS
@given(
    case=elections_with_profiles(),
    sat=st.sampled_from(["cost", "cardinality"]),
    completion=st.sampled_from(["none", "add1", "utilitarian"]),
)
def test_every_ballot_kind_matches_pabutools(case, sat, completion):
    _check(*case, sat, completion)


@SETTINGS
@given(
    case=tie_heavy(kind="cumulative"),
    sat=st.sampled_from(["cost", "cardinality"]),
    completion=st.sampled_from(["none", "add1"]),
)
def test_points_ballots_with_ties_match_pabutools(case, sat, completion):
    _check(*case, sat, completion)


@fair_settings(100)
@given(
    case=st.one_of(tie_heavy(kind="approval", max_voters=30), tie_heavy(kind="cumulative", max_voters=30)),
    sat=st.sampled_from(["cost", "cardinality"]),
)
def test_shortcuts_agree_with_the_plain_computation(case, sat):
    # Float filter, lazy recomputation and certified add1 skips against exact, eager, step-by-step.
    election, profile = case
    fast = method_of_equal_shares(election, profile, sat=sat, completion="add1")
    slow = method_of_equal_shares(election, profile, sat=sat, completion="add1", exact=True, skip=False)
    assert fast.selected == slow.selected
    assert fast.details["rhos"] == slow.details["rhos"]
    assert fast.details["raises"] == slow.details["raises"]


@fair_settings(40)
@given(
    costs=st.lists(st.integers(1, 40), min_size=3, max_size=8),
    votes=st.lists(st.integers(1, 30), min_size=3, max_size=8),
)
def test_certified_skips_on_choose_one_ballots(costs, votes):
    # Disjoint supporters (like a choose-1 vote): outcomes change only when a project becomes
    # affordable, so long runs of raises are skipped; the answer must not change.
    m = min(len(costs), len(votes))
    election = _election(costs[:m], sum(costs[:m]) // 2 + 1)
    rows = [[j] for j in range(m) for _ in range(votes[j])]
    profile = Profile.from_ballots("approval", rows, m)
    fast = method_of_equal_shares(election, profile, completion="add1")
    slow = method_of_equal_shares(election, profile, completion="add1", skip=False)
    assert fast.selected == slow.selected and fast.details["raises"] == slow.details["raises"]
    assert fast.selected_ids(election) == pabutools_mes(election, profile, completion="add1")


def _election(costs, budget, ids=None):
    ids = ids or [str(i + 1) for i in range(len(costs))]
    projects = tuple(
        Project(pid, Fraction(c), name=f"Project {pid}") for pid, c in zip(ids, costs, strict=True)
    )
    return Election(projects, Fraction(budget), {"vote_type": "approval"})


def test_equal_shares_funds_the_minority_its_fair_share():
    # 3 voters want A (cost 2), 1 voter wants B (cost 1); budget 4, so each voter has 1.
    election = _election([2, 1, 2], 4, ids=["A", "B", "C"])
    profile = Profile.from_ballots("approval", [[0], [0], [0], [1]], 3)
    outcome = method_of_equal_shares(election, profile, sat="cardinality")
    # A costs 2 shared by three voters (2/3 each), cheaper per voter than B, which its one supporter
    # pays in full; C has no supporters.
    assert outcome.selected_ids(election) == ["A", "B"]
    assert outcome.trace[0].price == Fraction(2, 3)
    assert outcome.trace[1].price == Fraction(1)
    assert outcome.details["dropped_after"] == {}


def test_ties_go_to_the_lexicographically_first_project_id():
    # Two identical projects "10" and "9": as strings "10" < "9".
    election = _election([5, 5], 5, ids=["9", "10"])
    profile = Profile.from_ballots("approval", [[0, 1], [0, 1]], 2)
    outcome = method_of_equal_shares(election, profile)
    assert outcome.selected_ids(election) == ["10"]
    assert outcome.details["dropped_after"] == {0: 1}


def test_add1_stops_before_the_raise_that_overspends():
    # Same as below with cost satisfaction: all three projects tie at 1 per unit of cost, so a raise to
    # a share of 6 funds a and b (cost 12 > 10) and add1 keeps the plain outcome.
    election = _election([6, 6, 3], 10, ids=["a", "b", "c"])
    profile = Profile.from_ballots("approval", [[0, 2], [1]], 3)
    add1 = method_of_equal_shares(election, profile, completion="add1")
    assert add1.selected_ids(election) == ["c"]
    assert add1.details["raises"] == 0 and add1.details["mes_runs"] == 2


def test_add1_raises_shares_until_the_outcome_is_exhaustive():
    # Budget 10, two voters: shares of 5 fund nothing (cost 6 each, one supporter each).
    election = _election([6, 6, 3], 10, ids=["a", "b", "c"])
    profile = Profile.from_ballots("approval", [[0, 2], [1]], 3)
    plain = method_of_equal_shares(election, profile, sat="cardinality")
    assert plain.selected_ids(election) == ["c"]
    add1 = method_of_equal_shares(election, profile, sat="cardinality", completion="add1")
    # Shares of 6: c (3) first, then b (voter 2 pays 6); a is out of reach and would not fit anyway.
    assert add1.selected_ids(election) == ["c", "b"]
    assert add1.details["raises"] == 1
    assert add1.cost(election) <= election.budget


def test_bad_options_give_plain_messages():
    election = _election([1], 1)
    profile = Profile.from_ballots("approval", [[0]], 1)
    with pytest.raises(TallyError, match="completion"):
        method_of_equal_shares(election, profile, completion="magic")
    with pytest.raises(TallyError, match="sat"):
        method_of_equal_shares(election, profile, sat="happiness")


def test_no_ballots_funds_nothing():
    election = _election([1, 2], 3)
    profile = Profile.from_matrix("approval", np.zeros((0, 2), dtype=bool))
    assert method_of_equal_shares(election, profile, completion="add1").selected == ()


@pytest.mark.parametrize("kind", [BallotKind.CUMULATIVE, BallotKind.SCORING])
def test_points_weigh_the_price(kind):
    # Voter 1 gives 3 points to A, voter 2 gives 1 point; each holds a share of 2. At 1 per point
    # they would pay 2 (voter 1 is capped at the share) + 1 = 3 < 4, so the price rises to 2 per point
    # and both pay their whole share.
    election = _election([4, 10], 4, ids=["A", "B"])
    profile = Profile.from_ballots(kind, [{0: 3}, {0: 1, 1: 1}], 2)
    outcome = method_of_equal_shares(election, profile, sat="cardinality")
    assert outcome.selected_ids(election) == ["A"]
    assert outcome.details["rhos"] == [Fraction(2)]
