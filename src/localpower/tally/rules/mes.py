"""The Method of Equal Shares (MES), with the completion methods cities use.

Matches pabutools 1.2.3 ``method_of_equal_shares`` exactly, including its tie-breaking (lowest
``election.tie_rank``, i.e. lexicographic on project ids) and exact arithmetic. The numeric work is in
:mod:`localpower.tally.rules._mes_kernel`.

Satisfaction (what a voter gains from a funded project):

* approval and ordinal ballots (a ranked project counts as approved): ``sat="cost"`` -> the project's
  cost, ``sat="cardinality"`` -> 1;
* cumulative and scoring ballots: ``sat="cardinality"`` -> the points given (pabutools
  ``Additive_Cardinal_Sat``), ``sat="cost"`` -> points x cost.

A project nobody gains from is never funded by MES; with cost satisfaction that includes free projects
(pabutools does the same). Free projects somebody gains from (cardinality satisfaction) are funded
first, before any money is spent.

Completion (MES alone usually leaves money unspent):

* ``none``: MES as it is;
* ``add1``: Pabulib's ``equalshares/add1`` and equalshares.net's "add1": run MES with every voter's
  share raised by one currency unit at a time, and keep the last outcome that fits in the budget. As in
  pabutools (``voter_budget_increment=1``) the search stops at the first raise whose outcome costs more
  than the budget (the previous outcome is returned) or leaves no supported project that would still
  fit (that outcome is returned);
* ``utilitarian``: MES, then fund the remaining projects greedily by welfare per cost;
* ``add1-utilitarian``: ``add1``, then the greedy utilitarian step (what equalshares.net runs);
* ``add1-full``: like ``add1`` but does not stop at an exhaustive outcome: shares keep rising while the
  outcome fits in the budget, and the last outcome that fits is kept. Poland_Wieliczka_2023 (Pabulib
  rule ``equalshares/add1-comparison``) was counted this way: pabutools' ``add1`` stops at raise 150,
  whose outcome is exhaustive (it funds 66 and 67); the last raise that still fits, 164, funds 46
  instead, which is what the city funded.

The ``add1`` search does not compute raises it can prove give the same outcome (see ``_add1``), and
when no voter supports two projects (choose-1 votes) it is solved in closed form.
"""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import accumulate

import numpy as np

from localpower.tally.model import BallotKind, Election, Outcome, Profile, Round, TallyError
from localpower.tally.rules._mes_certify import same_outcome_up_to
from localpower.tally.rules._mes_kernel import MesInput, Q, run_mes

SATISFACTIONS = ("cost", "cardinality")
COMPLETIONS = ("none", "add1", "utilitarian", "add1-utilitarian", "add1-full")


def _exact_points(values: np.ndarray) -> list[Fraction]:
    if values.dtype.kind == "f":
        return [Fraction(repr(float(v))) for v in values]
    return [Fraction(int(v)) for v in values]


def mes_input(election: Election, profile: Profile, sat: str = "cost") -> MesInput:
    """The kernel's view of an election: support pairs grouped by project and exact utilities."""
    if sat not in SATISFACTIONS:
        raise TallyError(f"rule mes supports sat 'cost' or 'cardinality', not {sat!r}")
    if profile.n_projects != election.n_projects:
        raise TallyError(
            f"the ballots have {profile.n_projects} columns but the election has {election.n_projects} projects"
        )
    m = election.n_projects
    costs = [p.cost for p in election.projects]
    points = profile.kind in (BallotKind.CUMULATIVE, BallotKind.SCORING)
    support = profile.ballots > 0 if points else profile.supports
    if sat == "cost":
        # With cost satisfaction a free project gives nobody anything: pabutools never funds it.
        support = support & (np.asarray(election.costs) > 0)[None, :]
    project_of_pair, pair_ballot = np.nonzero(np.ascontiguousarray(support.T))
    starts = np.zeros(m + 1, dtype=np.int64)
    np.cumsum(support.sum(axis=0), out=starts[1:])
    if not points:
        if sat == "cost":
            ucls, values = project_of_pair, costs
        else:
            ucls, values = np.zeros(len(pair_ballot), dtype=np.int64), [Fraction(1)]
    else:
        given = profile.ballots[pair_ballot, project_of_pair]
        distinct, inverse = np.unique(given, return_inverse=True)
        exact = _exact_points(distinct)
        inverse = inverse.reshape(-1)
        if sat == "cardinality":
            ucls, values = inverse, exact
        else:
            ucls = project_of_pair * len(exact) + inverse
            values = [c * v for c in costs for v in exact]
    return MesInput(
        costs=costs,
        tie_rank=np.asarray(election.tie_rank, dtype=np.int64),
        weights=np.asarray(profile.weights, dtype=np.int64),
        pair_ballot=pair_ballot.astype(np.int64),
        pair_ucls=np.asarray(ucls, dtype=np.int64),
        util_values=list(values),
        starts=starts,
    )


