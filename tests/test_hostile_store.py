"""A broken, locked or unreachable store, racing schema creation, and model versions that point
elsewhere (issue 12): one line each, nothing half-written."""

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile_cases import ids
from test_classify import fit_tiny

from pipeline import artifacts
from pipeline.cli import cli
from pipeline.errors import StoreError
from pipeline.store import SCHEMA_VERSION, connect
from pipeline.store import db as store_db

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PDF = ROOT / "corpus" / "samples" / "anam_informe.pdf"


def pmm(*args):
    return CliRunner().invoke(cli, list(map(str, args)))


def one_line(result, start, reason):
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.output.startswith(f"Error: {start}") and reason in result.output, result.output
    assert result.output.count("\n") == 1


def submissions(path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("select count(*) from submissions").fetchone()[0]


def test_hostile_store_not_sqlite(tmp_path):
    path = tmp_path / "notas.sqlite"
    path.write_text("esto no es una base de datos\n" * 100)
    one_line(pmm("--db", path, "store", "info"), f"sqlite:///{path}", "not a SQLite database")


def test_hostile_store_folder(tmp_path):
    one_line(pmm("--db", tmp_path, "store", "info"), f"sqlite:///{tmp_path}",
             "not a SQLite database (not a regular file)")


def test_hostile_store_missing_folder(tmp_path):
    path = tmp_path / "no_existe" / "pmm.sqlite"
    one_line(pmm("--db", path, "ingest", SAMPLE_PDF), f"sqlite:///{path}",
             f"folder {path.parent} does not exist")


def test_hostile_store_read_only(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")  # the summary table's reasons on one line each
    path = tmp_path / "pmm.sqlite"
    connect(str(path)).dispose()
    url = f"sqlite:///file:{path}?mode=ro&uri=true"
    result = pmm("--db", url, "ingest", SAMPLE_PDF)
    assert result.exit_code == 1
    assert "read-only (pmm needs to write" in result.output and "Traceback" not in result.output
    assert submissions(path) == 0


def test_hostile_store_locked_past_the_busy_timeout(tmp_path, monkeypatch):
    path = tmp_path / "pmm.sqlite"
    connect(str(path)).dispose()
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_S", 0.2)
    monkeypatch.setenv("COLUMNS", "400")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = pmm("--db", path, "ingest", SAMPLE_PDF)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "locked by another process for more than 0.2 s" in result.output
    assert submissions(path) == 0
    assert pmm("--db", path, "ingest", SAMPLE_PDF).exit_code == 0 and submissions(path) == 1


def test_hostile_store_postgres_url_without_driver(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)
    monkeypatch.setitem(sys.modules, "psycopg2", None)
    result = pmm("--db", "postgresql://ana:secreto@db.example/pmm", "store", "info")
    one_line(result, "postgresql+psycopg://ana:***@db.example/pmm",
             "the database driver is not installed (pip install 'pmm[postgres]')")
    assert "secreto" not in result.output
    with pytest.raises(StoreError):
        connect("postgresql+psycopg://db.example/pmm")


CREATE = """
import os, sys, time
while not os.path.exists(sys.argv[2]):
    time.sleep(0.0005)
from pipeline.store import connect
connect(sys.argv[1]).dispose()
"""


def test_hostile_store_concurrent_creation_both_succeed(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for round_ in range(8):
        db, go = tmp_path / f"pmm{round_}.sqlite", tmp_path / f"go{round_}"
        children = [subprocess.Popen([sys.executable, "-c", CREATE, str(db), str(go)], env=env,
                                     stderr=subprocess.PIPE, text=True) for _ in range(2)]
        time.sleep(1.5)  # both are importing and then polling for the go file
        go.touch()
        for child in children:
            _, err = child.communicate(timeout=120)
            assert child.returncode == 0, err.strip().splitlines()[-1:]
        with sqlite3.connect(db) as conn:
            assert conn.execute("select count(*) from schema_versions").fetchone()[0] == SCHEMA_VERSION


def test_hostile_store_cases_are_all_tested():
    assert set(ids("store")) == {"db-not-sqlite", "db-folder", "db-missing-folder", "db-read-only",
                                 "db-locked", "db-postgres-no-driver", "db-concurrent-create"}


# --- model versions ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def two_schemes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("models")
    versions = {}
    for scheme in ("gcm", "sdg"):
        model = fit_tiny(scheme, version=f"{scheme}-tiny-1")
        artifacts.write_version(folder, scheme, "goal", model.version, model.to_files(), {"created_at": "1"})
        artifacts.set_current(folder, scheme, "goal", model.version)
        versions[scheme] = model.version
    return folder, versions


@pytest.mark.parametrize("case", ids("models"))
def test_hostile_model_version_of_another_scheme_is_refused(two_schemes, tmp_path, case):
    source, versions = two_schemes
    models = tmp_path / "models"
    shutil.copytree(source, models)
    texts = tmp_path / "in.jsonl"
    texts.write_text('{"id": 1, "text": "Vacunación para toda la población."}\n', encoding="utf-8")
    sdg = versions["sdg"]
    args = ["predict", "--scheme", "gcm", "--models-dir", models, texts]
    if case == "version-path":
        result = pmm(*args, "--version", f"../sdg/{sdg}")
        one_line(result, "--version", f"'../sdg/{sdg}' is not a gcm model version name")
    elif case == "current-path":
        (models / "gcm" / "CURRENT").write_text(f"../sdg/{sdg}\n")
        result = pmm(*args)
        one_line(result, models / "gcm" / "CURRENT", "is not a gcm model version name")
    else:
        shutil.copytree(models / "sdg" / sdg, models / "gcm" / "gcm-copia")
        (models / "gcm" / "gcm-enlace").symlink_to(models / "sdg" / sdg)
        for name in ("gcm-copia", "gcm-enlace"):
            result = pmm(*args, "--version", name)
            one_line(result, models / "gcm" / name / "card.json",
                     f"the card is for sdg goal '{sdg}', not gcm goal '{name}'")
        result = pmm("models", "use", "--scheme", "gcm", "--models-dir", models, "gcm-copia")
        assert result.exit_code == 1 and "the card is for sdg" in result.output
        assert (models / "gcm" / "CURRENT").read_text().strip() == versions["gcm"]
    assert result.stdout == ""  # no prediction printed, only the error
