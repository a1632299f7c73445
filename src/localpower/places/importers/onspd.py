"""Importing postcodes and their areas from an ONS postcode directory (ONSPD or NSPL) CSV file.

All or nothing: the whole file is checked first (``onspd_reader.check_rows``); if any row is bad, nothing is
written and ``ImportFailed`` lists the problems. Then everything is written in one transaction. Importing the same
file again changes nothing.

Which areas are made: the file's local authority (``oslaua``/``ladNNcd``), ward (``osward``/``wdNNcd``), parish
(``parish``/``parncpNNcd``) and county (``oscty``/``ctyNNcd``) codes. "Not applicable" pseudo-codes such as
S99999999, and the E43 codes the ONS gives to parts of a district with no parish council, are not areas. Wards
and parishes are put in their local authority, and a local authority in its county. An area whose code already
exists on the boundary set's start date is reused as it is (so an officer's name or parent is kept); otherwise a
new area is created in the boundary set, valid from its start date.

Names: the file has only codes. A name comes from the ``names`` mapping (see ``names.read_names``: ONS names
and codes files, the UK local authorities list, or a plain code,name list); an area with no known name is named
after its code and marked ``needs_name`` so an officer can rename it. A later import with names renames areas
still marked ``needs_name``.

A postcode is linked to the smallest areas it is in: its ward and parish (or its local authority when it has no
ward). Links to areas from other boundary sets are kept, so past boundaries still answer dated lookups.

A new boundary set replaces the old one in the file's local authorities: a ward or parish with a GSS code that
started before the set, lies in one of the file's local authorities and is not in the file ends the day before
the set starts (its postcode links stay, for dated lookups).
"""

from __future__ import annotations

import csv
import datetime
import getpass
import io
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.utils.text import slugify

from localpower.core import audit
from localpower.places.importers.onspd_reader import (
    CheckedFile,
    ImportFailed,
    PostcodeRow,
    RowError,
    check_rows,
)
from localpower.places.models import Area, AreaKind, BoundarySet, Postcode, valid_on_q

__all__ = ["ImportFailed", "ImportResult", "RowError", "import_postcodes"]

KINDS = {
    "county": AreaKind.COUNTY,
    "district": AreaKind.DISTRICT,
    "ward": AreaKind.WARD,
    "parish": AreaKind.PARISH,
}
BATCH = 2000


@dataclass
class ImportResult:
    boundary_set: BoundarySet | None = None
    rows_read: int = 0
    postcodes_in_file: int = 0
    postcodes_created: int = 0
    postcodes_updated: int = 0
    areas_created: int = 0
    areas_renamed: int = 0
    areas_needing_names: int = 0
    areas_ended: int = 0
    links_added: int = 0
    links_removed: int = 0
    skipped_other_authority: int = 0
    skipped_no_area: int = 0
    duplicates: int = 0
    seconds: float = 0.0
    columns: dict[str, str] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(
            self.postcodes_created
            or self.postcodes_updated
            or self.areas_created
            or self.areas_renamed
            or self.areas_ended
            or self.links_added
            or self.links_removed
        )

    @property
    def rows_per_second(self) -> float:
        return self.rows_read / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict:
        data = {k: v for k, v in self.__dict__.items() if k not in {"boundary_set", "columns", "seconds"}}
        data["seconds"] = round(self.seconds, 2)
        return data


