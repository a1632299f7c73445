"""Fairness checks on an outcome: EJR up to one project, and priceability.

Both return a :class:`CheckResult` with ``ok`` and a plain-English ``detail`` that names the
under-represented group (or the failing condition) when the check fails.

**EJR up to one project** (Peters, Pierczyński & Skowron 2021; pabutools
``is_EJR_one_approval``), for approval ballots (ordinal ballots: a ranked project counts as approved).
A group ``S`` of voters is *cohesive* for a set of projects ``T`` when every voter in ``S`` approves
every project in ``T`` and the group is big enough to pay for ``T`` with its fair share of the money:
``cost(T) * n <= |S| * budget``. The outcome ``W`` satisfies EJR up to one project when, for every
cohesive pair, some voter ``i`` in ``S`` has ``sat_i(W) + max over a in T - W of sat(a) >= sat_i(T)``
(satisfaction = total cost, or number, of approved funded projects). The search is exact: a
depth-first walk over sets ``T`` in whole-number arithmetic that abandons a branch as soon as the
voters approving all of ``T`` can no longer afford it (adding projects only raises the cost and shrinks
that group). A work limit guards against pathological inputs; the result says when it was reached.

**Priceability** (same paper): there is a per-voter budget ``b`` and payments such that nobody pays
for a project they do not support or that is not funded, nobody pays more than ``b``, each funded
project is paid exactly, nobody's money exceeds ``b * n >= budget``, and for every unfunded project the
money its supporters have left is at most its cost. MES outcomes carry their own price system, which is
rebuilt and verified exactly; for other outcomes a price system is searched for with a linear programme
(HiGHS, floating point).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from localpower.tally.model import BallotKind, Election, Outcome, Profile, TallyError
from localpower.tally.rules._mes_kernel import Q, to_fraction

DEFAULT_NODE_LIMIT = 2_000_000


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    detail: str
    witness: dict = field(default_factory=dict)
    complete: bool = True  # False when a work limit stopped the search before it could decide


def _ids(election: Election, columns) -> str:
    return ", ".join(election.projects[j].id for j in columns)


def _scaled_costs(election: Election) -> tuple[list[int], int]:
    lcm = 1
    for p in election.projects:
        lcm = lcm * p.cost.denominator // math.gcd(lcm, p.cost.denominator)
    lcm = lcm * Fraction(election.budget).denominator // math.gcd(lcm, Fraction(election.budget).denominator)
    return [int(p.cost * lcm) for p in election.projects], int(Fraction(election.budget) * lcm)


def is_ejr_up_to_one(
    election: Election,
    profile: Profile,
    outcome: Outcome,
    *,
    sat: str | None = None,
    node_limit: int = DEFAULT_NODE_LIMIT,
) -> CheckResult:
    """Exact check of EJR up to one project for approval ballots (cost or cardinality satisfaction)."""
    if profile.kind not in (BallotKind.APPROVAL, BallotKind.ORDINAL):
        raise TallyError(f"the EJR check needs approval ballots, not {profile.kind.value} ballots")
    sat = sat or outcome.details.get("sat", "cost")
    if sat not in ("cost", "cardinality"):
        raise TallyError(f"the EJR check supports sat 'cost' or 'cardinality', not {sat!r}")
    approvals = np.asarray(profile.supports, dtype=bool)
    weights = np.asarray(profile.weights, dtype=np.int64)
    n = int(weights.sum())
    costs, budget = _scaled_costs(election)
    cost_arr = np.array(costs, dtype=np.int64)
    chosen = np.zeros(election.n_projects, dtype=bool)
    chosen[list(outcome.selected)] = True
    unit = cost_arr if sat == "cost" else np.ones(election.n_projects, dtype=np.int64)
    sat_w = (approvals & chosen).astype(np.int64) @ unit  # (u,) satisfaction from the outcome
    # Only projects somebody approves can be in a cohesive set; try cheap ones first (more pruning).
    order = sorted(
        np.flatnonzero(approvals.any(axis=0) if len(weights) else []).tolist(), key=lambda j: costs[j]
    )
    nodes = 0
    stack = [(0, [], np.ones(len(weights), dtype=bool), 0)]  # (next position, T, voters approving T, cost)
    while stack:
        start, projects, members, cost_t = stack.pop()
        for pos in range(start, len(order)):
            j = order[pos]
            group = members & approvals[:, j]
            total = cost_t + costs[j]
            if total * n > int(weights[group].sum()) * budget:
                continue  # not even everyone approving T could afford it; neither could for supersets
            nodes += 1
            if nodes > node_limit:
                return CheckResult(
                    True,
                    f"no violation found in the first {node_limit:,} project sets; the search was stopped there",
                    complete=False,
                )
            t = projects + [j]
            sat_t = total if sat == "cost" else len(t)
            outside = [k for k in t if not chosen[k]]
            bonus = max((int(unit[k]) for k in outside), default=0)
            unhappy = group & (sat_w + bonus < sat_t)
            size = int(weights[unhappy].sum())
            if size and total * n <= size * budget:
                return _ejr_failure(election, profile, t, unhappy, size, n, sat)
            stack.append((pos + 1, t, group, total))
    return CheckResult(
        True,
        f"every group of voters that could pay for a set of projects together gets its fair share "
        f"(EJR up to one project, {sat} satisfaction; {nodes:,} project sets examined)",
    )


def _ejr_failure(election, profile, projects, unhappy, size, n, sat) -> CheckResult:
    rows = set(np.flatnonzero(unhappy).tolist())
    voter_ids = [v for v, r in zip(profile.voter_ids, profile.voter_rows.tolist(), strict=True) if r in rows]
    cost = election.cost_of(projects)
    share = Fraction(election.budget) * size / n
    detail = (
        f"EJR up to one project fails ({sat} satisfaction): {size} voters all support projects "
        f"{_ids(election, projects)} (cost {cost}); their fair share of the budget ({float(share):.2f}) "
        f"would pay for them, yet each of them gets less from the outcome, even counting one more of "
        f"these projects"
    )
    witness = {
        "projects": [election.projects[j].id for j in projects],
        "voters": size,
        "voter_ids": voter_ids[:50],
    }
    return CheckResult(False, detail, witness)


# ---------------------------------------------------------------------------------------------- prices
@dataclass(frozen=True)
class PriceSystem:
    """A per-voter budget and each distinct ballot's payment to each project (exact)."""

    share: Fraction
    payments: dict[int, dict[int, Fraction]]  # ballot row -> project column -> payment per voter


