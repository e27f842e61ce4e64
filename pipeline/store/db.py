"""Opening the store and bringing its schema up to date.

Whatever goes wrong underneath (a file that is not SQLite, a read-only or locked database, a
PostgreSQL server that refuses us, a driver that is not installed) reaches the caller as one
StoreError line naming the store, never a driver traceback: `connect` translates every database
error except integrity violations, which callers handle themselves.
"""

import os
import sqlite3
import stat
import time
from datetime import datetime, timezone

import sqlalchemy as sa

from ..config import as_db_url
from ..errors import StoreError
from .schema import MIGRATIONS, SCHEMA_VERSION, schema_versions

# How long a writer waits for another one before giving up (SQLite's busy timeout).
BUSY_TIMEOUT_S = 10
# The PostgreSQL advisory lock that serialises schema migrations ("pmm" in ASCII).
MIGRATION_LOCK = 0x706D6D
POSTGRES_DRIVER = "postgresql+psycopg"


def now():
    """Timestamps are timezone-aware UTC everywhere in the store."""
    return datetime.now(timezone.utc)


def connect(url: str, *, migrate: bool = True) -> sa.Engine:
    """Open the store at `url` (a SQLAlchemy URL or a SQLite file path) and migrate it.

    Writes go through `with engine.begin() as conn:` so that a failure leaves nothing half-written.
    A plain `postgresql://` URL uses psycopg 3 (`pip install 'pmm[postgres]'`).

    :raises StoreError: the store cannot be opened or migrated (one line, password hidden).
    """
    try:
        parsed = sa.make_url(as_db_url(url))
    except sa.exc.ArgumentError:
        raise StoreError(f"{url}: not a database URL or file path") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername=POSTGRES_DRIVER)
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() == "sqlite":
        _check_sqlite_path(parsed.database, shown)
    try:
        engine = sa.create_engine(parsed)
    except (ImportError, sa.exc.NoSuchModuleError) as exc:
        hint = " (pip install 'pmm[postgres]')" if parsed.get_backend_name() == "postgresql" else ""
        raise StoreError(f"{shown}: the database driver is not installed{hint}: {exc}") from None
    except (sa.exc.ArgumentError, TypeError, ValueError) as exc:
        raise StoreError(f"{shown}: cannot use this URL ({exc})") from None
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    sa.event.listen(engine, "handle_error", _error_translator(shown))
    if migrate:
        apply_migrations(engine)
    return engine


def _check_sqlite_path(database, shown) -> None:
    """A SQLite store must be a regular file (or not exist yet, in a folder that does)."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return  # in memory, or a URI (file:…?mode=ro) that SQLite itself resolves
    try:
        info = os.stat(database)
    except FileNotFoundError:
        folder = os.path.dirname(os.path.abspath(database))
        if not os.path.isdir(folder):
            raise StoreError(f"{shown}: folder {folder} does not exist") from None
        return
    except OSError as exc:
        raise StoreError(f"{shown}: cannot open the store ({exc.strerror or exc})") from None
    if not stat.S_ISREG(info.st_mode):
        raise StoreError(f"{shown}: not a SQLite database (not a regular file)")


def _sqlite_pragmas(dbapi_conn, _record):
    cur = dbapi_conn.cursor()
    # busy_timeout first: even switching to WAL must wait for a writer, not fail.
    cur.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
    cur.execute("PRAGMA foreign_keys=ON")
    # WAL lets several reviewers read while one writes; busy_timeout makes writers wait, not fail.
    # While another process switches a new file to WAL, SQLite answers "locked" at once instead
    # of calling the busy handler: wait for that switch here, within the same timeout.
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    cur.close()


# SQLite's messages, and what they mean to the person who gave --db.
_SQLITE_REASONS = (
    ("file is not a database", "not a SQLite database"),
    ("file is encrypted", "not a SQLite database"),
    ("database is locked", "locked by another process for more than {timeout:g} s; try again "
                           "when it is done"),
    ("database table is locked", "locked by another process for more than {timeout:g} s"),
    ("readonly database", "read-only (pmm needs to write to the file and its folder)"),
    ("unable to open database file", "cannot open the file (missing folder, or no permission)"),
    ("database disk image is malformed", "the database file is damaged"),
    ("disk is full", "the disk is full"),
    ("disk i/o error", "disk I/O error"),
)


def _error_translator(shown):
    def translate(context):
        error = context.original_exception
        if isinstance(context.sqlalchemy_exception, sa.exc.IntegrityError):
            return None  # callers handle constraint violations (e.g. a duplicate submission)
        if not isinstance(context.sqlalchemy_exception, (sa.exc.OperationalError, sa.exc.DatabaseError,
                                                         sa.exc.InterfaceError)):
            return None
        if isinstance(context.sqlalchemy_exception, sa.exc.ProgrammingError):
            return None  # a bug in pmm's SQL: keep the traceback
        message = " ".join(str(error).split())
        lowered = message.lower()
        for pattern, reason in _SQLITE_REASONS:
            if pattern in lowered:
                raise StoreError(f"{shown}: {reason.format(timeout=BUSY_TIMEOUT_S)}") from None
        first = message.split(" DETAIL:")[0][:300]
        raise StoreError(f"{shown}: database error ({first})") from None

    return translate


def _recorded(conn) -> set[int]:
    """The versions of the migrations the store has recorded."""
    if not sa.inspect(conn).has_table("schema_versions"):
        return set()
    return set(conn.execute(sa.select(schema_versions.c.version)).scalars())


def current_version(engine) -> int:
    with engine.connect() as conn:
        return max(_recorded(conn), default=0)


def apply_migrations(engine) -> list[int]:
    """Run every migration the store has not recorded, in order, all in one transaction that
    holds the store's write lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock), so two
    processes creating the same new store never both create a table: the second waits, then
    finds the schema there. Every migration not recorded runs, not only those above the highest:
    migrations written in parallel may land out of order (a store may have 1 and 3 but not 2)."""
    wanted = {version for version, _, _ in MIGRATIONS}
    with engine.connect() as conn:
        done = _recorded(conn)
        if done >= wanted and max(done) == SCHEMA_VERSION:
            return []  # the common case, without a write lock (a read-only store still opens)
    applied = []
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        elif engine.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        done = _recorded(conn)
        have = max(done, default=0)
        if have > SCHEMA_VERSION:
            conn.rollback()
            raise StoreError(f"{engine.url.render_as_string(hide_password=True)}: store schema v{have} "
                             f"is newer than this pmm (v{SCHEMA_VERSION}); upgrade pmm")
        for version, name, migrate in MIGRATIONS:
            if version in done:
                continue
            schema_versions.create(conn, checkfirst=True)
            migrate(conn)
            conn.execute(schema_versions.insert().values(version=version, name=name, applied_at=now()))
            applied.append(version)
        conn.commit()
    return applied
