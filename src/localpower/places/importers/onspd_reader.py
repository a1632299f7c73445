"""Reading and checking an ONS postcode directory CSV (ONSPD or NSPL) before anything is written.

The whole file is checked first; the database is only touched once every row is known to be good (see
``onspd.import_postcodes``). Row numbers count the header as row 1, as a spreadsheet shows them.
"""

from __future__ import annotations

import csv
import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from localpower.places.models import GSS_CODE_PATTERN, PSEUDO_CODE_SUFFIX
from localpower.places.postcodes import InvalidPostcode, normalise_postcode

POSTCODE_COLUMNS = ("pcds", "pcd", "pcd8", "pcd7")
# The area columns, by kind of area: exact names, then patterns for the year-stamped NSPL names.
AREA_COLUMNS = {
    "county": (("oscty", "cty"), re.compile(r"^cty\d\dcd$")),
    "district": (("oslaua", "laua"), re.compile(r"^lad\d\dcd$")),
    "ward": (("osward", "ward"), re.compile(r"^wd\d\dcd$")),
    "parish": (("parish",), re.compile(r"^parncp\d\dcd$|^par\d\dcd$")),
}
# ONS codes for parts of a district with no parish council ("non-civil parished area"): not a parish.
NON_PARISHED_PREFIXES = ("E43",)
NO_LOCATION_LATITUDE = Decimal("99.999999")
_GSS = re.compile(GSS_CODE_PATTERN)
_YEAR_MONTH = re.compile(r"^(\d{4})(\d{2})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_SIX_PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "the file"
        return f"{where}, column {self.column}: {self.reason}" if self.column else f"{where}: {self.reason}"


class ImportFailed(Exception):
    """The file was refused; nothing was written. ``errors`` lists what is wrong, row by row."""

    def __init__(self, errors: list[RowError], *, stopped_early: bool = False):
        self.errors = errors
        self.stopped_early = stopped_early
        super().__init__("; ".join(str(e) for e in errors[:3]))


@dataclass(frozen=True)
class PostcodeRow:
    row: int
    postcode: str
    introduced: datetime.date | None
    terminated: datetime.date | None
    latitude: Decimal | None
    longitude: Decimal | None
    county: str | None
    district: str | None
    ward: str | None
    parish: str | None

    def same_data(self, other: PostcodeRow) -> bool:
        return self.__dict__ | {"row": 0} == other.__dict__ | {"row": 0}


@dataclass
class CheckedFile:
    rows: list[PostcodeRow] = field(default_factory=list)
    rows_read: int = 0
    skipped_other_authority: int = 0
    skipped_no_area: int = 0
    duplicates: int = 0
    columns: dict[str, str] = field(default_factory=dict)
    # For each area code: (kind, the code of its parent or None, first row it is on).
    areas: dict[str, tuple[str, str | None, int]] = field(default_factory=dict)


def find_columns(header: list[str]) -> tuple[dict[str, int], list[RowError]]:
    lowered = [name.strip().lower() for name in header]
    found: dict[str, int] = {}
    for name in POSTCODE_COLUMNS:
        if name in lowered:
            found["postcode"] = lowered.index(name)
            break
    for kind, (exact, pattern) in AREA_COLUMNS.items():
        index = next((lowered.index(n) for n in exact if n in lowered), None)
        if index is None:
            index = next((i for i, n in enumerate(lowered) if pattern.match(n)), None)
        if index is not None:
            found[kind] = index
    for name, key in (
        ("dointr", "introduced"),
        ("doterm", "terminated"),
        ("lat", "latitude"),
        ("long", "longitude"),
    ):
        if name in lowered:
            found[key] = lowered.index(name)
    errors = []
    if "postcode" not in found:
        errors.append(
            RowError(1, "", "missing column: the file needs a postcode column (pcds, pcd, pcd8 or pcd7)")
        )
    if "district" not in found and "ward" not in found:
        errors.append(
            RowError(
                1,
                "",
                "missing column: the file needs a local authority column (oslaua or ladNNcd) or a ward column (osward or wdNNcd)",
            )
        )
    return found, errors


def _date(text: str) -> datetime.date | None:
    text = text.strip()
    if not text:
        return None
    match = _YEAR_MONTH.match(text)
    if match:
        return datetime.date(int(match.group(1)), int(match.group(2)), 1)
    match = _ISO_DATE.match(text)
    if match:
        return datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    raise ValueError


def _code(text: str, kind: str) -> str | None:
    code = text.strip().upper()
    if not code or code.endswith(PSEUDO_CODE_SUFFIX):
        return None
    if not _GSS.match(code):
        raise ValueError
    if kind == "parish" and code.startswith(NON_PARISHED_PREFIXES):
        return None
    return code


def _coordinate(text: str, limit: int) -> Decimal | None:
    text = text.strip()
    if not text:
        return None
    value = Decimal(text)
    if not value.is_finite():
        raise InvalidOperation
    if abs(value) > limit:
        raise InvalidOperation
    return value.quantize(_SIX_PLACES)


def check_rows(
    lines: Iterable[list[str]],
    *,
    authorities: set[str] | None = None,
    max_errors: int = 20,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 10_000,
) -> CheckedFile:
    """Check every row and return the good ones, or raise ``ImportFailed`` listing up to ``max_errors`` problems."""
    reader = iter(lines)
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise ImportFailed([RowError(1, "", f"not a readable CSV file ({error})")]) from None
    if not header:
        raise ImportFailed([RowError(0, "", "the file is empty")])
    columns, errors = find_columns(header)
    if errors:
        raise ImportFailed(errors)
    names = {key: header[index].strip() for key, index in columns.items()}
    checked = CheckedFile(columns=names)
    width = len(header)
    seen: dict[str, PostcodeRow] = {}
    row_number = 1
    stopped = False
    while True:
        try:
            values = next(reader, None)
        except csv.Error as error:
            errors.append(RowError(row_number + 1, "", f"the line cannot be read as CSV ({error})"))
            break
        except UnicodeDecodeError:
            errors.append(RowError(row_number + 1, "", "the file is not UTF-8 text"))
            break
        if values is None:
            break
        row_number += 1
        checked.rows_read += 1
        if progress and checked.rows_read % progress_every == 0:
            progress(checked.rows_read)
        if not values or values == [""]:
            continue
        if len(values) != width:
            errors.append(
                RowError(row_number, "", f"has {len(values)} values but the header has {width} columns")
            )
        else:
            row = _check_row(row_number, values, columns, names, errors)
            if row is not None:
                _keep(row, checked, seen, errors, authorities)
        if len(errors) >= max_errors:
            stopped = True
            break
    if errors:
        raise ImportFailed(errors[:max_errors], stopped_early=stopped)
    return checked


def _check_row(
    number: int, values: list[str], columns: dict[str, int], names: dict[str, str], errors: list[RowError]
):
    row_errors: list[RowError] = []
    raw_postcode = values[columns["postcode"]]
    postcode = None
    try:
        postcode = normalise_postcode(raw_postcode)
    except InvalidPostcode:
        reason = (
            "the postcode is empty"
            if not raw_postcode.strip()
            else f"malformed postcode {raw_postcode.strip()!r}"
        )
        row_errors.append(RowError(number, names["postcode"], reason))
    codes: dict[str, str | None] = {}
    for kind in AREA_COLUMNS:
        if kind not in columns:
            codes[kind] = None
            continue
        raw = values[columns[kind]]
        try:
            codes[kind] = _code(raw, kind)
        except ValueError:
            row_errors.append(
                RowError(
                    number,
                    names[kind],
                    f"bad GSS code {raw.strip()!r} (a capital letter and 8 digits, like E05013806)",
                )
            )
    dates: dict[str, datetime.date | None] = {}
    for key in ("introduced", "terminated"):
        raw = values[columns[key]] if key in columns else ""
        try:
            dates[key] = _date(raw)
        except ValueError:
            row_errors.append(
                RowError(number, names[key], f"bad date {raw.strip()!r} (expected YYYYMM, like 202305)")
            )
    if dates.get("introduced") and dates.get("terminated") and dates["terminated"] < dates["introduced"]:
        row_errors.append(RowError(number, names["terminated"], "the postcode ends before it was introduced"))
    coordinates: dict[str, Decimal | None] = {}
    for key, limit in (("latitude", 90), ("longitude", 180)):
        raw = values[columns[key]] if key in columns else ""
        try:
            coordinates[key] = (
                None
                if key == "latitude" and raw.strip() == str(NO_LOCATION_LATITUDE)
                else _coordinate(raw, limit)
            )
        except (InvalidOperation, ValueError):
            row_errors.append(RowError(number, names[key], f"bad {key} {raw.strip()!r}"))
    if coordinates.get("latitude") is None:
        coordinates["longitude"] = None  # the ONS marks "no location" with latitude 99.999999, longitude 0
    if row_errors:
        errors.extend(row_errors)
        return None
    return PostcodeRow(
        number,
        postcode,
        dates["introduced"],
        dates["terminated"],
        coordinates["latitude"],
        coordinates["longitude"],
        **codes,
    )


def _keep(
    row: PostcodeRow, checked: CheckedFile, seen: dict, errors: list[RowError], authorities: set[str] | None
) -> None:
    if authorities and row.district not in authorities:
        checked.skipped_other_authority += 1
        return
    if not (row.district or row.ward or row.parish or row.county):
        checked.skipped_no_area += 1
        return
    earlier = seen.get(row.postcode)
    if earlier is not None:
        if earlier.same_data(row):
            checked.duplicates += 1
        else:
            errors.append(
                RowError(
                    row.row,
                    checked.columns["postcode"],
                    f"{row.postcode} is also on row {earlier.row} with different details",
                )
            )
        return
    parents = {"county": None, "district": row.county, "ward": row.district, "parish": row.district}
    for kind in ("county", "district", "ward", "parish"):
        code = getattr(row, kind)
        if code is None:
            continue
        known = checked.areas.get(code)
        if known is None:
            checked.areas[code] = (kind, parents[kind], row.row)
        elif known[0] != kind:
            errors.append(
                RowError(
                    row.row,
                    checked.columns[kind],
                    f"{code} is a {kind} here but a {known[0]} on row {known[2]}",
                )
            )
            return
        elif known[1] is None and parents[kind] is not None:
            checked.areas[code] = (kind, parents[kind], known[2])
        elif known[1] != parents[kind] and parents[kind] is not None:
            errors.append(
                RowError(
                    row.row,
                    checked.columns[kind],
                    f"{code} is in {parents[kind]} here but in {known[1]} on row {known[2]}",
                )
            )
            return
    seen[row.postcode] = row
    checked.rows.append(row)