def _fits_more(data: MesInput, selected: list[int], budget: Fraction) -> bool:
    """True when some supported, unselected project would still fit in the budget."""
    left = budget - sum((data.costs[j] for j in selected), Fraction(0))
    chosen = set(selected)
    return any(data.costs[q] <= left for q in np.flatnonzero(data.eligible).tolist() if q not in chosen)


def _add1(
    data: MesInput,
    budget: Fraction,
    start: Fraction,
    step: Fraction,
    exact: bool,
    skip: bool = True,
    stop_when_exhaustive: bool = True,
):
    """pabutools' iterated MES: raise every voter's share by ``step`` until the outcome is too dear
    or exhaustive. Returns (run, number of raises in the returned outcome, MES passes computed).

    With ``skip`` each pass also certifies how far the share can rise with the same outcome (every
    budget is an affine function of the share while the decisions stay the same, so each decision
    holds on an interval that is computed exactly or with a rigorous float error bound). Raises inside
    that interval would give the same, still affordable and still non-exhaustive, outcome, so they
    are not computed; pabutools computes them one by one and reaches the same answer.
    """
    if skip and data.disjoint:
        raises = _add1_disjoint(data, budget, start, step, stop_when_exhaustive)
        return run_mes(data, start + raises * step, exact=exact), raises, 1
    raises = 0
    computed = 0
    attempt = 2  # how many raises to try to certify at once beyond a computed pass (doubles on success)
    wait, backoff = 0, 1  # after a failed try, computed passes to wait before the next (doubles)
    previous: list[int] | None = None
    # The slope bookkeeping of the first certificate costs extra work; it is kept on only while it pays
    # (it skipped something in one of the last 4 passes) and retried every 16 passes.
    useful = [True] * 4
    while True:
        share = start + raises * step
        certify = skip and (any(useful[-4:]) or computed % 16 == 0)
        run = run_mes(data, share, exact=exact, lazy=True, certify=certify)
        computed += 1
        spent = sum((data.costs[j] for j in run.selected), Fraction(0))
        if spent > budget:
            assert raises > 0  # the plain equal share never overspends
            raises -= 1  # the previous raise: certified to give the outcome last seen
            break
        if stop_when_exhaustive and not _fits_more(data, run.selected, budget):
            break
        if len(run.selected) == int(data.eligible.sum()):
            break  # everything anybody gains from is funded: raising shares cannot change anything
        # Raises raises + 1 .. raises + same give this same (affordable, non-exhaustive) outcome.
        same = 0
        if certify and math.isfinite(run.stable_for):
            same = max(0, math.ceil(run.stable_for * (1 - 1e-6) / float(step)) - 1)
        if certify:
            useful.append(same > 0)
        # Try to certify a longer stretch where outcomes have been repeating. A failed try costs about
        # one pass, so after failures the tries become rarer.
        wait -= 1
        if skip and attempt > same and run.selected == previous and wait <= 0:
            computed += 1
            if same_outcome_up_to(data, run, share + attempt * step):
                same = attempt
                attempt *= 2
                backoff = 1
            else:
                attempt = 2
                wait, backoff = backoff, backoff * 2
        previous = run.selected
        raises += same + 1
    # Run the chosen pass again eagerly, so that its record of dropped projects is round-exact.
    return run_mes(data, start + raises * step, exact=exact), raises, computed