def import_postcodes(
    source: str | Path | Iterable[str],
    *,
    boundary_set: str | None = None,
    valid_from: datetime.date | None = None,
    authorities: Iterable[str] = (),
    names: dict[str, str] | None = None,
    actor=None,
    max_errors: int = 20,
    progress_every: int = 10_000,
    progress: Callable[[str, int, int | None], None] | None = None,
) -> ImportResult:
    """Import ``source`` (a path, or lines of CSV text). Raises ``ImportFailed``; then nothing has changed.

    ``boundary_set`` names the set new areas join (default: "Postcodes from <file name>"); ``valid_from`` is its
    start date for a new set (default today; for an existing set it must match or be left out). ``authorities``
    limits the import to postcodes in those local authority codes. ``progress(phase, done, total)`` is called now
    and then: phase "checked" (rows checked, total None) or "written" (postcodes written out of total).
    """
    started = time.perf_counter()
    authority_codes = {code.strip().upper() for code in authorities if code.strip()}
    label = Path(source).name if isinstance(source, str | Path) else "uploaded file"
    set_name = (boundary_set or f"Postcodes from {label}").strip()[:200]
    checked = _check(source, authority_codes, max_errors, progress, progress_every)
    result = ImportResult(
        rows_read=checked.rows_read,
        postcodes_in_file=len(checked.rows),
        skipped_other_authority=checked.skipped_other_authority,
        skipped_no_area=checked.skipped_no_area,
        duplicates=checked.duplicates,
        columns=checked.columns,
    )
    with transaction.atomic():
        result.boundary_set = _boundary_set(set_name, valid_from, label)
        area_ids = _write_areas(checked, result, names or {})
        _end_replaced_areas(checked, result, area_ids)
        _write_postcodes(checked, result, area_ids, progress)
        result.seconds = time.perf_counter() - started
        audit.record(
            actor=actor,
            action="places.postcodes_imported",
            target=result.boundary_set,
            summary=(
                f"Imported {result.postcodes_in_file:,} postcodes from {label}: "
                f"{result.postcodes_created:,} new, {result.postcodes_updated:,} updated, "
                f"{result.areas_created:,} new areas"
            ),
            changes={
                **result.as_dict(),
                "file": label,
                "authorities": sorted(authority_codes),
                "run_by": actor.get_username() if actor is not None else _os_user(),
            },
        )
    return result


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _check(source, authorities: set[str], max_errors: int, progress, every: int) -> CheckedFile:
    def report(rows: int) -> None:
        if progress:
            progress("checked", rows, None)

    if isinstance(source, str | Path):
        path = Path(source)
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                return check_rows(
                    csv.reader(handle),
                    authorities=authorities,
                    max_errors=max_errors,
                    progress=report,
                    progress_every=every,
                )
        except FileNotFoundError:
            raise ImportFailed([RowError(0, "", f"there is no file at {path}")]) from None
        except UnicodeDecodeError:
            raise ImportFailed([RowError(0, "", "the file is not UTF-8 text")]) from None
        except IsADirectoryError:
            raise ImportFailed([RowError(0, "", f"{path} is a folder, not a CSV file")]) from None
    lines = source if not isinstance(source, str) else io.StringIO(source)
    return check_rows(
        csv.reader(lines),
        authorities=authorities,
        max_errors=max_errors,
        progress=report,
        progress_every=every,
    )


def _boundary_set(name: str, valid_from: datetime.date | None, label: str) -> BoundarySet:
    existing = BoundarySet.objects.filter(name=name).first()
    if existing is not None:
        if valid_from is not None and valid_from != existing.valid_from:
            raise ImportFailed(
                [
                    RowError(
                        0,
                        "",
                        f"the boundary set {name!r} starts on {existing.valid_from:%d %B %Y}, not "
                        f"{valid_from:%d %B %Y}: leave out the start date or use another boundary set name",
                    )
                ]
            )
        return existing
    boundary_set = BoundarySet(
        name=name,
        valid_from=valid_from or datetime.date.today(),
        source=f"ONS postcode directory: {label}"[:200],
    )
    boundary_set.full_clean()
    boundary_set.save()
    return boundary_set


def _unique_slug(name: str, code: str, taken: set[str]) -> str:
    base = slugify(name)[:100] or code.lower()
    candidates = [base, f"{base}-{code.lower()}"] if base != code.lower() else [base]
    for candidate in candidates:
        if candidate not in taken:
            break
    else:
        number = 2
        while f"{base}-{code.lower()}-{number}" in taken:
            number += 1
        candidate = f"{base}-{code.lower()}-{number}"
    taken.add(candidate)
    return candidate


