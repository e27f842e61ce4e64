"""Fixtures shared by every test module: a fresh store, and a headless browser."""

import shutil

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
