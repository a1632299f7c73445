"""The ``localpower-tally groups DIR`` subcommand (wired into ``localpower.tally.cli``)."""

from __future__ import annotations

import json
from pathlib import Path

from localpower.tally.opinion.groups import OpinionGroups, compute_groups
from localpower.tally.opinion.incremental import replay
from localpower.tally.opinion.polis_io import Conversation, read_conversation, read_vote_events

__all__ = ["add_groups_parser", "groups_command", "groups_json"]


def add_groups_parser(sub) -> None:
    groups = sub.add_parser(
        "groups",
        help="opinion groups and consensus of a Pol.is-style conversation",
        description="Read a conversation in the Pol.is openData layout (comments.csv, votes.csv; "
        "participants-votes.csv optional) and find its opinion groups, the statements that represent "
        "each group, and the statements a majority agreed with in every group.",
    )
    groups.add_argument("file", type=Path, metavar="DIR", help="folder holding comments.csv and votes.csv")
    groups.add_argument(
        "--exclude",
        default="",
        metavar="ID,ID",
        help="statements to leave out of the map as the moderator's hidden ones are, e.g. Pol.is 'meta' "
        "questions about the participant (age group, gender) that the export does not flag",
    )
    groups.add_argument(
        "--history",
        action="store_true",
        help="replay the votes in time order, updating the map once a second as Pol.is does, instead of "
        "computing from the final votes alone (closer to the groups Pol.is itself shows)",
    )
    groups.add_argument("--format", choices=("table", "json"), default="table", help="output format")


def groups_json(result: OpinionGroups) -> dict:
    return {"groups": result.groups_by_participant(), "consensus": list(result.consensus)}


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _summary(conv: Conversation, result: OpinionGroups, out) -> None:
    m = conv.matrix
    shown = int((~m.hidden).sum())
    left_out = (
        f" ({m.n_statements - shown} left out: hidden by the moderator or excluded)"
        if shown < m.n_statements
        else ""
    )
    print(
        f"{m.n_participants} participants, {int(m.seen.sum())} votes, {m.n_statements} statements{left_out}",
        file=out,
    )
    print(
        f"{int(result.clustered.sum())} participants voted on enough statements to be placed in a group",
        file=out,
    )
    if result.k == 0:
        print(f"No opinion groups: {result.reason}.", file=out)
        return

    def body(sid: str) -> str:
        comment = conv.comments.get(sid)
        return _short(comment.body) if comment and comment.body else "(no text)"

    for g, (size, reps) in enumerate(zip(result.group_sizes(), result.representative, strict=True)):
        print(f"\nGroup {g}: {size} participants", file=out)
        for r in reps:
            print(
                f"  {r.statement:>6}  {round(100 * r.n_success / max(r.n_trials, 1)):3d}% {r.direction} "
                f"({r.n_success} of {r.n_trials})  {body(r.statement)}",
                file=out,
            )
    print("\nConsensus: statements a majority agreed with in every group", file=out)
    if not result.consensus:
        print("  none", file=out)
    gv = result.group_votes
    for sid in result.consensus:
        j = result.statements.index(sid)
        shares = ", ".join(f"{round(100 * gv.agree[g, j] / max(gv.seen[g, j], 1))}%" for g in range(result.k))
        print(f"  {sid:>6}  agree by group: {shares}  {body(sid)}", file=out)


def groups_command(args, out) -> int:
    exclude = [cid.strip() for cid in args.exclude.split(",") if cid.strip()]
    conv = read_conversation(args.file, exclude=exclude)
    if args.history:
        m = conv.matrix
        hidden = [s for s, h in zip(m.statements, m.hidden, strict=True) if h]
        live = replay(read_vote_events(args.file), m.statements, hidden, fresh_starts=False, k_buffer=4)
        result = live.result()
    else:
        result = compute_groups(conv.matrix)
    if args.format == "json":
        json.dump(groups_json(result), out, indent=2)
        print(file=out)
    else:
        _summary(conv, result, out)
    return 0
