"""Reading the taxonomy's plain files (CSV, YAML) and the rules every file obeys.

A file that breaks a rule (duplicate id, empty required cell, undecodable bytes) raises
TaxonomyError naming the file, the line and the reason.
"""

from __future__ import annotations

import csv
from pathlib import Path

import yaml

from ..errors import TaxonomyError
from ..text import nfc


class ById:
    """Iteration in file order, length, and membership by id, for a frozen collection whose
    items are `self.members()` and whose id index is `self._by_id`."""

    def members(self) -> tuple:
        raise NotImplementedError

    def __iter__(self):
        return iter(self.members())

    def __len__(self) -> int:
        return len(self.members())

    def __contains__(self, item_id) -> bool:
        return item_id in self._by_id


def read_csv(path: Path, columns: tuple[str, ...], *, made_by: str = "") -> list[tuple[int, dict]]:
    """(line number, row) pairs; the header is line 1. `made_by`: the script that writes the file,
    named when it is missing."""
    try:
        with open(path, encoding="utf-8", newline="") as stream:
            reader = csv.DictReader(stream)
            missing = [c for c in columns if c not in (reader.fieldnames or ())]
            if missing:
                raise TaxonomyError(f"{path}: missing column(s) {', '.join(missing)}")
            return [(reader.line_num, {k: nfc(v or "") for k, v in row.items() if k})
                    for row in reader]
    except FileNotFoundError:
        raise TaxonomyError(f"{path}: file not found" + (f" (see {made_by})" if made_by else "")) from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise TaxonomyError(f"{path}: cannot be read as UTF-8 CSV ({exc})") from None


def read_yaml_list(path: Path, what: str) -> list:
    try:
        with open(path, encoding="utf-8") as stream:
            items = yaml.safe_load(stream)
    except FileNotFoundError:
        raise TaxonomyError(f"{path}: file not found") from None
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise TaxonomyError(f"{path}: cannot be read as UTF-8 YAML ({exc})") from None
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise TaxonomyError(f"{path}: expected a list of {what} (mappings)")
    return items


def check_rows(path: Path, rows, required: tuple[str, ...]) -> None:
    """Unique ids and no empty required cells."""
    first_line = {}
    for line, row in rows:
        for column in required:
            if not row.get(column):
                raise TaxonomyError(f"{path}: line {line}: empty {column}")
        row_id = row["id"]
        if row_id in first_line:
            raise TaxonomyError(f"{path}: line {line}: duplicate id {row_id!r} "
                                f"(first on line {first_line[row_id]})")
        first_line[row_id] = line
