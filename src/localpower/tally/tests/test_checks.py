"""EJR up to one project and priceability: agree with pabutools, pass for MES, fail on unfair outcomes."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from localpower.tally.checks import (
    is_ejr_up_to_one,
    is_priceable,
    mes_price_system,
    verify_price_system,
)
from localpower.tally.model import Election, Outcome, Profile, Project, TallyError
from localpower.tally.rules.mes import method_of_equal_shares
from localpower.tally.tests.fair_oracle import fair_settings
from localpower.tally.tests.oracle import elections_with_profiles, pabutools_sat_class, to_pabutools

pytest.importorskip("pabutools")

SETTINGS = fair_settings(150)
SATS = st.sampled_from(["cost", "cardinality"])


@SETTINGS
@given(
    case=elections_with_profiles(kind="approval", max_projects=5, max_voters=6),
    sat=SATS,
    data=st.data(),
)
def test_ejr_check_agrees_with_pabutools(case, sat, data):
    from pabutools.analysis.justifiedrepresentation import is_EJR_one_approval

    election, profile = case
    # Any affordable set of projects as the outcome.
    picked = data.draw(st.lists(st.integers(0, election.n_projects - 1), unique=True))
    chosen = []
    for j in picked:
        if election.cost_of(chosen + [j]) <= election.budget:
            chosen.append(j)
    outcome = Outcome(rule="test", selected=tuple(chosen), details={"sat": sat})
    instance, pb_profile = to_pabutools(election, profile)
    allocation = [p for p in instance if p.name in {election.projects[j].id for j in chosen}]
    expected = is_EJR_one_approval(instance, pb_profile, pabutools_sat_class("approval", sat), allocation)
    assert is_ejr_up_to_one(election, profile, outcome).ok == expected


@SETTINGS
@given(
    # Free projects are left out: with cost satisfaction they bring nobody anything, so MES (like
    # pabutools) never funds them, and the priceability conditions then fail on them by definition.
    case=elections_with_profiles(kind="approval", max_voters=15, allow_free_projects=False),
    sat=SATS,
    completion=st.sampled_from(["none", "add1"]),
)
def test_mes_outcomes_are_ejr_up_to_one_and_priceable(case, sat, completion):
    election, profile = case
    outcome = method_of_equal_shares(election, profile, sat=sat, completion=completion)
    ejr = is_ejr_up_to_one(election, profile, outcome)
    assert ejr.ok and ejr.complete, ejr.detail
    price = is_priceable(election, profile, outcome)
    assert price.ok, price.detail


@SETTINGS
@given(case=elections_with_profiles(kind="cumulative", max_voters=10, allow_free_projects=False), sat=SATS)
def test_mes_price_system_on_points_ballots_pays_every_project_exactly(case, sat):
    election, profile = case
    outcome = method_of_equal_shares(election, profile, sat=sat)
    prices = mes_price_system(election, profile, outcome)
    assert verify_price_system(election, profile, outcome, prices).ok


def _two_camps():
    # Six voters approve A1..A5, four voters approve B1, B2; every project costs 1; budget 5.
    ids = ["A1", "A2", "A3", "A4", "A5", "B1", "B2"]
    projects = tuple(Project(i, Fraction(1)) for i in ids)
    election = Election(projects, Fraction(5), {"vote_type": "approval"})
    profile = Profile.from_ballots("approval", [[0, 1, 2, 3, 4]] * 6 + [[5, 6]] * 4, 7)
    return election, profile


def test_majority_takes_all_fails_ejr_and_names_the_group():
    election, profile = _two_camps()
    outcome = Outcome(rule="greedy", selected=(0, 1, 2, 3, 4), details={"sat": "cardinality"})
    result = is_ejr_up_to_one(election, profile, outcome)
    assert not result.ok
    assert result.witness["voters"] == 4
    assert set(result.witness["projects"]) == {"B1", "B2"}
    assert "4 voters" in result.detail and "B1" in result.detail and "B2" in result.detail


def test_fair_split_passes_ejr():
    election, profile = _two_camps()
    outcome = method_of_equal_shares(election, profile, sat="cardinality", completion="add1")
    assert sorted(outcome.selected_ids(election)) == ["A1", "A2", "A3", "B1", "B2"]
    assert is_ejr_up_to_one(election, profile, outcome).ok


def test_outcome_ignoring_the_majority_is_not_priceable():
    # A (cost 3) has one supporter, B (cost 3) two; funding A alone leaves B's supporters with more
    # money than B costs under any price system.
    projects = (Project("A", Fraction(3)), Project("B", Fraction(3)))
    election = Election(projects, Fraction(3), {"vote_type": "approval"})
    profile = Profile.from_ballots("approval", [[0], [1], [1]], 2)
    unfair = Outcome(rule="test", selected=(0,))
    result = is_priceable(election, profile, unfair)
    assert not result.ok and "not priceable" in result.detail
    fair = Outcome(rule="test", selected=(1,))
    assert is_priceable(election, profile, fair).ok


def test_a_tampered_price_system_is_caught():
    election, profile = _two_camps()
    outcome = method_of_equal_shares(election, profile, sat="cardinality")
    prices = mes_price_system(election, profile, outcome)
    row = next(r for r, pays in prices.payments.items() if pays)
    q = next(iter(prices.payments[row]))
    prices.payments[row][q] -= Fraction(1, 7)  # underpay one funded project
    result = verify_price_system(election, profile, outcome, prices)
    assert not result.ok and election.projects[q].id in result.detail


def test_ejr_needs_approval_ballots():
    projects = (Project("A", Fraction(1)),)
    election = Election(projects, Fraction(1), {})
    profile = Profile.from_ballots("cumulative", [{0: 2}], 1)
    with pytest.raises(TallyError, match="approval"):
        is_ejr_up_to_one(election, profile, Outcome(rule="x", selected=()))
