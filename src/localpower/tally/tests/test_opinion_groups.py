"""Opinion groups, representative statements and consensus on small synthetic conversations."""

import numpy as np
import pytest

from localpower.tally.opinion import VoteMatrix, adjusted_rand_index, compute_groups
from localpower.tally.opinion.clustering import in_conversation, kmeans, silhouette
from localpower.tally.opinion.pca import centred, column_means, fit_pca, project
from localpower.tally.opinion.synthetic import planted_conversation


@pytest.mark.parametrize("n_groups", [2, 3])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_planted_groups_are_recovered_exactly(n_groups, seed):
    matrix, truth = planted_conversation(
        30 * n_groups, 40, n_groups, votes_per_participant=(15, 40), agreement=0.95, seed=seed
    )
    result = compute_groups(matrix)
    assert result.k == n_groups
    assert adjusted_rand_index(result.labels, truth) == 1.0
    assert sorted(result.group_sizes()) == sorted(np.bincount(truth).tolist())


def test_same_input_gives_same_groups():
    matrix, _ = planted_conversation(90, 40, 3, votes_per_participant=(15, 40), seed=5)
    a, b = compute_groups(matrix), compute_groups(matrix)
    assert np.array_equal(a.labels, b.labels)
    assert np.array_equal(a.positions, b.positions)


def test_bridging_consensus_is_what_every_group_agrees_with():
    matrix, truth = planted_conversation(
        80, 30, 2, votes_per_participant=(20, 30), agreement=0.95, consensus_statements=4, seed=3
    )
    result = compute_groups(matrix)
    assert adjusted_rand_index(result.labels, truth) == 1.0
    # the planted consensus statements are all found, and nothing the groups split on is
    for s in ("s0", "s1", "s2", "s3"):
        assert s in result.consensus
    votes = matrix.votes
    for s in result.consensus:
        j = matrix.statements.index(s)
        for g in range(result.k):
            members = (result.labels == g) & matrix.seen[:, j]
            assert (votes[members, j] == 1).sum() * 2 > members.sum()
    # group-aware consensus ranks a planted consensus statement above every divisive one
    gac = result.group_aware_consensus
    divisive = [j for j in range(4, 30) if matrix.statements[j] not in result.consensus]
    assert gac[:4].min() > gac[divisive].max()


def test_representative_statements_are_those_the_group_stands_apart_on():
    # group A agrees with s0 and disagrees with s1, group B the reverse; s2 everyone agrees with
    rows = [[1, -1, 1, None]] * 12 + [[-1, 1, 1, 0]] * 10
    matrix = VoteMatrix.from_dense(rows)
    result = compute_groups(matrix, min_votes=3)
    assert result.k == 2
    big = 0 if result.group_sizes()[0] == 12 else 1
    reps = {(r.statement, r.direction) for r in result.representative[big]}
    assert ("0", "agree") in reps and ("1", "disagree") in reps
    assert all(r.statement != "2" for g in result.representative for r in g)  # shared view is not distinctive
    assert result.consensus == ["2"]
    first = result.representative[big][0]
    assert first.best_agree and first.direction == "agree"
    assert first.probability == pytest.approx((12 + 1) / (12 + 2))
    # Pol.is's tests, with +1 on every count: one-proportion z = 2 sqrt(n+1) ((na+1)/(n+1) - 1/2)
    assert first.probability_test == pytest.approx(2 * np.sqrt(13) * (13 / 13 - 0.5))
    # two-proportion z against the other group (0 of 10 agree), and the agree ratio
    p1, p2, pooled = 13 / 13, 1 / 11, 14 / 24
    z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1 / 13 + 1 / 11))
    assert first.ratio_test == pytest.approx(z)
    assert first.ratio == pytest.approx((13 / 14) / (1 / 12))


def test_everyone_agreeing_gives_no_groups_with_a_reason():
    matrix = VoteMatrix.from_dense([[1] * 8 for _ in range(20)])
    result = compute_groups(matrix)
    assert result.k == 0 and (result.labels == -1).all()
    assert "same position" in result.reason


def test_fewer_than_two_groupable_participants_gives_no_groups():
    result = compute_groups(VoteMatrix.from_dense([[1, -1, 1, 1, 1, -1, 1, 1]]))
    assert result.k == 0
    assert "only 1 participant" in result.reason
    empty = compute_groups(VoteMatrix.from_votes([], statements=["a", "b"]))
    assert empty.k == 0 and "nobody has voted" in empty.reason


def test_a_statement_nobody_voted_on_changes_nothing():
    matrix, truth = planted_conversation(60, 20, 2, votes_per_participant=(10, 20), seed=4)
    wider = VoteMatrix(
        matrix.participants,
        matrix.statements + ("unseen",),
        np.hstack([matrix.votes, np.zeros((60, 1), dtype=np.int8)]),
        np.hstack([matrix.seen, np.zeros((60, 1), dtype=bool)]),
    )
    a, b = compute_groups(matrix), compute_groups(wider)
    assert np.array_equal(a.labels, b.labels)
    assert np.allclose(a.positions, b.positions)
    assert b.pca.center[-1] == 0 and np.allclose(b.pca.comps[:, -1], 0)
    assert "unseen" not in b.consensus


def test_hidden_statements_take_no_part():
    matrix, truth = planted_conversation(60, 20, 2, votes_per_participant=(10, 20), seed=6)
    matrix.hidden[[0, 1]] = True
    result = compute_groups(matrix)
    assert np.allclose(result.pca.comps[:, [0, 1]], 0)
    assert not {"s0", "s1"} & set(result.consensus)
    assert all(r.statement not in ("s0", "s1") for g in result.representative for r in g)


def test_pca_matches_the_mean_imputed_matrix_and_projection_is_sparsity_aware():
    matrix, _ = planted_conversation(50, 12, 2, votes_per_participant=(4, 12), seed=7)
    means = column_means(matrix)
    dense = np.where(matrix.seen, matrix.votes, means[None, :])  # fill missing with the column mean
    _, _, vt = np.linalg.svd(dense - dense.mean(axis=0), full_matrices=False)
    pca = fit_pca(matrix)
    for c in range(2):
        assert abs(abs(pca.comps[c] @ vt[c]) - 1) < 1e-9
    positions = project(matrix, pca)
    i = int(np.argmin(matrix.votes_per_participant))
    plain = centred(matrix, means)[i] @ pca.comps.T
    assert np.allclose(positions[i], plain * np.sqrt(12 / matrix.votes_per_participant[i]))


def test_in_conversation_rule():
    counts = np.array([7, 6, 10, 0, 3] + [8] * 14)
    mask = in_conversation(counts, n_columns=40)
    assert mask[[0, 2]].all() and not mask[[1, 3, 4]].any()
    # with few statements, voting on all of them is enough
    assert in_conversation(np.array([3, 2] + [3] * 20), n_columns=3).tolist() == [True, False] + [True] * 20
    # fewer than 15 in: the most active others join, never someone who has not voted
    small = in_conversation(np.array([9, 1, 2, 0, 5]), n_columns=40)
    assert small.tolist() == [True, True, True, False, True]


def test_kmeans_and_silhouette():
    points = np.array([[0, 0], [0, 1], [10, 0], [10, 1]], dtype=float)
    labels, centres = kmeans(points, points[[0, 2]])
    assert adjusted_rand_index(labels, [0, 0, 1, 1]) == 1.0
    assert silhouette(points, labels) > 0.8
    assert silhouette(points, np.array([0, 1, 0, 1])) < 0
