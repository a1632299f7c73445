"""Reading area names from CSV files, for imports that only know codes.

Three layouts are understood (column names are matched without regard to capitals):

* ONS "names and codes" files: any pair of columns ``XXXXCD`` and ``XXXXNM`` with the same stem, such as
  ``WD23CD``/``WD23NM`` or ``LAD23CD``/``LAD23NM``. Every pair in the file is read.
* The UK local authorities list (mySociety register): columns ``gss-code`` and ``official-name``.
* A plain list: columns ``code`` and ``name``.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from localpower.places.models import GSS_CODE_PATTERN

_GSS = re.compile(GSS_CODE_PATTERN)


class NamesFileError(ValueError):
    """The names file cannot be read. ``str(error)`` says why, in plain English."""


def _column_pairs(header: list[str]) -> list[tuple[int, int]]:
    lowered = [name.strip().lower() for name in header]
    if "gss-code" in lowered and "official-name" in lowered:
        return [(lowered.index("gss-code"), lowered.index("official-name"))]
    if "code" in lowered and "name" in lowered:
        return [(lowered.index("code"), lowered.index("name"))]
    pairs = []
    for index, name in enumerate(lowered):
        if name.endswith("cd") and f"{name[:-2]}nm" in lowered:
            pairs.append((index, lowered.index(f"{name[:-2]}nm")))
    return pairs


def read_names(path: str | Path) -> dict[str, str]:
    """Return {GSS code: name} from ``path``. Rows without a proper code or name are passed over."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if not header:
                raise NamesFileError(f"The names file {path.name} is empty.")
            pairs = _column_pairs(header)
            if not pairs:
                raise NamesFileError(
                    f"The names file {path.name} needs columns 'code' and 'name', 'gss-code' and "
                    "'official-name', or ONS pairs such as 'WD23CD' and 'WD23NM'."
                )
            names: dict[str, str] = {}
            for row in reader:
                for code_index, name_index in pairs:
                    if code_index >= len(row) or name_index >= len(row):
                        continue
                    code = row[code_index].strip().upper()
                    name = " ".join(row[name_index].split())
                    if name and _GSS.match(code):
                        names[code] = name[:200]
            return names
    except FileNotFoundError:
        raise NamesFileError(f"There is no names file at {path}.") from None
    except UnicodeDecodeError:
        raise NamesFileError(f"The names file {path.name} is not UTF-8 text.") from None
    except csv.Error as error:
        raise NamesFileError(f"The names file {path.name} is not a readable CSV file: {error}.") from None
