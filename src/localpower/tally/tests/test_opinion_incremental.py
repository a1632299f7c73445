"""The live conversation absorbs votes one at a time and agrees with a full recompute."""

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from localpower.tally.opinion import OpinionDataError, adjusted_rand_index, compute_groups
from localpower.tally.opinion.incremental import LiveConversation, replay, warm_group_start
from localpower.tally.opinion.pca import centred, column_means
from localpower.tally.opinion.synthetic import planted_conversation


def events_of(matrix, seed=0):
    """The matrix's votes as events in a random order."""
    rows, cols = np.nonzero(matrix.seen)
    order = np.random.default_rng(seed).permutation(len(rows))
    return [
        (matrix.participants[i], matrix.statements[j], int(matrix.votes[i, j]))
        for i, j in zip(rows[order], cols[order], strict=True)
    ]


def same_axes(a, b, tol):
    """Components equal up to sign."""
    return all(abs(abs(float(a[c] @ b[c])) - 1) < tol for c in range(a.shape[0]))


@pytest.mark.parametrize("n_groups", [2, 3])
def test_vote_by_vote_matches_full_recompute(n_groups):
    matrix, truth = planted_conversation(
        30 * n_groups,
        30,
        n_groups,
        votes_per_participant=(12, 30),
        agreement=0.95,
        consensus_statements=3,
        seed=11,
    )
    live = LiveConversation(matrix.statements)
    events = events_of(matrix)
    for step, event in enumerate(events):
        live.add_vote(*event)
        if step % 97 == 0:
            live.result()  # page views along the way warm-start the next refresh
    got = live.result()
    full = compute_groups(live.to_matrix())
    assert got.participants == full.participants
    assert same_axes(got.pca.comps, full.pca.comps, 1e-9)
    sign = np.sign(np.sum(got.pca.comps * full.pca.comps, axis=1))
    assert np.allclose(got.positions, full.positions * sign, atol=1e-5)
    assert adjusted_rand_index(got.labels, full.labels) == 1.0
    assert adjusted_rand_index(got.labels, [truth[int(p[1:])] for p in got.participants]) == 1.0
    assert got.consensus == full.consensus
    assert live.full_recomputes < 10  # most refreshes were warm starts


def test_running_sums_are_exact():
    matrix, _ = planted_conversation(40, 15, 2, votes_per_participant=(5, 15), seed=2)
    live = LiveConversation()
    live.add_votes(events_of(matrix, seed=3))
    # change some votes (the last vote counts) and come back to others
    live.add_vote("p0", "s0", 0)
    live.add_vote("p1", "s3", -1)
    live.add_vote("p1", "s3", 1)
    m = len(live.statements)
    kept = [x[:m, :m].copy() for x in (live._P, live._Q, live._N)]
    live._rebuild_sums()
    for before, after in zip(kept, (live._P, live._Q, live._N), strict=True):
        assert np.array_equal(before, after[:m, :m])
    again = live.to_matrix()
    i, j = again.participants.index("p1"), again.statements.index("s3")
    assert again.votes[i, j] == 1


def test_a_new_vote_after_a_result_updates_it():
    matrix, truth = planted_conversation(60, 20, 2, votes_per_participant=(10, 20), agreement=0.95, seed=8)
    live = LiveConversation.from_matrix(matrix)
    first = live.result()
    assert live.result() is first  # no new votes: nothing recomputed
    live.add_vote("newcomer", "s0", 1)
    second = live.result()
    assert second is not first and "newcomer" in second.participants
    full = compute_groups(live.to_matrix())
    assert same_axes(second.pca.comps, full.pca.comps, 1e-9)
    assert adjusted_rand_index(second.labels, full.labels) == 1.0


def test_new_statements_and_hiding():
    matrix, _ = planted_conversation(60, 20, 2, votes_per_participant=(10, 20), agreement=0.95, seed=9)
    live = LiveConversation.from_matrix(matrix)
    live.result()
    live.add_votes([(p, "late", 1) for p in matrix.participants[:30]])
    live.set_hidden("s1")
    got = live.result()
    full = compute_groups(live.to_matrix())
    assert live.to_matrix().hidden[matrix.statements.index("s1")]
    assert same_axes(got.pca.comps, full.pca.comps, 1e-9)
    assert adjusted_rand_index(got.labels, full.labels) == 1.0
    assert "s1" not in got.consensus


def test_state_survives_pickling_between_requests():
    """A web app keeps the live state between page views, e.g. pickled in a cache."""
    matrix, _ = planted_conversation(60, 20, 2, votes_per_participant=(10, 20), agreement=0.95, seed=10)
    live = LiveConversation.from_matrix(matrix)
    before = live.result()
    restored = pickle.loads(pickle.dumps(live))
    assert restored.result().consensus == before.consensus
    restored.add_vote("p1", "s2", -1)
    live.add_vote("p1", "s2", -1)
    a, b = restored.result(), live.result()
    assert np.array_equal(a.labels, b.labels) and np.allclose(a.positions, b.positions)


