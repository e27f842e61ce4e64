"""What every command shares: turning PmmError into a one-line exit, and output formats."""

import csv
import functools
import json
import os
import sys
import tempfile
from pathlib import Path

import click

from ..cells import csv_value
from ..errors import BadInput, PmmError
from ..schemes import GOAL, LEVELS, SDG


def reports_errors(fn):
    """Turn a PmmError raised by the library into `Error: <file>: <reason>` and exit code 1."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except PmmError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper


def write_jsonl(rows, out=None):
    """Write dicts as JSON lines to a path or stdout.

    A file appears whole or not at all: lines go to a temporary file beside it, renamed over
    `out` once the last row is written; an error on the way removes it and leaves `out` as it was.

    :raises BadInput: when `out`'s folder does not exist or cannot be written.
    """
    if not out:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    out = Path(out)
    if not out.parent.is_dir():
        raise BadInput(out, f"folder {out.parent} does not exist")
    try:
        handle, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    except OSError as exc:
        raise BadInput(out, f"cannot write here ({exc.strerror or exc})") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            for row in rows:
                stream.write(json.dumps(row, ensure_ascii=False) + "\n")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp's file is private; the output is not
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def print_table(rows, columns, title=None):
    """A rich table on stdout; long cells are wrapped, not cut."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
    Console().print(table)


def emit(rows, columns, fmt, *, title=None, csv_columns=None):
    """Print dicts in the chosen format: `json` (one array), `jsonl`, `csv` (`csv_columns`, else
    `columns`; list values joined with "|") or a table of `columns` (a `text` column is cut to
    the terminal's width, one line a row)."""
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    if fmt == "jsonl":
        write_jsonl(rows)
        return
    flat = [{k: "|".join(map(str, v)) if isinstance(v, (list, tuple)) else v for k, v in row.items()}
            for row in rows]
    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(csv_columns or columns),
                                extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: csv_value(v) for k, v in row.items()} for row in flat)
    elif "text" in columns:
        _print_with_text(flat, columns, title)
    else:
        print_table(flat, columns, title=title)


def _print_with_text(rows, columns, title):
    """A table whose `text` column is cut to the terminal's width, one line a row."""
    from rich.console import Console
    from rich.table import Table

    cells = [["" if row.get(c) is None else str(row.get(c)) for c in columns] for row in rows]
    # Columns nobody filled (e.g. external ids of ingested PDFs) only take room from the text.
    shown = [k for k, c in enumerate(columns) if c == "text" or any(r[k] for r in cells)]
    widths = {k: max([len(columns[k])] + [len(r[k]) for r in cells]) for k in shown}
    console = Console()
    fixed = sum(w for k, w in widths.items() if columns[k] != "text") + 3 * len(shown) + 1
    table = Table(title=title)
    for k in shown:
        if columns[k] == "text":
            table.add_column("text", width=max(20, console.width - fixed), no_wrap=True,
                             overflow="ellipsis")
        else:
            table.add_column(columns[k], width=widths[k], no_wrap=True)
    for r in cells:
        table.add_row(*(r[k] for k in shown))
    console.print(table)


FORMAT_OPTION = click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "jsonl"]),
                             default="table", show_default=True, help="Output format.")
LEVEL_OPTION = click.option("--level", type=click.Choice(LEVELS[SDG]), default=GOAL, show_default=True,
                            help="SDG only: goals (1-17) or targets (e.g. 10.7).")
