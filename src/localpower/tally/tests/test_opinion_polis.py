"""Conformance with Pol.is on real openData conversations (skipped when /work/shared/data/polis is absent).

We compare our groups with the ``group-id`` Pol.is itself gave each participant, by the adjusted Rand
index (ARI) over the participants Pol.is grouped, and our bridging consensus with the same definition
(majority agreed in every group) computed on Pol.is's own groups. The export carries no consensus list.

Figures (recorded 2026-11-23; the tests print them, run with ``-s``):

=====================  ==========  ============  ===========  ==================================
conversation           snapshot    replay        Pol.is k     consensus (Jaccard vs Pol.is groups)
=====================  ==========  ============  ===========  ==================================
15-per-hour-seattle    0.384 (k2)  0.884 (k2)    2            none either way (polarised)
brexit-consensus       0.247 (k5)  0.845 (k2)    2            snapshot 0.70, replay 1.00
london.youth.policing  0.573 (k2)  0.985 (k4)    3            snapshot 0.857, replay 0.5
=====================  ==========  ============  ===========  ==================================

*snapshot* is ``compute_groups`` on the final votes; *replay* feeds the votes in time order to a
``LiveConversation`` refreshed once per second of vote time (Pol.is's math worker polls about once a
second), starting each k-means from the previous run as Pol.is does (``clean-start-clusters``: each
group restarts at the mean of the base clusters it held, at their new positions) and holding the number
of groups until a new one wins 4 refreshes in a row (Pol.is's ``group-k-buffer``).

Why the snapshot misses the 0.8 target, and what we checked:

* Who is grouped matches exactly (Seattle 138, London 24): the rule "at least min(7, statements) votes,
  topped up to 15 by the most active, and never dropped once in" is Pol.is's. In Brexit a replay
  admits two more than a snapshot (191 against 189: people who qualified while there were few
  statements), but Pol.is grouped 6 more still, with 3 to 6 votes each, some of whom arrived a week in
  when all 50 statements existed; the published rule does not admit them, so that export was made with
  other settings or another version. They count in the ARI (as ungrouped on our side).
* Our map is Pol.is's: in Seattle one cut along our first component reproduces Pol.is's groups exactly
  (ARI 1.0), so imputation, centring, sparsity scaling and signs agree.
* The difference is history. Pol.is never clusters from scratch; each run starts from the last one, so
  it keeps a split it found early. Seattle's Pol.is split (99/39) is a local optimum of k-means on our
  positions (ARI 0.94 after k-means from Pol.is's centres) but not the best one; from scratch we find a
  73/65 split with a lower sum of squares. In Brexit the silhouettes for k = 2..5 are within 0.03 of
  each other and a snapshot picks 5, while Pol.is kept 2 (our snapshot at k=2: ARI 0.808).
  Replaying the history reproduces both: 0.884 and 0.845.
* London asks its participants demographic questions (statements 1-14: age group, gender, ethnicity).
  Pol.is marks those "meta" and leaves them out of the map like moderated-out statements
  (``conversation.clj``, ``mod-update``), but the export has no meta flag; with them in, ARI is 0.18.
  Excluding them, our clustering at Pol.is's k=3 matches exactly (ARI 1.0), but on the final votes
  from scratch the silhouette prefers k=2 (0.580 against 0.562), giving 0.573. (Pol.is's own
  from-scratch start, the first distinct points only, finds a worse k=2 split, silhouette 0.43, and so
  picks k=3; our snapshot keeps the lowest sum of squares of three starts, on purpose.) The replay
  gives 0.985: it ends with 4 groups, Pol.is's three with one of the two small ones split 2 + 1 (with
  refreshes every 2 to 10 seconds instead it ends with k=3 and ARI 0.963). Before the group warm start
  followed Pol.is's ``clean-start-clusters`` (we restarted from the last run's group centres, not from
  the groups' base clusters at their new positions), the replay drifted to k=2 and 0.573 too.
* What else we checked against ``conversation.clj`` and ``clusters.clj``, all the same as ours: the
  silhouette is over base clusters with distances between their centres (``bucket-dists``) and a plain
  mean, each base cluster counting once (``silhouette`` calls ``weighted-mean`` without weights); a
  base cluster alone in its group scores 0; the groups' k-means weights base clusters by size;
  ``max-k-fn`` is min(5, 2 + base clusters // 12); the ``group-k-smoother`` with buffer 4. Two small
  differences remain: Pol.is stops k-means when no centre moves 0.01 (at most 20 rounds for groups,
  since ``:cluster-iters`` is not a ``kmeans`` option), we when no label changes; and on an exact
  silhouette tie Pol.is's ``max-key`` takes the larger k, we the smaller.
"""

from pathlib import Path

import numpy as np
import pytest

from localpower.tally.opinion import adjusted_rand_index, compute_groups, read_conversation
from localpower.tally.opinion.consensus import bridging_statements
from localpower.tally.opinion.incremental import replay
from localpower.tally.opinion.polis_io import read_vote_events

