"""The vote matrix, the openData reader and the adjusted Rand index."""

import numpy as np
import pytest

from localpower.tally.opinion import OpinionDataError, VoteMatrix, adjusted_rand_index, read_conversation

COMMENTS = "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"


def write(tmp_path, comments, votes, participants=None):
    (tmp_path / "comments.csv").write_text(COMMENTS + comments)
    (tmp_path / "votes.csv").write_text("timestamp,datetime,comment-id,voter-id,vote\n" + votes)
    if participants is not None:
        (tmp_path / "participants-votes.csv").write_text(participants)
    return tmp_path


def test_last_vote_counts_and_pass_differs_from_missing():
    m = VoteMatrix.from_votes([("a", "s1", 1), ("b", "s1", -1), ("a", "s1", -1), ("a", "s2", 0)])
    assert m.participants == ("a", "b") and m.statements == ("s1", "s2")
    assert m.votes.tolist() == [[-1, 0], [-1, 0]]
    assert m.seen.tolist() == [[True, True], [True, False]]
    assert m.votes_per_participant.tolist() == [2, 1]


def test_reader_orders_by_time_and_marks_hidden_statements(tmp_path):
    write(
        tmp_path,
        '1,x,0,9,1,0,1,"First, with a comma"\n2,x,1,9,0,0,-1,Hidden\n3,x,2,9,0,0,0,Nobody voted\n',
        # the later vote is listed first in the file: time order decides
        "200,x,0,5,-1\n100,x,0,5,1\n150,x,1,6,0\n",
        "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n5,0,0,1,0,1,-1,\n6,,0,1,0,0,,0\n",
    )
    conv = read_conversation(tmp_path)
    m = conv.matrix
    assert m.statements == ("0", "1", "2")
    assert m.hidden.tolist() == [False, True, False]
    assert m.votes[m.participants.index("5"), 0] == -1
    assert not m.seen[:, 2].any()
    assert conv.comments["0"].body == "First, with a comma"
    assert conv.polis_groups == {"5": 0, "6": None}


@pytest.mark.parametrize(
    ("comments", "votes", "message"),
    [
        ("1,x,0,9,1,0,1,A\n", "100,x,0,5,2\n", "votes.csv line 2: vote '2' is not 1"),
        ("1,x,0,9,1,0,1,A\n", "100,x,0,5,1\n100,x,0,6,yes\n", "votes.csv line 3: vote 'yes'"),
        ("1,x,0,9,1,0,7,A\n", "100,x,0,5,1\n", "comments.csv line 2: moderated is '7'"),
        ("1,x,0,9,1,0,1,A\n", "100,x,0,,1\n", "line 2: empty voter-id"),
        ("1,x,0,9,1,0,1,A\n1,x,0,9,1,0,1,A\n", "100,x,0,5,1\n", "comment 0 is listed twice"),
    ],
)
def test_bad_values_are_reported_with_line_numbers(tmp_path, comments, votes, message):
    write(tmp_path, comments, votes)
    with pytest.raises(OpinionDataError, match=message):
        read_conversation(tmp_path)


def test_missing_files_and_columns(tmp_path):
    with pytest.raises(OpinionDataError, match="not a directory"):
        read_conversation(tmp_path / "nope")
    (tmp_path / "comments.csv").write_text(COMMENTS)
    with pytest.raises(OpinionDataError, match="votes.csv: file not found"):
        read_conversation(tmp_path)
    (tmp_path / "votes.csv").write_text("timestamp,comment-id,vote\n1,0,1\n")
    with pytest.raises(OpinionDataError, match="missing column voter-id"):
        read_conversation(tmp_path)
    (tmp_path / "votes.csv").write_text("")
    with pytest.raises(OpinionDataError, match="empty"):
        read_conversation(tmp_path)


def test_from_dense_rejects_bad_votes():
    with pytest.raises(OpinionDataError):
        VoteMatrix.from_dense([[2, None]])


def test_adjusted_rand_index():
    assert adjusted_rand_index([0, 0, 1, 1], [5, 5, 3, 3]) == 1.0
    assert adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(-0.5)
    # a textbook value: Hubert and Arabie's formula by hand
    a = [0, 0, 0, 1, 1, 1]
    b = [0, 0, 1, 1, 2, 2]
    # contingency [[2,1,0],[0,1,2]]: index 2, rows 6, cols 3, pairs 15 -> (2 - 1.2) / (4.5 - 1.2)
    assert adjusted_rand_index(a, b) == pytest.approx((2 - 6 * 3 / 15) / (4.5 - 6 * 3 / 15))
    rng = np.random.default_rng(0)
    x, y = rng.integers(0, 3, 3000), rng.integers(0, 3, 3000)
    assert abs(adjusted_rand_index(x, y)) < 0.01
