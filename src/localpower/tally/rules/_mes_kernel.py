"""Numeric kernel of the Method of Equal Shares (MES): exact outcomes at float speed.

The rule (Peters, Pierczyński & Skowron 2021; pabutools ``method_of_equal_shares``) gives every voter
an equal share of the budget. Round by round it funds the project that its supporters can pay for with
the lowest price per unit of satisfaction ``rho``: every supporter ``i`` pays ``min(b_i, rho * u_i)``,
and ``rho`` is the least value for which these payments cover the cost. A project whose supporters hold
less money than its cost is dropped. Ties in ``rho`` go to the lowest ``tie_rank``.

How it is made fast without giving up exactness:

* Identical ballots are collapsed (``weights``) and the kernel works on the sparse list of
  (ballot, project) support pairs, grouped by project.
* Budgets are exact ``Fraction`` values, but shared: ballots with the same budget point to one *group*
  holding that value (all voters start in one group; funding a project moves its supporters to new
  groups). Exact work per round is proportional to the number of distinct budgets among the supporters
  of the funded project, not to the number of voters.
* Every candidate's ``rho`` is first computed in floating point for all projects at once (sort the
  supporters of each project by budget / utility; ``rho`` is the largest of the prefix values
  ``(cost - money of the poorer supporters) / satisfaction of the others``). Each float value comes
  with a rigorous error bound (standard bound for floating-point sums, with a factor 4 to spare), so
  the float values decide only comparisons they decide with certainty. Every project whose ``rho``
  interval overlaps the best one, and every project whose affordability is in doubt, is recomputed
  exactly. The project funded, its price and every payment are always exact.
* After a project is funded only the projects sharing a voter with it are recomputed.

The result is the same as a fully exact computation (``exact=True`` runs one, for tests).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

try:  # GMP rationals are about ten times faster than fractions.Fraction; same values.
    from gmpy2 import mpq as Q
except ImportError:  # pragma: no cover - gmpy2 is a declared dependency
    Q = Fraction

_EPS = 2.0**-52


def to_fraction(x) -> Fraction:
    """A kernel rational as a standard Fraction."""
    return Fraction(int(x.numerator), int(x.denominator))


@dataclass
class MesInput:
    """Static data of one MES computation (independent of the voters' starting budget)."""

    costs: list[Fraction]  # (m,) exact costs
    tie_rank: np.ndarray  # (m,) lower wins
    weights: np.ndarray  # (u,) int64 multiplicity of each distinct ballot
    pair_ballot: np.ndarray  # (P,) ballot row of each support pair, pairs grouped by project
    pair_ucls: np.ndarray  # (P,) index into util_values
    util_values: list[Fraction]  # distinct exact utilities
    starts: np.ndarray  # (m + 1,) pairs of project q are starts[q]:starts[q + 1]

    def __post_init__(self) -> None:
        m = len(self.costs)
        self.m = m
        self.costs_q = [Q(c) for c in self.costs]
        self.util_q = [Q(v) for v in self.util_values]
        self.costs_f = np.array([float(c) for c in self.costs], dtype=np.float64)
        self.util_f = np.array([float(v) for v in self.util_values], dtype=np.float64)
        self.n_utils = max(1, len(self.util_values))
        self.lengths = np.diff(self.starts)
        self.pair_project = np.repeat(np.arange(m, dtype=np.int64), self.lengths)
        self.weights_f = self.weights.astype(np.float64)
        self.pair_w = self.weights_f[self.pair_ballot]
        self.pair_u = self.util_f[self.pair_ucls]
        self.pair_sat = self.pair_w * self.pair_u
        # Total satisfaction per project (exact as float when utilities are whole numbers below 2**53).
        self.total_sat_f = np.zeros(m)
        np.add.at(self.total_sat_f, self.pair_project, self.pair_sat)
        self.eligible = (self.lengths > 0) & np.array([c > 0 for c in self.costs], dtype=bool)
        self.free = (self.lengths > 0) & ~self.eligible

    @property
    def n_voters(self) -> int:
        return int(self.weights.sum())

    def supporters(self, q: int) -> np.ndarray:
        return self.pair_ballot[self.starts[q] : self.starts[q + 1]]


@dataclass
class MesRun:
    """The result of one MES pass."""

    selected: list[int] = field(default_factory=list)  # projects funded by MES, in order
    rhos: list[Fraction] = field(default_factory=list)  # exact rho of each funded project
    # project -> number of projects funded when it was found unaffordable (0 = from the start)
    dropped_after: dict[int, int] = field(default_factory=dict)
    exact_checks: int = 0  # how many exact rho / affordability computations were needed


class _State:
    """Voters' budgets as shared exact values (groups) plus their float images."""

    def __init__(self, data: MesInput, start: Fraction):
        self.data = data
        start = Q(start)
        self.zero = Q(0)
        self.values: list = [self.zero, start]
        self.values_f: list[float] = [0.0, float(start)]
        self.index: dict = {self.zero: 0, start: 1}
        self.gid = np.ones(len(data.weights), dtype=np.int64)
        self._vf = np.array(self.values_f)

    def group(self, value) -> int:
        g = self.index.get(value)
        if g is None:
            g = len(self.values)
            self.values.append(value)
            self.values_f.append(float(value))
            self.index[value] = g
        return g

    def floats(self) -> np.ndarray:
        if len(self._vf) != len(self.values_f):
            self._vf = np.array(self.values_f)
        return self._vf

    def combos(self, q: int):
        """Distinct (budget group, utility) classes among the supporters of q, with their weights."""
        d = self.data
        sl = slice(d.starts[q], d.starts[q + 1])
        ballots = d.pair_ballot[sl]
        key = self.gid[ballots] * d.n_utils + d.pair_ucls[sl]
        keys, inverse = np.unique(key, return_inverse=True)
        wsum = np.bincount(inverse, weights=d.weights[ballots].astype(np.float64), minlength=len(keys))
        return ballots, keys, inverse, [int(x) for x in np.rint(wsum)]

    def exact_rho(self, q: int):
        """Exact rho of project q, or None when its supporters cannot pay for it."""
        d = self.data
        cost = d.costs_q[q]
        _, keys, _, wsum = self.combos(q)
        rows = []
        money = self.zero
        sat = self.zero
        for k, w in zip(keys.tolist(), wsum, strict=True):
            g, c = divmod(k, d.n_utils)
            b = self.values[g]
            u = d.util_q[c]
            money += w * b
            sat += w * u
            rows.append((b / u, b, u, w))
        if money < cost:
            return None
        rows.sort(key=lambda r: r[0])
        paid = self.zero
        for _, b, u, w in rows:
            rho = (cost - paid) / sat
            if rho * u <= b:
                return rho
            paid += w * b
            sat -= w * u
        raise AssertionError("MES: an affordable project must have a price")  # pragma: no cover

    def pay(self, q: int, rho) -> None:
        """Every supporter of q pays min(budget, rho * utility)."""
        d = self.data
        ballots, keys, inverse, _ = self.combos(q)
        new_groups = np.empty(len(keys), dtype=np.int64)
        for i, k in enumerate(keys.tolist()):
            g, c = divmod(k, d.n_utils)
            b = self.values[g]
            price = rho * d.util_q[c]
            new_groups[i] = self.group(b - price if price < b else self.zero)
        self.gid[ballots] = new_groups[inverse]


def _float_rho(data: MesInput, state: _State, projects: np.ndarray):
    """Float rho bounds and money of the supporters for the given projects (vectorised).

    Returns (rho_lo, rho_hi, money, money_err), each of length len(projects). The true rho of an
    affordable project lies in [rho_lo, rho_hi]; the true money of its supporters within
    money +- money_err.
    """
    lengths = data.lengths[projects]
    total = int(lengths.sum())
    seg_start = np.zeros(len(projects), dtype=np.int64)
    np.cumsum(lengths[:-1], out=seg_start[1:])
    idx = np.repeat(data.starts[projects] - seg_start, lengths) + np.arange(total, dtype=np.int64)
    seg = np.repeat(np.arange(len(projects), dtype=np.int64), lengths)
    b = state.floats()[state.gid[data.pair_ballot[idx]]]
    u = data.pair_u[idx]
    ratio = b / u
    order = np.lexsort((ratio, seg))
    bw = (b * data.pair_w[idx])[order]
    sw = data.pair_sat[idx][order]
    cb = np.cumsum(bw)
    cs = np.cumsum(sw)
    before_b = np.concatenate(([0.0], cb))[seg_start]
    before_s = np.concatenate(([0.0], cs))[seg_start]
    poor_money = (cb - bw) - before_b[seg]
    rich_sat = data.total_sat_f[projects][seg] - ((cs - sw) - before_s[seg])
    money = cb[seg_start + lengths - 1] - before_b
    cost = data.costs_f[projects]
    gamma = 4.0 * (lengths + 8).astype(np.float64) * _EPS
    scale = (cost + money)[seg] * gamma[seg]
    rho_k = (cost[seg] - poor_money) / rich_sat
    err_k = scale / rich_sat + 4.0 * _EPS * np.abs(rho_k)
    rho_hi = np.maximum.reduceat(rho_k + err_k, seg_start)
    rho_lo = np.maximum.reduceat(rho_k - err_k, seg_start)
    money_err = gamma * (money + cost)
    return rho_lo, rho_hi, money, money_err


def run_mes(data: MesInput, start: Fraction, *, exact: bool = False, lazy: bool = False) -> MesRun:
    """One pass of MES with every voter starting with ``start`` (exact).

    ``lazy=True`` recomputes a project only when it could be the next one funded (budgets only go down,
    so an old ``rho`` is a lower bound and old money an upper bound). The outcome is the same; only
    ``dropped_after`` may name a later round than the one in which a project became unaffordable.
    """
    m = data.m
    state = _State(data, start)
    run = MesRun()
    active = data.eligible.copy()
    stale = np.zeros(m, dtype=bool)
    rho_lo = np.full(m, np.inf)
    rho_hi = np.full(m, np.inf)
    money = np.zeros(m)
    money_err = np.zeros(m)
    cost_f = data.costs_f
    rank = data.tie_rank

    def refresh(projects: np.ndarray) -> None:
        if len(projects):
            lo, hi, mo, me = _float_rho(data, state, projects)
            rho_lo[projects], rho_hi[projects], money[projects], money_err[projects] = lo, hi, mo, me
            stale[projects] = False

    refresh(np.flatnonzero(active))
    while active.any():
        if exact:
            refresh(np.flatnonzero(stale & active))
            candidates = np.flatnonzero(active)
        else:
            while True:
                # Old money is an upper bound, so "cannot pay" stays true for stale projects too.
                unaffordable = active & (money + money_err < cost_f)
                for q in np.flatnonzero(unaffordable).tolist():
                    run.dropped_after[q] = len(run.selected)
                active &= ~unaffordable
                sure = active & ~stale & (money - money_err >= cost_f)
                best_hi = rho_hi[sure].min() if sure.any() else np.inf
                need = np.flatnonzero(active & stale & (rho_lo <= best_hi))
                if not len(need):
                    break
                refresh(need)
            if not active.any():
                break
            candidates = np.flatnonzero(active & (rho_lo <= best_hi))
        best = None
        for q in candidates.tolist():
            rho = state.exact_rho(q)
            run.exact_checks += 1
            if rho is None:
                run.dropped_after[q] = len(run.selected)
                active[q] = False
                continue
            key = (rho, int(rank[q]), q)
            if best is None or key < best:
                best = key
        if best is None:
            continue
        rho, _, p = best
        run.selected.append(p)
        run.rhos.append(to_fraction(rho))
        active[p] = False
        state.pay(p, rho)
        touched = np.zeros(len(data.weights), dtype=bool)
        touched[data.supporters(p)] = True
        dirty = np.zeros(m, dtype=bool)
        dirty[data.pair_project[touched[data.pair_ballot]]] = True
        dirty &= active
        if lazy:
            stale |= dirty
        else:
            refresh(np.flatnonzero(dirty))
    return run
