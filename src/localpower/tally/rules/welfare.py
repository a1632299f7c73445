"""Maximum utilitarian welfare: the affordable set of projects with the greatest total satisfaction.

Welfare of a project = its total support times the satisfaction unit: with ``sat="cost"`` votes (or
points) x cost, with ``sat="cardinality"`` votes (or points). This is pabutools 1.2.3
``max_additive_utilitarian_welfare`` with ``Cost_Sat`` / ``Cardinality_Sat`` (approval and ordinal
ballots) or points-based satisfaction (cumulative and scoring ballots).

It is a 0/1 knapsack problem, solved as an integer programme with HiGHS (``highspy``), then made exact:

1. Welfare and cost coefficients are scaled to whole numbers; HiGHS runs with zero optimality gap.
2. The answer is re-checked in exact arithmetic, and optimality is confirmed by asking HiGHS for any
   allocation with welfare at least one unit higher (it must find none).
3. Ties. When several allocations reach the maximum, we choose one by a stated rule, because pabutools'
   own choice depends on its solver's internals: go through the projects in tie order (lowest
   ``election.tie_rank`` first, i.e. lexicographic on project id, as pabutools breaks ties elsewhere)
   and fund each one if some maximum-welfare allocation funds it together with the projects already
   fixed. The result is the maximum-welfare allocation whose funded projects come first in tie order.

Projects nobody supports add no welfare and are never funded; free projects somebody supports are
always funded (they are in every maximum-welfare allocation).
"""

from __future__ import annotations

import math
import os
from fractions import Fraction

import numpy as np

from localpower.tally.model import Election, Outcome, Profile, Round, TallyError

SATISFACTIONS = ("cost", "cardinality")


def _highs():
    """A silent HiGHS instance (its banner is printed by the C++ constructor, so hide fd 1 briefly)."""
    import highspy

    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as sink:
            os.dup2(sink.fileno(), 1)
            h = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 0.0)
    h.setOptionValue("mip_feasibility_tolerance", 1e-9)
    h.setOptionValue("primal_feasibility_tolerance", 1e-9)
    return h, highspy


def project_welfare(election: Election, profile: Profile, sat: str) -> list[Fraction]:
    """Exact total welfare of each project."""
    from localpower.tally.rules.greedy import welfare_order

    if sat not in SATISFACTIONS:
        raise TallyError(f"rule max-welfare supports sat 'cost' or 'cardinality', not {sat!r}")
    _, _, support = welfare_order(election, profile, sat)
    costs = [p.cost for p in election.projects]
    return [s * c if sat == "cost" else Fraction(s) for s, c in zip(support, costs, strict=True)]


def _scale(values: list[Fraction]) -> tuple[list[int], int]:
    lcm = 1
    for v in values:
        lcm = lcm * v.denominator // math.gcd(lcm, v.denominator)
    return [int(v * lcm) for v in values], lcm


class _Knapsack:
    """max sum(w x) s.t. sum(c x) <= budget, x binary, with exact checks around HiGHS."""

    def __init__(self, welfare: list[int], costs: list[int], budget: int):
        self.w, self.c, self.budget = welfare, costs, budget
        self.n = len(welfare)
        self.h, highspy = _highs()
        inf = highspy.kHighsInf
        idx = np.arange(self.n, dtype=np.int32)
        self.h.addVars(self.n, np.zeros(self.n), np.ones(self.n))
        self.h.changeColsIntegrality(self.n, idx, np.array([highspy.HighsVarType.kInteger] * self.n))
        self.h.changeColsCost(self.n, idx, -np.array(welfare, dtype=np.float64))
        self.h.addRow(-inf, float(budget), self.n, idx, np.array(costs, dtype=np.float64))
        self.inf = inf
        self.idx = idx
        self.floor_row: int | None = None
        self.ok = highspy.HighsModelStatus.kOptimal
        self.solves = 0

    def solve(self) -> list[int] | None:
        """An optimal 0/1 vector for the current bounds, checked exactly; None if infeasible."""
        self.solves += 1
        self.h.run()
        if self.h.getModelStatus() != self.ok:
            return None
        x = [int(round(v)) for v in self.h.getSolution().col_value]
        if sum(c for c, xi in zip(self.c, x, strict=True) if xi) > self.budget:
            raise TallyError("the integer programme solver returned an allocation over budget")
        return x

    def value(self, x: list[int]) -> int:
        return sum(w for w, xi in zip(self.w, x, strict=True) if xi)

    def require_welfare(self, at_least: int) -> None:
        if self.floor_row is None:
            self.h.addRow(float(at_least), self.inf, self.n, self.idx, np.array(self.w, dtype=np.float64))
            self.floor_row = self.h.getNumRow() - 1
        else:
            self.h.changeRowBounds(self.floor_row, float(at_least), self.inf)

    def fix(self, j: int, value: int) -> None:
        self.h.changeColBounds(j, float(value), float(value))

    def free(self, j: int) -> None:
        self.h.changeColBounds(j, 0.0, 1.0)