def _add1_disjoint(
    data: MesInput, budget: Fraction, start: Fraction, step: Fraction, stop_when_exhaustive: bool
) -> int:
    """add1 in closed form when no voter supports two projects (e.g. choose-1 votes).

    Payments for one project then never touch another project's supporters, so at share s MES funds
    exactly the projects whose supporters hold enough together: N_p * s >= cost_p (N_p = number of
    supporters). That set only grows as s rises, and changes only at the thresholds cost_p / N_p, so
    the raise pabutools stops at is found by walking through the thresholds in order, exactly.
    """
    eligible = np.flatnonzero(data.eligible).tolist()
    counts = np.bincount(data.pair_project, weights=data.weights_f[data.pair_ballot], minlength=data.m)
    cost = data.costs_q
    start_q, step_q, budget_q = Q(start), Q(step), Q(budget)
    first: dict[int, int] = {}  # project -> first raise at which it is funded
    for q in eligible:
        need = cost[q] / int(round(counts[q])) - start_q
        first[q] = 0 if need <= 0 else math.ceil(need / step_q)
    order = sorted(eligible, key=lambda q: first[q])
    spent_after = list(accumulate((cost[q] for q in order), initial=Q(0)))
    # cheapest_rest[i]: the cheapest of order[i:] (None past the end)
    cheapest_rest = list(accumulate((cost[q] for q in reversed(order)), min))[::-1] + [None]
    budget = budget_q
    raises_seen = None
    i = 0
    for k in sorted(set(first.values()) | {0}):
        while i < len(order) and first[order[i]] <= k:
            i += 1
        spent = spent_after[i]  # the projects order[:i] are funded at raise k
        if spent > budget:
            assert raises_seen is not None  # the plain equal share never overspends
            return k - 1
        if i == len(order):
            return k  # everything anybody supports is funded
        if stop_when_exhaustive and cheapest_rest[i] > budget - spent:
            return k
        raises_seen = k
    raise AssertionError("unreachable: the last threshold funds every supported project")  # pragma: no cover


def _share(x: Fraction) -> str:
    return str(x) if x.denominator == 1 else f"{float(x):.6g} ({x})"


def method_of_equal_shares(
    election: Election,
    profile: Profile,
    *,
    sat: str = "cost",
    completion: str = "none",
    exact: bool = False,
    increment: Fraction | int | str = 1,
    skip: bool = True,
) -> Outcome:
    """Run MES. ``exact=True`` avoids the float shortcut and ``skip=False`` computes every add1 raise
    (same outcome either way, slower; for tests)."""
    if completion not in COMPLETIONS:
        raise TallyError(f"rule mes supports completion {', '.join(COMPLETIONS)}, not {completion!r}")
    step = Fraction(increment)
    if step <= 0:
        raise TallyError("the add1 increment must be a positive amount of money")
    data = mes_input(election, profile, sat)
    n = data.n_voters
    free = sorted(np.flatnonzero(data.free).tolist(), key=lambda j: int(data.tie_rank[j]))
    trace: list[Round] = [
        Round(project=j, stage="main", price=Fraction(0), note="free project with supporters") for j in free
    ]
    details: dict = {"sat": sat, "completion": completion, "voters": n}
    if n == 0:
        return Outcome(rule="mes", selected=(), trace=(), details=details | {"note": "no ballots"})
    start = Fraction(election.budget) / n
    if completion.startswith("add1"):
        run, raises, computed = _add1(
            data,
            Fraction(election.budget),
            start,
            step,
            exact,
            skip,
            stop_when_exhaustive=completion != "add1-full",
        )
        details |= {"increment": step, "raises": raises, "mes_runs": computed}
    else:
        run, raises = run_mes(data, start, exact=exact), 0
    share = start + raises * step
    details |= {
        "initial_share": start,
        "share": share,
        "rhos": list(run.rhos),
        "mes_selected": list(run.selected),
        "dropped_after": dict(run.dropped_after),
        "exact_checks": run.exact_checks,
    }
    for q, rho in zip(run.selected, run.rhos, strict=True):
        trace.append(_mes_round(election, profile, sat, q, rho))
    selected = free + run.selected
    if completion.endswith("utilitarian"):
        from localpower.tally.rules.greedy import welfare_order

        order, _, _ = welfare_order(election, profile, sat)
        left = Fraction(election.budget) - election.cost_of(selected)
        chosen = set(selected)
        extra = []
        for j in order:
            if j not in chosen and election.projects[j].cost <= left:
                extra.append(j)
                left -= election.projects[j].cost
                trace.append(
                    Round(project=j, stage="completion", note="funded by the utilitarian completion")
                )
        selected += extra
        details["completion_selected"] = extra
    details["share_text"] = _share(share)
    return Outcome(rule="mes", selected=tuple(selected), trace=tuple(trace), details=details)


def _mes_round(election: Election, profile: Profile, sat: str, q: int, rho: Fraction) -> Round:
    """A funded project's round: price per supporter who pays in full, and its effective votes."""
    cost = election.projects[q].cost
    points = profile.kind in (BallotKind.CUMULATIVE, BallotKind.SCORING)
    # The price of one unit of utility: one approval, or one point.
    unit_price = rho * cost if sat == "cost" else rho
    effective = float(cost / unit_price) if unit_price > 0 else None
    what = "point" if points else "supporter"
    return Round(
        project=q,
        stage="main",
        price=unit_price,
        effective_votes=effective,
        note=f"funded at {float(unit_price):.6g} per {what}",
    )


__all__ = ["COMPLETIONS", "SATISFACTIONS", "mes_input", "method_of_equal_shares"]
