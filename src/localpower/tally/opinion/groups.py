"""Opinion groups for a conversation, computed from scratch (Pol.is's method; see the other modules)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from localpower.tally.opinion.clustering import (
    BASE_K,
    MAX_K,
    MIN_VOTES,
    Clustering,
    cluster_positions,
    in_conversation,
)
from localpower.tally.opinion.consensus import (
    GroupVotes,
    Representative,
    bridging_statements,
    group_aware_consensus,
    representative_statements,
)
from localpower.tally.opinion.matrix import VoteMatrix
from localpower.tally.opinion.pca import PCA, fit_pca, project

__all__ = ["OpinionGroups", "compute_groups", "summarise"]


@dataclass
class OpinionGroups:
    participants: tuple[str, ...]
    statements: tuple[str, ...]
    hidden: np.ndarray  # (m,) bool: statements the moderator hid
    pca: PCA
    positions: np.ndarray  # (n, 2) every participant's position on the opinion map
    clustered: np.ndarray  # (n,) bool: taken into the clustering
    labels: np.ndarray  # (n,) group of each participant, -1 when not in a group
    k: int  # number of groups (0 when there are none)
    reason: str | None  # why there are no groups, in plain English
    clustering: Clustering | None = None
    group_votes: GroupVotes | None = None
    representative: list[list[Representative]] = field(default_factory=list)
    consensus: list[str] = field(default_factory=list)  # bridging: majority agreed in every group
    group_aware_consensus: np.ndarray | None = None  # (m,) Pol.is score per statement

    def groups_by_participant(self) -> dict[str, int | None]:
        return {p: (int(g) if g >= 0 else None) for p, g in zip(self.participants, self.labels, strict=True)}

    def group_sizes(self) -> list[int]:
        return [int((self.labels == g).sum()) for g in range(self.k)]


def summarise(matrix, pca: PCA, positions: np.ndarray, clustered: np.ndarray, clustering) -> OpinionGroups:
    """Turn a clustering of the ``clustered`` participants into groups, statements and consensus.

    ``matrix`` is a :class:`VoteMatrix` or anything with the same ``participants``, ``statements``,
    ``hidden``, ``voted_statements`` and ``group_votes(labels, k)`` (the incremental engine).
    """
    ids = (matrix.participants, matrix.statements, matrix.hidden.copy())
    n = len(matrix.participants)
    labels = np.full(n, -1, dtype=np.int64)
    if clustering is None:
        if not matrix.voted_statements.any():
            reason = "nobody has voted yet"
        elif clustered.sum() < 2:
            reason = (
                f"only {int(clustered.sum())} participant(s) voted on enough statements to be placed in a group "
                "(at least 2 are needed)"
            )
        else:
            reason = "everyone who voted holds the same position, so there is only one group of opinion"
        return OpinionGroups(*ids, pca, positions, clustered, labels, 0, reason)
    # number groups by size, largest first, so the numbering does not depend on starting points
    raw = clustering.labels
    k = clustering.k
    sizes = np.bincount(raw, minlength=k)
    order = np.argsort(-sizes, kind="stable")
    rank = np.empty(k, dtype=np.int64)
    rank[order] = np.arange(k)
    labels[np.flatnonzero(clustered)] = rank[raw]
    gv = matrix.group_votes(labels, k)
    return OpinionGroups(
        *ids,
        pca,
        positions,
        clustered,
        labels,
        k,
        None,
        clustering,
        gv,
        representative_statements(ids[1], ids[2], gv),
        bridging_statements(ids[1], ids[2], gv),
        group_aware_consensus(gv),
    )


def compute_groups(
    matrix: VoteMatrix, *, min_votes: int = MIN_VOTES, base_k: int = BASE_K, max_k: int = MAX_K
) -> OpinionGroups:
    """Full computation: PCA, sparsity-aware positions, two-level k-means, repness and consensus."""
    pca = fit_pca(matrix)
    positions = project(matrix, pca)
    n_columns = int(matrix.voted_statements.sum())
    clustered = in_conversation(matrix.votes_per_participant, n_columns, min_votes)
    clustering = cluster_positions(positions[clustered], base_k=base_k, max_k=max_k)
    return summarise(matrix, pca, positions, clustered, clustering)
