"""What each opinion group stands for, and what bridges the groups.

*Representative statements* follow Pol.is's "repness" (``math/src/polismath/math/repness.clj``). For a
group and a statement, with ``na``/``nd`` agrees/disagrees and ``ns`` votes of any kind (passes count):

* ``pa = (na + 1) / (ns + 2)`` (and ``pd``): the chance a group member agrees, with one pseudo-vote each way;
* ``ra = pa / pa_rest``: how much likelier the group is to agree than everybody else (``rd`` likewise);
* ``pat`` / ``rat``: z-scores of a one-proportion test (is ``pa`` above one half?) and of a two-proportion
  test (group vs rest), both with +1 added to every count;
* a statement represents the group when both z-scores pass 1.2816 (90% one-sided), for agreeing or for
  disagreeing; the group's list is its best agreed statement first, then the others sorted by
  ``r * rt * p * pt``, at most 5, agrees before disagrees. When nothing passes, the single best one is
  shown so that every group has something.

*Consensus* is reported two ways:

* **bridging**: statements a majority agreed with in every group (more than half of the group members who
  voted on it agreed; passes count as votes, not as agreement);
* **group-aware consensus** (Pol.is): for each statement, the product over groups of ``(na + 1) / (ns + 2)``;
  high only when every group tends to agree.

Hidden statements are never reported.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "GroupVotes",
    "Representative",
    "bridging_statements",
    "group_aware_consensus",
    "group_votes",
    "representative_statements",
]

Z_90 = 1.2816


@dataclass
class GroupVotes:
    agree: np.ndarray  # (k, m) agrees per group and statement
    disagree: np.ndarray  # (k, m)
    seen: np.ndarray  # (k, m) votes of any kind (agree, disagree, pass)


def membership(labels: np.ndarray, k: int, dtype=np.float64) -> np.ndarray:
    """(k, n) 0/1 matrix: row g marks the members of group g."""
    member = np.zeros((k, len(labels)), dtype=dtype)
    rows = np.flatnonzero(labels >= 0)
    member[labels[rows], rows] = 1
    return member


def group_votes(votes: np.ndarray, seen: np.ndarray, labels: np.ndarray, k: int) -> GroupVotes:
    """Vote counts per group; ``labels`` is the group of each participant (-1: none)."""
    member = membership(labels, k, np.float32)
    v = votes.astype(np.float32)
    # (v.T @ member.T).T rather than member @ v: the same numbers, on BLAS's faster path
    net = (v.T @ member.T).T.astype(np.float64)  # agrees minus disagrees (exact: whole numbers below 2**24)
    decided = (np.abs(v).T @ member.T).T.astype(np.float64)  # agrees plus disagrees
    any_vote = (seen.astype(np.float32).T @ member.T).T.astype(np.float64)
    return GroupVotes((decided + net) / 2, (decided - net) / 2, any_vote)


def _prop_test(success, n):
    success, n = success + 1.0, n + 1.0
    return 2.0 * np.sqrt(n) * (success / n - 0.5)


def _two_prop_test(succ_in, succ_out, pop_in, pop_out):
    succ_in, succ_out, pop_in, pop_out = succ_in + 1.0, succ_out + 1.0, pop_in + 1.0, pop_out + 1.0
    pi1, pi2 = succ_in / pop_in, succ_out / pop_out
    pi_hat = (succ_in + succ_out) / (pop_in + pop_out)
    var = pi_hat * (1.0 - pi_hat) * (1.0 / pop_in + 1.0 / pop_out)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (pi1 - pi2) / np.sqrt(var)
    return np.where(var > 0, z, 0.0)


@dataclass(frozen=True, slots=True)
class Representative:
    statement: str
    direction: str  # "agree" or "disagree"
    n_success: int  # group members who agreed (or disagreed)
    n_trials: int  # group members who voted on it
    probability: float  # p = (n_success + 1) / (n_trials + 2)
    probability_test: float  # z-score: p above one half?
    ratio: float  # r = p / p for everyone else
    ratio_test: float  # z-score: group vs everyone else
    best_agree: bool = False

    @property
    def metric(self) -> float:
        return self.ratio * self.ratio_test * self.probability * self.probability_test


def _stats(gv: GroupVotes) -> dict[str, np.ndarray]:
    na, nd, ns = gv.agree, gv.disagree, gv.seen
    rest_na, rest_nd, rest_ns = na.sum(0) - na, nd.sum(0) - nd, ns.sum(0) - ns
    pa, pd = (na + 1) / (ns + 2), (nd + 1) / (ns + 2)
    return {
        "na": na,
        "nd": nd,
        "ns": ns,
        "pa": pa,
        "pd": pd,
        "pat": _prop_test(na, ns),
        "pdt": _prop_test(nd, ns),
        "ra": pa / ((rest_na + 1) / (rest_ns + 2)),
        "rd": pd / ((rest_nd + 1) / (rest_ns + 2)),
        "rat": _two_prop_test(na, rest_na, ns, rest_ns),
        "rdt": _two_prop_test(nd, rest_nd, ns, rest_ns),
    }


def _final(st, g, j, statement, best_agree=False) -> Representative:
    agree = st["rat"][g, j] > st["rdt"][g, j] or best_agree
    a = "a" if agree else "d"
    return Representative(
        statement,
        "agree" if agree else "disagree",
        int(st["n" + a][g, j]),
        int(st["ns"][g, j]),
        float(st["p" + a][g, j]),
        float(st["p" + a + "t"][g, j]),
        float(st["r" + a][g, j]),
        float(st["r" + a + "t"][g, j]),
        best_agree,
    )


def _best_agree(st: dict[str, np.ndarray], g: int, visible: np.ndarray) -> int | None:
    """Pol.is's running "best agreed statement" of group ``g`` (a scan: each candidate is compared with
    the best so far, by repness when that one is representative, else by agreement)."""
    na, nd = st["na"][g, visible].tolist(), st["nd"][g, visible].tolist()
    pa, pat = st["pa"][g, visible].tolist(), st["pat"][g, visible].tolist()
    ra, rat = st["ra"][g, visible].tolist(), st["rat"][g, visible].tolist()
    best = None
    for i in range(len(visible)):
        if na[i] == 0 and nd[i] == 0:  # nobody in the group agreed or disagreed
            continue
        if best is None:
            better = pat[i] > Z_90 or (ra[i] > 1.0 and pa[i] > 0.5)
        elif ra[best] > 1.0:
            better = ra[i] * rat[i] * pa[i] * pat[i] > ra[best] * rat[best] * pa[best] * pat[best]
        else:
            better = pa[i] * pat[i] > pa[best] * pat[best]
        if better:
            best = i
    return None if best is None else int(visible[best])


def representative_statements(
    statements: tuple[str, ...], hidden: np.ndarray, gv: GroupVotes, max_per_group: int = 5
) -> list[list[Representative]]:
    """Representative statements of each group (see the module notes)."""
    st = _stats(gv)
    k = gv.agree.shape[0]
    visible = np.flatnonzero(~hidden)
    agree_way = st["rat"] > st["rdt"]
    metric = np.where(
        agree_way, st["ra"] * st["rat"] * st["pa"] * st["pat"], st["rd"] * st["rdt"] * st["pd"] * st["pdt"]
    )
    passes = ((st["rat"] > Z_90) & (st["pat"] > Z_90)) | ((st["rdt"] > Z_90) & (st["pdt"] > Z_90))
    strongest = np.maximum(st["rat"], st["rdt"])
    result = []
    for g in range(k):
        best_agree = _best_agree(st, g, visible)
        sufficient = visible[passes[g, visible]]
        if len(sufficient) == 0:
            if best_agree is not None:
                result.append([_final(st, g, best_agree, statements[best_agree], best_agree=True)])
            elif len(visible):
                j = int(visible[np.argmax(strongest[g, visible])])  # the single most distinctive one
                result.append([_final(st, g, j, statements[j])])
            else:
                result.append([])
            continue
        rest = sufficient[sufficient != best_agree] if best_agree is not None else sufficient
        rest = rest[np.argsort(-metric[g, rest], kind="stable")]
        picked = (
            [_final(st, g, best_agree, statements[best_agree], best_agree=True)]
            if best_agree is not None
            else []
        )
        picked += [_final(st, g, int(j), statements[j]) for j in rest[: max_per_group - len(picked)]]
        result.append(
            [r for r in picked if r.direction == "agree"] + [r for r in picked if r.direction == "disagree"]
        )
    return result


def group_aware_consensus(gv: GroupVotes) -> np.ndarray:
    """Pol.is's group-aware consensus per statement: product over groups of (agree + 1) / (votes + 2)."""
    return np.prod((gv.agree + 1.0) / (gv.seen + 2.0), axis=0)


def bridging_statements(statements: tuple[str, ...], hidden: np.ndarray, gv: GroupVotes) -> list[str]:
    """Statements a majority agreed with in every group, best group-aware consensus first."""
    if gv.agree.shape[0] == 0:
        return []
    majority = np.all((gv.seen > 0) & (2 * gv.agree > gv.seen), axis=0) & ~hidden
    gac = group_aware_consensus(gv)
    chosen = np.flatnonzero(majority)
    chosen = chosen[np.argsort(-gac[chosen], kind="stable")]
    return [statements[j] for j in chosen]
