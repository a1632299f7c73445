"""A live conversation that absorbs new votes without recomputing everything on every page view.

What is kept up to date on each vote, in O(statements) time:

* per-statement vote sums and counts (so the column means), votes cast per participant;
* three statements x statements matrices, summed over participants, from which the covariance of the
  mean-imputed, centred vote matrix follows exactly for *any* column means::

      P = (seen*votes).T @ (seen*votes)   Q = (seen*votes).T @ seen   N = seen.T @ seen
      Z.T @ Z = P - Q * mu[None, :] - (Q * mu[None, :]).T + N * outer(mu, mu)

  (``Z = seen * (votes - mu)``; all three hold whole numbers, so there is no rounding drift.)

When the result is asked for (``result()``) and votes have arrived since the last time:

* the two principal components are refined by block power iteration on that small matrix, starting
  from the previous refresh's eight leading vectors (usually a handful of rounds); every ``full_every``
  refreshes, or after a statement is hidden, it starts afresh instead (a *full recompute*);
* positions are re-projected (two matrix-vector products over the vote matrix);
* base clusters restart from the previous members' new mean positions, and the groups for each k from
  the base clusters each group held last time, at their new positions (both as Pol.is does,
  ``clusters.clj`` ``clean-start-clusters``; see :func:`warm_group_start`), alongside the usual
  deterministic starts unless ``fresh_starts=False`` (lowest sum of squares wins);
* participants stay "in the conversation" once in (as in Pol.is);
* optionally, as Pol.is does, the number of groups only changes after the same new number has won
  ``k_buffer`` refreshes in a row (``k_buffer=1``, the default, follows the silhouette at once).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from localpower.tally.opinion.clustering import (
    BASE_K,
    MAX_K,
    MIN_VOTES,
    Clustering,
    first_distinct,
    group_base_clusters,
    in_conversation,
    kmeans,
)
from localpower.tally.opinion.consensus import GroupVotes, membership
from localpower.tally.opinion.groups import OpinionGroups, summarise
from localpower.tally.opinion.matrix import AGREE, DISAGREE, PASS, OpinionDataError, VoteMatrix
from localpower.tally.opinion.pca import PCA, leading_eigenvectors, orient

__all__ = ["LiveConversation", "replay"]

N_COMPS = 2
BLOCK = 8  # vectors carried between refreshes (two components plus six to speed convergence)


def _grow(array: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    if all(a >= s for a, s in zip(array.shape, shape, strict=True)):
        return array
    new_shape = tuple(max(a, s, 2 * a if s > a else a) for a, s in zip(array.shape, shape, strict=True))
    bigger = np.zeros(new_shape, dtype=array.dtype)
    bigger[tuple(slice(0, a) for a in array.shape)] = array
    return bigger


class LiveConversation:
    """Holds a conversation's votes and opinion map, and updates both as votes arrive."""

    def __init__(
        self,
        statements: Iterable[str] = (),
        *,
        hidden: Iterable[str] = (),
        min_votes: int = MIN_VOTES,
        base_k: int = BASE_K,
        max_k: int = MAX_K,
        k_buffer: int = 1,
        full_every: int = 200,
        max_power_iterations: int = 300,
        tolerance: float = 1e-9,
        fresh_starts: bool = True,
    ) -> None:
        self.min_votes, self.base_k, self.max_k, self.k_buffer = min_votes, base_k, max_k, k_buffer
        self.full_every, self.max_power_iterations = full_every, max_power_iterations
        self.tolerance, self.fresh_starts = tolerance, fresh_starts
        self._map: tuple | None = None  # (pca, positions, clustered, clustering) of the latest refresh
        self._p_index: dict[str, int] = {}
        self._s_index: dict[str, int] = {}
        self._V = np.zeros((16, 16), dtype=np.float32)  # votes (0 where missing)
        self._S = np.zeros((16, 16), dtype=np.float32)  # seen
        self._A = np.zeros((16, 16), dtype=np.float32)  # |votes|: agree or disagree
        self._P = np.zeros((16, 16))
        self._Q = np.zeros((16, 16))
        self._N = np.zeros((16, 16))
        self._col_sum = np.zeros(16)
        self._col_count = np.zeros(16)
        self._hidden = np.zeros(16, dtype=bool)
        self._n_votes = np.zeros(16, dtype=np.int64)  # all votes cast, hidden statements included
        self._n_visible = np.zeros(16, dtype=np.int64)  # votes on statements not hidden
        self._in_conv = np.zeros(16, dtype=bool)
        self._base_labels = np.full(16, -1, dtype=np.int64)
        self._comps: np.ndarray | None = None
        self._basis: np.ndarray | None = None  # (m, BLOCK) leading eigenvectors from the last refresh
        self._base_ids = np.zeros(0, dtype=np.int64)  # lasting id of each base cluster (Pol.is's :id)
        self._next_base_id = 0
        self._group_members: dict[int, dict[int, int]] = {}  # k -> {base cluster id: group}, last run
        self._smoother = {"last_k": None, "count": 0, "k": None}
        self._result: OpinionGroups | None = None
        self.full_recomputes = 0  # refreshes that started the components afresh
        self.refreshes = 0  # refreshes of the opinion map so far
        for s in statements:
            self._statement(s)
        for s in hidden:
            self._hidden[self._statement(s)] = True

    # -- the matrix-like view used by groups.summarise -------------------------------------------------
    @property
    def participants(self) -> tuple[str, ...]:
        return tuple(self._p_index)

    @property
    def statements(self) -> tuple[str, ...]:
        return tuple(self._s_index)

    @property
    def hidden(self) -> np.ndarray:
        return self._hidden[: len(self._s_index)]

    @property
    def voted_statements(self) -> np.ndarray:
        return self._col_count[: len(self._s_index)] > 0

    def group_votes(self, labels: np.ndarray, k: int) -> GroupVotes:
        n, m = len(self._p_index), len(self._s_index)
        member = membership(labels, k, np.float32)
        # whole rows of the (row-major) arrays, transposed: the fast path for BLAS; extra columns are 0
        net = (self._V[:n].T @ member.T)[:m].T.astype(np.float64)
        decided = (self._A[:n].T @ member.T)[:m].T.astype(np.float64)
        seen = (self._S[:n].T @ member.T)[:m].T.astype(np.float64)
        return GroupVotes((decided + net) / 2, (decided - net) / 2, seen)

    def to_matrix(self) -> VoteMatrix:
        n, m = len(self._p_index), len(self._s_index)
        return VoteMatrix(
            self.participants, self.statements, self._V[:n, :m], self._S[:n, :m] > 0, self.hidden
        )

    # -- building ---------------------------------------------------------------------------------------
    def _statement(self, statement: str) -> int:
        j = self._s_index.get(statement)
        if j is None:
            j = self._s_index[statement] = len(self._s_index)
            m = j + 1
            n = self._V.shape[0]
            self._V, self._S, self._A = (_grow(x, (n, m)) for x in (self._V, self._S, self._A))
            self._P, self._Q, self._N = (_grow(x, (m, m)) for x in (self._P, self._Q, self._N))
            self._col_sum, self._col_count, self._hidden = (
                _grow(x, (m,)) for x in (self._col_sum, self._col_count, self._hidden)
            )
        return j

    def _participant(self, participant: str) -> int:
        i = self._p_index.get(participant)
        if i is None:
            i = self._p_index[participant] = len(self._p_index)
            n = i + 1
            m = self._V.shape[1]
            self._V, self._S, self._A = (_grow(x, (n, m)) for x in (self._V, self._S, self._A))
            self._n_votes, self._n_visible, self._in_conv = (
                _grow(x, (n,)) for x in (self._n_votes, self._n_visible, self._in_conv)
            )
            if self._base_labels.shape[0] < n:
                grown = np.full(self._V.shape[0], -1, dtype=np.int64)
                grown[: self._base_labels.shape[0]] = self._base_labels
                self._base_labels = grown
        return i

    @classmethod
    def from_matrix(cls, matrix: VoteMatrix, **options) -> LiveConversation:
        """Load a whole matrix at once (sums by matrix products rather than vote by vote)."""
        live = cls(
            matrix.statements,
            hidden=[s for s, h in zip(matrix.statements, matrix.hidden, strict=True) if h],
            **options,
        )
        for p in matrix.participants:
            live._participant(p)
        n, m = matrix.n_participants, matrix.n_statements
        live._V[:n, :m] = matrix.votes
        live._S[:n, :m] = matrix.seen
        live._A[:n, :m] = matrix.votes != 0
        live._rebuild_sums()
        return live

    def _rebuild_sums(self) -> None:
        n, m = len(self._p_index), len(self._s_index)
        V, S = np.ascontiguousarray(self._V[:n, :m]), np.ascontiguousarray(self._S[:n, :m])
        # float32 products of 0/+-1 entries are exact while counts stay below 2**24
        self._P[:m, :m] = V.T @ V
        self._Q[:m, :m] = V.T @ S
        self._N[:m, :m] = S.T @ S
        self._col_sum[:m] = V.sum(axis=0, dtype=np.float64)
        self._col_count[:m] = S.sum(axis=0, dtype=np.float64)
        self._n_votes[:n] = S.sum(axis=1, dtype=np.float64).astype(np.int64)
        self._n_visible[:n] = S[:, ~self.hidden].sum(axis=1, dtype=np.float64).astype(np.int64)

    def add_vote(self, participant: str, statement: str, vote: int) -> None:
        """Record a vote (1 agree, -1 disagree, 0 pass); a later vote on the same statement replaces it."""
        if vote not in (AGREE, DISAGREE, PASS):
            raise OpinionDataError(f"vote {vote!r} is not 1 (agree), -1 (disagree) or 0 (pass)")
        j = self._statement(statement)
        i = self._participant(participant)
        m = len(self._s_index)
        a = self._V[i, :m].astype(np.float64)
        s = self._S[i, :m].astype(np.float64)
        a_old, s_old = a[j], s[j]
        a_new, s_new = float(vote), 1.0
        if a_old == a_new and s_old == s_new:
            return
        a2, s2 = a.copy(), s.copy()
        a2[j], s2[j] = a_new, s_new
        d = a_new * a2 - a_old * a
        self._P[j, :m] += d
        self._P[:m, j] += d
        self._P[j, j] -= d[j]
        d = s_new * s2 - s_old * s
        self._N[j, :m] += d
        self._N[:m, j] += d
        self._N[j, j] -= d[j]
        row = a_new * s2 - a_old * s
        col = a2 * s_new - a * s_old
        self._Q[j, :m] += row
        self._Q[:m, j] += col
        self._Q[j, j] -= row[j]
        self._col_sum[j] += a_new - a_old
        self._col_count[j] += s_new - s_old
        self._n_votes[i] += int(s_new - s_old)
        if not self._hidden[j]:
            self._n_visible[i] += int(s_new - s_old)
        self._V[i, j], self._S[i, j], self._A[i, j] = a_new, s_new, abs(a_new)
        self._result = self._map = None

    def add_votes(self, events: Iterable[tuple[str, str, int]]) -> None:
        for participant, statement, vote in events:
            self.add_vote(participant, statement, vote)

    def set_hidden(self, statement: str, hidden: bool = True) -> None:
        """Hide (or show again) a statement; the next refresh restarts the components afresh.

        The running sums need no change (hidden statements are masked out when the covariance is formed);
        only the per-participant count of votes on visible statements moves, in O(participants)."""
        j = self._statement(statement)
        if bool(self._hidden[j]) == hidden:
            return
        n = len(self._p_index)
        change = self._S[:n, j].astype(np.int64)
        self._n_visible[:n] += -change if hidden else change
        self._hidden[j] = hidden
        self._basis = None
        self._result = self._map = None

    # -- computing --------------------------------------------------------------------------------------
    def _covariance(self, means: np.ndarray) -> np.ndarray:
        m = len(means)
        P, Q, N = self._P[:m, :m], self._Q[:m, :m], self._N[:m, :m]
        qm = Q * means[None, :]
        cov = P - qm - qm.T + N * np.outer(means, means)
        cov[self.hidden, :] = 0.0
        cov[:, self.hidden] = 0.0
        return cov

    def update(self) -> None:
        """Refresh the opinion map (components, positions, groups) if votes arrived since the last time,
        without working out representative statements and consensus."""
        if self._map is None:
            self._map = self._refresh(full=False)

    def result(self) -> OpinionGroups:
        """The current opinion groups, refreshed if votes arrived since the last call."""
        if self._result is None:
            self.update()
            self._result = summarise(self, *self._map)
        return self._result

    def recompute(self) -> OpinionGroups:
        """Force a full recompute (fresh start for the components)."""
        self._map = self._refresh(full=True)
        self._result = summarise(self, *self._map)
        return self._result

    def _refresh(self, full: bool) -> tuple:
        n, m = len(self._p_index), len(self._s_index)
        self.refreshes += 1
        counts = self._col_count[:m]
        means = np.divide(self._col_sum[:m], counts, out=np.zeros(m), where=counts > 0)
        means[self.hidden] = 0.0
        cov = self._covariance(means)
        previous = self._comps
        basis = self._basis
        if basis is not None and basis.shape[0] < m:  # new statements since: start them at 0
            basis = np.vstack([basis, np.zeros((m - basis.shape[0], basis.shape[1]))])
            previous = np.hstack([previous, np.zeros((previous.shape[0], m - previous.shape[1]))])
        full = full or basis is None or self.refreshes % self.full_every == 0 or basis.shape[1] > m
        if full:
            self.full_recomputes += 1
        (comps, _), self._basis = leading_eigenvectors(
            cov,
            N_COMPS,
            None if full else basis,
            block=BLOCK,
            max_iter=self.max_power_iterations,
            tolerance=self.tolerance,
        )
        comps = orient(comps, previous)
        self._comps = comps
        values = np.einsum("km,mn,kn->k", comps, cov, comps)
        pca = PCA(means, comps, values)

        width = self._V.shape[1]
        c32 = np.zeros((width, N_COMPS), dtype=np.float32)
        c32[:m] = comps.T
        shift = np.zeros((width, N_COMPS), dtype=np.float32)
        shift[:m] = means[:, None] * comps.T
        raw = (self._V[:n] @ c32).astype(np.float64) - (self._S[:n] @ shift).astype(np.float64)
        voted = counts > 0
        n_columns = int(voted.sum())
        hidden_cols = int((voted & self.hidden).sum())
        scale = np.sqrt(n_columns / np.maximum(self._n_visible[:n] + hidden_cols, 1))
        positions = raw * scale[:, None]

        fresh = in_conversation(self._n_votes[:n], n_columns, self.min_votes)
        self._in_conv[:n] |= fresh
        clustered = self._in_conv[:n].copy()
        clustering = self._cluster(positions, clustered)
        return pca, positions, clustered, clustering

    def _cluster(self, positions: np.ndarray, clustered: np.ndarray) -> Clustering | None:
        rows = np.flatnonzero(clustered)
        points = positions[rows]
        if len(points) < 2 or len(np.unique(points, axis=0)) < 2:
            return None
        prev = self._base_labels[rows]
        known = prev >= 0
        centres = None
        if known.any():
            ids, members = np.unique(prev[known], return_inverse=True)
            sizes = np.bincount(members, minlength=len(ids))
            centres = np.stack(
                [
                    np.bincount(members, weights=points[known, d], minlength=len(ids)) / sizes
                    for d in range(2)
                ],
                axis=1,
            )
            _, first = np.unique(centres, axis=0, return_index=True)
            keep = np.sort(first)  # clusters that now share a centre are merged, as Pol.is does
            centres, start_ids = centres[keep], self._base_ids[ids[keep]]
        if centres is None:
            centres = first_distinct(points, self.base_k)
            start_ids = self._new_base_ids(len(centres))
        labels, centres, kept = kmeans(points, centres, return_kept=True)
        base_ids = start_ids[kept]
        target = min(self.base_k, len(np.unique(points, axis=0)))
        if len(centres) < target:
            # new base clusters start at the participants farthest from their centre (Pol.is adds them
            # one at a time, re-running k-means after each; we add them all at once)
            d2 = ((points - centres[labels]) ** 2).sum(axis=1)
            _, first = np.unique(points, axis=0, return_index=True)
            far = first[np.argsort(-d2[first], kind="stable")][: target - len(centres)]
            far = far[d2[far] > 0]
            if len(far):
                all_ids = np.concatenate([base_ids, self._new_base_ids(len(far))])
                labels, centres, kept = kmeans(points, np.vstack([centres, points[far]]), return_kept=True)
                base_ids = all_ids[kept]
        self._base_ids = base_ids
        self._base_labels[:] = -1
        self._base_labels[rows] = labels
        sizes = np.bincount(labels, minlength=len(centres)).astype(float)
        starts = {
            k: start
            for k, members in self._group_members.items()
            if (start := warm_group_start(centres, sizes, base_ids, members, k)) is not None
        }
        best, silhouettes, by_k = group_base_clusters(centres, sizes, starts, self.max_k, self.fresh_starts)
        if not by_k:
            return None
        self._group_members = {
            k: dict(zip(base_ids.tolist(), g.tolist(), strict=True)) for k, (g, _) in by_k.items()
        }
        k = self._smooth(best, by_k)
        group_of_base, group_centres = by_k[k]
        return Clustering(labels, centres, sizes, group_of_base, group_centres, silhouettes, by_k)

    def _new_base_ids(self, n: int) -> np.ndarray:
        ids = np.arange(self._next_base_id, self._next_base_id + n, dtype=np.int64)
        self._next_base_id += n
        return ids

    def _smooth(self, best: int, by_k: dict) -> int:
        sm = self._smoother
        sm["count"] = sm["count"] + 1 if sm["last_k"] == best else 1
        sm["last_k"] = best
        if sm["k"] is None or sm["count"] >= self.k_buffer or sm["k"] not in by_k:
            sm["k"] = best
        return sm["k"]