def _write_areas(checked: CheckedFile, result: ImportResult, names: dict[str, str]) -> dict[str, int]:
    """Find or create every area in the file; return {code: area id}."""
    boundary_set = result.boundary_set
    day = boundary_set.valid_from
    codes = list(checked.areas)
    existing: dict[str, Area] = {}
    for start in range(0, len(codes), BATCH):
        chunk = codes[start : start + BATCH]
        for area in Area.objects.filter(gss_code__in=chunk).filter(valid_on_q(day)):
            existing.setdefault(area.gss_code, area)
        for area in Area.objects.filter(gss_code__in=chunk, boundary_set=boundary_set):
            existing[area.gss_code] = area
    errors = []
    for code, area in existing.items():
        kind = KINDS[checked.areas[code][0]]
        if area.kind != kind:
            errors.append(
                RowError(
                    checked.areas[code][2],
                    checked.columns[checked.areas[code][0]],
                    f"{code} is a {kind.label.lower()} in this file but {area.name} "
                    f"({area.get_kind_display().lower()}) in the database",
                )
            )
    if errors:
        raise ImportFailed(errors[:20])

    ids = {code: area.pk for code, area in existing.items()}
    renamed = []
    for code, area in existing.items():
        if area.needs_name and names.get(code) and area.name != names[code]:
            area.name = names[code]
            area.needs_name = False
            renamed.append(area)
    Area.objects.bulk_update(renamed, ["name", "needs_name"], batch_size=BATCH)
    result.areas_renamed = len(renamed)

    taken = set(Area.objects.values_list("slug", flat=True))
    for kind in ("county", "district", "ward", "parish"):
        new_areas = []
        for code, (area_kind, parent_code, _row) in checked.areas.items():
            if area_kind != kind or code in ids:
                continue
            name = names.get(code) or code
            area = Area(
                name=name,
                slug=_unique_slug(name, code, taken),
                kind=KINDS[kind],
                gss_code=code,
                parent_id=ids.get(parent_code) if parent_code else None,
                boundary_set=boundary_set,
                valid_from=day,
                needs_name=code not in names,
            )
            if (
                area.kind == AreaKind.WARD
                and area.parent_id is None
                or (area.kind == AreaKind.PARISH and area.parent_id is None)
            ):
                errors.append(
                    RowError(
                        _row, checked.columns[kind], f"{code} has no local authority, so it cannot be placed"
                    )
                )
                continue
            new_areas.append(area)
        if errors:
            raise ImportFailed(errors[:20])
        Area.objects.bulk_create(new_areas, batch_size=BATCH)
        if new_areas and new_areas[0].pk is None:  # databases that do not return ids from bulk inserts
            created = dict(
                Area.objects.filter(
                    boundary_set=boundary_set, gss_code__in=[a.gss_code for a in new_areas]
                ).values_list("gss_code", "pk")
            )
        else:
            created = {area.gss_code: area.pk for area in new_areas}
        ids.update(created)
        result.areas_created += len(new_areas)
    result.areas_needing_names = Area.objects.filter(pk__in=ids.values(), needs_name=True).count()
    return ids


def _end_replaced_areas(checked: CheckedFile, result: ImportResult, area_ids: dict[str, int]) -> None:
    """End the wards and parishes this file's boundaries replace.

    A ward or parish with a GSS code, in one of the file's local authorities, that started before the boundary
    set and is not in the file, ends the day before the set starts. Its postcode links are kept, so lookups on
    earlier dates still find it.
    """
    day = result.boundary_set.valid_from
    districts = {
        area_ids[code] for code, (kind, _parent, _row) in checked.areas.items() if kind == "district"
    }
    if not districts:
        return
    in_file = set(area_ids.values())
    candidates = (
        Area.objects.filter(valid_on_q(day), valid_from__lt=day, kind__in=[AreaKind.WARD, AreaKind.PARISH])
        .exclude(gss_code="")
        .exclude(pk__in=in_file)
        .values_list("pk", "parent_id")
    )
    parents = dict(Area.objects.values_list("pk", "parent_id"))
    ended = []
    for pk, parent_id in candidates:
        node, seen = parent_id, set()
        while node is not None and node not in districts and node not in seen:
            seen.add(node)
            node = parents.get(node)
        if node in districts:
            ended.append(pk)
    result.areas_ended = Area.objects.filter(pk__in=ended).update(valid_to=day - datetime.timedelta(days=1))


