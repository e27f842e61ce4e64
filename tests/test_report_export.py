"""The report's files: XLSX, CSV, Markdown and HTML, in Spanish and English, safe with hostile text."""

import csv

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.errors import BadInput, TaxonomyError
from pipeline.report import build_report
from pipeline.cells import csv_value
from pipeline.report.i18n import TABLES
from pipeline.report.tilemap import load_tilegrid, tile_map
from pipeline.store import queries as q
from pipeline.taxonomy import load_actors

SCRIPT = "<script>alert('pmm')</script> Programa de atención"
FORMULA = "=HYPERLINK(\"http://example.org\",\"clic\") programa"
HOSTILE_ACTOR = "<img src=x onerror=alert(1)>"


@pytest.fixture
def hostile_store(db):
    """Three actions: one whose text holds a script, one a formula, one from an unknown actor."""
    with db.begin() as conn:
        ids = q.add_actions(conn, [
            {"text": SCRIPT, "actor": "INM", "actor_type": "federal", "period": "2022"},
            {"text": FORMULA, "actor": "MX-PUE", "actor_type": "state", "period": "2022"},
            {"text": "Acción de un actor desconocido.", "actor": HOSTILE_ACTOR, "actor_type": "other"},
        ])
        for action_id, labels in zip(ids, (["7"], ["3", "4"], ["23"])):
            q.record_decision(conn, action_id=action_id, scheme="gcm", labels=labels, reviewer="ana",
                              source="cli")
        q.record_decision(conn, action_id=ids[1], scheme="challenge", labels=["barreras_idioma"],
                          reviewer="ana", source="cli")
    return db


def test_report_writes_every_file(hostile_store, tmp_path):
    result = build_report(hostile_store, tmp_path / "out")
    for kind in ("xlsx", "html", "markdown"):
        assert result.paths[kind].is_file() and result.paths[kind].stat().st_size > 0
    csvs = sorted(p.stem for p in result.paths["csv"].glob("*.csv"))
    assert csvs == sorted([*TABLES, "actions"])
    pngs = list(result.paths["charts"].glob("*.png"))
    assert len(pngs) == 6 and all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)


def test_report_html_escapes_text_from_the_store(hostile_store, tmp_path):
    page = build_report(hostile_store, tmp_path).paths["html"].read_text(encoding="utf-8")
    assert "<script" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#39;pmm&#39;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_report_xlsx_is_formatted_and_formula_free(hostile_store, tmp_path):
    path = build_report(hostile_store, tmp_path).paths["xlsx"]
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [*(spec[1]["es"] for spec in TABLES.values()), "Acciones"]
    sheet = book["Acciones por objetivo"]
    assert [c.value for c in sheet[1]][:3] == ["Objetivo", "Nombre", "Total"]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet["C2"].number_format == "#,##0"
    assert sheet.column_dimensions["B"].width > 20
    actions = book["Acciones"]
    headings = [c.value for c in actions[1]]
    texts = [row[headings.index("Texto")] for row in actions.iter_rows(min_row=2, values_only=True)]
    # XLSX cells are typed: the formula-like text is kept exactly, as a string cell.
    assert FORMULA in texts and SCRIPT in texts
    assert all(cell.data_type != "f" for row in actions.iter_rows() for cell in row)
    # Each count row lists its action ids, and those ids are rows of the "Acciones" sheet.
    listed = {row[0] for row in actions.iter_rows(min_row=2, values_only=True)}
    id_column = [c.value for c in sheet[1]].index("Acciones (id)")
    for row in sheet.iter_rows(min_row=2, values_only=True):
        ids = [int(i) for i in (row[id_column] or "").split()]
        assert len(ids) == row[2] and set(ids) <= listed


