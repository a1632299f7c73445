"""Opinion groups from participants' positions, following Pol.is's two-level k-means.

Pol.is (``math/src/polismath/math/clusters.clj`` and ``conversation.clj``):

1. Only participants "in the conversation" are clustered: those who voted on at least
   ``min(7, number of statements with votes)`` statements (passes and hidden statements count); if that
   leaves fewer than 15, the most active remaining voters are added until there are 15.
2. Their 2-D positions are grouped into up to 100 *base clusters* by k-means (initial centres: the first
   100 distinct positions; at most 100 rounds).
3. The base-cluster centres, weighted by how many participants each holds, are grouped again by k-means
   for every k from 2 to ``min(5, 2 + base clusters // 12)`` (initial centres: the first k distinct
   centres). The k with the best silhouette (computed on distances between base-cluster centres, every
   base cluster counting once, a lone cluster scoring 0) wins.

We follow that closely, with these differences, all because Pol.is updates a live conversation over
time while a snapshot has no history:

* Pol.is starts every k-means from the previous run's clusters; it only uses "the first distinct
  points" the very first time. From scratch we start base clusters that way (participants in order of
  their first vote, so it is deterministic), but for the groups we also try two other deterministic
  starts (equal-weight slices along the first axis, farthest-point seeding) and keep the one with the
  lowest weighted sum of squares, so a snapshot does not hinge on who happened to vote first.
* Pol.is only changes the number of groups after the same new k has won 4 runs in a row; a snapshot
  takes the best silhouette straight away (ties go to the smaller k).

The incremental engine (``incremental.py``) starts from the previous run, like Pol.is, and can hold the
number of groups the same way (``k_buffer``); ``fresh_starts=False`` there uses Pol.is's starts only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "Clustering",
    "cluster_positions",
    "first_distinct",
    "in_conversation",
    "kmeans",
    "max_groups",
    "silhouette",
]

MIN_VOTES = 7
GREEDY_PARTICIPANTS = 15
BASE_K = 100
MAX_K = 5


def in_conversation(votes_cast: np.ndarray, n_columns: int, min_votes: int = MIN_VOTES) -> np.ndarray:
    """Mask of participants Pol.is would cluster (see the module notes)."""
    votes_cast = np.asarray(votes_cast)
    mask = (votes_cast >= min(min_votes, n_columns)) & (votes_cast > 0)
    missing = GREEDY_PARTICIPANTS - int(mask.sum())
    if missing > 0:
        rest = np.flatnonzero(~mask & (votes_cast > 0))
        order = rest[np.argsort(-votes_cast[rest], kind="stable")]
        mask[order[:missing]] = True
    return mask


def first_distinct(points: np.ndarray, k: int) -> np.ndarray:
    """The first ``k`` distinct rows of ``points``, in order."""
    _, first = np.unique(points, axis=0, return_index=True)
    return points[np.sort(first)[:k]].copy()


def kmeans(
    points: np.ndarray,
    centres: np.ndarray,
    weights: np.ndarray | None = None,
    max_iter: int = 100,
    return_kept: bool = False,
):
    """Lloyd's k-means from the given centres; returns (labels, centres), and with ``return_kept`` also
    the index among the starting centres of each returned centre.

    Clusters that lose all their members are dropped (as Pol.is does), so fewer centres may come back;
    labels always index the returned centres. Stops when no label changes.
    """
    w = np.ones(len(points)) if weights is None else np.asarray(weights, dtype=float)
    centres = np.asarray(centres, dtype=float).copy()
    kept = np.arange(len(centres))
    labels = None
    sq = (points**2).sum(axis=1)
    for _ in range(max_iter):
        # squared distances |p|^2 - 2 p.c + |c|^2, by one matrix product
        d2 = sq[:, None] - 2.0 * (points @ centres.T) + (centres**2).sum(axis=1)[None, :]
        new = np.argmin(d2, axis=1)
        used = np.unique(new)
        if len(used) < len(centres):  # drop empty clusters, renumber labels
            remap = np.full(len(centres), -1)
            remap[used] = np.arange(len(used))
            new = remap[new]
            centres = centres[used]
            kept = kept[used]
        total = np.bincount(new, weights=w, minlength=len(centres))
        for d in range(points.shape[1]):
            centres[:, d] = np.bincount(new, weights=w * points[:, d], minlength=len(centres)) / total
        if labels is not None and np.array_equal(new, labels):
            break
        labels = new
    return (labels, centres, kept) if return_kept else (labels, centres)


def distances(points: np.ndarray) -> np.ndarray:
    return np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))


def silhouette(points: np.ndarray, labels: np.ndarray, dist: np.ndarray | None = None) -> float:
    """Mean silhouette over ``points`` (unweighted); a point alone in its cluster scores 0.
    ``dist`` may give the points' distance matrix, if already known."""
    n = len(points)
    k = int(labels.max()) + 1 if n else 0
    if n < 2 or k < 2:
        return 0.0
    if dist is None:
        dist = distances(points)
    onehot = np.zeros((n, k))
    onehot[np.arange(n), labels] = 1.0
    sizes = onehot.sum(axis=0)
    sums = dist @ onehot  # (n, k): total distance to each cluster
    own = sizes[labels]
    a = np.where(own > 1, sums[np.arange(n), labels] / np.maximum(own - 1, 1), 0.0)
    other = np.where(onehot > 0, np.inf, sums / np.maximum(sizes, 1))
    other[:, sizes == 0] = np.inf
    b = other.min(axis=1)
    denom = np.maximum(a, b)
    s = np.where((own > 1) & (denom > 0) & np.isfinite(b), (b - a) / np.where(denom > 0, denom, 1), 0.0)
    return float(s.mean())


