"""`pmm store`: create the store and say what it holds."""

import click

from ..store import connect
from ..store import queries as q
from ..store.db import current_version
from .common import print_table, reports_errors


@click.group("store")
def command():
    """Create or inspect the store (SQLite file or SQLAlchemy URL)."""


@command.command("info")
@click.pass_context
@reports_errors
def info(ctx):
    """Schema version and row counts of each table."""
    engine = connect(ctx.obj["db_url"])
    with engine.connect() as conn:
        rows = [{"table": name, "rows": count} for name, count in q.table_counts(conn).items()]
    print_table(rows, ["table", "rows"], title=f"{engine.url} (schema v{current_version(engine)})")
