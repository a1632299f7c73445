"""Read a conversation exported in the Pol.is openData layout.

A conversation directory holds:

* ``comments.csv``: ``comment-id``, ``author-id``, ``agrees``, ``disagrees``, ``moderated`` (-1 hidden by
  the moderator, 0 not yet moderated, 1 accepted), ``comment-body`` (and usually timestamps);
* ``votes.csv``: ``timestamp``, ``datetime``, ``comment-id``, ``voter-id``, ``vote`` (1 agree, -1 disagree,
  0 pass); the last vote of a participant on a statement counts;
* ``participants-votes.csv`` (optional): ``participant``, ``group-id``, vote counts, then one column per
  comment; ``group-id`` is the opinion group Pol.is itself gave the participant (blank if none).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from localpower.tally.opinion.matrix import OpinionDataError, VoteMatrix

__all__ = ["Comment", "Conversation", "read_conversation"]

_VOTES = {"1": 1, "-1": -1, "0": 0, "1.0": 1, "-1.0": -1, "0.0": 0}
_MODERATED = {"-1": -1, "0": 0, "1": 1, "": 0}


@dataclass(frozen=True, slots=True)
class Comment:
    id: str
    body: str = ""
    author: str = ""
    moderated: int = 0  # -1 hidden, 0 not moderated, 1 accepted


@dataclass
class Conversation:
    matrix: VoteMatrix
    comments: dict[str, Comment]
    # participant id -> group id as Pol.is gave it (None: not in a group); None when no file
    polis_groups: dict[str, int | None] | None = field(default=None)


def _rows(path: Path, required: tuple[str, ...]):
    """Yield (line number, row dict) from a CSV file, checking the header first."""
    if not path.is_file():
        raise OpinionDataError(f"{path.name}: file not found")
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise OpinionDataError(f"{path.name}: cannot open the file ({exc.strerror})") from None
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
            if header is None:
                raise OpinionDataError(f"{path.name}: the file is empty (a header line is needed)")
            header = [h.strip() for h in header]
            missing = [c for c in required if c not in header]
            if missing:
                raise OpinionDataError(
                    f"{path.name}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                    f"(the header has: {', '.join(header)})"
                )
            for row in reader:
                if not row or all(not cell.strip() for cell in row):
                    continue
                if len(row) < len(header):
                    row = row + [""] * (len(header) - len(row))
                yield reader.line_num, dict(zip(header, (cell.strip() for cell in row), strict=False))
        except csv.Error as exc:
            raise OpinionDataError(f"{path.name} line {reader.line_num}: not valid CSV ({exc})") from None
        except UnicodeDecodeError:
            raise OpinionDataError(f"{path.name}: not UTF-8 text") from None


def _sort_key(ident: str):
    return (0, int(ident), "") if ident.lstrip("-").isdigit() else (1, 0, ident)


def read_vote_events(directory: str | Path) -> list[tuple[int, str, str, int]]:
    """``votes.csv`` as (timestamp, voter, comment, vote) in time order (file order on equal times)."""
    votes_path = Path(directory) / "votes.csv"
    events: list[tuple[int, int, str, str, int]] = []
    for line, row in _rows(votes_path, ("comment-id", "voter-id", "vote")):
        vote = _VOTES.get(row["vote"])
        if vote is None:
            raise OpinionDataError(
                f"votes.csv line {line}: vote {row['vote']!r} is not 1 (agree), -1 (disagree) or 0 (pass)"
            )
        if not row["voter-id"] or not row["comment-id"]:
            raise OpinionDataError(f"votes.csv line {line}: empty voter-id or comment-id")
        stamp = row.get("timestamp", "")
        try:
            when = int(float(stamp)) if stamp else 0
        except ValueError:
            raise OpinionDataError(f"votes.csv line {line}: timestamp {stamp!r} is not a number") from None
        events.append((when, line, row["voter-id"], row["comment-id"], vote))
    events.sort()  # by time, then file order: the last vote counts
    return [(when, p, s, v) for when, _, p, s, v in events]


def read_conversation(directory: str | Path, exclude: Iterable[str] = ()) -> Conversation:
    """Read ``comments.csv``, ``votes.csv`` and (if present) ``participants-votes.csv``.

    ``exclude`` lists further statements to leave out of the opinion map, as the moderator's hidden
    ones are. Pol.is does this for *meta* statements (questions about the participant, such as age
    group), a flag the openData export does not carry.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise OpinionDataError("not a directory (give the folder holding comments.csv and votes.csv)")

    comments: dict[str, Comment] = {}
    for line, row in _rows(directory / "comments.csv", ("comment-id",)):
        cid = row["comment-id"]
        if not cid:
            raise OpinionDataError(f"comments.csv line {line}: empty comment-id")
        if cid in comments:
            raise OpinionDataError(f"comments.csv line {line}: comment {cid} is listed twice")
        moderated = _MODERATED.get(row.get("moderated", ""))
        if moderated is None:
            raise OpinionDataError(
                f"comments.csv line {line}: moderated is {row['moderated']!r}; "
                "expected -1 (hidden), 0 (not moderated) or 1 (accepted)"
            )
        comments[cid] = Comment(cid, row.get("comment-body", ""), row.get("author-id", ""), moderated)

    events = read_vote_events(directory)
    statements = sorted(comments, key=_sort_key)
    exclude = list(exclude)
    unknown = [cid for cid in exclude if cid not in comments]
    if unknown:
        raise OpinionDataError(f"cannot exclude statement {', '.join(unknown)}: not in comments.csv")
    hidden = [cid for cid, c in comments.items() if c.moderated < 0] + exclude
    matrix = VoteMatrix.from_votes(((p, s, v) for _, p, s, v in events), statements=statements, hidden=hidden)
    for sid in matrix.statements:
        comments.setdefault(sid, Comment(sid))

    polis_groups = None
    pv_path = directory / "participants-votes.csv"
    if pv_path.exists():
        polis_groups = {}
        for line, row in _rows(pv_path, ("participant", "group-id")):
            gid = row["group-id"]
            try:
                polis_groups[row["participant"]] = int(float(gid)) if gid else None
            except ValueError:
                raise OpinionDataError(
                    f"participants-votes.csv line {line}: group-id {gid!r} is not a number"
                ) from None
    return Conversation(matrix, comments, polis_groups)
