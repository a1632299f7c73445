"""Benchmark the proportional rules of localpower.tally against pabutools 1.2.3.

For each rule, on the largest shared Pabulib files and a synthetic 150,000-voter approval election,
prints: our parse time, our rule time (best of --repeat runs), our peak memory for the rule
(tracemalloc), pabutools' time with the profile as ``parse_pabulib`` returns it and with the collapsed
``as_multiprofile()`` form, the speed-up ratios, and whether the outcomes are identical.

pabutools runs in a child process with a time cap (--cap seconds); a capped run is shown as ">N s"
and its ratio as a lower bound (">="). When its MES+add1 is capped, a line under the row estimates its
time as (raises + 1) x one plain MES pass (a low estimate) and gives the ratio against that.

    .venv/bin/python bench/bench_rules.py            # full run (pabutools may take many minutes)
    .venv/bin/python bench/bench_rules.py --quick    # 30 s cap, fewer rules
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
import tracemalloc
from fractions import Fraction
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "pabulib"
sys.path.insert(0, str(ROOT / "src"))

from localpower.tally.model import Election, Profile, Project  # noqa: E402
from localpower.tally.pabulib import read_pabulib, write_pabulib  # noqa: E402
from localpower.tally.rules import RULES  # noqa: E402

FILES = (
    "Poland_Wroclaw_2015_150_-_500.pb",
    "Poland_Warszawa_2020_Praga-Poludnie.pb",
    "Poland_Wieliczka_2023_Green_Budget.pb",
)
# (label, our rule, our options, pabutools recipe)
RULE_SET = (
    ("mes add1", "mes", {"sat": "cost", "completion": "add1"}, ("mes", "cost", "add1")),
    ("mes", "mes", {"sat": "cost", "completion": "none"}, ("mes", "cost", "none")),
    ("phragmen", "phragmen", {}, ("phragmen",)),
    ("max-welfare", "max-welfare", {"sat": "cost"}, ("max-welfare", "cost")),
)
QUICK_RULES = ("mes add1", "phragmen")


def synthetic(n_voters: int = 150_000, n_projects: int = 60, seed: int = 7) -> str:
    """A deterministic approval election: skewed popularity, 1-6 approvals per voter. Returns .pb text."""
    rng = np.random.default_rng(seed)
    costs = rng.integers(10, 500, n_projects) * 1000
    popularity = 1.0 / np.arange(1, n_projects + 1) ** 0.8
    popularity /= popularity.sum()
    lengths = rng.integers(1, 7, n_voters)
    matrix = np.zeros((n_voters, n_projects), dtype=bool)
    for i, k in enumerate(lengths):
        matrix[i, rng.choice(n_projects, size=k, replace=False, p=popularity)] = True
    projects = tuple(
        Project(f"s{j + 1}", Fraction(int(c)), name=f"Synthetic {j + 1}") for j, c in enumerate(costs)
    )
    budget = Fraction(int(costs.sum()) // 5)
    meta = {
        "description": "synthetic benchmark election",
        "country": "Nowhere",
        "unit": "Synthetic",
        "instance": "2026",
        "num_projects": str(n_projects),
        "num_votes": str(n_voters),
        "budget": str(budget),
        "vote_type": "approval",
        "rule": "equalshares/add1",
    }
    election = Election(projects, budget, meta, ("project_id", "cost", "name"))
    profile = Profile.from_matrix("approval", matrix, voter_ids=[str(i + 1) for i in range(n_voters)])
    return write_pabulib(election, profile)


# ------------------------------------------------------------------------------------------- pabutools
def _pabutools_run(path: str, recipe: tuple, multi: bool) -> tuple[float, float, list[str]]:
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import max_additive_utilitarian_welfare, method_of_equal_shares, sequential_phragmen

    started = time.perf_counter()
    instance, profile = parse_pabulib(path)
    parsed = time.perf_counter() - started
    if multi:
        profile = profile.as_multiprofile()
    started = time.perf_counter()
    if recipe[0] == "mes":
        increment = 1 if recipe[2] == "add1" else None
        outcome = method_of_equal_shares(
            instance, profile, sat_class=Cost_Sat, voter_budget_increment=increment
        )
    elif recipe[0] == "phragmen":
        outcome = sequential_phragmen(instance, profile)
    else:
        outcome = max_additive_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
    took = time.perf_counter() - started
    return parsed, took, sorted(p.name for p in outcome)


def pabutools_timed(path: str, recipe: tuple, multi: bool, cap: float):
    """(parse s, rule s, ids) from a child process, or None when it ran past ``cap`` seconds."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)

    def work():
        try:
            sender.send(_pabutools_run(path, recipe, multi))
        except Exception as error:  # report, do not hang the parent
            sender.send(("error", str(error)))

    child = context.Process(target=work)
    child.start()
    ready = receiver.poll(cap)
    result = receiver.recv() if ready else None
    if not ready:
        child.kill()
    child.join()
    if result is not None and result[0] == "error":
        print(f"    pabutools failed: {result[1]}")
        return None
    return result


# ------------------------------------------------------------------------------------------------ ours
def ours_timed(path: str, rule: str, options: dict, repeat: int):
    """Parse, then run the rule: best of ``repeat`` runs (one run if it takes over 2 s), then one more
    run under tracemalloc for the peak memory (skipped, None, if the first run took over 60 s)."""
    started = time.perf_counter()
    election, profile = read_pabulib(path, repeats="sum")
    parse = time.perf_counter() - started
    best = float("inf")
    outcome = None
    for _ in range(repeat):
        started = time.perf_counter()
        outcome = RULES[rule](election, profile, **options)
        best = min(best, time.perf_counter() - started)
        if best > 2.0:
            break
    peak = None
    if best <= 60.0:
        tracemalloc.start()
        RULES[rule](election, profile, **options)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return election, profile, parse, best, peak, outcome


