"""Record pabutools' outcomes on the shared Pabulib files, for the tally tests to compare against.

Running pabutools on the large files takes minutes, so its answers are stored once in
``src/localpower/tally/tests/data/pabutools_outcomes.json``::

    {"files": {"<file name>": {"sha256": "...", "outcomes": {"<rule>/<sat>/<completion>": ["id", ...]}}}}

Each recorded outcome is one entry of RECORDERS below: a name, the (sat, completion) pairs to record, and
a function ``f(case, sat, completion) -> list of project ids | None`` (None: the rule does not apply to
that file). Add a rule by adding an entry. Existing entries for other rules are kept; a file whose
content changed has its old entries dropped.

    .venv/bin/python bench/record_pabutools_outcomes.py                  # every rule, every file
    .venv/bin/python bench/record_pabutools_outcomes.py --rule greedy --file Wroclaw
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "pabulib"
OUTPUT = ROOT / "src" / "localpower" / "tally" / "tests" / "data" / "pabutools_outcomes.json"
sys.path.insert(0, str(ROOT / "src"))

from localpower.tally.pabulib import read_pabulib  # noqa: E402
from localpower.tally.tests.fair_oracle import MES_RECORDINGS, record_mes, record_phragmen  # noqa: E402
from localpower.tally.tests.oracle import pabutools_greedy_on  # noqa: E402


@dataclass
class Case:
    """One file, parsed by us and by pabutools (pabutools parsing done once, on first use)."""

    path: Path
    election: object
    profile: object
    _pabutools: tuple | None = field(default=None, repr=False)

    @property
    def pabutools(self):
        if self._pabutools is None:
            from pabutools.election import parse_pabulib

            self._pabutools = parse_pabulib(str(self.path))
        return self._pabutools


def _greedy(rule: str):
    def record(case: Case, sat: str, completion: str):
        if rule == "greedy-threshold" and "min_project_score_threshold" not in case.election.meta:
            return None
        instance, profile = case.pabutools
        return pabutools_greedy_on(instance, profile, case.profile.kind, sat=sat, rule=rule)

    return record


# rule name -> ((sat, completion) pairs to record, recorder)
RECORDERS = {
    "greedy": ((("cost", "none"), ("cardinality", "none")), _greedy("greedy")),
    "greedy-no-skip": ((("cost", "none"),), _greedy("greedy-no-skip")),
    "greedy-threshold": ((("cost", "none"),), _greedy("greedy-threshold")),
    "mes": (MES_RECORDINGS, record_mes),
    "phragmen": ((("cost", "none"),), record_phragmen),
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def outcome_key(rule: str, sat: str, completion: str) -> str:
    return f"{rule}/{sat}/{completion}"


def load(path: Path = OUTPUT) -> dict:
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    return {"files": {}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rule", action="append", choices=sorted(RECORDERS), help="only these rules")
    parser.add_argument("--file", action="append", help="only files whose name contains this text")
    args = parser.parse_args(argv)
    if not DATA.is_dir():
        print(f"no Pabulib files in {DATA}", file=sys.stderr)
        return 1
    store = load()
    rules = args.rule or sorted(RECORDERS)
    for path in sorted(DATA.glob("*.pb")):
        if args.file and not any(text in path.name for text in args.file):
            continue
        digest = sha256(path)
        entry = store["files"].get(path.name)
        if entry is None or entry["sha256"] != digest:
            entry = store["files"][path.name] = {"sha256": digest, "outcomes": {}}
        election, profile = read_pabulib(path, repeats="sum")
        case = Case(path, election, profile)
        for rule in rules:
            pairs, recorder = RECORDERS[rule]
            for sat, completion in pairs:
                started = time.perf_counter()
                selected = recorder(case, sat, completion)
                if selected is None:
                    continue
                entry["outcomes"][outcome_key(rule, sat, completion)] = [str(s) for s in selected]
                took = time.perf_counter() - started
                print(f"{path.name}: {rule} {sat} {completion}: {len(selected)} projects ({took:.1f} s)")
        OUTPUT.parent.mkdir(parents=True, exist_ok=True)
        OUTPUT.write_text(
            json.dumps(store, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
