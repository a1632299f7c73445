"""Numeric kernel of the Method of Equal Shares (MES): exact outcomes at float speed.

The rule (Peters, Pierczyński & Skowron 2021; pabutools ``method_of_equal_shares``) gives every voter
an equal share of the budget. Round by round it funds the project that its supporters can pay for with
the lowest price per unit of satisfaction ``rho``: every supporter ``i`` pays ``min(b_i, rho * u_i)``,
and ``rho`` is the least value for which these payments cover the cost. A project whose supporters hold
less money than its cost is dropped. Ties in ``rho`` go to the lowest ``tie_rank``.

How it is made fast without giving up exactness:

* Identical ballots are collapsed (``weights``) and the kernel works on the sparse list of
  (ballot, project) support pairs, grouped by project.
* Budgets (:mod:`localpower.tally.rules._mes_state`) are floats with a rigorous error bound; an exact
  budget, or an exact sum of budgets, is ``W x start - sum of (count x price)`` over the funded
  projects, so exact work per round is one rational product per funded project, plus the voters whose
  float budget is too close to a price to decide (usually none).
* Every candidate's ``rho`` is first computed in floating point for all projects at once (sort the
  supporters of each project by budget / utility; ``rho`` is the largest of the prefix values
  ``(cost - money of the poorer supporters) / satisfaction of the others``). Each float value comes
  with a rigorous error bound (standard bound for floating-point sums, with a factor 4 to spare), so
  the float values decide only comparisons they decide with certainty. Every project whose ``rho``
  interval overlaps the best one, and every project whose affordability is in doubt, is recomputed
  exactly. The project funded, its price and every payment are always exact. Before any payment the
  float prices have a closed form; after it, most are proved without sorting (``_threshold_rho``: a
  split at a threshold, iterated up from the last lower bound, that the float bounds show to be the
  price's split), and only the rest are sorted.
* An exact price is found by guessing in floating point which supporters pay all they have, then
  proving the guess exactly (only those supporters, and the others whose float budget is close to
  the price, are touched in exact arithmetic); when the proof fails every budget class is walked.
* After a project is funded only the projects sharing a voter with it are recomputed; in lazy mode
  only when they could be next (most promising first).

For the ``add1`` search (raising every voter's share step by step) two certificates show that a range
of shares gives the same outcome without computing it: ``certify=True`` tracks every budget as an
affine function of the share (exact slopes) and bounds how far each decision of the pass holds;
:func:`localpower.tally.rules._mes_certify.same_outcome_up_to` uses monotonicity (more money never raises a price) and one forced pass at
the top of the range.

The result is the same as a fully exact computation (``exact=True`` runs one, for tests).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from localpower.tally.rules._mes_state import _EPS, Q, _State


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
        self.costs_q = [Q(c.numerator, c.denominator) for c in self.costs]
        self.util_q = (
            self.costs_q
            if self.util_values is self.costs
            else [Q(v.numerator, v.denominator) for v in self.util_values]
        )
        self.costs_f = np.array([float(c) for c in self.costs_q], dtype=np.float64)
        self.util_f = (
            self.costs_f if self.util_q is self.costs_q else np.array([float(v) for v in self.util_q])
        )
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
        # Whole-number satisfactions with a small total: float sums of them are exact.
        self.sat_exact = bool(
            np.all(self.pair_sat == np.rint(self.pair_sat)) and float(self.pair_sat.sum()) < 2.0**52
        )
        self.eligible = (self.lengths > 0) & (self.costs_f > 0)  # float sign is exact
        # No voter supports two projects (choose-1 votes): MES decisions never interact.
        self.disjoint = bool(len(self.pair_ballot) == len(np.unique(self.pair_ballot)))
        self.free = (self.lengths > 0) & ~self.eligible
        self.project_w = np.bincount(self.pair_project, weights=self.pair_w, minlength=m)
        self.max_u_f = np.zeros(m)
        np.maximum.at(self.max_u_f, self.pair_project, self.pair_u)
        # Keys: distinct (project, utility) of the support pairs; a funded key has one price per voter.
        combined = self.pair_project * self.n_utils + self.pair_ucls
        unique, self.pair_key = np.unique(combined, return_inverse=True)
        self.pair_key = self.pair_key.reshape(-1).astype(np.int64)
        self.n_keys = len(unique)
        self.key_ucls = unique % self.n_utils
        self.kstart = np.searchsorted(unique // self.n_utils, np.arange(m + 1))
        # The support pairs again, grouped by ballot.
        self.bpairs = np.argsort(self.pair_ballot, kind="stable")
        self.blen = np.bincount(self.pair_ballot, minlength=len(self.weights))
        self.bstart = np.zeros(len(self.weights) + 1, dtype=np.int64)
        np.cumsum(self.blen, out=self.bstart[1:])

    def neighbours(self, p: int) -> np.ndarray:
        """(m,) bool: the projects sharing at least one supporter with p (p included when supported)."""
        # Rows are worked out when first needed (a dense product would run multi-threaded BLAS, whose
        # idle threads keep spinning and take CPU from the rest of the count).
        adj = self.__dict__.setdefault("_adjacent", {})
        row = adj.get(p)
        if row is None:
            touched = np.zeros(len(self.weights), dtype=bool)
            touched[self.supporters(p)] = True
            row = adj[p] = np.zeros(self.m, dtype=bool)
            row[self.pair_project[touched[self.pair_ballot]]] = True
        return row

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
    # With certify=True: every share in [start, start + stable_for) gives the same funded projects in
    # the same order (a lower bound; 0 when nothing could be certified).
    stable_for: float = 0.0
    # With certify=True: rooms[r] bounds, like stable_for, how far the share can rise with the first
    # r + 1 funded projects (and every decision before them) provably unchanged.
    rooms: list[float] = field(default_factory=list)


def _float_rho(data: MesInput, state: _State, projects: np.ndarray, slopes: bool = True):
    """Float rho bounds, money, and their slopes for the given projects (vectorised).

    Returns a dict of arrays of length len(projects): ``lo``/``hi`` bound the true rho of an affordable
    project; ``money`` +- ``money_err`` bounds its supporters' money. ``line``/``line_err``/``slope``/
    ``slope_err`` describe the split giving the float rho: as the share moves, rho stays above
    ``line - line_err + (slope -+ slope_err) * change``. ``mslope``/``mslope_err``: slope of the money.
    """
    lengths = data.lengths[projects]
    total = int(lengths.sum())
    seg_start = np.zeros(len(projects), dtype=np.int64)
    np.cumsum(lengths[:-1], out=seg_start[1:])
    idx = np.repeat(data.starts[projects] - seg_start, lengths) + np.arange(total, dtype=np.int64)
    seg = np.repeat(np.arange(len(projects), dtype=np.int64), lengths)
    ballots = data.pair_ballot[idx]
    live = state.alive[ballots]
    # Every budget is at least b (its float image less the error bound) and at most b + 2 * err.
    b = state.b[ballots] - state.err_b * live
    u = data.pair_u[idx]
    # Sorted by project, then by b / u. Supporters with equal b / u may come in any order: the prefix
    # values at the ends of a run of equal ratios do not depend on it (up to rounding, which the error
    # bounds below cover for any order of summation), and the largest prefix value is at one end of the
    # run (removing a supporter whose ratio is below the current value raises it, and vice versa).
    by_ratio = np.argsort(b / u)
    seg_sorted = seg[by_ratio].astype(np.int16 if len(projects) < 2**15 else np.int64)
    order = by_ratio[np.argsort(seg_sorted, kind="stable")]  # radix sort for 16-bit keys
    w = data.pair_w[idx][order]
    bw = b[order] * w
    sw = data.pair_sat[idx][order]
    cb = np.cumsum(bw)
    cs = np.cumsum(sw)
    last = seg_start + lengths - 1
    before_b = np.concatenate(([0.0], cb))[seg_start]
    before_s = np.concatenate(([0.0], cs))[seg_start]
    poor_money = (cb - bw) - before_b[seg]
    rich_sat = data.total_sat_f[projects][seg] - ((cs - sw) - before_s[seg])
    money = cb[last] - before_b
    cost = data.costs_f[projects]
    if slopes:
        betaw = state.slope[ballots][order] * w
        cbeta = np.cumsum(betaw)
        before_beta = np.concatenate(([0.0], cbeta))[seg_start]
        poor_beta = (cbeta - betaw) - before_beta[seg]
        mslope = cbeta[last] - before_beta
        abs_beta = np.add.reduceat(np.abs(betaw), seg_start)
    else:
        poor_beta = np.zeros(1)
        mslope = abs_beta = np.zeros(len(projects))
    gamma = 4.0 * (lengths + 8).astype(np.float64) * _EPS
    # Budget error: rho computed with the lowest budgets is an upper bound (less money, higher price);
    # with budgets 2 * err higher every prefix value falls by at most 2 * err * weight / rich_sat.
    spread = 2.02 * state.err_b * data.project_w[projects]
    # The running sums run across projects: a project's rounding error also scales with the sums of the
    # projects before it in this batch (``before_*``).
    scale = (cost + money + np.abs(before_b) + spread)[seg] * gamma[seg]
    if data.sat_exact:  # whole-number satisfactions: every satisfaction sum is exact
        err_rs = 0.0
        safe_rs = rich_sat
    else:
        err_rs = (gamma * (data.total_sat_f[projects] + before_s))[seg]
        safe_rs = np.maximum(rich_sat - err_rs, 0.0)
    # A split with nobody left to pay in full gives no price (-inf); one whose satisfaction is too
    # uncertain gives an unbounded error.
    valid = rich_sat > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        rho_k = np.where(valid, (cost[seg] - poor_money) / rich_sat, -np.inf)
        abs_rho = np.where(valid, np.abs(rho_k), 0.0)
        err_k = np.where(safe_rs > 0, (scale + abs_rho * err_rs) / safe_rs + 4.0 * _EPS * abs_rho, np.inf)
        err_k = np.where(valid, err_k, 0.0)
        low_k = np.where(valid & (safe_rs > 0), rho_k - err_k - spread[seg] / safe_rs, -np.inf)
    _remember(state, projects, np.maximum.reduceat(rho_k, seg_start))
    result = {
        "lo": np.maximum.reduceat(low_k, seg_start),
        "hi": np.maximum.reduceat(rho_k + err_k, seg_start),
        "money": money + spread / 2,
        "money_err": gamma * (money + cost + np.abs(before_b) + spread) + spread * 0.51,
    }
    if slopes:
        slope_k = -poor_beta / rich_sat
        slope_spread = 1.01 * state.err_s * data.project_w[projects]
        abs_beta = abs_beta + float(np.abs(betaw).sum())  # bounds the running sums too
        with np.errstate(divide="ignore"):
            slope_err_k = ((gamma * abs_beta + slope_spread)[seg] + np.abs(slope_k) * err_rs) / safe_rs
        slope_err_k += 4.0 * _EPS * np.abs(slope_k)
        best = np.maximum.reduceat(rho_k, seg_start)
        # First split reaching the float maximum, per project.
        hits = (rho_k == best[seg]).nonzero()[0]
        _, first = np.unique(seg[hits], return_index=True)
        at = hits[first]
        result |= {
            "line": np.where(np.isfinite(low_k[at]), rho_k[at], -np.inf),
            "line_err": np.where(np.isfinite(low_k[at]), (rho_k - low_k)[at] * (1 + 4 * _EPS), 0.0),
            "slope": slope_k[at],
            "slope_err": slope_err_k[at],
            "mslope": mslope,
            "mslope_err": gamma * abs_beta + slope_spread,
        }
    return result


def _remember(state: _State, projects: np.ndarray, rho: np.ndarray) -> None:
    """Keep the float rho of each project: the exact price (``_State._guided_rho``) guesses its split
    from it while no payment has changed the budgets."""
    pays = state.pays
    for q, r in zip(projects.tolist(), rho.tolist(), strict=True):
        state.estimates[q] = (pays, r)


def _threshold_rho(data: MesInput, state: _State, projects: np.ndarray, theta: np.ndarray, slopes: bool):
    """:func:`_float_rho` without sorting, for the projects where it can be proved.

    For any set P of supporters, r_P = (cost - money of P) / (satisfaction of the others) is at most rho;
    if every supporter outside P has b / u >= max(r_P, b / u over P) =: r, then rho <= r (at price r the
    payments collect at least the cost). Starting from a lower bound ``theta`` of rho, P = {b / u < theta}
    and theta = max(theta, r_P) are iterated a few times (theta only rises and stays <= rho). Returns
    (fields, done): the fields of :func:`_float_rho` and which projects they were proved for.
    """
    lengths = data.lengths[projects]
    total = int(lengths.sum())
    seg_start = np.zeros(len(projects), dtype=np.int64)
    np.cumsum(lengths[:-1], out=seg_start[1:])
    idx = np.repeat(data.starts[projects] - seg_start, lengths) + np.arange(total, dtype=np.int64)
    seg = np.repeat(np.arange(len(projects), dtype=np.int64), lengths)
    ballots = data.pair_ballot[idx]
    b = state.b[ballots] - state.err_b * state.alive[ballots]  # lower bounds of the budgets
    ratio = b / data.pair_u[idx]
    bw = b * data.pair_w[idx]
    sw = data.pair_sat[idx]
    cost = data.costs_f[projects]
    tsat = data.total_sat_f[projects]
    money = np.add.reduceat(bw, seg_start)
    abs_money = np.add.reduceat(np.abs(bw), seg_start)
    theta = np.where(np.isfinite(theta), theta, cost / tsat)
    with np.errstate(divide="ignore", invalid="ignore"):
        poor = ratio < theta[seg]
        for _ in range(4):
            poor_money = np.add.reduceat(bw * poor, seg_start)
            rich_sat = tsat - np.add.reduceat(sw * poor, seg_start)
            r = (cost - poor_money) / rich_sat
            theta = np.fmax(theta, r)
            grown = ratio < theta[seg]
            if np.array_equal(grown, poor):
                break
            poor = grown
        else:  # not settled: r for the last P (the check below then decides)
            poor_money = np.add.reduceat(bw * poor, seg_start)
            rich_sat = tsat - np.add.reduceat(sw * poor, seg_start)
            r = (cost - poor_money) / rich_sat
        gamma = 4.0 * (lengths + 8).astype(np.float64) * _EPS
        spread = 2.02 * state.err_b * data.project_w[projects]
        err_rs = 0.0 if data.sat_exact else gamma * tsat
        abs_r = np.abs(r)
        err = (gamma * (abs_money + cost + spread) + abs_r * err_rs) / np.maximum(rich_sat - err_rs, 0.0)
        err += 4.0 * _EPS * abs_r
        safe_rs = np.maximum(rich_sat - err_rs, 0.0)
        low = np.where(safe_rs > 0, r - err - spread / safe_rs, -np.inf)
        low = np.where(np.isnan(low), -np.inf, low)
        top_poor = np.maximum.reduceat(np.where(poor, ratio, -np.inf), seg_start) * (1 + 4 * _EPS)
        hi = np.maximum((r + err) * (1 + 4 * _EPS), top_poor)
        hi = np.where(np.isnan(hi), np.inf, hi)
        low_rich = np.minimum.reduceat(np.where(poor, np.inf, ratio), seg_start) * (1 - 4 * _EPS)
    money_err = gamma * (abs_money + cost + spread) + spread * 0.51
    unaffordable = money + spread / 2 + money_err < cost
    done = (low_rich >= hi) & (safe_rs > 0) & np.isfinite(low) | unaffordable
    _remember(state, projects[done], r[done])
    fields = {
        "lo": low,
        "hi": np.where(unaffordable, np.inf, hi),
        "money": money + spread / 2,
        "money_err": money_err,
    }
    if slopes:
        betaw = state.slope[ballots] * data.pair_w[idx]
        abs_beta = np.add.reduceat(np.abs(betaw), seg_start)
        slope_spread = 1.01 * state.err_s * data.project_w[projects]
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = -np.add.reduceat(np.where(poor, betaw, 0.0), seg_start) / rich_sat
            slope_err = (gamma * abs_beta + slope_spread + np.abs(slope) * err_rs) / safe_rs
        fields |= {
            "line": np.where(np.isfinite(low), r, -np.inf),
            "line_err": np.where(np.isfinite(low), (r - low) * (1 + 4 * _EPS), 0.0),
            "slope": slope,
            "slope_err": slope_err + 4.0 * _EPS * np.abs(slope),
            "mslope": np.add.reduceat(betaw, seg_start),
            "mslope_err": gamma * abs_beta + slope_spread,
        }
    return fields, done


def _fresh_rho(data: MesInput, state: _State, projects: np.ndarray, slopes: bool):
    """:func:`_threshold_rho` before any payment, in closed form: every voter holds the share s, so when
    s / (largest utility) >= cost / (total satisfaction) =: r every supporter pays r * u in full and
    rho = r. Returns (fields, done) like :func:`_threshold_rho`."""
    n = len(projects)
    cost = data.costs_f[projects]
    tsat = data.total_sat_f[projects]
    weight = data.project_w[projects]
    share = state.b[0] if len(state.b) else 0.0  # every budget is this float image
    lengths = data.lengths[projects].astype(np.float64)
    gamma = 8.0 * (lengths + 8) * _EPS  # covers the float sums behind tsat and weight, and the divisions
    spread = 2.02 * state.err_b * weight
    with np.errstate(divide="ignore", invalid="ignore"):
        r = cost / tsat
        err = gamma * r
        low = r - err - spread / tsat
        hi = (r + err) * (1 + 4 * _EPS)
        poorest = (share - state.err_b) / data.max_u_f[projects] * (1 - 4 * _EPS)
    money = weight * share
    money_err = gamma * (money + cost) + spread * 0.51
    unaffordable = money + spread / 2 + money_err < cost
    done = ((poorest >= hi) & (tsat > 0)) | unaffordable
    _remember(state, projects[done], r[done])
    fields = {"lo": low, "hi": np.where(unaffordable, np.inf, hi), "money": money + spread / 2}
    fields["money_err"] = money_err
    if slopes:  # nobody pays everything: rho does not move with the share; every budget's slope is 1
        fields |= {
            "line": r,
            "line_err": (r - low) * (1 + 4 * _EPS),
            "slope": np.zeros(n),
            "slope_err": np.zeros(n),
            "mslope": weight.copy(),
            "mslope_err": gamma * weight,
        }
    return fields, done


def float_bounds(data: MesInput, state: _State, projects: np.ndarray, theta: np.ndarray, slopes: bool):
    """The fields of :func:`_float_rho` for these projects: by :func:`_threshold_rho` where it proves
    them (``theta``: lower bounds of their rho, e.g. from before the last payments), else by sorting."""
    if state.pays == 0:
        fields, done = _fresh_rho(data, state, projects, slopes)
        if not done.all():
            rest = ~done
            more, proved = _threshold_rho(data, state, projects[rest], theta[rest], slopes)
            for name, values in more.items():
                fields[name][rest] = values
            done[rest] = proved
    else:
        fields, done = _threshold_rho(data, state, projects, theta, slopes)
    if not done.all():
        rest = ~done
        for name, values in _float_rho(data, state, projects[rest], slopes).items():
            fields[name][rest] = values
    return fields


BATCH = 2  # lazy mode: stale projects recomputed at once at first (doubles while more are needed)
_FIELDS = ("lo", "hi", "money", "money_err", "line", "line_err", "slope", "slope_err", "mslope", "mslope_err")


def _room(margin: float, closing: float) -> float:
    """How far the share can move while margin - closing * change stays positive."""
    if margin <= 0:
        return 0.0
    return margin / closing if closing > 0 else np.inf


def run_mes(
    data: MesInput, start: Fraction, *, exact: bool = False, lazy: bool = False, certify: bool = False
) -> MesRun:
    """One pass of MES with every voter starting with ``start`` (exact).

    ``lazy=True`` recomputes a project only when it could be the next one funded (budgets only go down,
    so an old ``rho`` is a lower bound and old money an upper bound). The outcome is the same; only
    ``dropped_after`` may name a later round than the one in which a project became unaffordable.

    ``certify=True`` also works out ``stable_for``: how far every voter's starting share can rise with
    every decision of the pass provably unchanged (see the module text of ``mes.py``).
    """
    m = data.m
    state = _State(data, start, certify)
    run = MesRun()
    active = data.eligible.copy()
    stale = np.zeros(m, dtype=bool)
    f = {name: np.zeros(m) for name in _FIELDS}
    f["lo"][:] = np.inf
    f["hi"][:] = np.inf
    cost_f = data.costs_f
    rank = data.tie_rank
    room = np.inf

    def refresh(projects: np.ndarray) -> None:
        if len(projects):
            for name, values in float_bounds(data, state, projects, f["lo"][projects], certify).items():
                f[name][projects] = values
            stale[projects] = False

    def drop(q: int) -> None:
        nonlocal room
        run.dropped_after[q] = len(run.selected)
        active[q] = False
        if certify:  # stays unaffordable while money + money_err + (mslope + its error) * change < cost
            closing = f["mslope"][q] + f["mslope_err"][q]
            room = min(room, _room(cost_f[q] - f["money"][q] - f["money_err"][q], closing))

    refresh(active.nonzero()[0])
    while active.any():
        if exact:
            refresh((stale & active).nonzero()[0])
            candidates = active.nonzero()[0]
        else:
            batch = BATCH
            while True:
                # Old money is an upper bound, so "cannot pay" stays true for stale projects too.
                for q in (active & (f["money"] + f["money_err"] < cost_f)).nonzero()[0].tolist():
                    drop(q)
                sure = active & ~stale & (f["money"] - f["money_err"] >= cost_f)
                best_hi = f["hi"][sure].min() if sure.any() else np.inf
                need = (active & stale & (f["lo"] <= best_hi)).nonzero()[0]
                if not len(need):
                    break
                if len(need) > batch:  # most promising first: the rest may then be ruled out unseen
                    need = need[np.argsort(f["lo"][need], kind="stable")[:batch]]
                    batch *= 2
                refresh(need)
            if not active.any():
                break
            candidates = (active & (f["lo"] <= best_hi)).nonzero()[0]
        best = None
        priced = {}
        for q in candidates.tolist():
            rho, second, money = state.exact_rho(q)
            run.exact_checks += 1
            if rho is None:
                run.dropped_after[q] = len(run.selected)
                active[q] = False
                if certify and second < data.costs_q[q]:
                    room = min(room, _room(float(data.costs_q[q] - second), float(money)))
                continue
            priced[q] = (rho, second)
            key = (rho, int(rank[q]), q)
            if best is None or key < best:
                best = key
        if best is None:
            continue
        rho, _, p = best
        drho = priced[p][1]
        run.selected.append(p)
        run.rhos.append(to_fraction(rho))
        active[p] = False
        if certify:
            room = min(room, _certify_round(f, active, p, rho, drho, priced, rank))
        room = min(room, state.pay(p, rho, drho))
        run.rooms.append(room)
        dirty = data.neighbours(p) & active
        if lazy:
            stale |= dirty
        else:
            refresh(dirty.nonzero()[0])
    run.stable_for = room if certify else 0.0
    return run


def _certify_round(f, active, p, rho, drho, priced, rank) -> float:
    """How far the share can move with p still the project funded in this round."""
    room = np.inf
    for q, (rho_q, drho_q) in priced.items():  # exact comparisons for the close contenders
        if q == p:
            continue
        margin = rho_q - rho
        closing = drho - drho_q
        if margin == 0:  # q lost the tie-break; it must not overtake p
            if closing > 0:
                return 0.0
            continue
        if closing > 0:
            room = min(room, float(margin / closing))
    others = active.nonzero()[0]
    others = others[[q not in priced for q in others.tolist()]] if priced else others
    if len(others):
        rp = float(rho) * (1 + 2 * _EPS)
        dp = float(drho)
        dp_hi = dp + abs(dp) * 4 * _EPS
        margin = (f["line"][others] - f["line_err"][others]) - rp
        closing = dp_hi - (f["slope"][others] - f["slope_err"][others])
        if (margin <= 0).any():
            return 0.0
        with np.errstate(divide="ignore"):
            limits = np.where(closing > 0, margin / np.where(closing > 0, closing, 1.0), np.inf)
        room = min(room, float(limits.min()))
    return room
