"""Agreement between two groupings: the adjusted Rand index (Hubert and Arabie, 1985)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["adjusted_rand_index"]


def adjusted_rand_index(a: Sequence, b: Sequence) -> float:
    """1.0 for identical groupings (whatever the group numbers), about 0 for unrelated ones."""
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError("the two groupings must label the same items")
    n = len(a)
    if n < 2:
        return 1.0
    _, ai = np.unique(a, return_inverse=True)
    _, bi = np.unique(b, return_inverse=True)
    table = np.zeros((ai.max() + 1, bi.max() + 1), dtype=np.float64)
    np.add.at(table, (ai, bi), 1.0)

    def pairs(x):
        return (x * (x - 1) / 2).sum()

    index = pairs(table)
    rows, cols = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    expected = rows * cols / (n * (n - 1) / 2)
    maximum = (rows + cols) / 2
    if maximum == expected:  # both groupings put everything together (or everything apart)
        return 1.0
    return float((index - expected) / (maximum - expected))
