"""Hostile submission files and paths (issue 12): one line naming the file, no traceback,
bounded memory, the rest of the batch stored.

Each command runs in a child process under an address-space limit (RLIMIT_AS), so a regression
that inflates a bomb fails with MemoryError instead of eating the machine.
"""

import os
import resource
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_cases import ids

from tools import make_hostile_inputs as make

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PDF = ROOT / "corpus" / "samples" / "anam_informe.pdf"
# What `pmm extract`/`pmm ingest` of a small file needs, with room to spare (~300 MiB measured),
# and far less than any of the bombs would take.
MEMORY_LIMIT = 640 << 20
MiB = 1 << 20


def run_pmm(*args, cwd=None, limit=MEMORY_LIMIT, timeout=120):
    """`pmm ARGS` in a child process limited to `limit` bytes of address space."""
    def restrict():
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200", "OPENBLAS_NUM_THREADS": "1"}
    return subprocess.run([sys.executable, "-c", "from pipeline.cli import cli; cli()", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd or ROOT, env=env,
                          preexec_fn=restrict, timeout=timeout)


def assert_one_line_error(result, path, reason):
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Error: {path}: "), lines[0]
    assert reason in lines[0], lines[0]


def stored_files(db_path) -> set:
    with sqlite3.connect(db_path) as conn:
        return {row[0] for row in conn.execute("select file_name from submissions")}


# --- the files, built once ----------------------------------------------------------------------

HOSTILE_FILES = {
    "docx-malformed-xml": (make.docx_malformed_xml, {}, "is not well-formed XML"),
    "docx-entity-expansion": (make.docx_entity_expansion, {}, "declares a DTD or entities"),
    "docx-external-entity": (make.docx_external_entity, {}, "declares a DTD or entities"),
    "docx-zip-bomb": (make.docx_zip_bomb, {"inflated": 600 * MiB}, "DOCX inflates to 600 MiB"),
    "docx-zip-bomb-lying": (make.docx_zip_bomb, {"inflated": 600 * MiB, "lie": True}, "DOCX"),
    "docx-xml-bomb-under-total": (make.docx_zip_bomb, {"inflated": 200 * MiB},
                                  "part word/document.xml inflates beyond the allowed size"),
    "pdf-inflate-bomb": (make.pdf_inflate_bomb, {"inflated": 300 * MiB}, "inflates to more than 128 MiB"),
    "pdf-nested-inflate-bomb": (make.pdf_nested_inflate_bomb, {"inflated": 300 * MiB},
                                "inflates to more than 128 MiB"),
}


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    paths = {}
    for case, (maker, kwargs, _) in HOSTILE_FILES.items():
        sub = folder / case
        sub.mkdir()
        paths[case] = maker(sub, **kwargs)
    return paths


@pytest.mark.parametrize("case", ids("files"))
def test_hostile_file_extract_is_one_line_in_bounded_memory(hostile_dir, case):
    path = hostile_dir[case]
    result = run_pmm("extract", path)
    assert_one_line_error(result, path, HOSTILE_FILES[case][2])
    assert result.stdout == ""


@pytest.mark.parametrize("case", ids("files"))
def test_hostile_file_in_a_batch_fails_alone(hostile_dir, case, tmp_path):
    folder = tmp_path / "lote"
    folder.mkdir()
    shutil.copy(SAMPLE_PDF, folder / "a_bueno.pdf")
    make.good_docx(folder, "c_bueno.docx")
    shutil.copy(hostile_dir[case], folder / f"b_{hostile_dir[case].name}")
    db = tmp_path / "pmm.sqlite"
    result = run_pmm("--db", db, "ingest", folder)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "failed" in result.stdout
    assert stored_files(db) == {"a_bueno.pdf", "c_bueno.docx"}


# --- paths that are not submission files ---------------------------------------------------------

def test_hostile_path_fifo_is_refused_without_hanging(tmp_path):
    folder = tmp_path / "lote"
    folder.mkdir()
    shutil.copy(SAMPLE_PDF, folder / "bueno.pdf")
    fifo = make.fifo(folder, "tuberia.pdf")
    db = tmp_path / "pmm.sqlite"
    in_folder = run_pmm("--db", db, "ingest", folder)
    assert in_folder.returncode == 1 and "tuberia.pdf" in in_folder.stdout
    assert "FIFO" in in_folder.stdout and "Traceback" not in in_folder.stderr
    assert stored_files(db) == {"bueno.pdf"}
    by_name = run_pmm("extract", fifo)
    assert_one_line_error(by_name, fifo, "not a file")


def test_hostile_path_dev_zero_is_refused_without_reading(tmp_path):
    folder = tmp_path / "lote"
    folder.mkdir()
    shutil.copy(SAMPLE_PDF, folder / "bueno.pdf")
    (folder / "ceros.pdf").symlink_to("/dev/zero")
    db = tmp_path / "pmm.sqlite"
    result = run_pmm("--db", db, "ingest", folder, "/dev/zero")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout.count("a device, not a file") == 2
    assert stored_files(db) == {"bueno.pdf"}


def test_hostile_path_symlink_loop_is_reported(tmp_path):
    folder = make.symlink_loop(tmp_path)
    result = run_pmm("--db", tmp_path / "pmm.sqlite", "ingest", folder)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "a.pdf" in result.stdout and "b.pdf" in result.stdout
    assert result.stdout.count("symbolic links") == 2


def test_hostile_path_empty_folder_is_one_line(tmp_path):
    folder = tmp_path / "vacia"
    folder.mkdir()
    (folder / "notas.txt").write_text("nada")
    result = run_pmm("--db", tmp_path / "pmm.sqlite", "ingest", folder)
    assert_one_line_error(result, folder, "no PDF or DOCX files to ingest")
    run = run_pmm("run", folder, "--work", tmp_path / "trabajo")
    assert_one_line_error(run, folder, "no PDF or DOCX files to ingest")


def test_hostile_paths_cases_are_all_tested():
    tested = {"fifo", "dev-zero", "symlink-loop", "empty-folder"}
    assert set(ids("paths")) == tested
