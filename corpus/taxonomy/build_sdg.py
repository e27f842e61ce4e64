"""Regenerate sdg_goals.csv and sdg_targets.csv from the open-sdg translations export.

Usage:
    python corpus/taxonomy/build_sdg.py SOURCE [--out DIR]

SOURCE is the folder `sdg-es-en-open-sdg/` (or its file
`sdg_goals_targets_indicators_es_en.csv`); DIR defaults to this script's folder.
Only the standard library is used, so this runs without the project installed.
"""

import argparse
import csv
import sys
import unicodedata
from pathlib import Path

SOURCE_FILE = "sdg_goals_targets_indicators_es_en.csv"
GOAL_COLUMNS = ("id", "short_es", "short_en", "title_es", "title_en")
TARGET_COLUMNS = ("id", "goal", "title_es", "title_en")
EXPECTED_GOALS = 17
EXPECTED_TARGETS = 169


def read_source(path: Path) -> list[dict]:
    if path.is_dir():
        path = path / SOURCE_FILE
    with open(path, encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def tidy(text: str) -> str:
    # The export writes some accents decomposed ("o" + U+0301): compose them (NFC), so that
    # "migración" here equals "migración" typed anywhere else. Also collapse stray whitespace.
    return " ".join(unicodedata.normalize("NFC", text).split())


def split_levels(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    goals = [{col: tidy(row[col]) for col in GOAL_COLUMNS} for row in rows if row["level"] == "goal"]
    targets = [{col: tidy(row[col]) for col in TARGET_COLUMNS} for row in rows if row["level"] == "target"]
    if len(goals) != EXPECTED_GOALS or len(targets) != EXPECTED_TARGETS:
        # A different snapshot would silently change every SDG label id downstream.
        raise SystemExit(f"expected {EXPECTED_GOALS} goals and {EXPECTED_TARGETS} targets, "
                         f"found {len(goals)} and {len(targets)}")
    return goals, targets


def write_csv(path: Path, columns: tuple[str, ...], rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="sdg-es-en-open-sdg/ folder or its CSV file")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent,
                        help="folder to write sdg_goals.csv and sdg_targets.csv into")
    args = parser.parse_args(argv)
    goals, targets = split_levels(read_source(args.source))
    write_csv(args.out / "sdg_goals.csv", GOAL_COLUMNS, goals)
    write_csv(args.out / "sdg_targets.csv", TARGET_COLUMNS, targets)
    print(f"wrote {len(goals)} goals and {len(targets)} targets to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
