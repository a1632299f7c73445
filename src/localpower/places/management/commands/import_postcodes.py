"""import_postcodes: load postcodes and their areas from an ONS postcode directory CSV."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from localpower.places.importers.names import NamesFileError, read_names
from localpower.places.importers.onspd import ImportFailed, import_postcodes

HELP = """Import postcodes and their areas from an ONS postcode directory (ONSPD or NSPL) CSV file.

Columns used: the postcode (pcds, pcd, pcd8 or pcd7), local authority (oslaua or ladNNcd), ward (osward or
wdNNcd), parish (parish or parncpNNcd), county (oscty or ctyNNcd), dates introduced and ended (dointr, doterm,
as YYYYMM) and location (lat, long). Other columns are ignored. "Not applicable" codes such as S99999999 and the
E43 codes for places with no parish council are not areas; postcodes with no area at all are skipped.

All or nothing: the whole file is checked first, and if any row is wrong nothing is imported and up to 20
problems are listed with their row numbers (the header is row 1). Importing the same file again changes nothing.

Names: the file has only codes. Give one or more --names files to name the areas: ONS "names and codes" files
(columns such as WD23CD and WD23NM), the UK local authorities list (gss-code and official-name), or a simple
CSV with code and name columns. An area with no known name is named after its code and marked as needing a
name, so an officer can rename it (in the admin: Areas, filter "needs a name"); a later import with names fills
those in.

Boundary sets: new areas join the boundary set (--boundary-set, starting on --valid-from). Areas whose code
already exists on that date are reused. Wards and parishes with a GSS code in the file's local authorities that
started earlier and are not in the file end the day before the set starts; their postcodes keep pointing at them
for lookups on earlier dates.

The import is recorded in the audit log (give --by to name the person running it).
"""


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--valid-from must be a date like 2023-05-04, not {text!r}.") from None


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name, subcommand, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        kwargs["formatter_class"] = RawDescriptionHelpFormatter
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file to import")
        parser.add_argument(
            "--boundary-set",
            metavar="NAME",
            help='the boundary set new areas join (default "Postcodes from FILE-NAME")',
        )
        parser.add_argument(
            "--valid-from",
            metavar="DATE",
            type=_date,
            help="the date new areas start, as YYYY-MM-DD (default: today, or the existing boundary set's date)",
        )
        parser.add_argument(
            "--authority",
            metavar="GSS",
            action="append",
            default=[],
            help="only import postcodes in this local authority (repeat for more than one), e.g. E07000012",
        )
        parser.add_argument(
            "--names", metavar="FILE", action="append", default=[], help="a CSV of area codes and names"
        )
        parser.add_argument(
            "--by",
            metavar="EMAIL",
            help="the e-mail address of the person running the import, for the audit log",
        )
        parser.add_argument("--max-errors", type=int, default=20, help="stop after this many problems (20)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")
        names: dict[str, str] = {}
        for names_file in options["names"]:
            try:
                names.update(read_names(names_file))
            except NamesFileError as error:
                raise CommandError(str(error)) from None
        actor = None
        if options["by"]:
            from django.contrib.auth import get_user_model

            actor = get_user_model().objects.filter(email__iexact=options["by"].strip()).first()
            if actor is None:
                raise CommandError(f"There is no account with the e-mail address {options['by']}.")
        total = _count_rows(path)
        verbose = options["verbosity"] > 0
        step = max(10_000, total // 20) if total else 10_000
        last = {"checked": 0, "written": 0}

        def progress(phase: str, done: int, of: int | None) -> None:
            of = of or total
            if not verbose or (done - last[phase] < step and done != of):
                return
            last[phase] = done
            percent = f" ({done * 100 // of}%)" if of else ""
            noun = "rows" if phase == "checked" else "postcodes"
            sys.stderr.write(f"{phase.capitalize()} {done:,} of {of:,} {noun}{percent}\n")

        try:
            result = import_postcodes(
                path,
                boundary_set=options["boundary_set"],
                valid_from=options["valid_from"],
                authorities=options["authority"],
                names=names,
                actor=actor,
                max_errors=max(1, options["max_errors"]),
                progress=progress,
            )
        except ImportFailed as failure:
            lines = [f"Nothing was imported: {path.name} has problems."]
            lines += [f"  {error}" for error in failure.errors]
            if failure.stopped_early:
                lines.append(f"Stopped checking after {len(failure.errors)} problems.")
            raise CommandError("\n".join(lines)) from None

        write = self.stdout.write
        if result.changed:
            write(self.style.SUCCESS(f"Imported {path.name} into boundary set {result.boundary_set.name!r}."))
        else:
            write(self.style.SUCCESS(f"{path.name} was already imported: nothing changed."))
        write(f"  rows read: {result.rows_read:,}")
        write(
            f"  postcodes in the file: {result.postcodes_in_file:,} ({result.postcodes_created:,} new, "
            f"{result.postcodes_updated:,} updated)"
        )
        write(
            f"  areas: {result.areas_created:,} new, {result.areas_renamed:,} renamed, "
            f"{result.areas_needing_names:,} still named only by their code, "
            f"{result.areas_ended:,} ended (replaced by these boundaries)"
        )
        write(
            f"  links between postcodes and areas: {result.links_added:,} added, {result.links_removed:,} removed"
        )
        if result.skipped_other_authority:
            write(f"  skipped (other local authorities): {result.skipped_other_authority:,}")
        if result.skipped_no_area:
            write(f"  skipped (no area): {result.skipped_no_area:,}")
        if result.duplicates:
            write(f"  repeated rows: {result.duplicates:,}")
        write(f"  time: {result.seconds:.2f} s ({result.rows_per_second:,.0f} rows a second)")


def _count_rows(path: Path) -> int:
    """Data rows in the file (lines less the header), counted quickly for the progress figures."""
    lines = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            lines += chunk.count(b"\n")
    return max(lines - 1, 0)