def mes_price_system(election: Election, profile: Profile, outcome: Outcome) -> PriceSystem:
    """The price system an MES outcome was computed with: each supporter pays min(money left, rho x u)."""
    details = outcome.details
    if outcome.rule != "mes" or "rhos" not in details:
        raise TallyError("a price system can only be rebuilt from an outcome of the mes rule")
    sat = details.get("sat", "cost")
    points = profile.kind in (BallotKind.CUMULATIVE, BallotKind.SCORING)
    share = Q(details["share"])
    rounds = [(q, Q(rho)) for q, rho in zip(details["mes_selected"], details["rhos"], strict=True)]
    payments: dict[int, dict[int, Fraction]] = {}
    for r in range(profile.n_unique):
        left = share
        row = {}
        for q, rho in rounds:
            value = profile.ballots[r, q]
            if value <= 0:
                continue
            u = Q(Fraction(repr(float(value)))) if points else Q(1)
            if sat == "cost":
                u *= Q(election.projects[q].cost)
            pay = min(left, rho * u)
            row[q] = to_fraction(pay)
            left -= pay
        payments[r] = row
    return PriceSystem(share=to_fraction(share), payments=payments)


def verify_price_system(
    election: Election, profile: Profile, outcome: Outcome, prices: PriceSystem
) -> CheckResult:
    """Exact check of the priceability conditions for a given price system."""
    support = np.asarray(
        profile.supports
        if profile.kind not in (BallotKind.CUMULATIVE, BallotKind.SCORING)
        else profile.ballots > 0
    )
    weights = [int(w) for w in profile.weights]
    n = sum(weights)
    chosen = set(outcome.selected)
    b = prices.share
    if outcome.cost(election) > election.budget:
        return CheckResult(False, "the outcome costs more than the budget")
    if b * n < election.budget:
        return CheckResult(False, f"the voters' money ({b} each) is less than the budget")
    paid = [Fraction(0)] * election.n_projects
    left = [b] * profile.n_unique
    for r, row in prices.payments.items():
        spent = sum(row.values(), Fraction(0))
        if spent > b:
            return CheckResult(
                False, f"{weights[r]} voter(s) with the same ballot pay {spent}, more than their budget {b}"
            )
        for q, amount in row.items():
            if amount and not support[r, q]:
                return CheckResult(
                    False, f"voters pay for project {election.projects[q].id} they do not support"
                )
            if amount and q not in chosen:
                return CheckResult(
                    False, f"voters pay for project {election.projects[q].id}, which is not funded"
                )
            paid[q] += weights[r] * amount
        left[r] = b - spent
    for q in chosen:
        if paid[q] != election.projects[q].cost:
            p = election.projects[q]
            return CheckResult(False, f"funded project {p.id} is paid {paid[q]} instead of its cost {p.cost}")
    for q in range(election.n_projects):
        if q in chosen:
            continue
        rows = np.flatnonzero(support[:, q]).tolist()
        leftover = sum((weights[r] * left[r] for r in rows), Fraction(0))
        if leftover > election.projects[q].cost:
            p = election.projects[q]
            return CheckResult(
                False,
                f"not priceable: the supporters of unfunded project {p.id} still hold {float(leftover):.2f}, "
                f"more than its cost {p.cost}",
                {"project": p.id},
            )
    return CheckResult(
        True, f"priceable: with {float(b):.2f} per voter the payments cover every funded project exactly"
    )


