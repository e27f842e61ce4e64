"""What every command shares: turning PmmError into a one-line exit, and output formats."""

import functools
import json
import sys

import click

from ..errors import PmmError


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
    """Write dicts as JSON lines to a path or stdout."""
    stream = open(out, "w", encoding="utf-8") if out else sys.stdout
    try:
        for row in rows:
            stream.write(json.dumps(row, ensure_ascii=False) + "\n")
    finally:
        if out:
            stream.close()


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


FORMAT_OPTION = click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "jsonl"]),
                             default="table", show_default=True, help="Output format.")