def _smallest_areas(row: PostcodeRow, area_ids: dict[str, int]) -> set[int]:
    codes = [row.ward, row.parish] if row.ward else [row.parish, row.district or row.county]
    return {area_ids[code] for code in codes if code}


def _insert(table: str, columns: list[str], rows: list[tuple]) -> None:
    """Multi-row INSERTs: much faster than building model instances for hundreds of thousands of rows."""
    if not rows:
        return
    quote = connection.ops.quote_name
    limit = connection.features.max_query_params or 10_000
    per_statement = max(1, min(1000, limit // len(columns)))
    head = f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) VALUES "
    one = f"({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            cursor.execute(head + ", ".join([one] * len(batch)), [value for row in batch for value in row])


def _write_postcodes(checked: CheckedFile, result: ImportResult, area_ids: dict[str, int], progress) -> None:
    day = result.boundary_set.valid_from
    # Links to areas of the kinds this import manages, valid on its date, are replaced by the file's links.
    managed = set(
        Area.objects.filter(valid_on_q(day), kind__in=list(KINDS.values())).values_list("pk", flat=True)
    ) | set(area_ids.values())
    through = Postcode.areas.through
    link_columns = [through._meta.get_field(name).column for name in ("postcode", "area")]
    fields = ["introduced", "terminated", "latitude", "longitude"]
    postcode_columns = [Postcode._meta.get_field(name).column for name in ["postcode", *fields]]
    ops = connection.ops

    def as_db(row: PostcodeRow) -> tuple:
        return (
            row.postcode,
            ops.adapt_datefield_value(row.introduced),
            ops.adapt_datefield_value(row.terminated),
            ops.adapt_decimalfield_value(row.latitude, 9, 6),
            ops.adapt_decimalfield_value(row.longitude, 9, 6),
        )

    rows = checked.rows
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        codes = [r.postcode for r in chunk]
        existing = {
            values[0]: values[1:]
            for values in Postcode.objects.filter(postcode__in=codes).values_list("postcode", "pk", *fields)
        }
        new, changed = [], []
        for row in chunk:
            known = existing.get(row.postcode)
            values = (row.introduced, row.terminated, row.latitude, row.longitude)
            if known is None:
                new.append(as_db(row))
            elif known[1:] != values:
                changed.append(
                    Postcode(pk=known[0], postcode=row.postcode, **dict(zip(fields, values, strict=True)))
                )
        _insert(Postcode._meta.db_table, postcode_columns, new)
        Postcode.objects.bulk_update(changed, fields, batch_size=BATCH)
        result.postcodes_created += len(new)
        result.postcodes_updated += len(changed)
        pks = (
            dict(Postcode.objects.filter(postcode__in=codes).values_list("postcode", "pk"))
            if new
            else {code: known[0] for code, known in existing.items()}
        )
        have: dict[int, set[int]] = {}
        for postcode_id, area_id in through.objects.filter(postcode_id__in=pks.values()).values_list(
            "postcode_id", "area_id"
        ):
            have.setdefault(postcode_id, set()).add(area_id)
        add, remove = [], {}
        for row in chunk:
            postcode_id = pks[row.postcode]
            wanted = _smallest_areas(row, area_ids)
            current = have.get(postcode_id, set())
            add.extend((postcode_id, area_id) for area_id in wanted - current)
            if stale := (current & managed) - wanted:
                remove[postcode_id] = stale
        _insert(through._meta.db_table, link_columns, add)
        for postcode_id, area_ids_to_drop in remove.items():
            through.objects.filter(postcode_id=postcode_id, area_id__in=area_ids_to_drop).delete()
        result.links_added += len(add)
        result.links_removed += sum(len(stale) for stale in remove.values())
        if progress:
            progress("written", min(start + BATCH, len(rows)), len(rows))