def is_priceable(election: Election, profile: Profile, outcome: Outcome) -> CheckResult:
    """Is there a price system supporting the outcome? (MES: exact; other rules: linear programme.)"""
    completion = str(outcome.details.get("completion", "none"))
    if outcome.rule == "mes" and "rhos" in outcome.details and not completion.endswith("utilitarian"):
        return verify_price_system(election, profile, outcome, mes_price_system(election, profile, outcome))
    return _priceable_lp(election, profile, outcome)


def _priceable_lp(election: Election, profile: Profile, outcome: Outcome) -> CheckResult:
    from localpower.tally.rules.welfare import _highs

    if outcome.cost(election) > election.budget:
        return CheckResult(False, "the outcome costs more than the budget")
    points = profile.kind in (BallotKind.CUMULATIVE, BallotKind.SCORING)
    support = np.asarray(profile.ballots > 0 if points else profile.supports)
    weights = np.asarray(profile.weights, dtype=np.float64)
    n = float(weights.sum())
    chosen = sorted(set(outcome.selected))
    costs = np.array([float(p.cost) for p in election.projects])
    scale = max(1.0, float(election.budget))
    h, highspy = _highs()
    inf = highspy.kHighsInf
    # Column 0: b; then one column per (ballot row, funded project it supports).
    pairs = [(r, q) for q in chosen for r in np.flatnonzero(support[:, q]).tolist()]
    ncol = 1 + len(pairs)
    h.addVars(ncol, np.zeros(ncol), np.full(ncol, inf))
    col_of = {pair: 1 + k for k, pair in enumerate(pairs)}
    by_row: dict[int, list[int]] = {}
    for (r, _), c in col_of.items():
        by_row.setdefault(r, []).append(c)
    for _r, cols in by_row.items():  # sum of payments <= b
        idx = np.array([0] + cols, dtype=np.int32)
        h.addRow(-inf, 0.0, len(idx), idx, np.array([-1.0] + [1.0] * len(cols)))
    for q in chosen:  # funded projects paid exactly
        cols = [(col_of[(r, q)], weights[r]) for r in np.flatnonzero(support[:, q]).tolist()]
        if not cols:
            return CheckResult(
                False, f"not priceable: nobody supports funded project {election.projects[q].id}"
            )
        idx = np.array([c for c, _ in cols], dtype=np.int32)
        h.addRow(costs[q] / scale, costs[q] / scale, len(idx), idx, np.array([w for _, w in cols]) / scale)
    h.addRow(float(election.budget) / scale, inf, 1, np.array([0], dtype=np.int32), np.array([n / scale]))
    for q in set(range(election.n_projects)) - set(chosen):  # supporters' leftovers <= cost
        rows = np.flatnonzero(support[:, q]).tolist()
        if not rows:
            continue
        coef = {0: float(weights[rows].sum())}
        for r in rows:
            for c in by_row.get(r, []):
                coef[c] = coef.get(c, 0.0) - weights[r]
        idx = np.array(list(coef), dtype=np.int32)
        h.addRow(-inf, costs[q] / scale, len(idx), idx, np.array(list(coef.values())) / scale)
    h.run()
    if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
        b = h.getSolution().col_value[0]
        return CheckResult(
            True, f"priceable: a price system exists (about {b:.2f} per voter; found by linear programming)"
        )
    return CheckResult(False, "not priceable: no per-voter budget and payments satisfy all the conditions")


__all__ = [
    "CheckResult",
    "PriceSystem",
    "is_ejr_up_to_one",
    "is_priceable",
    "mes_price_system",
    "verify_price_system",
]
