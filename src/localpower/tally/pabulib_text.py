"""Low-level reading of Pabulib text: decoding, and splitting into META / PROJECTS / VOTES rows.

Every row keeps its 1-based line number so that errors can point at it. The fast path parses all lines
with one C-level ``csv.reader`` pass; files with quoted fields spanning several lines (rare) take a
slower path that asks the reader for each row's line number.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from pathlib import Path

from localpower.tally.model import TallyError

MARKERS = ("meta", "projects", "votes")


class PabulibError(TallyError):
    """A Pabulib file that cannot be read; ``line`` is 1-based."""

    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


class Section:
    """One section: the line of its name, its header cells, and its rows with their line numbers."""

    __slots__ = ("header", "line", "lines", "rows")

    def __init__(self, line: int, header: list[str], lines: Sequence[int], rows: list[list[str]]):
        self.line = line
        self.header = header
        self.lines = lines
        self.rows = rows


def load_text(source: str | os.PathLike | bytes) -> str:
    """The file's text from a path, the text itself, or its bytes (UTF-8, optional byte order mark)."""
    if isinstance(source, bytes):
        data = source
    elif isinstance(source, os.PathLike) or ("\n" not in source and source.strip()):
        # A Pabulib file has many lines, so a one-line string is a path.
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise TallyError(f"cannot open {os.fspath(source)}: {exc.strerror or exc}") from None
    else:
        return source.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise PabulibError(line, "the file is not UTF-8 text") from None


def _is_blank(row: list[str]) -> bool:
    return not row or (len(row) == 1 and not row[0].strip())


def _marker(row: list[str]) -> str | None:
    if len(row) == 1:
        name = row[0].strip().lower()
        if name in MARKERS:
            return name
    return None


def split_sections(text: str) -> dict[str, Section]:
    """META, PROJECTS and VOTES sections of the text; PabulibError when one is missing or malformed."""
    lines = text.split("\n")
    try:
        rows = list(csv.reader(lines, delimiter=";"))
    except csv.Error:
        return _split_slow(text)
    if len(rows) != len(lines):  # a quoted field ran over several lines
        return _split_slow(text)
    while rows and _is_blank(rows[-1]):
        rows.pop()
    last_line = len(rows)
    starts = [k for k, row in enumerate(rows) if len(row) == 1 and _marker(row)]
    for k in range(starts[0] if starts else len(rows)):
        if not _is_blank(rows[k]):
            raise PabulibError(k + 1, "the file must start with a META section")
    sections: dict[str, Section] = {}
    for n, k in enumerate(starts):
        name = _marker(rows[k])
        if name in sections:
            raise PabulibError(k + 1, f"the {name.upper()} section appears twice")
        end = starts[n + 1] if n + 1 < len(starts) else len(rows)
        h = k + 1
        while h < end and _is_blank(rows[h]):
            h += 1
        if h >= end:
            raise PabulibError(max(h, k + 1), f"the {name.upper()} section has no header line")
        header = [cell.strip() for cell in rows[h]]
        body = rows[h + 1 : end]
        widths = set(map(len, body))
        if 0 in widths or (1 in widths and len(header) != 1):
            keep = [i for i, row in enumerate(body) if not _is_blank(row)]
            sections[name] = Section(k + 1, header, [h + 2 + i for i in keep], [body[i] for i in keep])
        else:
            sections[name] = Section(k + 1, header, range(h + 2, h + 2 + len(body)), body)
    _require_all(sections, last_line)
    return sections


def _require_all(sections: dict[str, Section], last_line: int) -> None:
    for name in MARKERS:
        if name not in sections:
            raise PabulibError(last_line + 1, f"the file has no {name.upper()} section")


def _split_slow(text: str) -> dict[str, Section]:
    """Row by row, with the csv reader's own line count (handles fields spanning lines)."""
    sections: dict[str, Section] = {}
    current: Section | None = None
    expect_header = None
    last_line = 0
    reader = csv.reader(io.StringIO(text), delimiter=";")
    try:
        for row in reader:
            line = reader.line_num
            if _is_blank(row):
                continue
            last_line = line
            name = _marker(row)
            if name:
                if name in sections:
                    raise PabulibError(line, f"the {name.upper()} section appears twice")
                current = sections[name] = Section(line, [], [], [])
                expect_header = name
            elif current is None:
                raise PabulibError(line, "the file must start with a META section")
            elif expect_header:
                current.header = [cell.strip() for cell in row]
                expect_header = None
            else:
                current.lines.append(line)
                current.rows.append(row)
    except csv.Error as exc:
        raise PabulibError(reader.line_num, f"badly quoted field ({exc})") from None
    if expect_header:
        raise PabulibError(last_line, f"the {expect_header.upper()} section has no header line")
    _require_all(sections, last_line)
    return sections
