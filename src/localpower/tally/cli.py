"""Command line: ``localpower-tally`` (also ``python -m localpower.tally``).

    localpower-tally check FILE.pb
    localpower-tally compute FILE.pb --rule greedy [--sat cost] [--completion none] [--format json]
    localpower-tally explain FILE.pb --rule mes [--voter ID] [--format json]
    localpower-tally groups DIR [--format json]   (opinion groups of a Pol.is openData conversation)

Exit status: 0 on success, 1 for a bad file or request (with a plain message, never a traceback),
2 for wrong command-line usage.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from fractions import Fraction
from pathlib import Path

from localpower.tally.model import BallotKind, Election, Outcome, Profile, TallyError
from localpower.tally.opinion.command import add_groups_parser, groups_command
from localpower.tally.pabulib import read_pabulib
from localpower.tally.rules import KNOWN_RULES, run_rule

__all__ = ["main"]


def _number(value: Fraction | int | float | None):
    """A JSON number: int when whole, float otherwise."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        return int(value) if value.denominator == 1 else float(value)
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="localpower-tally",
        description="Count participatory budgeting elections stored as Pabulib (.pb) files.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="{check,compute,explain,groups}")

    def add_file(p):
        p.add_argument("file", type=Path, help="the Pabulib .pb file")
        p.add_argument(
            "--repeats",
            choices=("error", "sum"),
            default="error",
            help="a project listed twice on one points ballot: reject the file (default) or add the points",
        )

    def add_rule(p):
        p.add_argument("--rule", required=True, choices=KNOWN_RULES, help="the counting rule")
        p.add_argument("--sat", choices=("cost", "cardinality"), default=None, help="satisfaction measure")
        p.add_argument(
            "--completion",
            choices=("none", "add1", "utilitarian"),
            default=None,
            help="how to spend money the main rule leaves over (rules that have one)",
        )
        p.add_argument("--threshold", default=None, help="minimum support for greedy-threshold")
        p.add_argument(
            "--ordinal",
            choices=("approval", "borda"),
            default=None,
            help="greedy rules on ranked ballots: count a ranked project as one vote (default, as pabutools) "
            "or by Borda points (3, 2, 1 for three ranked projects, as Krakow does)",
        )
        p.add_argument("--format", choices=("table", "json"), default="table", help="output format")

    check = sub.add_parser("check", help="validate a file")
    add_file(check)
    compute = sub.add_parser("compute", help="compute the winning projects")
    add_file(compute)
    add_rule(compute)
    explain = sub.add_parser("explain", help="explain an outcome, or one voter's view of it")
    add_file(explain)
    add_rule(explain)
    explain.add_argument("--voter", default=None, help="voter_id to explain the outcome to")
    add_groups_parser(sub)
    return parser


def _load(args) -> tuple[Election, Profile]:
    return read_pabulib(args.file, repeats=args.repeats)


def _outcome(args, election: Election, profile: Profile) -> Outcome:
    options = {"sat": args.sat, "completion": args.completion}
    if args.threshold is not None:
        if args.rule != "greedy-threshold":
            raise TallyError("--threshold only applies to --rule greedy-threshold")
        options["threshold"] = args.threshold
    if args.ordinal is not None:
        options["ordinal"] = args.ordinal
    return run_rule(args.rule, election, profile, **options)


def _check(args, out) -> int:
    election, profile = _load(args)
    kind = election.meta.get("vote_type", profile.kind.value)
    print(
        f"OK: {election.n_projects} projects, {profile.n_voters} voters, {kind} ballots "
        f"({profile.n_unique} distinct), budget {_fmt(election.budget)}",
        file=out,
    )
    return 0


def _fmt(value) -> str:
    value = _number(value)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.2f}"


