"""Sequential Phragmén for approval ballots, matching pabutools 1.2.3 ``sequential_phragmen``.

Every voter carries a *load* (money spent on her behalf), starting at 0. Each round the rule funds the
project whose supporters, sharing its cost so that they all end with the same load, reach the lowest
load: ``(sum of the supporters' loads + cost) / number of supporters``. The supporters' loads become
that value. The rule stops as soon as one of the projects tied for the lowest load does not fit in the
money left (exactly as pabutools: it does not skip to cheaper projects). Projects nobody supports have
an infinite load and come last. Ties go to the lowest ``election.tie_rank`` (lexicographic project id).

Speed: after any round all supporters of the funded project share one load, so loads take few
distinct values. Loads are kept exact (GMP rationals when available) per distinct value; every round
the candidates are ranked with one float matrix-vector product and only those within a relative
1e-9 of the best (far above the float error of a sum of non-negative numbers) are compared exactly.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from localpower.tally.model import BallotKind, Election, Outcome, Profile, Round, TallyError
from localpower.tally.rules._mes_kernel import Q, to_fraction

_TOLERANCE = 1e-9


def sequential_phragmen(
    election: Election,
    profile: Profile,
    *,
    sat: str = "cost",
    completion: str = "none",
) -> Outcome:
    """Run sequential Phragmén. ``sat`` is accepted for a uniform signature; Phragmén does not use it."""
    if profile.kind is not BallotKind.APPROVAL:
        raise TallyError(f"rule phragmen needs approval ballots, not {profile.kind.value} ballots")
    if completion not in ("none", None):
        raise TallyError(f"rule phragmen has no completion method (asked for {completion!r}; use 'none')")
    if sat not in ("cost", "cardinality"):
        raise TallyError(f"rule phragmen supports sat 'cost' or 'cardinality', not {sat!r}")
    approvals = np.asarray(profile.supports, dtype=bool)
    weights = np.asarray(profile.weights, dtype=np.int64)
    m = election.n_projects
    budget = Fraction(election.budget)
    costs = [p.cost for p in election.projects]
    costs_q = [Q(c) for c in costs]
    costs_f = np.array([float(c) for c in costs])
    score = (weights @ approvals.astype(np.int64)).astype(np.int64) if len(weights) else np.zeros(m, np.int64)
    rank = election.tie_rank
    remaining = np.array([c <= budget for c in costs], dtype=bool)
    approvals_f = approvals.astype(np.float64)
    weights_f = weights.astype(np.float64)

    values = [Q(0)]  # distinct loads
    values_f = [0.0]
    group = np.zeros(len(weights), dtype=np.int64)  # load value of each distinct ballot
    selected: list[int] = []
    trace: list[Round] = []
    loads: list[Fraction] = []
    spent = Fraction(0)
    stop_note = ""
    while remaining.any():
        live = np.flatnonzero(remaining)
        supported = live[score[live] > 0]
        if len(supported):
            load_f = weights_f * np.asarray(values_f)[group]
            new_f = ((load_f @ approvals_f)[supported] + costs_f[supported]) / score[supported]
            best_f = new_f.min()
            close = supported[new_f <= best_f * (1 + _TOLERANCE)]
            exact = {}
            for q in close.tolist():
                members = approvals[:, q]
                counts = np.bincount(group[members], weights=weights_f[members], minlength=len(values))
                total = sum((int(c) * values[g] for g, c in enumerate(np.rint(counts).tolist()) if c), Q(0))
                exact[q] = (total + costs_q[q]) / int(score[q])
            best = min(exact.values())
            tied = [q for q, v in exact.items() if v == best]
        else:
            best = None  # every project left has no supporter: infinite load, all tied
            tied = live.tolist()
        if any(spent + costs[q] > budget for q in tied):
            blocked = min(tied, key=lambda q: int(rank[q]))
            stop_note = f"stopped: {election.projects[blocked].id} would exceed the budget"
            trace.append(
                Round(project=blocked, stage="main", note="not funded: did not fit in the money left")
            )
            break
        p = min(tied, key=lambda q: int(rank[q]))
        selected.append(p)
        remaining[p] = False
        spent += costs[p]
        if best is None:
            trace.append(Round(project=p, stage="main", note="funded although nobody supports it"))
            continue
        value = to_fraction(best)
        loads.append(value)
        members = approvals[:, p]
        values.append(best)
        values_f.append(float(best))
        group[members] = len(values) - 1
        trace.append(
            Round(
                project=p,
                stage="main",
                price=value,
                effective_votes=float(score[p]),
                note=f"each supporter's load rises to {float(value):.6g}",
            )
        )
    details = {"loads": loads, "spent": spent, "stop": stop_note or "every project was funded or considered"}
    return Outcome(rule="phragmen", selected=tuple(selected), trace=tuple(trace), details=details)


__all__ = ["sequential_phragmen"]