def _lp_bound(by_density: list[int], status: list, w: list[int], c: list[int], room: int) -> Fraction:
    """Dantzig's bound: the most welfare the undecided items could add in ``room`` (fractions allowed)."""
    total = Fraction(0)
    for i in by_density:
        if status[i] is not None:
            continue
        if c[i] <= room:
            room -= c[i]
            total += w[i]
        else:
            return total + Fraction(w[i] * room, c[i])
    return total


def max_welfare(
    election: Election,
    profile: Profile,
    *,
    sat: str = "cost",
    completion: str = "none",
) -> Outcome:
    """Fund the affordable set of projects with the greatest total welfare (ties: see module text)."""
    if completion not in ("none", None):
        raise TallyError(f"rule max-welfare has no completion method (asked for {completion!r}; use 'none')")
    welfare = project_welfare(election, profile, sat)
    rank = election.tie_rank
    free = [j for j, p in enumerate(election.projects) if p.cost == 0 and welfare[j] > 0]
    items = [j for j, p in enumerate(election.projects) if p.cost > 0 and welfare[j] > 0]
    items.sort(key=lambda j: int(rank[j]))  # tie order
    budget = Fraction(election.budget)
    chosen: list[int] = []
    solves = 0
    if items:
        scaled_w, _ = _scale([welfare[j] for j in items])
        scaled_c, _ = _scale([election.projects[j].cost for j in items] + [budget])
        cap = scaled_c.pop()
        ks = _Knapsack(scaled_w, scaled_c, cap)
        best = ks.solve() or [0] * len(items)
        # Optimality certificate: nothing with at least one more unit of welfare.
        while True:
            ks.require_welfare(ks.value(best) + 1)
            better = ks.solve()
            if better is None:
                break
            best = better
        target = ks.value(best)
        ks.require_welfare(target)
        # Tie-breaking: fund projects in tie order whenever a maximum-welfare allocation allows it.
        fixed_cost = 0
        fixed_value = 0
        status = [None] * len(items)  # None: free, 1 / 0: fixed
        by_density = sorted(range(len(items)), key=lambda i: Fraction(scaled_w[i], scaled_c[i]), reverse=True)
        for k in range(len(items)):
            if best[k]:
                ks.fix(k, 1)
                status[k] = 1
                fixed_cost += scaled_c[k]
                fixed_value += scaled_w[k]
                continue
            status[k] = 0
            if (
                fixed_cost + scaled_c[k] > cap
                or _lp_bound(by_density, status, scaled_w, scaled_c, cap - fixed_cost - scaled_c[k])
                + fixed_value
                + scaled_w[k]
                < target
            ):
                ks.fix(k, 0)  # cannot reach the maximum welfare with k funded: no solver run needed
                continue
            ks.fix(k, 1)
            trial = ks.solve()
            if trial is not None and ks.value(trial) >= target:
                best = trial
                status[k] = 1
                fixed_cost += scaled_c[k]
                fixed_value += scaled_w[k]
            else:
                ks.fix(k, 0)
        solves = ks.solves
        chosen = [items[k] for k in range(len(items)) if best[k]]
    selected = sorted(free, key=lambda j: int(rank[j])) + chosen
    total = sum((welfare[j] for j in selected), Fraction(0))
    trace = tuple(
        Round(project=j, stage="main", effective_votes=float(welfare[j]), note="in the maximum-welfare set")
        for j in selected
    )
    details = {"sat": sat, "welfare": total, "solver_runs": solves}
    return Outcome(rule="max-welfare", selected=tuple(selected), trace=trace, details=details)


__all__ = ["max_welfare", "project_welfare"]
