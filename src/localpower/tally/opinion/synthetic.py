"""Synthetic conversations with planted opinion groups, for tests and benchmarks."""

from __future__ import annotations

import numpy as np

from localpower.tally.opinion.matrix import VoteMatrix

__all__ = ["planted_conversation"]


def planted_conversation(
    n_participants: int,
    n_statements: int,
    n_groups: int,
    *,
    votes_per_participant: tuple[int, int] = (20, 100),
    agreement: float = 0.9,
    pass_rate: float = 0.05,
    consensus_statements: int = 0,
    seed: int = 0,
) -> tuple[VoteMatrix, np.ndarray]:
    """A conversation where each participant belongs to one of ``n_groups`` groups.

    Every group has its own stance (+1 or -1) on each statement; a member votes their group's stance with
    probability ``agreement``, the opposite otherwise, and passes now and then. The first
    ``consensus_statements`` statements are agreed by every group. Each participant votes on a random
    number of statements in ``votes_per_participant`` (inclusive). Returns (matrix, true group per participant).
    """
    rng = np.random.default_rng(seed)
    truth = np.arange(n_participants) % n_groups
    rng.shuffle(truth)
    stance = rng.choice(np.array([-1, 1], dtype=np.int8), size=(n_groups, n_statements))
    stance[:, :consensus_statements] = 1
    low, high = votes_per_participant
    high = min(high, n_statements)
    low = min(low, high)
    votes = np.zeros((n_participants, n_statements), dtype=np.int8)
    seen = np.zeros((n_participants, n_statements), dtype=bool)
    counts = rng.integers(low, high + 1, size=n_participants)
    for i in range(n_participants):
        cols = rng.choice(n_statements, size=counts[i], replace=False)
        v = stance[truth[i], cols].copy()
        flip = rng.random(len(cols)) > agreement
        v[flip] = -v[flip]
        v[rng.random(len(cols)) < pass_rate] = 0
        votes[i, cols] = v
        seen[i, cols] = True
    matrix = VoteMatrix(
        tuple(f"p{i}" for i in range(n_participants)),
        tuple(f"s{j}" for j in range(n_statements)),
        votes,
        seen,
    )
    return matrix, truth