def test_report_csv_neutralises_formulas(hostile_store, tmp_path):
    directory = build_report(hostile_store, tmp_path).paths["csv"]
    with open(directory / "actions.csv", encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert {row["Texto"] for row in rows} >= {"'" + FORMULA, SCRIPT}
    with open(directory / "objectives.csv", encoding="utf-8-sig", newline="") as stream:
        objectives = {row["Objetivo"]: row for row in csv.DictReader(stream)}
    assert objectives["3"]["Acciones (id)"] == "2" and objectives["3"]["Estatal"] == "1"


@pytest.mark.parametrize("value, safe", [("=1+2", "'=1+2"), ("+52 55", "'+52 55"), ("-x", "'-x"),
                                         ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
                                         ("Programa", "Programa"), (3, 3), (None, None)])
def test_report_csv_value_neutralises_formulas(value, safe):
    assert csv_value(value) == safe


def test_report_markdown_summary(hostile_store, tmp_path):
    text = build_report(hostile_store, tmp_path).paths["markdown"].read_text(encoding="utf-8")
    assert text.startswith("# Informe Ejecutivo")
    assert "## Objetivos con más programas y/o acciones" in text
    assert "## Retos identificados por las entidades federativas" in text
    assert "![Mapa con el número de acciones implementadas por las Entidades Federativas]" \
           "(graficas/mapa_entidades.png)" in text
    assert HOSTILE_ACTOR not in text and "&lt;img src=x onerror=alert(1)&gt;" in text


def test_report_in_english(hostile_store, tmp_path):
    result = build_report(hostile_store, tmp_path, lang="en")
    page = result.paths["html"].read_text(encoding="utf-8")
    assert "Objectives with the most programmes and/or actions" in page
    assert "Objetivos con más" not in page
    assert openpyxl.load_workbook(result.paths["xlsx"]).sheetnames[-1] == "Actions"


def test_report_empty_store_renders(db, tmp_path):
    result = build_report(db, tmp_path)
    page = result.paths["html"].read_text(encoding="utf-8")
    assert "No hay acciones que contar." in page
    assert page.count("<img ") == 6
    assert openpyxl.load_workbook(result.paths["xlsx"])["Acciones"].max_row == 1


def test_report_single_actor_store_renders(db, tmp_path):
    with db.begin() as conn:
        q.add_actions(conn, [{"text": "Única acción.", "actor": "SRE", "actor_type": "federal"}])
    result = build_report(db, tmp_path)
    summary = result.tables["summary"].set_index("metric")["value"]
    assert summary["actions"] == 1 and summary["no_objective"] == 1 and summary["federal_actors"] == 1
    assert "Secretaría de Relaciones Exteriores" in result.paths["html"].read_text(encoding="utf-8")


def test_report_refuses_a_file_as_output_directory(db, tmp_path):
    target = tmp_path / "informe"
    target.write_text("not a directory")
    with pytest.raises(BadInput, match="informe: exists and is not a directory"):
        build_report(db, target)


def test_report_cli(hostile_store, db_path, tmp_path):
    runner = CliRunner()
    out = tmp_path / "report"
    result = runner.invoke(cli, ["--db", str(db_path), "report", "--out", str(out), "--lang", "en",
                                 "--period", "2022"])
    assert result.exit_code == 0, result.output
    assert (out / "informe.html").is_file() and "html:" in result.output
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = runner.invoke(cli, ["--db", str(db_path), "report", "--out", str(blocker)])
    assert result.exit_code != 0
    result = runner.invoke(cli, ["--db", str(db_path), "report", "--lang", "fr"])
    assert result.exit_code == 2 and "fr" in result.output


def test_report_tilegrid_holds_each_state_once():
    tiles = load_tilegrid()
    assert sorted(t.id for t in tiles) == sorted(s.id for s in load_actors().states())
    assert len({(t.row, t.col) for t in tiles}) == 32
    assert all(t.abbr for t in tiles)


def test_report_tilegrid_rejects_a_shared_square(tmp_path):
    bad = tmp_path / "grid.csv"
    bad.write_text("id,row,col,abbr\nMX-AGU,0,0,AGS\nMX-BCN,0,0,BC\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match="line 3: MX-BCN is on the same square as MX-AGU"):
        load_tilegrid(bad)


def test_report_tile_map_renders_without_states():
    import pandas as pd

    png = tile_map(pd.DataFrame({"state_id": [], "actions": []}), "es")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