def _compute(args, out) -> int:
    election, profile = _load(args)
    outcome = _outcome(args, election, profile)
    cost = outcome.cost(election)
    if args.format == "json":
        result = {
            "selected": outcome.selected_ids(election),
            "rule": outcome.rule,
            "cost": _number(cost),
            "budget": _number(election.budget),
            "sat": outcome.details.get("sat", args.sat),
            "completion": outcome.details.get("completion", args.completion),
        }
        json.dump(result, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return 0
    unit = "points" if profile.kind in (BallotKind.CUMULATIVE, BallotKind.SCORING) else "votes"
    support = [v.item() for v in profile.points_per_project]
    if outcome.details.get("ordinal") == "borda" and "support" in outcome.details:
        unit, support = "Borda points", outcome.details["support"]
    rows = [("#", "project", "cost", unit, "name")]
    for k, j in enumerate(outcome.selected, start=1):
        p = election.projects[j]
        rows.append((str(k), p.id, _fmt(p.cost), _fmt(support[j]), p.name))
    widths = [max(len(r[c]) for r in rows) for c in range(4)]
    for r in rows:
        cells = [r[0].rjust(widths[0]), r[1].ljust(widths[1]), r[2].rjust(widths[2]), r[3].rjust(widths[3])]
        print("  ".join(cells + [r[4]]).rstrip(), file=out)
    print(
        f"\nRule {outcome.rule}: {len(outcome.selected)} of {election.n_projects} projects funded, "
        f"costing {_fmt(cost)} of the budget of {_fmt(election.budget)}.",
        file=out,
    )
    return 0


def _explain(args, out) -> int:
    election, profile = _load(args)
    from localpower.tally import explain as explain_module

    outcome = _outcome(args, election, profile)
    if args.voter is not None:
        try:
            voter = profile.voter_index(args.voter.strip())
        except KeyError:
            raise TallyError(f"there is no voter with voter_id {args.voter!r} in {args.file}") from None
        report = explain_module.explain_voter(election, profile, outcome, voter)
    else:
        report = explain_module.explain_outcome(election, profile, outcome)
    if args.format == "json":
        json.dump(report, out, ensure_ascii=False, indent=2, default=_json_default)
        out.write("\n")
    else:
        _render(report, out)
    return 0


def _json_default(value):
    if isinstance(value, Fraction):
        return _number(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _render(value, out, indent: int = 0) -> None:
    """Readable indented text for a nested explanation (dicts, lists, numbers, text)."""
    pad = "  " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            if item is None or item == []:
                continue
            label = str(key).replace("_", " ")
            if isinstance(item, dict | list):
                print(f"{pad}{label}:", file=out)
                _render(item, out, indent + 1)
            else:
                print(f"{pad}{label}: {_scalar(item)}", file=out)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                # "- first: value" then the other keys lined up under it
                buffer = io.StringIO()
                _render(item, buffer, 0)
                lines = buffer.getvalue().splitlines() or [""]
                print(f"{pad}- {lines[0]}", file=out)
                for line in lines[1:]:
                    print(f"{pad}  {line}", file=out)
            elif isinstance(item, list):
                print(f"{pad}-", file=out)
                _render(item, out, indent + 1)
            else:
                print(f"{pad}- {_scalar(item)}", file=out)
    else:
        print(f"{pad}{_scalar(value)}", file=out)


def _scalar(value) -> str:
    if isinstance(value, Fraction):
        value = _number(value)
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.2f}"
    return str(value)


COMMANDS = {"check": _check, "compute": _compute, "explain": _explain, "groups": groups_command}


def main(argv: list[str] | None = None, out=None, err=None) -> int:
    """Run the command line; returns the exit status."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage message
        return int(exc.code or 0)
    try:
        return COMMANDS[args.command](args, out)
    except TallyError as exc:
        print(f"{args.file}: {exc}", file=err)
        return 1
    except BrokenPipeError:  # output piped into a command that stopped reading (e.g. head)
        sys.stderr.close()
        return 0
    except MemoryError:
        print(f"{args.file}: not enough memory to count this file", file=err)
        return 1
    except Exception as exc:  # a bug in the counting engine: say so plainly, without a traceback
        print(f"{args.file}: internal error ({type(exc).__name__}: {exc}); please report it", file=err)
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
