"""Benchmark: opinion groups for a large synthetic conversation, full and incremental.

    .venv/bin/python bench/bench_opinion.py [--participants 10000] [--statements 1000] [--groups 4]

Prints the time and peak memory (tracemalloc, which sees numpy's allocations) of a full computation, and
the time of a refresh after one new vote in a live conversation against a full recompute.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np

from localpower.tally.opinion import adjusted_rand_index, compute_groups
from localpower.tally.opinion.incremental import LiveConversation
from localpower.tally.opinion.synthetic import planted_conversation


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--statements", type=int, default=1_000)
    parser.add_argument("--groups", type=int, default=3)
    parser.add_argument("--updates", type=int, default=20, help="single-vote updates to average over")
    args = parser.parse_args()

    (matrix, truth), t_make = timed(
        planted_conversation,
        args.participants,
        args.statements,
        args.groups,
        votes_per_participant=(20, 100),
        agreement=0.85,
        consensus_statements=10,
        seed=1,
    )
    n_votes = int(matrix.seen.sum())
    print(
        f"conversation: {args.participants:,} participants x {args.statements:,} statements, "
        f"{n_votes:,} votes ({n_votes / matrix.seen.size:.1%} filled), {args.groups} planted groups "
        f"(made in {t_make:.1f} s)"
    )

    tracemalloc.start()
    result, t_full = timed(compute_groups, matrix)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"full computation:          {t_full:8.3f} s   peak memory {peak / 2**20:7.1f} MiB   "
        f"groups {result.k}, ARI vs planted {adjusted_rand_index(result.labels, truth):.3f}, "
        f"{len(result.consensus)} consensus statements"
    )

    tracemalloc.start()
    live, t_load = timed(LiveConversation.from_matrix, matrix)
    first, t_first = timed(live.result)
    _, live_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"live: load {t_load:.3f} s, first result (full) {t_first:.3f} s, peak memory {live_peak / 2**20:.1f} MiB "
        "(vote arrays kept with room to grow)"
    )

    rng = np.random.default_rng(7)
    update_times, vote_times = [], []
    for _ in range(args.updates):
        i = int(rng.integers(matrix.n_participants))
        j = int(rng.integers(matrix.n_statements))
        vote = int(rng.choice([-1, 0, 1]))
        _, t_vote = timed(live.add_vote, matrix.participants[i], matrix.statements[j], vote)
        latest, t_update = timed(live.result)
        vote_times.append(t_vote)
        update_times.append(t_update)
    t_vote, t_update = float(np.median(vote_times)), float(np.median(update_times))
    recomputed, t_recompute = timed(live.recompute)
    snapshot, t_snapshot = timed(compute_groups, live.to_matrix())
    agree = adjusted_rand_index(latest.labels, snapshot.labels)
    print(f"one new vote: record {t_vote * 1e3:8.3f} ms (running sums)")
    print(f"one new vote: refresh    {t_update:8.3f} s   (median of {args.updates}; warm-started)")
    print(
        f"full recompute (live):   {t_recompute:8.3f} s   -> refresh is {t_recompute / t_update:5.1f}x faster"
    )
    print(
        f"full computation (fresh): {t_snapshot:7.3f} s   -> refresh is {t_snapshot / t_update:5.1f}x faster"
    )
    print(
        f"incremental vs fresh: ARI {agree:.3f}; full recomputes so far {live.full_recomputes} "
        f"of {live.refreshes} refreshes"
    )


if __name__ == "__main__":
    main()