def warm_group_start(
    centres: np.ndarray, sizes: np.ndarray, base_ids: np.ndarray, members: dict[int, int], k: int
) -> np.ndarray | None:
    """Starting centres for the k groups from the last run's groups, as Pol.is does
    (``clusters.clj``, ``clean-start-clusters``): each group keeps the base clusters it held that still
    exist and restarts at their centres' mean weighted by size (groups left empty are dropped, groups
    on the same spot merged); then, while there are fewer than ``k`` groups and more distinct base
    clusters, the base cluster farthest from every group centre is taken out of its group and starts
    a group of its own. None when no base cluster was in a group last time."""
    last = np.array([members.get(b, -1) for b in base_ids.tolist()])
    groups = [np.flatnonzero(last == g).tolist() for g in np.unique(last[last >= 0])]
    if not groups:
        return None

    def centre(idx: list[int]) -> np.ndarray:
        return np.average(centres[idx], axis=0, weights=sizes[idx])

    merged: list[list[int]] = []
    for g in groups:
        same = next((m for m in merged if np.array_equal(centre(m), centre(g))), None)
        if same is None:
            merged.append(g)
        else:
            same.extend(g)
    possible = min(k, len(np.unique(centres, axis=0)))
    while True:
        start = np.array([centre(g) for g in merged])
        if len(merged) >= possible:
            return start
        d = np.sqrt(((centres[:, None, :] - start[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
        far = int(np.argmax(d))
        if d[far] <= 0:
            return start
        merged = [kept for g in merged if (kept := [i for i in g if i != far])]
        merged.append([far])


def replay(
    events: Iterable[tuple[int, str, str, int]],
    statements: Iterable[str] = (),
    hidden: Iterable[str] = (),
    *,
    window: int = 1000,
    **options,
) -> LiveConversation:
    """Feed time-stamped votes ``(timestamp, participant, statement, vote)`` in time order to a live
    conversation, refreshing the opinion map at the end of every ``window`` (in the timestamps' unit;
    Pol.is exports use milliseconds) that saw votes, roughly as Pol.is's math worker does when it polls
    for new votes. Returns the live conversation, ready for ``result()``."""
    live = LiveConversation(statements, hidden=hidden, **options)
    current = None
    for when, participant, statement, vote in events:
        bucket = when // window
        if current is not None and bucket != current:
            live.update()
        current = bucket
        live.add_vote(participant, statement, vote)
    return live
