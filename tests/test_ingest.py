"""`ingest_paths` and `pmm ingest`: a folder of good and bad files into the store; the samples."""

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.corpus import load_seed
from pipeline.errors import BadInput
from pipeline.text import normal_form
from pipeline.ingest import expand_paths, ingest_paths
from pipeline.store import queries as q

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # tools/ is a folder of scripts, not an installed package
    sys.path.insert(0, str(REPO))
from tools import render  # noqa: E402

SAMPLES = REPO / "corpus" / "samples"
SECTIONS = [{"heading": "Objetivo 3. Proporcionar información exacta y oportuna.",
             "actions": [{"text": "La UPMRIP publicó la herramienta MiNormaMigrante.", "objectives": [3]},
                         {"text": "El INM difundió guías de trámites migratorios.", "objectives": [3]}]}]


@pytest.fixture
def mixed_folder(tmp_path):
    """Two good submissions and four bad files, as a year's folder may hold."""
    folder = tmp_path / "envios"
    folder.mkdir()
    good = render.render_narrative(folder / "a_informe.pdf", "Informe de la UPMRIP", SECTIONS)
    render.render_form(folder / "b_formulario.pdf", "Formulario", [
        {"text": "Ferias de salud binacionales.", "objectives": [15], "actor_name": "Secretaría de Salud"}])
    render.render_scanned(folder / "c_escaneado.pdf")
    render.write_truncated(folder / "d_cortado.pdf", good)
    render.write_empty(folder / "e_vacio.pdf")
    render.render_prose(folder / "f_oficio.pdf", "Oficio de remisión", ["Se remite el informe."])
    (folder / "notas.txt").write_text("not a submission: not picked up from a folder", encoding="utf-8")
    return folder


def test_ingest_stores_every_good_file_and_reports_each_bad_one(db, mixed_folder):
    outcomes = ingest_paths(db, [mixed_folder], ocr=False)
    summary = [(o.file.name, o.actions, o.status) for o in outcomes]
    assert summary == [("a_informe.pdf", 2, "stored"), ("b_formulario.pdf", 1, "stored"),
                       ("c_escaneado.pdf", 0, "failed"), ("d_cortado.pdf", 0, "failed"),
                       ("e_vacio.pdf", 0, "failed"), ("f_oficio.pdf", 0, "empty")]
    reasons = {o.file.name: o.reason for o in outcomes}
    assert reasons["c_escaneado.pdf"] == "no text layer (scanned?); run OCR first"
    assert reasons["e_vacio.pdf"] == "empty file"
    assert reasons["d_cortado.pdf"].startswith("corrupt or truncated PDF (")
    assert reasons["f_oficio.pdf"].startswith("no recognisable actions")
    with db.connect() as conn:
        actions = q.load_actions(conn)
        assert [(a["file_name"], a["text"], a["stated_objectives"], a["actor"]) for a in actions] == [
            ("a_informe.pdf", "La UPMRIP publicó la herramienta MiNormaMigrante.", [3], "UPMRIP"),
            ("a_informe.pdf", "El INM difundió guías de trámites migratorios.", [3], "INM"),
            ("b_formulario.pdf", "Ferias de salud binacionales.", [15], "SALUD"),
        ]
        assert actions[0]["bbox"]["first"]["page"] == 1 and actions[0]["source_path"].endswith("a_informe.pdf")
        submission = q.find_submission(conn, actions[0]["source_sha256"])
        assert (submission["actor"], submission["pages"]) == ("UPMRIP", 1)


def test_ingest_twice_adds_nothing(db, mixed_folder):
    ingest_paths(db, [mixed_folder])
    again = ingest_paths(db, [mixed_folder / "a_informe.pdf", mixed_folder / "f_oficio.pdf"])
    assert [(o.status, o.actions, o.reason) for o in again] == [
        ("duplicate", 2, "already stored as a_informe.pdf"), ("duplicate", 0, "already stored as f_oficio.pdf")]
    with db.connect() as conn:
        assert len(q.load_actions(conn)) == 3


def test_ingest_copy_of_a_stored_file_under_another_name_is_a_duplicate(db, mixed_folder, tmp_path):
    copy = tmp_path / "copia.pdf"
    copy.write_bytes((mixed_folder / "a_informe.pdf").read_bytes())
    ingest_paths(db, [mixed_folder / "a_informe.pdf"])
    assert [o.status for o in ingest_paths(db, [copy])] == ["duplicate"]


def test_ingest_reports_progress_once_per_file(db, mixed_folder):
    seen = []
    ingest_paths(db, [mixed_folder], progress=lambda outcome: seen.append(outcome.file.name))
    assert seen == [p.name for p in expand_paths([mixed_folder])] and len(seen) == 6


def test_ingest_missing_path_is_bad_input(db, tmp_path):
    with pytest.raises(BadInput, match="no such file or directory"):
        ingest_paths(db, [tmp_path / "no_existe"])


def test_cli_ingest_exit_codes_and_table(db_path, mixed_folder):
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", str(db_path), "ingest", str(mixed_folder)])
    assert result.exit_code == 1
    for name in ("a_informe.pdf", "c_escaneado.pdf", "stored", "failed", "empty file"):
        assert name in result.stdout
    result = runner.invoke(cli, ["--db", str(db_path), "ingest", str(mixed_folder / "a_informe.pdf")])
    assert result.exit_code == 0 and "duplicate" in result.stdout
    result = runner.invoke(cli, ["--db", str(db_path), "ingest", str(mixed_folder / "no_existe.pdf")])
    assert result.exit_code == 2
    result = runner.invoke(cli, ["--db", str(db_path), "ingest"])
    assert result.exit_code == 2


# --- the sample submissions ----------------------------------------------------------------

def test_samples_regenerate_byte_identical(tmp_path):
    committed = sorted(p.name for p in SAMPLES.glob("*.pdf"))
    assert committed, "corpus/samples/ holds no PDFs: run corpus/samples/make_samples.py"
    subprocess.run([sys.executable, str(SAMPLES / "make_samples.py"), "--out", str(tmp_path)], check=True,
                   capture_output=True)
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == committed
    for name in committed + ["README.md"]:
        assert (tmp_path / name).read_bytes() == (SAMPLES / name).read_bytes(), name


def test_samples_ingest_to_exactly_the_seed_actions(db):
    outcomes = ingest_paths(db, [SAMPLES])
    failed = [(o.file.name, o.status, o.reason) for o in outcomes if o.status != "stored"]
    # The scanned sample holds a title and a sentence, no actions: read by OCR when Tesseract is
    # installed, refused with how to install it otherwise.
    assert [(name, status) for name, status, _ in failed] == [
        ("zz_escaneado_sin_texto.pdf", "empty" if shutil.which("tesseract") else "failed")]
    assert ("read by OCR" if shutil.which("tesseract") else "install Tesseract") in failed[0][2]
    seed = load_seed()
    with db.connect() as conn:
        stored = q.load_actions(conn)
    key = lambda text, objectives, actor, actor_type: (normal_form(text), tuple(objectives), actor, actor_type)
    # Four submissions state no objective (two states' letters, two agencies' plain lists).
    unstated = {"MX-CHP", "MX-MEX", "SEGOB", "SNDIF"}
    assert Counter(key(a["text"], a["stated_objectives"], a["actor"], a["actor_type"]) for a in stored) == \
        Counter(key(s["text"], [] if s["actor"] in unstated else s["objectives"], s["actor"], s["actor_type"])
                for s in seed)
    assert sum(not a["stated_objectives"] for a in stored) == sum(s["actor"] in unstated for s in seed) == 12
