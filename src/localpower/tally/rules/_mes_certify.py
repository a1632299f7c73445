"""Certified skipping for add-one completion: when a larger starting share provably gives the same outcome.

Split from ``_mes_kernel`` (which computes one MES pass); see that module's docstring for the arithmetic.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from localpower.tally.rules._mes_kernel import _EPS, _FIELDS, MesInput, MesRun, Q, _State, float_bounds


def same_outcome_up_to(data: MesInput, run: MesRun, start_hi: Fraction) -> bool:
    """True when every starting share in [s, start_hi] gives the outcome of ``run`` (computed at s).

    Monotonicity argument: while the same projects are funded in the same order, a bigger share leaves
    every voter at least as much money after every round (each payment is min(money, rho x u), and more
    money never raises rho). So, for a share s' in [s, start_hi], the voters' money after each round lies
    between the money in ``run`` and the money in a pass at ``start_hi`` that funds the same projects in
    the same order. In every round the funded project's price at s' is at most its price in ``run``,
    and every other project's price at s' is at least its price in the forced pass; if the latter is
    still higher (or equal, losing the tie-break), the same project is funded at s'. Projects that the
    forced pass cannot afford cannot be afforded at s' either. This replays the forced pass and checks
    exactly that, with the same float filter and exact re-checks as :func:`run_mes`.
    """
    m = data.m
    state = _State(data, start_hi)
    active = data.eligible.copy()
    stale = np.ones(m, dtype=bool)
    f = {name: np.zeros(m) for name in _FIELDS}
    cost_f = data.costs_f
    rank = data.tie_rank

    def refresh(projects: np.ndarray) -> None:
        if len(projects):
            for name, values in float_bounds(data, state, projects, f["lo"][projects], False).items():
                f[name][projects] = values
            stale[projects] = False

    def settle(limit: float) -> None:
        """Refresh what could be at or below ``limit``; drop what the forced pass cannot afford."""
        batch = 8
        while True:
            active[:] &= ~(f["money"] + f["money_err"] < cost_f)  # old money is an upper bound
            need = np.flatnonzero(active & stale & (f["lo"] <= limit))
            if not len(need):
                return
            if len(need) > batch:
                need = need[np.argsort(f["lo"][need], kind="stable")[:batch]]
                batch *= 2
            refresh(need)

    refresh(np.flatnonzero(active))
    for p, rho_fraction in zip(run.selected, run.rhos, strict=True):
        rho = Q(rho_fraction)
        limit = float(rho) * (1 + 8 * _EPS)
        settle(limit)
        for q in np.flatnonzero(active & (f["lo"] <= limit)).tolist():
            if q == p:
                continue
            rho_q, _, _ = state.exact_rho(q)
            if rho_q is None:
                active[q] = False
            elif rho_q < rho or (rho_q == rho and rank[q] < rank[p]):
                return False
        if not active[p]:
            return False  # cannot happen (more money keeps p affordable); refuse rather than assume
        rho_hi, _, _ = state.exact_rho(p)
        if rho_hi is None:
            return False
        state.pay(p, rho_hi, state.zero)
        active[p] = False
        stale |= data.neighbours(p) & active
    # Nothing else may be affordable at the end.
    settle(np.inf)
    for q in np.flatnonzero(active).tolist():
        rho_q, _, _ = state.exact_rho(q)
        if rho_q is not None:
            return False
    return True
