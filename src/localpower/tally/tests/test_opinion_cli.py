"""``localpower-tally groups DIR``."""

import io
import json

import numpy as np

from localpower.tally.cli import main
from localpower.tally.opinion import adjusted_rand_index
from localpower.tally.opinion.synthetic import planted_conversation


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def export(tmp_path, matrix, bodies=None, hidden=()):
    """Write a matrix in the Pol.is openData layout."""
    lines = ["timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body"]
    for j, s in enumerate(matrix.statements):
        body = (bodies or {}).get(s, f"Statement {s}")
        lines.append(f'{j},x,{s},0,0,0,{-1 if s in hidden else 1},"{body}"')
    (tmp_path / "comments.csv").write_text("\n".join(lines) + "\n")
    rows, cols = np.nonzero(matrix.seen)
    votes = ["timestamp,datetime,comment-id,voter-id,vote"]
    for t, (i, j) in enumerate(zip(rows, cols, strict=True)):
        votes.append(f"{t},x,{matrix.statements[j]},{matrix.participants[i]},{matrix.votes[i, j]}")
    (tmp_path / "votes.csv").write_text("\n".join(votes) + "\n")
    return tmp_path


def test_json_output_gives_every_participant_a_group_or_null(tmp_path):
    matrix, truth = planted_conversation(
        60, 20, 2, votes_per_participant=(10, 20), agreement=0.95, consensus_statements=2, seed=1
    )
    matrix.seen[0] = False  # p0 never votes: not in the export at all
    matrix.votes[0] = 0
    matrix.seen[1] = False
    matrix.seen[1, :2] = True  # p1 votes on two statements only: not placed in a group
    matrix.votes[1] = np.where(matrix.seen[1], matrix.votes[1], 0)
    status, out, err = run("groups", str(export(tmp_path, matrix)), "--format", "json")
    assert status == 0, err
    data = json.loads(out)
    assert set(data) == {"groups", "consensus"}
    groups = data["groups"]
    assert "p0" not in groups and groups["p1"] is None
    placed = {p: g for p, g in groups.items() if g is not None}
    assert len(placed) == 58 and set(placed.values()) == {0, 1}
    # same group exactly when the planted group is the same
    for p, g in placed.items():
        for q, h in placed.items():
            assert (g == h) == (truth[int(p[1:])] == truth[int(q[1:])])
    assert {"s0", "s1"} <= set(data["consensus"])


def test_readable_summary(tmp_path):
    matrix, _ = planted_conversation(
        40, 10, 2, votes_per_participant=(8, 10), agreement=0.95, consensus_statements=1, seed=2
    )
    status, out, err = run("groups", str(export(tmp_path, matrix, {"s0": "Parks matter"}, hidden=("s9",))))
    assert status == 0, err
    assert "40 participants" in out and "(1 left out: hidden by the moderator" in out
    assert "Group 0: 20 participants" in out and "Group 1: 20 participants" in out
    assert "Consensus" in out and "Parks matter" in out


def test_history_replays_votes_in_time_order(tmp_path):
    matrix, truth = planted_conversation(
        60, 20, 2, votes_per_participant=(10, 20), agreement=0.95, consensus_statements=2, seed=5
    )
    directory = export(tmp_path, matrix)
    status, out, err = run("groups", str(directory), "--history", "--format", "json")
    assert status == 0, err
    replayed = json.loads(out)
    status, out, err = run("groups", str(directory), "--format", "json")
    snapshot = json.loads(out)
    ids = sorted(snapshot["groups"])
    assert adjusted_rand_index([replayed["groups"][p] for p in ids], [truth[int(p[1:])] for p in ids]) == 1.0
    assert set(replayed["consensus"]) == set(snapshot["consensus"])


def test_exclude_leaves_statements_out(tmp_path):
    matrix, _ = planted_conversation(40, 10, 2, votes_per_participant=(8, 10), agreement=0.95, seed=6)
    directory = export(tmp_path, matrix)
    status, out, _ = run("groups", str(directory), "--exclude", "s0,s1", "--format", "json")
    assert status == 0 and not {"s0", "s1"} & set(json.loads(out)["consensus"])
    status, _, err = run("groups", str(directory), "--exclude", "s99")
    assert status == 1 and "cannot exclude statement s99" in err


def test_no_groups_is_explained(tmp_path):
    matrix, _ = planted_conversation(
        20, 8, 1, votes_per_participant=(8, 8), agreement=1.0, pass_rate=0, seed=3
    )
    status, out, _ = run("groups", str(export(tmp_path, matrix)))
    assert status == 0
    assert "No opinion groups" in out


def test_bad_input_gets_a_message_not_a_traceback(tmp_path):
    status, _, err = run("groups", str(tmp_path / "missing"))
    assert status == 1 and "not a directory" in err
    (tmp_path / "comments.csv").write_text("comment-id,moderated\n0,1\n")
    status, _, err = run("groups", str(tmp_path))
    assert status == 1 and "votes.csv: file not found" in err
    (tmp_path / "votes.csv").write_text("timestamp,comment-id,voter-id\n1,0,5\n")
    status, _, err = run("groups", str(tmp_path))
    assert status == 1 and "missing column vote" in err
    (tmp_path / "votes.csv").write_text("timestamp,comment-id,voter-id,vote\n1,0,5,1\n2,0,6,agree\n")
    status, _, err = run("groups", str(tmp_path), "--format", "json")
    assert status == 1 and "votes.csv line 3: vote 'agree'" in err
    assert "Traceback" not in err