def weighted_sse(points: np.ndarray, labels: np.ndarray, centres: np.ndarray, weights: np.ndarray) -> float:
    return float((weights * ((points - centres[labels]) ** 2).sum(axis=1)).sum())


def starting_centres(points: np.ndarray, weights: np.ndarray, k: int) -> list[np.ndarray]:
    """Deterministic starting centres to try: Pol.is's first distinct points, equal-weight slices along
    the first axis, and farthest-point seeding."""
    starts = [first_distinct(points, k)]
    order = np.argsort(points[:, 0], kind="stable")
    cum = np.cumsum(weights[order])
    slot = np.minimum((cum - weights[order] / 2) * k // cum[-1], k - 1).astype(int)
    slices = [order[slot == s] for s in range(k)]
    if all(len(s) for s in slices):
        starts.append(np.array([np.average(points[s], axis=0, weights=weights[s]) for s in slices]))
    mean = np.average(points, axis=0, weights=weights)
    chosen = [int(np.argmax(((points - mean) ** 2).sum(axis=1)))]
    d2 = ((points - points[chosen[0]]) ** 2).sum(axis=1)
    while len(chosen) < k:
        nxt = int(np.argmax(weights * d2))
        if d2[nxt] == 0:
            break
        chosen.append(nxt)
        d2 = np.minimum(d2, ((points - points[nxt]) ** 2).sum(axis=1))
    if len(chosen) == k:
        starts.append(points[chosen].copy())
    return starts


def best_kmeans(
    points: np.ndarray,
    weights: np.ndarray,
    k: int,
    previous: np.ndarray | None = None,
    fresh: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """k-means from each deterministic start (and ``previous`` centres first, if given); lowest weighted
    sum of squares wins, earlier start on a tie. With ``fresh=False`` only Pol.is's own start is used:
    the previous centres if given, else the first distinct points."""
    warm = [previous] if previous is not None and len(previous) == k else []
    if fresh:
        starts = warm + starting_centres(points, weights, k)
    else:
        starts = warm or [first_distinct(points, k)]
    best = None
    for start in starts:
        labels, centres = kmeans(points, start, weights)
        if len(centres) < k and best is not None:
            continue
        cost = weighted_sse(points, labels, centres, weights)
        if best is None or (len(centres), -cost) > (len(best[1]), -best[2]):
            best = (labels, centres, cost)
    return best[0], best[1]


def max_groups(n_base: int, max_k: int = MAX_K) -> int:
    return min(max_k, 2 + n_base // 12)


@dataclass
class Clustering:
    base_labels: np.ndarray  # (p,) base cluster of each clustered participant
    base_centres: np.ndarray  # (b, 2)
    base_sizes: np.ndarray  # (b,)
    group_of_base: np.ndarray  # (b,) group of each base cluster
    group_centres: np.ndarray  # (k, 2)
    silhouettes: dict[int, float]  # k -> silhouette
    by_k: dict[int, tuple[np.ndarray, np.ndarray]]  # k -> (group_of_base, group_centres)

    @property
    def labels(self) -> np.ndarray:
        """Group of each clustered participant."""
        return self.group_of_base[self.base_labels]

    @property
    def k(self) -> int:
        return len(self.group_centres)


def group_base_clusters(
    base_centres: np.ndarray,
    base_sizes: np.ndarray,
    previous: dict[int, np.ndarray] | None = None,
    max_k: int = MAX_K,
    fresh: bool = True,
) -> tuple[int, dict[int, float], dict[int, tuple[np.ndarray, np.ndarray]]]:
    """Group base clusters for each k; returns (best k, silhouettes, k -> (labels, centres))."""
    silhouettes: dict[int, float] = {}
    by_k: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    n_distinct = len(np.unique(base_centres, axis=0))
    dist = distances(base_centres)
    for k in range(2, max_groups(len(base_centres), max_k) + 1):
        if k > n_distinct:
            break
        labels, centres = best_kmeans(
            base_centres, base_sizes, k, previous.get(k) if previous else None, fresh
        )
        if len(centres) < 2:
            continue
        by_k[k] = (labels, centres)
        silhouettes[k] = silhouette(base_centres, labels, dist)
    if not by_k:
        return 0, silhouettes, by_k
    best = max(silhouettes, key=lambda kk: (silhouettes[kk], -kk))
    return best, silhouettes, by_k


def cluster_positions(
    positions: np.ndarray,
    *,
    base_k: int = BASE_K,
    max_k: int = MAX_K,
    previous_base: np.ndarray | None = None,
    previous_groups: dict[int, np.ndarray] | None = None,
) -> Clustering | None:
    """Two-level clustering of participants' positions; None when they cannot form two groups."""
    if len(positions) < 2 or len(np.unique(positions, axis=0)) < 2:
        return None
    start = previous_base if previous_base is not None and len(previous_base) else None
    if start is None:
        start = first_distinct(positions, base_k)
    base_labels, base_centres = kmeans(positions, start)
    base_sizes = np.bincount(base_labels, minlength=len(base_centres)).astype(float)
    best, silhouettes, by_k = group_base_clusters(base_centres, base_sizes, previous_groups, max_k)
    if not by_k:
        return None
    group_of_base, group_centres = by_k[best]
    return Clustering(base_labels, base_centres, base_sizes, group_of_base, group_centres, silhouettes, by_k)
