"""`pmm store`: create the store and say what it holds."""

import click
import sqlalchemy as sa

from ..store import connect, schema
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
        rows = [{"table": t.name, "rows": conn.execute(sa.select(sa.func.count()).select_from(t)).scalar()}
                for t in (schema.submissions, schema.actions, schema.predictions, schema.decisions,
                          schema.model_versions)]
    print_table(rows, ["table", "rows"], title=f"{engine.url} (schema v{current_version(engine)})")
