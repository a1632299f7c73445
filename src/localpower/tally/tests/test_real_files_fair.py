"""MES and Phragmén on every real Pabulib file in ../shared/data/pabulib: same outcomes as pabutools.

Skipped when the shared data is absent. pabutools' outcomes were recorded by
``bench/record_pabutools_outcomes.py`` (pabutools on the big files takes minutes to hours) into
``tests/data/pabutools_outcomes.json``, keyed ``rule/sat/completion``, with each file's sha256.

Default runs skip the combinations that take us more than a few seconds (add1 on the biggest files);
set ``LOCALPOWER_SLOW_TESTS=1`` to run them too.

Findings about the files' own ``selected`` column, for the files counted with equal shares:

* Netherlands_Assen_2024 and Poland_Swiecie_2023 (``equalshares/add1``): our ``add1`` (= pabutools
  ``voter_budget_increment=1``) funds exactly the file's projects.
* Poland_Wieliczka_2023_Green_Budget (``equalshares/add1-comparison``): pabutools' ``add1`` stops at
  raise 150 because that outcome is exhaustive (no supported project still fits), funding 66 and 67;
  the city kept raising shares while the outcome still fitted in the budget: the last such raise, 164,
  funds 46 instead (cost 995,079 of 1,000,000). Our ``add1-full`` completion does that and matches the
  file.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from pathlib import Path

import pytest

from localpower.tally.checks import is_ejr_up_to_one, is_priceable
from localpower.tally.model import BallotKind
from localpower.tally.pabulib import read_pabulib
from localpower.tally.rules import run_rule

DATA = Path(__file__).resolve().parents[5] / "shared" / "data" / "pabulib"
RECORDING = Path(__file__).parent / "data" / "pabutools_outcomes.json"
FILES = sorted(p.name for p in DATA.glob("*.pb")) if DATA.is_dir() else []
SLOW = os.environ.get("LOCALPOWER_SLOW_TESTS") == "1"

OUTCOMES = (
    "mes/cost/none",
    "mes/cardinality/none",
    "mes/cost/utilitarian",
    "mes/cost/add1",
    "mes/cost/add1-full",
    "phragmen/cost/none",
)
# (file, outcome) pairs that take us more than a few seconds (the Warsaw files have ~10,000 distinct
# ballots and need hundreds of MES passes for add1; pabutools did not finish them within 15 minutes).
HEAVY = {
    (name, key)
    for name in FILES
    for key in ("mes/cost/add1", "mes/cost/add1-full")
    if name.startswith(("Poland_Warszawa", "Poland_Czestochowa", "Poland_Krakow", "France_Toulouse"))
}
# For the files counted with equal shares: the completion that reproduces the file's `selected` column.
SELECTED_COLUMN = {
    "Netherlands_Assen_2024.pb": "add1",
    "Poland_Swiecie_2023.pb": "add1",
    "Poland_Wieliczka_2023_Green_Budget.pb": "add1-full",
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


@cache
def ours(name: str, key: str):
    rule, sat, completion = key.split("/")
    election, profile = load(name)
    return run_rule(rule, election, profile, sat=sat, completion=completion)


def _recorded(name: str, key: str) -> list[str]:
    entry = recording().get(name)
    if entry is None or entry["sha256"] != digest(name):
        pytest.skip(f"no pabutools recording for this version of {name}")
    if key not in entry["outcomes"]:
        pytest.skip(f"pabutools' {key} was not recorded for {name} (not applicable, or over 15 minutes)")
    return entry["outcomes"][key]


@pytest.mark.parametrize("key", OUTCOMES)
@pytest.mark.parametrize("name", FILES)
def test_outcome_equals_pabutools(name, key):
    if (name, key) in HEAVY and not SLOW:
        pytest.skip("takes us more than a few seconds; set LOCALPOWER_SLOW_TESTS=1")
    expected = _recorded(name, key)
    election, _ = load(name)
    got = ours(name, key).selected_ids(election)
    if key.startswith("phragmen"):
        assert sorted(got) == sorted(expected)  # pabutools returns Phragmén's projects sorted by id
    else:
        assert got == expected  # same projects in the same order


@pytest.mark.parametrize("name", sorted(SELECTED_COLUMN))
def test_equal_shares_files_fund_what_the_city_funded(name):
    if name not in FILES:
        pytest.skip(f"{name} is not in the shared data")
    election, _ = load(name)
    assert election.meta["rule"].startswith("equalshares/add1")
    city = {p.id for p in election.projects if p.fields.get("selected") == "1"}
    outcome = ours(name, f"mes/cost/{SELECTED_COLUMN[name]}")
    assert set(outcome.selected_ids(election)) == city


def test_wieliczka_shows_where_pabutools_add1_stops_early():
    name = "Poland_Wieliczka_2023_Green_Budget.pb"
    if name not in FILES:
        pytest.skip(f"{name} is not in the shared data")
    election, _ = load(name)
    plain, full = ours(name, "mes/cost/add1"), ours(name, "mes/cost/add1-full")
    assert (plain.details["raises"], full.details["raises"]) == (150, 164)
    assert set(plain.selected_ids(election)) - set(full.selected_ids(election)) == {"66", "67"}
    assert set(full.selected_ids(election)) - set(plain.selected_ids(election)) == {"46"}


@pytest.mark.parametrize(
    "name",
    [n for n in FILES if n.startswith(("Netherlands", "Poland_Swiecie", "Poland_Wieliczka", "Canada"))],
)
def test_mes_on_real_files_is_fair(name):
    election, profile = load(name)
    if profile.kind is not BallotKind.APPROVAL:
        pytest.skip("the EJR check is for approval ballots")
    for key in ("mes/cost/none", "mes/cost/add1"):
        outcome = ours(name, key)
        ejr = is_ejr_up_to_one(election, profile, outcome)
        assert ejr.ok and ejr.complete, ejr.detail
        assert is_priceable(election, profile, outcome).ok
