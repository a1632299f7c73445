"""Every real Pabulib file in ../shared/data/pabulib: reading, round trip, greedy outcomes.

Skipped when the shared data is absent. pabutools' outcomes are not recomputed here (that takes over a
minute); they were recorded by ``bench/record_pabutools_outcomes.py`` into
``tests/data/pabutools_outcomes.json`` together with each file's sha256.

Findings, kept as explained expectations below:

* Poland_Czestochowa_2020.pb, line 11740, lists project 579 four times with 1 point each. Strict reading
  rejects it; ``repeats="sum"`` reads it as 4 points, which is how the file's own ``score`` column was
  counted (its ``votes`` column, though, counts the four entries as four votes: 704 for 701 voters).
  pabutools keeps only the last entry (1 point); the greedy outcomes agree either way.
* Poland_Krakow_2021.pb (ordinal, rule greedy): pabutools counts a ranked project as one vote, and so do
  we by default; that funds project 216 instead of 91 and 122. Krakow scored rankings 3, 2, 1 (its
  ``score`` column); with ``ordinal="borda"`` our greedy funds exactly the file's ``selected`` projects.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

import pytest

from localpower.tally.pabulib import PabulibError, read_pabulib, write_pabulib
from localpower.tally.rules import run_rule

DATA = Path(__file__).resolve().parents[5] / "shared" / "data" / "pabulib"
RECORDING = Path(__file__).parent / "data" / "pabutools_outcomes.json"
FILES = sorted(p.name for p in DATA.glob("*.pb")) if DATA.is_dir() else []
GREEDY_RULES = ("greedy", "greedy-no-skip", "greedy-threshold")

# Files that strict reading rejects: name -> (line, words in the message).
STRICT_FAILURES = {
    "Poland_Czestochowa_2020.pb": (11740, "project '579' appears more than once on one ballot"),
}

# Files whose `selected` column differs from our outcome under the file's own rule with default options:
# name -> (options that reproduce the file, projects we fund that the city did not, and the reverse).
EXPLAINED_SELECTED_DIFFERENCES = {
    "Poland_Krakow_2021.pb": ({"ordinal": "borda"}, {"216"}, {"91", "122"}),
}

pytestmark = pytest.mark.skipif(not FILES, reason=f"no shared Pabulib files in {DATA}")


@cache
def load(name: str):
    return read_pabulib(DATA / name, repeats="sum")


@cache
def recording() -> dict:
    return json.loads(RECORDING.read_text(encoding="utf-8"))["files"]


@cache
def digest(name: str) -> str:
    return hashlib.sha256((DATA / name).read_bytes()).hexdigest()


@pytest.mark.parametrize("name", FILES)
def test_reads_strictly_or_fails_where_expected(name):
    if name in STRICT_FAILURES:
        line, words = STRICT_FAILURES[name]
        with pytest.raises(PabulibError) as info:
            read_pabulib(DATA / name)
        assert info.value.line == line and words in info.value.message
        return
    election, profile = read_pabulib(DATA / name)
    assert election.n_projects == int(election.meta["num_projects"])
    assert profile.n_voters == int(election.meta["num_votes"])
    assert profile.weights.sum() == len(profile.voter_ids)


@pytest.mark.parametrize("name", FILES)
def test_round_trip_is_lossless(name):
    election, profile = load(name)
    text = write_pabulib(election, profile)
    again_election, again_profile = read_pabulib(text)
    assert again_election == election
    assert again_profile == profile


def recorded_cases():
    if not FILES or not RECORDING.exists():
        return []
    cases = []
    for name in FILES:
        for key in recording().get(name, {}).get("outcomes", {}):
            rule, sat, completion = key.split("/")
            if rule in GREEDY_RULES:
                cases.append(pytest.param(name, rule, sat, completion, id=f"{name}-{key}"))
    return cases


@pytest.mark.parametrize(("name", "rule", "sat", "completion"), recorded_cases())
def test_greedy_equals_recorded_pabutools_outcome(name, rule, sat, completion):
    entry = recording()[name]
    if entry["sha256"] != digest(name):
        pytest.skip(f"{name} changed since pabutools was recorded: run bench/record_pabutools_outcomes.py")
    election, profile = load(name)
    ours = run_rule(rule, election, profile, sat=sat, completion=completion).selected_ids(election)
    assert ours == entry["outcomes"][f"{rule}/{sat}/{completion}"]


def test_every_file_has_recorded_greedy_outcomes():
    missing = [n for n in FILES if "greedy/cost/none" not in recording().get(n, {}).get("outcomes", {})]
    assert not missing, f"run bench/record_pabutools_outcomes.py for: {', '.join(missing)}"


def city_rule_files():
    out = []
    for name in FILES:
        election, _ = load(name)
        if election.meta.get("rule") in GREEDY_RULES and "selected" in election.project_columns:
            out.append(name)
    return out


@pytest.mark.parametrize("name", city_rule_files())
def test_city_rule_reproduces_the_selected_column(name):
    election, profile = load(name)
    rule = election.meta["rule"]
    city = {p.id for p in election.projects if p.fields["selected"].strip() == "1"}
    ours = set(run_rule(rule, election, profile).selected_ids(election))
    if name in EXPLAINED_SELECTED_DIFFERENCES:
        options, ours_only, city_only = EXPLAINED_SELECTED_DIFFERENCES[name]
        assert (ours - city, city - ours) == (ours_only, city_only)
        ours = set(run_rule(rule, election, profile, **options).selected_ids(election))
    assert ours == city


@pytest.mark.parametrize("name", FILES)
def test_counts_match_the_files_votes_and_score_columns(name):
    """Our vote and point totals equal the file's own ``votes`` / ``score`` columns, with two known
    exceptions: Czestochowa counted each repeated entry of project 579 as a separate vote (704 "votes"
    from 701 voters), and Krakow's ``score`` is the Borda total (3, 2, 1) of its ranked ballots."""
    election, profile = load(name)
    ours = {"votes": [int(v) for v in profile.approvals_per_project]}
    if name == "Poland_Krakow_2021.pb":
        support = run_rule("greedy", election, profile, ordinal="borda").details["support"]
        ours["score"] = [int(v) for v in support]
    else:
        ours["score"] = [int(v) for v in profile.points_per_project]
    for column, values in ours.items():
        if column not in election.project_columns:
            continue
        theirs = [int(p.fields[column]) for p in election.projects]
        if (name, column) == ("Poland_Czestochowa_2020.pb", "votes"):
            k = election.index["579"]
            assert (theirs[k], values[k]) == (704, 701)
            theirs[k] = values[k]
        assert values == theirs


def test_the_city_rule_files_are_the_ones_we_know():
    # Guards the test above against silently checking nothing.
    if "Poland_Warszawa_2021_Mokotow.pb" in FILES:
        assert "Poland_Warszawa_2021_Mokotow.pb" in city_rule_files()
