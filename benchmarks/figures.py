"""The README's figures table, generated from what the benchmarks wrote; never typed by hand.

Every benchmark writes benchmarks/results/<name>.json with a top-level "figures" list of rows
{"what": ..., "figure": ..., "on": ...}: what was measured, the figure (with its spread where
samples are small) and what it was measured on. This script collects the rows of every result
file (files in pipeline order, see ORDER; rows in file order) and rewrites the table between the README's
`<!-- figures:start -->` and `<!-- figures:end -->` markers.

Run:  .venv/bin/python benchmarks/figures.py           (rewrites README.md; `make bench` does)
      .venv/bin/python benchmarks/figures.py --check   (exit 1 if README.md is out of date)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "benchmarks" / "results"
README = ROOT / "README.md"
START, END = "<!-- figures:start -->", "<!-- figures:end -->"
KEYS = ("what", "figure", "on")
# The order of the table follows the pipeline; result files not named here come after, by name.
ORDER = ("extract", "extraction", "text", "classify", "classify_heldout", "agreement", "models", "review_simulation",
         "suspects", "second_year")


class FiguresError(Exception):
    """A result file or the README does not follow the figures contract."""


def write_result(name: str, payload: dict, figures: list[dict], results_dir: Path = RESULTS_DIR) -> Path:
    """Write benchmarks/results/<name>.json: the benchmark's payload and its figure rows."""
    for row in figures:
        _check_row(row, name)
    path = Path(results_dir) / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({**payload, "figures": figures}, ensure_ascii=False, indent=2) + "\n",
                    encoding="utf-8")
    return path


def _check_row(row, where) -> None:
    if not isinstance(row, dict) or set(row) != set(KEYS) or not all(
            isinstance(row[k], str) and row[k].strip() for k in KEYS):
        raise FiguresError(f"{where}: a figures row must have exactly the non-empty strings "
                           f"{', '.join(KEYS)}, not {row!r}")


def collect(results_dir: Path = RESULTS_DIR) -> list[dict]:
    """The figure rows of every result file, files in ORDER, then by name."""
    rows = []
    rank = lambda path: (ORDER.index(path.stem) if path.stem in ORDER else len(ORDER), path.stem)  # noqa: E731
    for path in sorted(Path(results_dir).glob("*.json"), key=rank):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise FiguresError(f"{path}: not readable JSON ({exc})") from None
        figures = data.get("figures", []) if isinstance(data, dict) else []
        if not isinstance(figures, list):
            raise FiguresError(f"{path}: 'figures' must be a list")
        for row in figures:
            _check_row(row, path)
            rows.append(row)
    return rows


def _cell(value: str) -> str:
    return " ".join(value.split()).replace("|", "\\|")


def render(rows: list[dict]) -> str:
    """The markdown table of the rows."""
    lines = ["| what | figure | on what |", "|---|---|---|"]
    lines += [f"| {_cell(r['what'])} | {_cell(r['figure'])} | {_cell(r['on'])} |" for r in rows]
    return "\n".join(lines)


def with_table(readme_text: str, table: str) -> str:
    """The README text with the table between the markers replaced."""
    if readme_text.count(START) != 1 or readme_text.count(END) != 1 \
            or readme_text.index(START) > readme_text.index(END):
        raise FiguresError(f"README must hold one {START} before one {END}")
    head, rest = readme_text.split(START)
    _, tail = rest.split(END)
    return f"{head}{START}\n{table}\n{END}{tail}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that README.md is up to date")
    parser.add_argument("--readme", type=Path, default=README)
    parser.add_argument("--results", type=Path, default=RESULTS_DIR)
    args = parser.parse_args(argv)
    current = args.readme.read_text(encoding="utf-8")
    rows = collect(args.results)
    updated = with_table(current, render(rows))
    if args.check:
        if updated != current:
            print(f"{args.readme}: the figures table differs from {args.results}; "
                  "run benchmarks/figures.py", file=sys.stderr)
            return 1
        return 0
    if updated != current:
        args.readme.write_text(updated, encoding="utf-8")
    print(f"{args.readme}: {len(rows)} figures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
