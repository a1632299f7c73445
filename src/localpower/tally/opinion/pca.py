"""Principal components of a sparse vote matrix, handled as Pol.is handles it.

Pol.is (``math/src/polismath/math/pca.clj`` and ``conversation.clj``) fills each missing vote with the
mean of the votes cast on that statement, centres every column on that mean, and finds the first two
principal components by power iteration. Statements the moderator hid are zeroed out, so they carry no
variance. A participant's position is then the projection of their *own* votes only (missing votes add
nothing), stretched by ``sqrt(statements / votes cast)`` so that someone who voted on few statements is not
pulled towards the centre just for being quiet.

After mean imputation the centred matrix is ``Z = seen * (votes - mean)``: a missing vote becomes exactly 0.
We use that directly. We take the leading eigenvectors of ``Z.T @ Z`` (a small statements x statements matrix) by
block power iteration from a fixed start, run to convergence (Pol.is runs 100 rounds of single-vector
power iteration from a random start, which converges to the same vectors when they are well separated). Each component's sign is fixed so that its largest
entry (by size) is positive, or, when a previous result is given, so that it points the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from localpower.tally.opinion.matrix import VoteMatrix

__all__ = ["PCA", "column_means", "centred", "fit_pca", "leading_eigenvectors", "orient", "project"]


SMALL = 16  # LAPACK's eigen-solver spends more on threading than on work for small matrices


@dataclass
class PCA:
    center: np.ndarray  # (m,) column means of the votes cast (0 for an empty or hidden column)
    comps: np.ndarray  # (k, m) orthonormal principal directions
    variances: np.ndarray  # (k,) eigenvalues of Z.T @ Z


def column_means(matrix: VoteMatrix) -> np.ndarray:
    """Mean vote per statement over the participants who voted on it; 0 where nobody did or it is hidden."""
    counts = matrix.seen.sum(axis=0)
    sums = matrix.votes.sum(axis=0, dtype=np.float64)
    means = np.divide(sums, counts, out=np.zeros(matrix.n_statements), where=counts > 0)
    means[matrix.hidden] = 0.0
    return means


def centred(matrix: VoteMatrix, means: np.ndarray, dtype=np.float64) -> np.ndarray:
    """``seen * (votes - mean)``, with hidden statements zeroed out."""
    z = matrix.votes.astype(dtype)
    z -= means.astype(dtype)
    z *= matrix.seen
    z[:, matrix.hidden] = 0
    return z


def orient(comps: np.ndarray, reference: np.ndarray | None = None) -> np.ndarray:
    """Fix the arbitrary sign of each component (see the module notes)."""
    comps = comps.copy()
    for c in range(comps.shape[0]):
        if reference is not None and c < reference.shape[0] and reference.shape[1] == comps.shape[1]:
            flip = float(comps[c] @ reference[c]) < 0
        else:
            big = int(np.argmax(np.abs(comps[c]))) if comps.shape[1] else 0
            flip = comps.shape[1] > 0 and comps[c, big] < 0
        if flip:
            comps[c] = -comps[c]
    return comps


def leading_eigenvectors(
    cov: np.ndarray,
    k: int,
    start: np.ndarray | None = None,
    *,
    block: int = 8,
    max_iter: int = 300,
    tolerance: float = 1e-10,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ``k`` leading eigenvectors (rows) and eigenvalues of a symmetric matrix, largest first, and
    the ``block`` basis they came from (columns), to warm-start the next call.

    Orthogonal (block power) iteration: ``block`` vectors, from ``start`` or from a fixed pseudo-random
    start, with a Rayleigh-Ritz step each round; it stops when the ``k`` leading Ritz pairs have
    residuals below ``tolerance`` times the largest eigenvalue. Carrying more vectors than needed makes it
    converge at the rate of the gap after the block, not the (possibly tiny) gap between the components.
    Uses a direct eigen-decomposition instead when the matrix is small (``SMALL`` statements or fewer)
    or the iteration does not settle.
    """
    m = cov.shape[0]
    width = min(m, max(block, k))
    if m <= max(2 * width, SMALL):  # a direct eigen-decomposition is cheaper for small matrices
        return _exact(cov, k, width)
    if start is None or start.shape != (m, width):
        start = np.random.default_rng(0).standard_normal((m, width))
    x, _ = np.linalg.qr(start)
    for _ in range(max_iter):
        cx = cov @ x  # the one product with the big matrix per round
        values, rot = np.linalg.eigh(x.T @ cx)  # Rayleigh-Ritz within the block
        order = np.argsort(values)[::-1]
        values, rot = values[order], rot[:, order]
        ritz = x @ rot
        residual = np.linalg.norm(cx @ rot[:, :k] - ritz[:, :k] * values[:k], axis=0)
        if values[0] <= 0 or residual.max() <= tolerance * values[0]:
            return _finish(ritz[:, :k].T, values[:k], k, m), ritz
        x, _ = np.linalg.qr(cx @ rot)
    return _exact(cov, k, width)


def _finish(comps: np.ndarray, values: np.ndarray, k: int, m: int):
    vals = np.clip(values, 0.0, None)
    if comps.shape[0] < k:  # fewer statements than components
        comps = np.vstack([comps, np.zeros((k - comps.shape[0], m))])
        vals = np.concatenate([vals, np.zeros(k - vals.shape[0])])
    return comps, vals


def _exact(cov: np.ndarray, k: int, width: int):
    m = cov.shape[0]
    if m == 0:
        return (np.zeros((k, 0)), np.zeros(k)), np.zeros((0, 0))
    values, vectors = np.linalg.eigh(cov)
    order = np.argsort(values)[::-1]
    basis = vectors[:, order[:width]]
    return _finish(basis[:, :k].T, values[order[:k]], k, m), basis


def fit_pca(matrix: VoteMatrix, n_comps: int = 2, reference: np.ndarray | None = None) -> PCA:
    """Principal components of the mean-imputed, centred vote matrix (all participants)."""
    means = column_means(matrix)
    z = centred(matrix, means)
    (comps, values), _ = leading_eigenvectors(z.T @ z, n_comps)
    return PCA(means, orient(comps, reference), values)


def project(matrix: VoteMatrix, pca: PCA, z: np.ndarray | None = None) -> np.ndarray:
    """Pol.is's sparsity-aware projection of every participant, shape (n, k).

    Pol.is counts the columns of its rating matrix (statements with at least one vote) and, because a
    hidden statement's column is set to 0 for everybody, counts a hidden statement as voted on by all.
    """
    if z is None:
        z = centred(matrix, pca.center)
    raw = z @ pca.comps.T
    voted = matrix.voted_statements
    n_columns = int(voted.sum())
    hidden_columns = int((voted & matrix.hidden).sum())
    n_votes = (matrix.seen & ~matrix.hidden).sum(axis=1) + hidden_columns
    scale = np.sqrt(n_columns / np.maximum(n_votes, 1))
    return raw * scale[:, None]
