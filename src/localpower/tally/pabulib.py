"""Read and write Pabulib ``.pb`` files (the open format of participatory budgeting elections).

A file has three sections, META, PROJECTS and VOTES, each a line with the section name followed by a
header line and ``;``-separated rows (fields may be double-quoted, with ``""`` for a quote).

Reading is strict: anything wrong with the file raises :class:`PabulibError` carrying the 1-based line
number and a plain-English message (``str(error)`` is ``"line 14: vote for unknown project '77'"``).
Decisions taken where the format leaves room:

* ``num_projects`` / ``num_votes`` in META must match the rows. Every file in the shared Pabulib sample
  agrees, so a disagreement is treated as a damaged file (error at the META line).
* A project listed twice on one ballot is an error. One real file (Czestochowa 2020, cumulative) lists
  a project four times with 1 point each; ``read_pabulib(..., repeats="sum")`` reads such ballots by
  adding the points up, which is also how that file's own ``score`` column was computed.
* Cumulative and scoring ballots may not give 0 points (leave the project off instead): a listed zero
  cannot be told apart from an absent project once ballots are counted.
* ``choose-1`` is read as approval with ``max_length`` 1; META keeps ``vote_type;choose-1``.
* On ordinal ballots a ``points`` column (Krakow gives 3, 2, 1) is kept as an ordinary voter column.
"""

from __future__ import annotations

import csv
import io
import os
from fractions import Fraction
from operator import itemgetter

import numpy as np

from localpower.tally.model import BallotKind, Election, Profile, Project, TallyError
from localpower.tally.pabulib_text import PabulibError, Section, load_text, split_sections

__all__ = ["PabulibError", "read_pabulib", "write_pabulib"]

VOTE_TYPES = {
    "approval": BallotKind.APPROVAL,
    "choose-1": BallotKind.APPROVAL,
    "cumulative": BallotKind.CUMULATIVE,
    "scoring": BallotKind.SCORING,
    "ordinal": BallotKind.ORDINAL,
}
POINTS_KINDS = (BallotKind.CUMULATIVE, BallotKind.SCORING)
INT_META = ("num_projects", "num_votes", "min_length", "max_length")
POINT_META = ("min_points", "max_points", "min_sum_points", "max_sum_points")


# ---------------------------------------------------------------------------------------------- helpers
def _number(text: str, line: int, what: str, *, allow_negative: bool = False) -> Fraction:
    try:
        value = Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        raise PabulibError(line, f"{what} {text.strip()!r} is not a number") from None
    if value < 0 and not allow_negative:
        raise PabulibError(line, f"{what} {text.strip()!r} is negative")
    return value


def _integer(text: str, line: int, what: str) -> int:
    value = _number(text, line, what)
    if value.denominator != 1:
        raise PabulibError(line, f"{what} {text.strip()!r} is not a whole number")
    return int(value)


