"""Reading and writing Pabulib files: strict errors with line numbers, and lossless round trips."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from localpower.tally.model import BallotKind, Election, Profile, Project, TallyError
from localpower.tally.pabulib import PabulibError, read_pabulib, write_pabulib
from localpower.tally.tests.oracle import elections_with_profiles

APPROVAL = '''\
META
key;value
description;Test ward
num_projects;3
num_votes;3
budget;100
vote_type;approval
PROJECTS
project_id;cost;name;category;selected
1;50;Park;green,sport;1
2;30;"Play; area ""north""";children;0
10;40;Bench;;1
VOTES
voter_id;vote;age
a;1,2;34
b;10;
c;2,10,1;71
'''

CUMULATIVE = """\
META
key;value
num_projects;2
num_votes;2
budget;10
vote_type;cumulative
max_points;3
max_sum_points;4
PROJECTS
project_id;cost
p;5
q;6
VOTES
voter_id;vote;points
1;p,q;3,1
2;q;2
"""


def lines_of(text: str) -> list[str]:
    return text.splitlines()


def edit(text: str, line: int, new: str | None) -> str:
    """Replace (or with None, delete) the 1-based line."""
    lines = lines_of(text)
    if new is None:
        del lines[line - 1]
    else:
        lines[line - 1] = new
    return "\n".join(lines) + "\n"


def insert(text: str, after: int, new: str) -> str:
    lines = lines_of(text)
    lines.insert(after, new)
    return "\n".join(lines) + "\n"


def error_of(text: str, **kwargs) -> PabulibError:
    with pytest.raises(PabulibError) as info:
        read_pabulib(text, **kwargs)
    return info.value


# ---------------------------------------------------------------------------------------------- reading
def test_reads_projects_budget_and_meta_in_file_order():
    election, profile = read_pabulib(APPROVAL)
    assert [p.id for p in election.projects] == ["1", "2", "10"]
    assert election.budget == Fraction(100)
    assert list(election.meta) == ["description", "num_projects", "num_votes", "budget", "vote_type"]
    assert election.projects[1].name == 'Play; area "north"'
    assert election.projects[0].categories == ("green", "sport")
    assert election.projects[2].categories == ()
    assert election.projects[0].fields == {"selected": "1"}
    assert election.project_columns == ("project_id", "cost", "name", "category", "selected")
    assert profile.kind is BallotKind.APPROVAL


def test_approval_ballots_are_collapsed_with_voter_order_kept():
    text = APPROVAL.replace("b;10;", "b;2,1;").replace("c;2,10,1;71", "c;1,2;71")
    _, profile = read_pabulib(text)
    assert profile.n_unique == 1
    assert profile.weights.tolist() == [3]
    assert profile.voter_ids == ("a", "b", "c")
    assert profile.voter_fields == {"age": ["34", "", "71"]}
    assert profile.ballots.dtype == np.bool_
    assert profile.ballots[0].tolist() == [True, True, False]


def test_cumulative_points_become_an_integer_matrix():
    _, profile = read_pabulib(CUMULATIVE)
    assert profile.kind is BallotKind.CUMULATIVE
    assert profile.per_voter_ballots().tolist() == [[3, 1], [0, 2]]
    assert profile.points_per_project.tolist() == [3, 3]
    assert profile.approvals_per_project.tolist() == [1, 2]
    assert (profile.max_points, profile.max_sum_points) == (3, 4)


def test_ordinal_ranks_keep_the_order_and_points_stay_a_voter_column():
    text = (
        "META\nkey;value\nbudget;10\nvote_type;ordinal\nPROJECTS\nproject_id;cost\nx;1\ny;2\nz;3\n"
        "VOTES\nvoter_id;vote;points\n1;z,x;2,1\n2;x,y,z;3,2,1\n"
    )
    _, profile = read_pabulib(text)
    assert profile.kind is BallotKind.ORDINAL
    assert profile.per_voter_ballots().tolist() == [[2, 0, 1], [1, 2, 3]]
    assert profile.voter_projects(0) == [2, 0]
    assert profile.voter_fields == {"points": ["2,1", "3,2,1"]}


def test_choose_one_is_approval_with_at_most_one_project():
    text = APPROVAL.replace("vote_type;approval", "vote_type;choose-1")
    error = error_of(text)
    assert error.line == 15 and "more than max_length 1" in error.message
    one = text.replace("a;1,2;34", "a;1;34").replace("c;2,10,1;71", "c;2;71")
    election, profile = read_pabulib(one)
    assert profile.kind is BallotKind.APPROVAL and profile.max_length == 1
    assert election.meta["vote_type"] == "choose-1"
    assert "vote_type;choose-1" in write_pabulib(election, profile)


def test_reads_a_path_bytes_and_a_byte_order_mark(tmp_path):
    path = tmp_path / "ward.pb"
    path.write_bytes(b"\xef\xbb\xbf" + APPROVAL.encode())
    from_path = read_pabulib(path)
    from_str_path = read_pabulib(str(path))
    from_bytes = read_pabulib(path.read_bytes())
    assert from_path[0] == from_str_path[0] == from_bytes[0]
    assert from_path[1] == from_bytes[1]


def test_missing_file_is_a_plain_error(tmp_path):
    with pytest.raises(TallyError, match="cannot open .*nothing.pb"):
        read_pabulib(tmp_path / "nothing.pb")


def test_repeated_project_on_a_points_ballot_can_be_summed():
    text = CUMULATIVE.replace("2;q;2", "2;q,q;1,1")
    assert error_of(text).line == 16
    _, profile = read_pabulib(text, repeats="sum")
    assert profile.per_voter_ballots().tolist() == [[3, 1], [0, 2]]


# ---------------------------------------------------------------------------------------------- errors
ERROR_CASES = {
    "missing VOTES section": (lambda t: t.split("VOTES")[0], 13, "no VOTES section"),
    "missing PROJECTS section": (
        lambda t: "\n".join(lines_of(t)[:7] + lines_of(t)[12:]) + "\n",
        13,
        "no PROJECTS section",
    ),
    "missing cost column": (
        lambda t: edit(t, 9, "project_id;price;name;category;selected"),
        9,
        "no 'cost' column",
    ),
    "missing vote column": (lambda t: edit(t, 14, "voter_id;ballot;age"), 14, "no 'vote' column"),
    "duplicate project": (
        lambda t: edit(t, 12, "1;40;Bench;;1"),
        12,
        "duplicate project id '1' (first on line 10)",
    ),
    "duplicate voter": (
        lambda t: edit(t, 17, "a;2,10,1;71"),
        17,
        "duplicate voter id 'a' (first on line 15)",
    ),
    "unknown project": (lambda t: edit(t, 16, "b;77;"), 16, "vote for unknown project '77'"),
    "project twice": (lambda t: edit(t, 17, "c;2,10,2;71"), 17, "project '2' appears more than once"),
    "negative cost": (lambda t: edit(t, 11, "2;-30;Play;;0"), 11, "cost of project '2' '-30' is negative"),
    "non-numeric cost": (lambda t: edit(t, 11, "2;thirty;Play;;0"), 11, "'thirty' is not a number"),
    "non-numeric budget": (lambda t: edit(t, 6, "budget;lots"), 6, "budget 'lots' is not a number"),
    "negative budget": (lambda t: edit(t, 6, "budget;-5"), 6, "budget '-5' is negative"),
    "unknown vote_type": (lambda t: edit(t, 7, "vote_type;plurality"), 7, "unknown vote_type 'plurality'"),
    "num_votes wrong": (
        lambda t: edit(t, 5, "num_votes;4"),
        5,
        "num_votes is 4 but the VOTES section has 3 rows",
    ),
    "num_projects wrong": (lambda t: edit(t, 4, "num_projects;2"), 4, "num_projects is 2 but the PROJECTS"),
    "num_votes not a number": (lambda t: edit(t, 5, "num_votes;many"), 5, "num_votes 'many' is not a number"),
    "ballot too long": (lambda t: insert(t, 7, "max_length;2"), 18, "3 projects, more than max_length 2"),
    "ballot too short": (lambda t: insert(t, 7, "min_length;2"), 17, "1 projects, fewer than min_length 2"),
    "ballot over max_sum_cost": (
        lambda t: insert(t, 7, "max_sum_cost;80"),
        18,
        "cost 120 in total, more than",
    ),
    "short row": (lambda t: edit(t, 16, "b;10"), 16, "2 fields but the VOTES header has 3 columns"),
    "long project row": (
        lambda t: edit(t, 10, "1;50;Park;green;1;extra"),
        10,
        "6 fields but the PROJECTS header",
    ),
    "no budget": (lambda t: edit(t, 6, None), 1, "META has no 'budget'"),
    "no vote_type": (lambda t: edit(t, 7, None), 1, "META has no 'vote_type'"),
    "repeated META key": (lambda t: insert(t, 3, "budget;100"), 7, "META key 'budget' appears twice"),
    "no section at the start": (lambda t: "hello;world\n" + t, 1, "must start with a META section"),
    "empty file": (lambda t: "", 1, "no META section"),
}

POINTS_ERROR_CASES = {
    "points count": (lambda t: edit(t, 15, "1;p,q;3"), 15, "lists 2 projects but 1 points values"),
    "points over max_points": (
        lambda t: edit(t, 16, "2;q;4"),
        16,
        "gives 4 points to project 'q', more than max_points 3",
    ),
    "points over max_sum_points": (
        lambda t: edit(t, 15, "1;p,q;3,2"),
        15,
        "5 points in total, more than max_sum_points 4",
    ),
    "zero points": (lambda t: edit(t, 16, "2;q;0"), 16, "gives 0 points to project 'q'"),
    "negative points": (lambda t: edit(t, 16, "2;q;-1"), 16, "negative points to project 'q'"),
    "non-numeric points": (lambda t: edit(t, 16, "2;q;two"), 16, "points value 'two' is not a number"),
    "no points column": (lambda t: edit(t, 14, "voter_id;vote;extra"), 14, "no 'points' column"),
    "below min_sum_points": (lambda t: insert(t, 8, "min_sum_points;3"), 17, "2 points in total, fewer than"),
}


@pytest.mark.parametrize("case", sorted(ERROR_CASES))
def test_bad_approval_file_names_the_line(case):
    change, line, words = ERROR_CASES[case]
    error = error_of(change(APPROVAL))
    assert error.line == line, str(error)
    assert words in error.message
    assert str(error) == f"line {line}: {error.message}"


@pytest.mark.parametrize("case", sorted(POINTS_ERROR_CASES))
def test_bad_cumulative_file_names_the_line(case):
    change, line, words = POINTS_ERROR_CASES[case]
    error = error_of(change(CUMULATIVE))
    assert error.line == line, str(error)
    assert words in error.message


def test_unknown_project_message_matches_the_documented_form():
    error = error_of(edit(APPROVAL, 16, "b;77;"))
    assert str(error) == "line 16: vote for unknown project '77'"


def test_bad_utf8_names_the_line():
    data = APPROVAL.encode().replace(b"Bench", b"B\xffnch")
    error = error_of(data)
    assert error.line == 12 and "not UTF-8" in error.message


def test_badly_quoted_field_is_an_error_not_a_crash():
    with pytest.raises(TallyError):
        read_pabulib(edit(APPROVAL, 12, '10;40;"Bench\x00;;1'))


# ---------------------------------------------------------------------------------------------- writing
def test_written_file_reads_back_identically():
    election, profile = read_pabulib(APPROVAL)
    text = write_pabulib(election, profile)
    again = read_pabulib(text)
    assert again[0] == election
    assert again[1] == profile
    assert write_pabulib(*again) == text


def test_writer_fills_in_the_counts_and_budget_of_a_built_election():
    projects = (Project("a", Fraction(5, 2), name="Half"), Project("b", Fraction(3)))
    election = Election(projects, Fraction(4), {"description": "built in code"})
    profile = Profile.from_ballots("scoring", [{0: 2, 1: 1}, {1: Fraction(1, 2)}], 2)
    text = write_pabulib(election, profile)
    assert "budget;4\n" in text and "num_votes;2\n" in text and "vote_type;scoring\n" in text
    assert "a;2.5;Half" in text
    back_e, back_p = read_pabulib(text)
    assert back_e.projects == projects and back_e.budget == 4
    assert back_p.per_voter_ballots().tolist() == [[2.0, 1.0], [0.0, 0.5]]


SAFE_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), max_size=12
).filter(lambda s: s == s.strip())


@settings(max_examples=150, deadline=None)
@given(
    case=elections_with_profiles(),
    names=st.lists(SAFE_TEXT, min_size=7, max_size=7),
    extra=st.lists(SAFE_TEXT, min_size=12, max_size=12),
)
def test_round_trip_is_lossless(case, names, extra):
    election, profile = case
    projects = tuple(
        Project(p.id, p.cost, names[k], fields={"notes": extra[k]}) for k, p in enumerate(election.projects)
    )
    election = Election(projects, election.budget, election.meta, ("project_id", "cost", "name", "notes"))
    n = len(profile.voter_ids)
    profile.voter_columns = (*profile.voter_columns, "district")
    profile.voter_fields = {"district": [extra[i % len(extra)] for i in range(n)]}
    text = write_pabulib(election, profile)
    back_election, back_profile = read_pabulib(text)
    assert back_election == election
    assert back_profile == profile
    assert write_pabulib(back_election, back_profile) == text


def test_quoted_field_over_two_lines_keeps_later_line_numbers_right():
    text = edit(APPROVAL, 11, '2;30;"Play\narea";children;0')
    election, profile = read_pabulib(text)
    assert election.projects[1].name == "Play\narea"
    back_election, back_profile = read_pabulib(write_pabulib(election, profile))
    assert back_election == election and back_profile == profile
    error = error_of(edit(text, 17, "b;77;"))  # the old line 16 is now line 17
    assert error.line == 17 and error.message == "vote for unknown project '77'"


def test_windows_line_endings_read_the_same():
    crlf = APPROVAL.replace("\n", "\r\n")
    assert read_pabulib(crlf)[0] == read_pabulib(APPROVAL)[0]
    assert read_pabulib(crlf)[1] == read_pabulib(APPROVAL)[1]
    assert error_of(crlf.replace("b;10;", "b;77;")).line == 16


def test_scoring_ballots_may_go_negative_within_min_points():
    text = (
        "META\nkey;value\nbudget;10\nvote_type;scoring\nmin_points;-2\nmax_points;2\n"
        "PROJECTS\nproject_id;cost\nx;4\ny;5\nVOTES\nvoter_id;vote;points\n1;x,y;2,-2\n2;y;-1\n"
    )
    election, profile = read_pabulib(text)
    assert profile.per_voter_ballots().tolist() == [[2, -2], [0, -1]]
    assert profile.points_per_project.tolist() == [2, -3]
    assert read_pabulib(write_pabulib(election, profile))[1] == profile
    error = error_of(text.replace("2;y;-1", "2;y;-3"))
    assert error.line == 14 and "fewer than min_points -2" in error.message
