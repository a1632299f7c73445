"""Sequential Phragmén: same outcomes as pabutools 1.2.3, plus hand-checked loads."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given

from localpower.tally.model import Election, Profile, Project, TallyError
from localpower.tally.rules.phragmen import sequential_phragmen
from localpower.tally.tests.fair_oracle import fair_settings, pabutools_phragmen, tie_heavy
from localpower.tally.tests.oracle import elections_with_profiles

pytest.importorskip("pabutools")

SETTINGS = fair_settings(250)


def _check(election, profile):
    ours = sequential_phragmen(election, profile)
    # pabutools returns the funded projects sorted by id, so compare the sets.
    assert sorted(ours.selected_ids(election)) == sorted(pabutools_phragmen(election, profile))
    assert ours.cost(election) <= election.budget


@SETTINGS
@given(case=elections_with_profiles(kind="approval"))
def test_phragmen_matches_pabutools(case):
    _check(*case)


@SETTINGS
@given(case=tie_heavy(kind="approval", max_voters=20))
def test_phragmen_matches_pabutools_when_ties_abound(case):
    _check(*case)


def _election(costs, budget, ids):
    projects = tuple(Project(pid, Fraction(c)) for pid, c in zip(ids, costs, strict=True))
    return Election(projects, Fraction(budget), {"vote_type": "approval"})


def test_loads_are_shared_and_the_rule_stops_at_the_first_misfit():
    # A (cost 3) backed by voters 1-3, B (cost 2) by voter 4, C (cost 4) by voters 1-2. Budget 6.
    election = _election([3, 2, 4], 6, ["A", "B", "C"])
    profile = Profile.from_ballots("approval", [[0, 2], [0, 2], [0], [1]], 3)
    outcome = sequential_phragmen(election, profile)
    # A first (load 1 each), then B (load 2 for voter 4), then C would need load (1+1+4)/2 = 3 and
    # costs 4 > 1 left: the rule stops there.
    assert outcome.selected_ids(election) == ["A", "B"]
    assert outcome.details["loads"] == [Fraction(1), Fraction(2)]
    assert outcome.trace[-1].note.startswith("not funded")
    assert election.projects[outcome.trace[-1].project].id == "C"


def test_phragmen_refuses_points_ballots():
    election = _election([1], 1, ["A"])
    profile = Profile.from_ballots("cumulative", [{0: 2}], 1)
    with pytest.raises(TallyError, match="approval ballots"):
        sequential_phragmen(election, profile)
