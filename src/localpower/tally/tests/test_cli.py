"""The ``localpower-tally`` command line."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from localpower.tally import rules
from localpower.tally.cli import main

WARD = """\
META
key;value
description;Test ward
num_projects;4
num_votes;6
budget;100
vote_type;approval
PROJECTS
project_id;cost;name
A;60;Skate park
B;30;Play area
C;20;Benches
D;10;Bulb planting
VOTES
voter_id;vote
v1;A,B
v2;A
v3;A,C
v4;B
v5;B,C
v6;A
"""


@pytest.fixture
def ward(tmp_path):
    path = tmp_path / "ward.pb"
    path.write_text(WARD, encoding="utf-8")
    return path


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in argv], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_check_reports_the_size_of_a_good_file(ward):
    code, out, err = run("check", ward)
    assert code == 0, err
    assert out.startswith("OK: 4 projects, 6 voters, approval ballots")


def test_check_names_the_line_of_a_bad_file_without_a_traceback(tmp_path):
    bad = tmp_path / "bad.pb"
    bad.write_text(WARD.replace("v4;B", "v4;Z"), encoding="utf-8")
    code, out, err = run("check", bad)
    assert code == 1
    assert out == ""
    assert err.strip() == f"{bad}: line 19: vote for unknown project 'Z'"


def test_missing_file_is_a_plain_message(tmp_path):
    code, _, err = run("check", tmp_path / "absent.pb")
    assert code == 1
    assert "cannot open" in err and "Traceback" not in err


def test_compute_json_gives_ids_in_selection_order(ward):
    code, out, err = run("compute", ward, "--rule", "greedy", "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    assert result["selected"] == ["A", "B", "D"]
    assert result["rule"] == "greedy"
    assert result["cost"] == 100 and result["budget"] == 100
    assert isinstance(result["cost"], int)


def test_compute_options_reach_the_rule(ward):
    code, out, _ = run("compute", ward, "--rule", "greedy", "--sat", "cardinality", "--format", "json")
    assert code == 0
    assert json.loads(out)["selected"] == ["B", "C", "D"]  # B and C tie at 1 vote per 10: B wins on id
    code, out, _ = run("compute", ward, "--rule", "greedy-no-skip", "--format", "json")
    assert json.loads(out)["selected"] == ["A", "B"]
    code, out, _ = run("compute", ward, "--rule", "greedy-threshold", "--threshold", "4", "--format", "json")
    assert json.loads(out)["selected"] == ["A"]


def test_compute_table_is_readable(ward):
    code, out, _ = run("compute", ward, "--rule", "greedy")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["#", "project", "cost", "votes", "name"]
    assert lines[1].split() == ["1", "A", "60", "4", "Skate", "park"]
    assert "Rule greedy: 3 of 4 projects funded, costing 100 of the budget of 100." in out


def test_unregistered_rule_is_reported_plainly(ward, monkeypatch):
    monkeypatch.delitem(rules.RULES, "phragmen", raising=False)
    code, _, err = run("compute", ward, "--rule", "phragmen")
    assert code == 1
    assert "rule phragmen is not available" in err


def test_invalid_option_combinations_are_plain_errors(ward):
    code, _, err = run("compute", ward, "--rule", "greedy", "--completion", "add1")
    assert code == 1 and "no completion method" in err
    code, _, err = run("compute", ward, "--rule", "greedy", "--threshold", "3")
    assert code == 1 and "--threshold only applies to --rule greedy-threshold" in err


def test_usage_errors_exit_with_status_2(ward, capsys):
    assert main(["compute", str(ward), "--rule", "coin-toss"]) == 2
    assert "invalid choice" in capsys.readouterr().err
    assert main([]) == 2


def test_module_entry_point_runs(ward):
    done = subprocess.run(
        [sys.executable, "-m", "localpower.tally", "check", str(ward)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("OK: 4 projects")


def test_explain_outcome_mentions_every_funded_project(ward):
    code, out, err = run("explain", ward, "--rule", "greedy", "--format", "json")
    assert code == 0, err
    text = json.dumps(json.loads(out))
    for pid in ("A", "B", "D"):
        assert f'"{pid}"' in text
    code, table, err = run("explain", ward, "--rule", "greedy")
    assert code == 0, err
    assert "greedy" in table and "Skate park" in table
    assert "{" not in table  # readable text, not JSON


def test_explain_voter_covers_the_voters_projects(ward):
    code, out, err = run("explain", ward, "--rule", "greedy", "--voter", "v5", "--format", "json")
    assert code == 0, err
    text = json.dumps(json.loads(out))
    assert '"B"' in text and '"C"' in text  # v5 approved B (funded) and C (not funded)


def test_explain_unknown_voter_is_a_plain_error(ward):
    code, _, err = run("explain", ward, "--rule", "greedy", "--voter", "nobody")
    assert code == 1
    assert "no voter with voter_id 'nobody'" in err