def test_bad_vote_is_refused():
    with pytest.raises(OpinionDataError, match="not 1"):
        LiveConversation().add_vote("a", "b", 3)


def test_k_buffer_holds_the_number_of_groups():
    live = LiveConversation(k_buffer=3)
    by_k = {2: None, 3: None}
    assert live._smooth(2, by_k) == 2
    assert live._smooth(3, by_k) == 2
    assert live._smooth(3, by_k) == 2
    assert live._smooth(3, by_k) == 3


def test_replay_refreshes_once_per_window():
    matrix, truth = planted_conversation(60, 20, 2, votes_per_participant=(10, 20), agreement=0.95, seed=12)
    events = [(t * 400, p, s, v) for t, (p, s, v) in enumerate(events_of(matrix, seed=4))]
    live = replay(events, matrix.statements, window=1000)
    # 400 ms apart: 2 or 3 votes per second, one refresh at the end of each second that had votes
    assert live.refreshes == (events[-1][0] // 1000)
    got = live.result()
    assert adjusted_rand_index(got.labels, compute_groups(live.to_matrix()).labels) == 1.0
    assert adjusted_rand_index(got.labels, [truth[int(p[1:])] for p in got.participants]) > 0.8
    # the last vote of a participant on a statement counts, whatever came before
    again = replay([(0, "a", "s", 1), (5, "a", "s", -1)], window=1000).to_matrix()
    assert again.votes.tolist() == [[-1]]


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_any_vote_sequence_matches_a_full_recompute(data):
    """Random small conversations, votes in any order with changes of mind, hiding and showing, and a
    page view now and then: the live state always equals the one computed from scratch."""
    n = data.draw(st.integers(2, 12))
    m = data.draw(st.integers(1, 7))
    vote = st.tuples(st.integers(0, n - 1), st.integers(0, m - 1), st.sampled_from([-1, 0, 1]))
    steps = data.draw(
        st.lists(st.one_of(vote, vote, vote, vote, st.just("view"), st.integers(0, m - 1)), max_size=80)
    )
    live = LiveConversation([f"s{j}" for j in range(m)], min_votes=2)
    for step in steps:
        if step == "view":
            live.result()
        elif isinstance(step, int):  # toggle a statement's hidden flag
            j = f"s{step}"
            live.set_hidden(j, not live.hidden[step])
        else:
            i, j, v = step
            live.add_vote(f"p{i}", f"s{j}", v)
    if not live.participants:
        return
    got = live.result()
    matrix = live.to_matrix()
    full = compute_groups(matrix, min_votes=2)
    mm = len(live.statements)
    kept = [x[:mm, :mm].copy() for x in (live._P, live._Q, live._N)]
    visible = live._n_visible[: len(live.participants)].copy()
    live._rebuild_sums()
    for before, after in zip(kept, (live._P, live._Q, live._N), strict=True):
        assert np.array_equal(before, after[:mm, :mm])
    assert np.array_equal(visible, live._n_visible[: len(live.participants)])
    assert np.allclose(got.pca.center, full.pca.center)
    # the covariance formed from the running sums is that of the mean-imputed, centred matrix
    z = centred(matrix, column_means(matrix))
    assert np.allclose(live._covariance(column_means(matrix)), z.T @ z)
    # components agree up to sign wherever their eigenvalue is clearly apart from every other one
    values = np.sort(np.linalg.eigvalsh(z.T @ z))[::-1]
    scale = max(values[0], 1.0)
    for c in range(min(2, len(values))):
        others = np.delete(values, c)
        if values[c] > 1e-6 * scale and (len(others) == 0 or np.abs(others - values[c]).min() > 1e-3 * scale):
            assert abs(abs(float(got.pca.comps[c] @ full.pca.comps[c])) - 1) < 1e-6


def test_groups_restart_from_the_base_clusters_they_held_as_polis_does():
    # base clusters 10, 11 were group 0 and 12 group 1; 13 is new; 14 was in a group no longer present
    centres = np.array([[0.0, 0.0], [2.0, 0.0], [10.0, 0.0], [10.0, 8.0]])
    sizes = np.array([3.0, 1.0, 2.0, 1.0])
    ids = np.array([10, 11, 12, 13])
    members = {10: 0, 11: 0, 12: 1, 14: 1}
    start = warm_group_start(centres, sizes, ids, members, 2)
    # each group restarts at its base clusters' new centres, weighted by size; the new one is in none
    assert np.allclose(start, [[0.5, 0.0], [10.0, 0.0]])
    # asked for a third group, the base cluster farthest from every group centre starts it
    start = warm_group_start(centres, sizes, ids, members, 3)
    assert np.allclose(start, [[0.5, 0.0], [10.0, 0.0], [10.0, 8.0]])
    # nothing to restart from when none of the base clusters was in a group
    assert warm_group_start(centres, sizes, ids, {99: 0}, 2) is None
