"""Fixtures shared by every test module: a fresh store, and a headless browser."""

import shutil
import threading

import pytest

from pipeline.store import connect


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "pmm.sqlite"


@pytest.fixture
def db(db_path):
    """A fresh, migrated store in a temporary SQLite file."""
    engine = connect(str(db_path))
    yield engine
    engine.dispose()


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (Playwright never downloads a browser here)."""
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (make test installs it with apt-get)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def new_page(browser):
    """Makes a page in a fresh browser context (its own cookies and storage), as a reviewer in
    Mexico sees it; the page's `dialogs` lists any alert, which is dismissed."""
    contexts = []

    def make():
        context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="es-MX")
        contexts.append(context)
        page = context.new_page()
        page.dialogs = []
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def serve_review():
    """Starts the review app over a store on 127.0.0.1, a free port, in a thread, and returns its
    base URL; every server started is stopped after the test."""
    from werkzeug.serving import make_server

    from pipeline.review.server import create_app

    running = []

    def serve(engine):
        server = make_server("127.0.0.1", 0, create_app(engine), threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        running.append((server, thread))
        return f"http://127.0.0.1:{server.server_port}"

    yield serve
    for server, thread in running:
        server.shutdown()
        thread.join(timeout=10)


# --- a throwaway PostgreSQL server ----------------------------------------------------------------

def _postgres_bin_dir():
    """The folder of Debian's PostgreSQL server binaries (newest version), or None."""
    import glob
    from pathlib import Path

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: [int(x) for x in Path(p).parts[-3].split(".") if x.isdigit()])
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL cluster made with initdb in a temporary folder and started with pg_ctl, for
    the whole session; yields a function that returns the URL of a new, empty database."""
    import os
    import pwd
    import socket
    import subprocess
    import tempfile
    import uuid

    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed (pip install 'pmm[postgres]')")
    bin_dir = _postgres_bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL server binaries not found (make test installs Debian's postgresql "
                    "with apt-get)")
    # initdb refuses to run as root: as root, the cluster belongs to an unprivileged user.
    prefix = []
    owner = None
    if os.geteuid() == 0:
        for name in ("postgres", "nobody"):
            try:
                owner = pwd.getpwnam(name)
                break
            except KeyError:
                continue
        if owner is None:
            pytest.skip("running as root and no unprivileged user (postgres, nobody) to own the cluster")
        prefix = ["runuser", "-u", owner.pw_name, "--"] if shutil.which("runuser") else None
        if prefix is None:
            pytest.skip("running as root without runuser to start PostgreSQL as another user")
    base = tempfile.mkdtemp(prefix="pmm-pg-")
    if owner is not None:
        os.chown(base, owner.pw_uid, owner.pw_gid)
    data = os.path.join(base, "data")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    def run(*args):
        return subprocess.run([*prefix, *map(str, args)], capture_output=True, text=True, timeout=120,
                              cwd=base)

    made = run(bin_dir / "initdb", "-D", data, "-U", "pmm", "--auth=trust", "-E", "UTF8",
               "--locale=C.UTF-8")
    if made.returncode != 0:
        made = run(bin_dir / "initdb", "-D", data, "-U", "pmm", "--auth=trust", "-E", "UTF8", "--no-locale")
    if made.returncode != 0:
        shutil.rmtree(base, ignore_errors=True)
        pytest.skip(f"initdb failed: {made.stderr.strip()[-300:]}")
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40"
    started = run(bin_dir / "pg_ctl", "-D", data, "-o", options, "-l", os.path.join(base, "log"), "-w",
                  "start")
    if started.returncode != 0:
        shutil.rmtree(base, ignore_errors=True)
        pytest.skip(f"PostgreSQL did not start: {started.stderr.strip()[-300:]}")
    server = f"postgresql+psycopg://pmm@127.0.0.1:{port}"

    def new_database() -> str:
        import psycopg

        name = f"pmm_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(f"host=127.0.0.1 port={port} user=pmm dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return f"{server}/{name}"

    try:
        yield new_database
    finally:
        run(bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def pg_url(postgres_server):
    """The URL of a new, empty database on the throwaway PostgreSQL server."""
    return postgres_server()
