"""The MES kernel's shortcuts give exactly what the plain exact computation gives."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from localpower.tally.rules._mes_kernel import _float_rho, _fresh_rho, _State, _threshold_rho, to_fraction
from localpower.tally.rules.mes import mes_input
from localpower.tally.tests.fair_oracle import fair_settings
from localpower.tally.tests.oracle import elections_with_profiles

SETTINGS = fair_settings(150)


def _neighbours_by_voters(data, p: int) -> np.ndarray:
    touched = np.zeros(len(data.weights), dtype=bool)
    touched[data.supporters(p)] = True
    row = np.zeros(data.m, dtype=bool)
    row[data.pair_project[touched[data.pair_ballot]]] = True
    return row


@SETTINGS
@given(
    case=elections_with_profiles(),
    sat=st.sampled_from(["cost", "cardinality"]),
    share=st.fractions(min_value=Fraction(1, 7), max_value=12, max_denominator=9),
    certify=st.booleans(),
    paid=st.lists(st.integers(min_value=0, max_value=6), max_size=4),
)
def test_float_guided_price_equals_exact_walk(case, sat, share, certify, paid):
    """After any sequence of purchases, the float-guided price (and its slope) is the exact walk's
    price, and a project it prices is one the exact walk finds affordable."""
    election, profile = case
    data = mes_input(election, profile, sat)
    state = _State(data, share, certify)
    funded: set[int] = set()
    for step in [None, *paid]:
        if step is not None:  # pay for some affordable project (each at most once, as MES does)
            affordable = [
                q
                for q in np.flatnonzero(data.eligible).tolist()
                if q not in funded and state.walk_rho(q)[0] is not None
            ]
            if not affordable:
                break
            q = affordable[step % len(affordable)]
            rho, drho, _ = state.walk_rho(q)
            state.pay(q, rho, drho)
            funded.add(q)
        for q in np.flatnonzero(data.eligible).tolist():
            walked = state.walk_rho(q)
            guided = state._guided_rho(q)
            if guided is not None:
                assert walked[0] is not None
                assert guided == (walked[0], walked[1])
            assert state.exact_rho(q) == walked


@SETTINGS
@given(case=elections_with_profiles(), sat=st.sampled_from(["cost", "cardinality"]))
def test_project_neighbours_are_projects_sharing_a_supporter(case, sat):
    election, profile = case
    data = mes_input(election, profile, sat)
    for p in range(data.m):
        assert (data.neighbours(p) == _neighbours_by_voters(data, p)).all()


def _bounds_hold(data, state, projects, fields, proved=None) -> None:
    for name in ("lo", "hi", "money", "money_err"):
        assert not np.isnan(fields[name]).any(), (name, fields)
    for j, q in enumerate(projects.tolist()):
        rho, _, _ = state.walk_rho(q)
        money = to_fraction(state._money(data.supporters(q))[0])
        centre, err = Fraction(fields["money"][j]), Fraction(fields["money_err"][j])
        assert centre - err <= money <= centre + err
        if rho is not None:
            lo, hi = fields["lo"][j], fields["hi"][j]
            assert lo == -np.inf or Fraction(lo) <= to_fraction(rho)
            if proved is None or proved[j]:
                assert hi == np.inf or to_fraction(rho) <= Fraction(hi)


@SETTINGS
@given(
    case=elections_with_profiles(),
    sat=st.sampled_from(["cost", "cardinality"]),
    share=st.fractions(min_value=Fraction(1, 7), max_value=12, max_denominator=9),
    paid=st.lists(st.integers(min_value=0, max_value=6), max_size=4),
    theta=st.sampled_from([0.0, np.inf]),
)
def test_float_bounds_contain_the_exact_price_and_money(case, sat, share, paid, theta):
    """The float pass (sorted, threshold and before-any-payment forms) bounds every exact price and every supporters' money,
    after any sequence of purchases."""
    election, profile = case
    data = mes_input(election, profile, sat)
    state = _State(data, share, True)
    funded: set[int] = set()
    for step in [None, *paid]:
        if step is not None:
            affordable = [
                q
                for q in np.flatnonzero(data.eligible).tolist()
                if q not in funded and state.walk_rho(q)[0] is not None
            ]
            if not affordable:
                break
            q = affordable[step % len(affordable)]
            rho, drho, _ = state.walk_rho(q)
            state.pay(q, rho, drho)
            funded.add(q)
        projects = np.array(
            [q for q in np.flatnonzero(data.eligible).tolist() if q not in funded], dtype=np.int64
        )
        if not len(projects):
            break
        _bounds_hold(data, state, projects, _float_rho(data, state, projects, True))
        fields, done = _threshold_rho(data, state, projects, np.full(len(projects), theta), True)
        _bounds_hold(data, state, projects, fields, done)
        if state.pays == 0:
            fields, done = _fresh_rho(data, state, projects, True)
            _bounds_hold(data, state, projects, fields, done)