DATA = Path("/work/shared/data/polis")
META = {"london.youth.policing": [str(i) for i in range(1, 15)]}  # demographic questions (see above)


def load(name):
    path = DATA / name
    if not (path / "votes.csv").exists():
        pytest.skip(f"{path} not available")
    conv = read_conversation(path, exclude=META.get(name, ()))
    m = conv.matrix
    polis = np.array(
        [conv.polis_groups.get(p) if conv.polis_groups.get(p) is not None else -1 for p in m.participants]
    )
    ids = sorted(set(polis[polis >= 0]))
    polis = np.array([ids.index(g) if g >= 0 else -1 for g in polis])
    return path, conv, polis, len(ids)


def ari(labels, polis):
    grouped = polis >= 0
    return adjusted_rand_index(np.asarray(labels)[grouped], polis[grouped])


def labels_of(result, participants):
    by_id = result.groups_by_participant()
    return np.array([by_id.get(p) if by_id.get(p) is not None else -1 for p in participants])


def jaccard(a, b):
    a, b = set(a), set(b)
    return 1.0 if a == b else len(a & b) / len(a | b)


def polis_consensus(m, polis, k):
    return bridging_statements(m.statements, m.hidden, m.group_votes(polis, k))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "min_replay", "min_consensus", "same_k"),
    [
        ("15-per-hour-seattle", 0.85, 1.0, True),
        ("brexit-consensus", 0.8, 0.95, True),
        # ends with 4 groups where Pol.is has 3: one of Pol.is's small groups is split 2 + 1
        ("london.youth.policing", 0.95, 0.5, False),
    ],
)
def test_replayed_history_matches_polis_groups(name, min_replay, min_consensus, same_k):
    path, conv, polis, k = load(name)
    m = conv.matrix
    snapshot = compute_groups(m)
    hidden = [s for s, h in zip(m.statements, m.hidden, strict=True) if h]
    live = replay(read_vote_events(path), m.statements, hidden, window=1000, fresh_starts=False, k_buffer=4)
    replayed = live.result()
    expected = polis_consensus(m, polis, k)
    figures = {
        "snapshot ARI": round(ari(snapshot.labels, polis), 3),
        "replay ARI": round(ari(labels_of(replayed, m.participants), polis), 3),
        "replay k": replayed.k,
        "consensus Jaccard (snapshot, replay)": (
            round(jaccard(snapshot.consensus, expected), 3),
            round(jaccard(replayed.consensus, expected), 3),
        ),
    }
    print(name, figures)
    assert replayed.k == k or not same_k
    assert figures["replay ARI"] >= min_replay
    assert figures["consensus Jaccard (snapshot, replay)"][1] >= min_consensus


def test_seattle_who_is_grouped_and_the_map_match_polis():
    _, conv, polis, _ = load("15-per-hour-seattle")
    result = compute_groups(conv.matrix)
    assert np.array_equal(result.clustered, polis >= 0)
    # one cut along our first component gives Pol.is's groups exactly
    x = result.positions[polis >= 0, 0]
    best = max(adjusted_rand_index(x > t, polis[polis >= 0]) for t in np.unique(x))
    assert best == 1.0


def test_brexit_at_polis_number_of_groups():
    _, conv, polis, k = load("brexit-consensus")
    result = compute_groups(conv.matrix)
    group_of_base, _ = result.clustering.by_k[k]
    labels = np.full(conv.matrix.n_participants, -1)
    labels[result.clustered] = group_of_base[result.clustering.base_labels]
    figure = ari(labels, polis)
    print("brexit-consensus snapshot ARI at k=2:", round(figure, 3))
    assert figure >= 0.8
    assert jaccard(result.consensus, polis_consensus(conv.matrix, polis, k)) >= 0.65


def test_london_with_meta_statements_left_out():
    _, conv, polis, k = load("london.youth.policing")
    result = compute_groups(conv.matrix)
    assert np.array_equal(result.clustered, polis >= 0)
    group_of_base, _ = result.clustering.by_k[k]
    labels = np.full(conv.matrix.n_participants, -1)
    labels[result.clustered] = group_of_base[result.clustering.base_labels]
    figures = {
        "ARI at Pol.is's k=3": round(ari(labels, polis), 3),
        "ARI at our k": (result.k, round(ari(result.labels, polis), 3)),
        "consensus Jaccard": round(jaccard(result.consensus, polis_consensus(conv.matrix, polis, k)), 3),
    }
    print("london.youth.policing", figures)
    assert figures["ARI at Pol.is's k=3"] == 1.0
    assert figures["ARI at our k"][1] >= 0.55
    assert figures["consensus Jaccard"] >= 0.8
    # with the demographic questions in the map the groups are unrelated to Pol.is's
    with_meta = compute_groups(read_conversation(DATA / "london.youth.policing").matrix)
    assert ari(with_meta.labels, polis) < 0.3
