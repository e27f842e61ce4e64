"""Opening the store and bringing its schema up to date."""

from datetime import datetime, timezone

import sqlalchemy as sa

from ..config import as_db_url
from ..errors import StoreError
from .schema import MIGRATIONS, SCHEMA_VERSION, schema_versions


def now():
    """Timestamps are timezone-aware UTC everywhere in the store."""
    return datetime.now(timezone.utc)


def connect(url: str, *, migrate: bool = True) -> sa.Engine:
    """Open the store at `url` (a SQLAlchemy URL or a SQLite file path) and migrate it.

    Writes go through `with engine.begin() as conn:` so that a failure leaves nothing half-written.
    """
    url = as_db_url(url)
    engine = sa.create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    try:
        if migrate:
            apply_migrations(engine)
    except sa.exc.OperationalError as exc:
        raise StoreError(f"{url}: cannot open the store ({exc.orig})") from None
    return engine


def _sqlite_pragmas(dbapi_conn, _record):
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    # WAL lets several reviewers read while one writes; busy_timeout makes writers wait, not fail.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def current_version(engine) -> int:
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("schema_versions"):
            return 0
        return conn.execute(sa.select(sa.func.max(schema_versions.c.version))).scalar() or 0


def _recorded_versions(engine) -> set[int]:
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("schema_versions"):
            return set()
        return set(conn.execute(sa.select(schema_versions.c.version)).scalars())


def apply_migrations(engine) -> list[int]:
    """Run every migration the store has not recorded, in order, each in its own transaction."""
    have = current_version(engine)
    if have > SCHEMA_VERSION:
        raise StoreError(f"{engine.url}: store schema v{have} is newer than this pmm (v{SCHEMA_VERSION}); "
                         "upgrade pmm")
    # Every migration not recorded yet, not only those above the highest: migrations written in
    # parallel may land out of order (a store may have 1 and 3 but not 2).
    done = _recorded_versions(engine)
    applied = []
    for version, name, migrate in MIGRATIONS:
        if version in done:
            continue
        with engine.begin() as conn:
            schema_versions.create(conn, checkfirst=True)
            migrate(conn)
            conn.execute(schema_versions.insert().values(version=version, name=name, applied_at=now()))
        applied.append(version)
    return applied