def _points_value(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else float(value)


def _format_number(value: Fraction | int | float) -> str:
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    den, twos, fives = value.denominator, 0, 0
    while den % 2 == 0:
        den, twos = den // 2, twos + 1
    while den % 5 == 0:
        den, fives = den // 5, fives + 1
    if den != 1:  # not a terminating decimal: keep it exact
        return f"{value.numerator}/{value.denominator}"
    places = max(twos, fives)
    scaled = value * 10**places
    sign = "-" if scaled < 0 else ""
    digits = str(abs(scaled.numerator)).rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def _column(header: list[str], name: str, section: str, line: int, alt: str | None = None) -> int:
    for candidate in (name, alt):
        if candidate and candidate in header:
            return header.index(candidate)
    raise PabulibError(line, f"the {section} header has no {name!r} column")


def _check_width(row: list[str], header: list[str], line: int, section: str) -> None:
    if len(row) != len(header):
        raise PabulibError(line, f"{len(row)} fields but the {section} header has {len(header)} columns")


# ---------------------------------------------------------------------------------------------- reading
def _read_meta(section: Section) -> tuple[dict[str, str], dict[str, int]]:
    lines, rows = section.lines, section.rows
    meta: dict[str, str] = {}
    meta_lines: dict[str, int] = {}
    for line, row in zip(lines, rows, strict=True):
        key = row[0].strip()
        if len(row) < 2:
            raise PabulibError(line, f"META key {key!r} has no value")
        if key in meta:
            raise PabulibError(line, f"META key {key!r} appears twice")
        meta[key] = ";".join(row[1:]).strip() if len(row) > 2 else row[1].strip()
        meta_lines[key] = line
    return meta, meta_lines


def _read_projects(section: Section) -> tuple[tuple[Project, ...], tuple[str, ...]]:
    start, header, lines, rows = section.line, section.header, section.lines, section.rows
    i_id = _column(header, "project_id", "PROJECTS", start + 1)
    i_cost = _column(header, "cost", "PROJECTS", start + 1)
    seen: dict[str, int] = {}
    projects = []
    for line, row in zip(lines, rows, strict=True):
        _check_width(row, header, line, "PROJECTS")
        pid = row[i_id].strip()
        if not pid:
            raise PabulibError(line, "project with an empty project_id")
        if pid in seen:
            raise PabulibError(line, f"duplicate project id {pid!r} (first on line {seen[pid]})")
        seen[pid] = line
        cost = _number(row[i_cost], line, f"cost of project {pid!r}")
        name, categories, targets, fields = "", (), (), {}
        for col, value in zip(header, row, strict=True):
            if col in ("project_id", "cost"):
                continue
            if col == "name":
                name = value
            elif col in ("category", "categories"):
                categories = tuple(v.strip() for v in value.split(",") if v.strip())
            elif col in ("target", "targets"):
                targets = tuple(v.strip() for v in value.split(",") if v.strip())
            else:
                fields[col] = value
        projects.append(Project(pid, cost, name, categories, targets, fields))
    return tuple(projects), tuple(header)


class _BallotReader:
    """Parses and checks each distinct vote string once."""

    def __init__(self, election: Election, kind: BallotKind, limits: dict, repeats: str):
        self.index = election.index
        self.projects = election.projects
        self.kind = kind
        self.limits = limits
        self.repeats = repeats

    def parse(self, vote: str, points: str | None, line: int) -> tuple:
        """Canonical ballot key: approval sorted columns; ordinal columns in rank order;
        cumulative/scoring sorted (column, points) pairs."""
        names = [v.strip() for v in vote.split(",")] if vote.strip() else []
        cols = []
        for name in names:
            j = self.index.get(name)
            if j is None:
                raise PabulibError(line, f"vote for unknown project {name!r}")
            cols.append(j)
        values: list[Fraction] | None = None
        if self.kind in POINTS_KINDS or points is not None:
            pts = [p.strip() for p in points.split(",")] if points and points.strip() else []
            if len(pts) != len(cols):
                raise PabulibError(
                    line, f"the ballot lists {len(cols)} projects but {len(pts)} points values"
                )
            values = [
                Fraction(int(p))
                if p.isascii() and p.isdigit()
                else _number(p, line, "points value", allow_negative=True)
                for p in pts
            ]
        if len(set(cols)) != len(cols):
            dup = next(n for k, n in enumerate(names) if names.index(n) != k)
            if self.repeats == "sum" and self.kind in POINTS_KINDS:
                merged: dict[int, Fraction] = {}
                for j, v in zip(cols, values, strict=True):
                    merged[j] = merged.get(j, Fraction(0)) + v
                cols, values = list(merged), list(merged.values())
            else:
                raise PabulibError(line, f"project {dup!r} appears more than once on one ballot")
        self._check(cols, values, line)
        if self.kind is BallotKind.ORDINAL:
            return tuple(cols)
        if self.kind in POINTS_KINDS:
            return tuple(sorted(zip(cols, (_points_value(v) for v in values), strict=True)))
        return tuple(sorted(cols))

    def _check(self, cols: list[int], values: list[Fraction] | None, line: int) -> None:
        lim = self.limits
        n = len(cols)
        if lim["min_length"] is not None and n < lim["min_length"]:
            raise PabulibError(
                line, f"the ballot lists {n} projects, fewer than min_length {lim['min_length']}"
            )
        if lim["max_length"] is not None and n > lim["max_length"]:
            raise PabulibError(
                line, f"the ballot lists {n} projects, more than max_length {lim['max_length']}"
            )
        if lim["max_sum_cost"] is not None or lim["min_sum_cost"] is not None:
            total = sum((self.projects[j].cost for j in cols), Fraction(0))
            if lim["max_sum_cost"] is not None and total > lim["max_sum_cost"]:
                raise PabulibError(
                    line,
                    f"the ballot's projects cost {_format_number(total)} in total, more than "
                    f"max_sum_cost {_format_number(lim['max_sum_cost'])}",
                )
            if lim["min_sum_cost"] is not None and total < lim["min_sum_cost"]:
                raise PabulibError(
                    line,
                    f"the ballot's projects cost {_format_number(total)} in total, less than "
                    f"min_sum_cost {_format_number(lim['min_sum_cost'])}",
                )
        if values is None or self.kind not in POINTS_KINDS:
            return
        for j, v in zip(cols, values, strict=True):
            pid = self.projects[j].id
            if v == 0:
                raise PabulibError(
                    line, f"the ballot gives 0 points to project {pid!r}; leave it off instead"
                )
            if v < 0 and self.kind is BallotKind.CUMULATIVE:
                raise PabulibError(line, f"the ballot gives negative points to project {pid!r}")
            if lim["max_points"] is not None and v > lim["max_points"]:
                raise PabulibError(
                    line,
                    f"the ballot gives {_format_number(v)} points to project {pid!r}, more than "
                    f"max_points {_format_number(lim['max_points'])}",
                )
            if lim["min_points"] is not None and v < lim["min_points"]:
                raise PabulibError(
                    line,
                    f"the ballot gives {_format_number(v)} points to project {pid!r}, fewer than "
                    f"min_points {_format_number(lim['min_points'])}",
                )
        total = sum(values, Fraction(0))
        if lim["max_sum_points"] is not None and total > lim["max_sum_points"]:
            raise PabulibError(
                line,
                f"the ballot gives {_format_number(total)} points in total, more than "
                f"max_sum_points {_format_number(lim['max_sum_points'])}",
            )
        if lim["min_sum_points"] is not None and total < lim["min_sum_points"]:
            raise PabulibError(
                line,
                f"the ballot gives {_format_number(total)} points in total, fewer than "
                f"min_sum_points {_format_number(lim['min_sum_points'])}",
            )


def _limits(meta: dict[str, str], meta_lines: dict[str, int], kind: BallotKind) -> dict:
    limits: dict = {}
    for key in ("min_length", "max_length"):
        limits[key] = _integer(meta[key], meta_lines[key], key) if key in meta else None
    for key in ("min_sum_cost", "max_sum_cost"):
        limits[key] = _number(meta[key], meta_lines[key], key) if key in meta else None
    for key in POINT_META:
        limits[key] = _number(meta[key], meta_lines[key], key, allow_negative=True) if key in meta else None
    if meta.get("vote_type", "").strip() == "choose-1":
        limits["max_length"] = 1 if limits["max_length"] is None else min(limits["max_length"], 1)
    return limits


def read_pabulib(source: str | os.PathLike | bytes, *, repeats: str = "error") -> tuple[Election, Profile]:
    """Read a Pabulib file (a path, the file's text, or its bytes).

    ``repeats="sum"`` accepts cumulative/scoring ballots that list a project more than once by adding
    the points; by default that is an error. Raises :class:`PabulibError` for any problem.
    """
    if repeats not in ("error", "sum"):
        raise TallyError(f"repeats must be 'error' or 'sum', not {repeats!r}")
    text = load_text(source)
    sections = split_sections(text)
    meta, meta_lines = _read_meta(sections["meta"])
    meta_start = sections["meta"].line
    for key in ("budget", "vote_type"):
        if key not in meta:
            raise PabulibError(meta_start, f"META has no {key!r}")
    budget = _number(meta["budget"], meta_lines["budget"], "budget")
    vote_type = meta["vote_type"].strip()
    if vote_type not in VOTE_TYPES:
        raise PabulibError(
            meta_lines["vote_type"],
            f"unknown vote_type {vote_type!r} (expected one of: {', '.join(VOTE_TYPES)})",
        )
    kind = VOTE_TYPES[vote_type]
    for key in INT_META:
        if key in meta:
            _integer(meta[key], meta_lines[key], key)
    limits = _limits(meta, meta_lines, kind)

    projects, project_columns = _read_projects(sections["projects"])
    if "num_projects" in meta and int(Fraction(meta["num_projects"])) != len(projects):
        raise PabulibError(
            meta_lines["num_projects"],
            f"num_projects is {meta['num_projects']} but the PROJECTS section has {len(projects)} rows",
        )
    election = Election(projects, budget, meta, project_columns)

    votes = sections["votes"]
    start, header, lines, rows = votes.line, votes.header, votes.lines, votes.rows
    i_voter = _column(header, "voter_id", "VOTES", start + 1)
    i_vote = _column(header, "vote", "VOTES", start + 1)
    i_points = header.index("points") if "points" in header else None
    if kind in POINTS_KINDS and i_points is None:
        raise PabulibError(
            start + 1, f"the VOTES header has no 'points' column (needed for {vote_type} votes)"
        )
    if "num_votes" in meta and int(Fraction(meta["num_votes"])) != len(rows):
        raise PabulibError(
            meta_lines["num_votes"],
            f"num_votes is {meta['num_votes']} but the VOTES section has {len(rows)} rows",
        )
    width = len(header)
    if set(map(len, rows)) - {width}:
        for line, row in zip(lines, rows, strict=True):
            _check_width(row, header, line, "VOTES")
    profile = _read_votes(election, kind, header, lines, rows, i_voter, i_vote, i_points, limits, repeats)
    return election, profile


def _read_votes(election, kind, header, lines, rows, i_voter, i_vote, i_points, limits, repeats) -> Profile:
    n = len(rows)
    columns = [list(map(itemgetter(c), rows)) for c in range(len(header))]
    voter_ids = [v.strip() for v in columns[i_voter]]
    if len(set(voter_ids)) != n:
        seen: dict[str, int] = {}
        for line, vid in zip(lines, voter_ids, strict=True):
            if vid in seen:
                raise PabulibError(line, f"duplicate voter id {vid!r} (first on line {seen[vid]})")
            seen[vid] = line
    # Each distinct (vote, points) text is parsed and checked once. Points on approval and ordinal
    # ballots (Krakow's 3,2,1) stay an ordinary voter column but must still match the vote's length.
    keys = (
        list(zip(columns[i_vote], columns[i_points], strict=True))
        if i_points is not None
        else columns[i_vote]
    )
    parser = _BallotReader(election, kind, limits, repeats)
    canonical_row: dict[tuple, int] = {}
    raw_row: dict = {}
    unique: list[tuple] = []
    first_seen = None
    for key in dict.fromkeys(keys):
        vote, points = key if i_points is not None else (key, None)
        try:
            ballot = parser.parse(vote, points, 0)
        except PabulibError as exc:
            first_seen = keys.index(key)
            raise PabulibError(lines[first_seen], exc.message) from None
        r = canonical_row.get(ballot)
        if r is None:
            r = canonical_row[ballot] = len(unique)
            unique.append(ballot)
        raw_row[key] = r
    voter_rows = np.fromiter(map(raw_row.__getitem__, keys), dtype=np.int32, count=n)
    ballots = _matrix(unique, kind, election.n_projects)
    weights = np.bincount(voter_rows, minlength=len(unique)).astype(np.int64)
    skip = {i_voter, i_vote} | ({i_points} if kind in POINTS_KINDS else set())
    voter_fields = {header[c]: columns[c] for c in range(len(header)) if c not in skip}
    return Profile(
        kind=kind,
        ballots=ballots,
        weights=weights,
        voter_ids=tuple(voter_ids),
        voter_rows=voter_rows,
        voter_columns=tuple(header),
        voter_fields=voter_fields,
        min_length=limits["min_length"],
        max_length=limits["max_length"],
        max_sum_cost=limits["max_sum_cost"],
        min_points=_int_or_none(limits["min_points"]),
        max_points=_int_or_none(limits["max_points"]),
        min_sum_points=_int_or_none(limits["min_sum_points"]),
        max_sum_points=_int_or_none(limits["max_sum_points"]),
    )


def _int_or_none(value: Fraction | None):
    if value is None:
        return None
    return int(value) if value.denominator == 1 else float(value)


def _matrix(unique: list[tuple], kind: BallotKind, m: int) -> np.ndarray:
    u = len(unique)
    if kind is BallotKind.APPROVAL:
        matrix = np.zeros((u, m), dtype=np.bool_)
        for r, cols in enumerate(unique):
            matrix[r, list(cols)] = True
        return matrix
    if kind is BallotKind.ORDINAL:
        matrix = np.zeros((u, m), dtype=np.int32)
        for r, cols in enumerate(unique):
            matrix[r, list(cols)] = np.arange(1, len(cols) + 1, dtype=np.int32)
        return matrix
    is_float = any(isinstance(v, float) for ballot in unique for _, v in ballot)
    matrix = np.zeros((u, m), dtype=np.float64 if is_float else np.int64)
    for r, pairs in enumerate(unique):
        for j, v in pairs:
            matrix[r, j] = v
    return matrix


# ---------------------------------------------------------------------------------------------- writing
def _kept_or(meta: dict[str, str], key: str, value: Fraction | int) -> str:
    """Keep the META spelling when it already says the same number."""
    old = meta.get(key)
    if old is not None:
        try:
            if Fraction(old.strip()) == value:
                return old
        except (ValueError, ZeroDivisionError):
            pass
    return _format_number(value)


def write_pabulib(election: Election, profile: Profile) -> str:
    """The Pabulib text of an election and its ballots (read back by :func:`read_pabulib` unchanged)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    meta = dict(election.meta)
    if meta.get("vote_type") not in VOTE_TYPES or VOTE_TYPES[meta["vote_type"]] is not profile.kind:
        meta["vote_type"] = profile.kind.value
    meta["budget"] = _kept_or(meta, "budget", election.budget)
    meta["num_projects"] = _kept_or(meta, "num_projects", election.n_projects)
    meta["num_votes"] = _kept_or(meta, "num_votes", len(profile.voter_ids))
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    for key, value in meta.items():
        writer.writerow([key, value])

    columns = list(election.project_columns)
    for needed in ("project_id", "cost"):
        if needed not in columns:
            columns.insert(0 if needed == "project_id" else 1, needed)
    if any(p.name for p in election.projects) and "name" not in columns:
        columns.append("name")
    if any(p.categories for p in election.projects) and not {"category", "categories"} & set(columns):
        columns.append("categories")
    if any(p.targets for p in election.projects) and not {"target", "targets"} & set(columns):
        columns.append("targets")
    for p in election.projects:
        columns.extend(k for k in p.fields if k not in columns)
    writer.writerow(["PROJECTS"])
    writer.writerow(columns)
    for p in election.projects:
        writer.writerow([_project_value(p, col) for col in columns])

    _write_votes(writer, election, profile)
    return out.getvalue()


def _project_value(p: Project, col: str) -> str:
    if col == "project_id":
        return p.id
    if col == "cost":
        return _format_number(p.cost)
    if col == "name":
        return p.name
    if col in ("category", "categories"):
        return ",".join(p.categories)
    if col in ("target", "targets"):
        return ",".join(p.targets)
    return p.fields.get(col, "")


def _write_votes(writer, election: Election, profile: Profile) -> None:
    kind = profile.kind
    columns = list(profile.voter_columns)
    for needed in ("voter_id", "vote"):
        if needed not in columns:
            columns.insert(0 if needed == "voter_id" else 1, needed)
    if kind in POINTS_KINDS and "points" not in columns:
        columns.insert(columns.index("vote") + 1, "points")
    columns.extend(k for k in profile.voter_fields if k not in columns)
    ids = [p.id for p in election.projects]
    vote_text, point_text = [], []
    for r in range(profile.n_unique):
        row = profile.ballots[r]
        cols = np.flatnonzero(row)
        if kind is BallotKind.ORDINAL:
            cols = cols[np.argsort(row[cols], kind="stable")]
        vote_text.append(",".join(ids[j] for j in cols))
        if kind in POINTS_KINDS:
            point_text.append(",".join(_format_number(_exact(row[j])) for j in cols))
    writer.writerow(["VOTES"])
    writer.writerow(columns)
    fields = profile.voter_fields
    for i, vid in enumerate(profile.voter_ids):
        r = profile.voter_rows[i]
        out = []
        for col in columns:
            if col == "voter_id":
                out.append(vid)
            elif col == "vote":
                out.append(vote_text[r])
            elif col == "points" and kind in POINTS_KINDS:
                out.append(point_text[r])
            else:
                values = fields.get(col)
                out.append(values[i] if values is not None else "")
        writer.writerow(out)


def _exact(value) -> Fraction:
    if isinstance(value, np.integer | int):
        return Fraction(int(value))
    return Fraction(float(value)).limit_denominator(10**9)
