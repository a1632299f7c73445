"""The data model: collapsing ballots, derived figures, tie order, comparison."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from localpower.tally.model import BallotKind, Election, Outcome, Profile, Project


def election_of(*costs, ids=None) -> Election:
    ids = ids or [str(k + 1) for k in range(len(costs))]
    projects = tuple(Project(i, Fraction(c)) for i, c in zip(ids, costs, strict=True))
    return Election(projects, Fraction(10))


def test_identical_ballots_are_collapsed_with_multiplicities():
    profile = Profile.from_ballots("approval", [[0, 1], [2], [1, 0], [2], [0, 1]], 3)
    assert profile.n_unique == 2
    assert profile.n_voters == 5
    assert sorted(profile.weights.tolist()) == [2, 3]
    assert profile.per_voter_ballots().astype(int).tolist() == [
        [1, 1, 0],
        [0, 0, 1],
        [1, 1, 0],
        [0, 0, 1],
        [1, 1, 0],
    ]
    assert profile.approvals_per_project.tolist() == [3, 3, 2]
    assert profile.voter_ids == ("1", "2", "3", "4", "5")


def test_ordinal_ballots_store_ranks_and_keep_the_order():
    profile = Profile.from_ballots(BallotKind.ORDINAL, [[2, 0], [0, 2]], 3, voter_ids=["x", "y"])
    assert profile.ballots.dtype == np.int32
    assert profile.per_voter_ballots().tolist() == [[2, 0, 1], [1, 0, 2]]
    assert profile.voter_projects(profile.voter_index("x")) == [2, 0]
    assert profile.n_unique == 2


def test_points_ballots_use_integers_unless_a_value_is_fractional():
    whole = Profile.from_ballots("cumulative", [{0: 2, 2: 1}, {1: 3}], 3)
    assert whole.ballots.dtype == np.int64
    assert whole.points_per_project.tolist() == [2, 3, 1]
    half = Profile.from_ballots("scoring", [{0: Fraction(1, 2)}], 2)
    assert half.ballots.dtype == np.float64
    assert half.points_per_project.tolist() == [0.5, 0.0]


def test_costs_array_is_integral_when_possible():
    assert election_of(3, 4).costs.dtype == np.int64
    assert election_of(Fraction(7, 2), 4).costs.tolist() == [3.5, 4.0]


def test_tie_rank_is_lexicographic_on_the_id_string():
    election = election_of(1, 1, 1, 1, ids=["2", "10", "b", "B"])
    # "10" < "2" < "B" < "b" as strings
    assert election.tie_rank.tolist() == [1, 0, 3, 2]
    assert election.index == {"2": 0, "10": 1, "b": 2, "B": 3}


def test_profiles_compare_per_voter_not_per_collapsed_row():
    a = Profile.from_ballots("approval", [[0], [1]], 2, voter_ids=["p", "q"])
    b = Profile.from_ballots("approval", [[0], [1]], 2, voter_ids=["p", "q"])
    b.ballots, b.voter_rows = b.ballots[::-1].copy(), 1 - b.voter_rows  # same voters, rows stored differently
    assert a == b
    swapped = Profile.from_ballots("approval", [[1], [0]], 2, voter_ids=["p", "q"])
    assert a != swapped
    assert a != Profile.from_ballots("ordinal", [[0], [1]], 2, voter_ids=["p", "q"])


def test_unknown_voter_is_a_key_error_with_the_id():
    profile = Profile.from_ballots("approval", [[0]], 1, voter_ids=["only"])
    with pytest.raises(KeyError, match="nobody"):
        profile.voter_index("nobody")


def test_outcome_reports_ids_in_selection_order_and_exact_cost():
    election = election_of(Fraction(1, 3), Fraction(2, 3), 5, ids=["a", "b", "c"])
    outcome = Outcome("greedy", (2, 0))
    assert outcome.selected_ids(election) == ["c", "a"]
    assert outcome.cost(election) == Fraction(16, 3)


def test_from_matrix_rejects_mismatched_voter_ids():
    with pytest.raises(ValueError, match="2 voter ids for 1 ballots"):
        Profile.from_matrix("approval", np.ones((1, 2)), voter_ids=["a", "b"])


def test_empty_profile_has_no_voters():
    profile = Profile.from_ballots("approval", [], 3)
    assert profile.n_voters == 0
    assert profile.approvals_per_project.tolist() == [0, 0, 0]
