"""Maximum utilitarian welfare: optimal like pabutools, exact, with a stated tie rule."""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from localpower.tally.model import Election, Profile, Project, TallyError
from localpower.tally.rules.welfare import max_welfare, project_welfare
from localpower.tally.tests.fair_oracle import fair_settings, pabutools_max_welfare, tie_heavy
from localpower.tally.tests.oracle import elections_with_profiles

pytest.importorskip("pabutools")

SETTINGS = fair_settings(120)


def _brute_force(election, welfare):
    """The maximum-welfare set our tie rule picks, by enumerating every affordable set."""
    rank = election.tie_rank
    items = sorted(
        (j for j, p in enumerate(election.projects) if p.cost > 0 and welfare[j] > 0), key=lambda j: rank[j]
    )
    free = {j for j, p in enumerate(election.projects) if p.cost == 0 and welfare[j] > 0}
    best_key, best_set = None, set()
    for size in range(len(items) + 1):
        for subset in combinations(items, size):
            if election.cost_of(subset) > election.budget:
                continue
            value = sum((welfare[j] for j in subset), Fraction(0))
            # Tie rule: most welfare, then the indicator vector in tie order, ones first.
            key = (value, tuple(1 if j in subset else 0 for j in items))
            if best_key is None or key > best_key:
                best_key, best_set = key, set(subset)
    return best_set | free


def _check(election, profile, sat):
    outcome = max_welfare(election, profile, sat=sat)
    welfare = project_welfare(election, profile, sat)
    ours = set(outcome.selected)
    assert outcome.cost(election) <= election.budget
    assert ours == _brute_force(election, welfare)
    theirs = pabutools_max_welfare(election, profile, sat=sat)
    index = election.index
    their_value = sum((welfare[index[i]] for i in theirs), Fraction(0))
    assert outcome.details["welfare"] == their_value


@SETTINGS
@given(case=elections_with_profiles(), sat=st.sampled_from(["cost", "cardinality"]))
def test_max_welfare_is_optimal_like_pabutools_and_follows_the_tie_rule(case, sat):
    _check(*case, sat)


@SETTINGS
@given(case=tie_heavy(kind="approval"), sat=st.sampled_from(["cost", "cardinality"]))
def test_max_welfare_with_many_optima(case, sat):
    _check(*case, sat)


def test_tie_between_two_optima_goes_to_the_first_project_id():
    projects = (Project("b", Fraction(5)), Project("a", Fraction(5)), Project("c", Fraction(2)))
    election = Election(projects, Fraction(7), {"vote_type": "approval"})
    # a and b both have 2 votes and cost 5; c has 1 vote. Budget 7: {a, c} or {b, c}.
    profile = Profile.from_ballots("approval", [[0, 1], [0, 1, 2]], 3)
    outcome = max_welfare(election, profile, sat="cardinality")
    assert sorted(outcome.selected_ids(election)) == ["a", "c"]
    assert outcome.details["welfare"] == 3


def test_large_costs_stay_exact():
    # Welfare values near 10**12 differ by one unit: a float-only solver with a gap would not care.
    big = 10**6
    projects = (Project("x", Fraction(big)), Project("y", Fraction(big - 1)), Project("z", Fraction(1)))
    election = Election(projects, Fraction(big), {"vote_type": "approval"})
    votes = [[0]] * 1000 + [[1, 2]] * 1000
    profile = Profile.from_ballots("approval", votes, 3)
    outcome = max_welfare(election, profile, sat="cost")
    # x: 1000 * 10**6; y + z: 1000 * (10**6 - 1) + 1000 * 1 = the same; tie -> x first in id order.
    assert outcome.details["welfare"] == 1000 * big
    assert outcome.selected_ids(election) == ["x"]


def test_unknown_sat_is_refused():
    election = Election((Project("a", Fraction(1)),), Fraction(1), {})
    profile = Profile.from_ballots("approval", [[0]], 1)
    with pytest.raises(TallyError, match="sat"):
        max_welfare(election, profile, sat="joy")