def _fmt_time(value: float | None, cap: float) -> str:
    return f">{cap:.0f}" if value is None else f"{value:.3f}"


def _ratio(theirs: float | None, ours: float, cap: float) -> str:
    if theirs is None:
        return f">={cap / ours:,.0f}x"
    return f"{theirs / ours:,.0f}x"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="30 s cap and only the main rules")
    parser.add_argument(
        "--cap", type=float, default=None, help="seconds allowed per pabutools run (default 600)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="our runs per measurement (best is kept)")
    parser.add_argument("--no-pabutools", action="store_true", help="only time our rules")
    parser.add_argument(
        "--no-multi", action="store_true", help="skip pabutools on the collapsed multiprofile"
    )
    parser.add_argument("--rule", action="append", help="only these rule labels (e.g. 'mes add1')")
    parser.add_argument("--file", action="append", help="only files whose name contains this text")
    parser.add_argument("--no-synthetic", action="store_true", help="leave out the synthetic election")
    args = parser.parse_args(argv)
    cap = args.cap if args.cap is not None else (30.0 if args.quick else 600.0)
    rules = [
        r
        for r in RULE_SET
        if (not args.quick or r[0] in QUICK_RULES) and (not args.rule or r[0] in args.rule)
    ]
    paths = [
        (name, str(DATA / name))
        for name in FILES
        if (DATA / name).exists() and (not args.file or any(text in name for text in args.file))
    ]
    with tempfile.TemporaryDirectory() as tmp:
        if not args.no_synthetic:
            synthetic_path = os.path.join(tmp, "synthetic_150000.pb")
            Path(synthetic_path).write_text(synthetic(), encoding="utf-8")
            paths.append(("synthetic 150,000 voters", synthetic_path))
        print(f"pabutools cap: {cap:.0f} s per run; our time is the best of {args.repeat} runs\n")
        header = (
            f"{'file':40} {'rule':12} {'voters':>8} {'unique':>7} {'parse s':>8} {'ours s':>8} "
            f"{'rule/parse':>10} {'peak MiB':>8} {'pabu s':>8} {'ratio':>9} {'multi s':>8} {'ratio':>9} same"
        )
        print(header)
        print("-" * len(header))
        for name, path in paths:
            for label, rule, options, recipe in rules:
                election, profile, parse, ours, peak, outcome = ours_timed(path, rule, options, args.repeat)
                ids = sorted(outcome.selected_ids(election))
                plain = multi = None
                if not args.no_pabutools:
                    plain = pabutools_timed(path, recipe, False, cap)
                    if not args.no_multi:
                        multi = pabutools_timed(path, recipe, True, cap)
                reference = plain or multi
                if args.no_pabutools:
                    same = "-"
                elif reference is None:
                    same = "capped"
                elif rule == "max-welfare":
                    # Several allocations may have the maximum welfare; compare the welfare.
                    from localpower.tally.rules.welfare import project_welfare

                    welfare = project_welfare(election, profile, "cost")
                    index = election.index
                    theirs = sum((welfare[index[i]] for i in reference[2]), Fraction(0))
                    same = "same welfare" if theirs == outcome.details["welfare"] else "DIFFERENT"
                else:
                    same = "yes" if reference[2] == ids else "DIFFERENT"
                note = None
                if plain is None and not args.no_pabutools and recipe[-1] == "add1":
                    note = _estimate_add1(path, recipe, outcome, ours, cap)
                print(
                    f"{name[:40]:40} {label:12} {profile.n_voters:>8,} {profile.n_unique:>7,} {parse:>8.3f} "
                    f"{ours:>8.4f} {ours / parse:>10.2f} {'-' if peak is None else f'{peak / 2**20:.1f}':>8} "
                    f"{_fmt_time(plain[1] if plain else None, cap) if not args.no_pabutools else '-':>8} "
                    f"{_ratio(plain[1] if plain else None, ours, cap) if not args.no_pabutools else '-':>9} "
                    f"{_fmt_time(multi[1] if multi else None, cap) if not (args.no_pabutools or args.no_multi) else '-':>8} "
                    f"{_ratio(multi[1] if multi else None, ours, cap) if not (args.no_pabutools or args.no_multi) else '-':>9} "
                    f"{same}",
                    flush=True,
                )
                if note:
                    print(note, flush=True)
    return 0


def _estimate_add1(path: str, recipe: tuple, outcome, ours: float, cap: float) -> str | None:
    """When pabutools' add1 runs past the cap: estimate it as (raises + 1) passes of its plain MES.

    pabutools computes MES once per raise of the share (0, 1, ..., up to the raise returned, and one
    more when it stops on overspending), each pass funding at least as much as the plain one, so this
    is a low estimate of its time and the ratio a low estimate of ours."""
    one = pabutools_timed(path, (recipe[0], recipe[1], "none"), False, cap)
    if one is None:
        return None
    passes = int(outcome.details.get("raises", 0)) + 1
    estimate = one[1] * passes
    return (
        f"    pabutools add1 capped: one plain MES pass {one[1]:.2f} s x {passes} passes = "
        f"~{estimate:,.0f} s (estimate); ours {ours:.2f} s -> ~{estimate / ours:,.0f}x"
    )


if __name__ == "__main__":
    sys.exit(main())
