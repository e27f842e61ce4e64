"""The Compendio General and the draft Informe Ejecutivo as Word documents (issue 15).

Checked by opening the DOCX files with python-docx: headings, tables and counts against the store
and the report's own tables; the draft's section II and III figures on a store holding the Informe
2022's counts; multi-objective, unlabelled and hostile actions; results kept from a form; the
"destacada" mark; and, where LibreOffice is installed, that both documents render to PDF with every
heading present.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from pipeline.cli import cli
from pipeline.corpus import load_figures
from pipeline.ingest import ingest_paths
from pipeline.report import build_report, compute_tables
from pipeline.report.selection import proposal_count, propose_main_actions
from pipeline.store import queries as q
from tests.test_report_informe import fill_informe_store

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tools import render  # noqa: E402

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
SECTION_HEADINGS = ("I. PREÁMBULO", "II. CONFORMACIÓN DEL INFORME", "III. EVALUACIÓN GENERAL",
                    "IV. EJEMPLOS DE ACCIONES", "V. RETOS IDENTIFICADOS", "VI. ANÁLISIS",
                    "VII. CONCLUSIONES", "ANEXOS")


def headings(doc, level=None):
    return [p.text for p in doc.paragraphs
            if p.style.name.startswith("Heading") and (level is None or p.style.name == f"Heading {level}")]


def section_paragraphs(doc, start: str, stop: str):
    """Paragraphs (style, text) between the heading starting with `start` and the one with `stop`."""
    out, inside = [], False
    for p in doc.paragraphs:
        if p.style.name.startswith("Heading") and p.text.startswith(start):
            inside = True
            continue
        if inside and p.style.name.startswith("Heading") and p.text.startswith(stop):
            break
        if inside:
            out.append((p.style.name, p.text))
    return out


def table_rows(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


# --- the Informe 2022's counts -------------------------------------------------------------------

@pytest.fixture(scope="module")
def informe_docs(tmp_path_factory):
    from pipeline.store import connect

    folder = tmp_path_factory.mktemp("documents")
    engine = connect(str(folder / "pmm.sqlite"))
    figures = load_figures()
    fill_informe_store(engine, figures)
    result = build_report(engine, folder / "out", documents=("compendio", "informe"))
    yield {"figures": figures, "result": result, "tables": result.tables,
           "informe": Document(result.paths["informe_docx"]),
           "compendio": Document(result.paths["compendio_docx"]), "folder": folder}
    engine.dispose()


def test_documents_informe_draft_has_the_informes_sections(informe_docs):
    found = headings(informe_docs["informe"], 1)
    for wanted in SECTION_HEADINGS:
        assert any(h.startswith(wanted) for h in found), wanted


def test_documents_informe_draft_sections_ii_and_iii_equal_the_printed_figures(informe_docs):
    doc, figures = informe_docs["informe"], informe_docs["figures"]
    most, fewest = doc.tables[0], doc.tables[1]
    printed_most = sorted(((r["objective"], r["actions"]) for r in figures["objectives_most"]),
                          key=lambda pair: -pair[1])
    assert [(int(row[0].split(".")[0]), int(row[1])) for row in table_rows(most)[1:]] == printed_most
    printed_fewest = [(r["objective"], r["actions"]) for r in figures["objectives_fewest"]]
    assert [(int(row[0].split(".")[0]), int(row[1])) for row in table_rows(fewest)[1:]] == printed_fewest
    preamble = " ".join(text for _, text in section_paragraphs(doc, "I. PREÁMBULO", "II."))
    totals = figures["totals"]
    assert f"tuvieron participación {totals['federal_actors']} actores" in preamble
    assert f"{totals['states']} gobiernos estatales" in preamble
    assert f"un total de {totals['actions']} programas" in preamble
    evaluation = " ".join(text for _, text in section_paragraphs(doc, "III.", "IV."))
    assert f"{totals['actions']} programas y/o acciones: {totals['federal']} de actores federales y " \
           f"{totals['state']} de entidades federativas" in evaluation


def test_documents_informe_draft_tables_match_the_report_tables(informe_docs):
    doc, tables = informe_docs["informe"], informe_docs["tables"]
    federal, state = doc.tables[2], doc.tables[3]
    for grid, key in ((federal, "challenges_federal"), (state, "challenges_state")):
        table = tables[key]
        assert [(row[0], int(row[2])) for row in table_rows(grid)[1:]] == \
            list(zip(table["category"], (int(n) for n in table["challenges"])))
    definitions, acronyms, states = doc.tables[4], doc.tables[5], doc.tables[6]
    assert len(definitions.rows) - 1 == 21
    assert len(acronyms.rows) - 1 == informe_docs["figures"]["totals"]["federal_actors"]
    assert len(states.rows) - 1 == informe_docs["figures"]["totals"]["states"]
    # Every picture of the HTML report's section charts is embedded.
    assert len(doc.inline_shapes) == 6


def test_documents_informe_draft_proposes_two_to_five_actions_per_objective(informe_docs):
    doc, objectives = informe_docs["informe"], informe_docs["tables"]["objectives"]
    counts = dict(zip(objectives["objective"], objectives["total"]))
    for objective, total in counts.items():
        if not total:
            continue
        proposed = [text for style, text in section_paragraphs(doc, f"Objetivo {objective}. ", "Objetivo ")
                    if style == "List Bullet"]
        assert len(proposed) == proposal_count(int(total)), objective
        assert 2 <= len(proposed) <= 5
        actors = [text.split(".")[0] for text in proposed]
        assert len(set(actors)) == len(actors), (objective, actors)  # no actor twice while others remain


def test_documents_compendio_lists_every_action_under_its_objective(informe_docs):
    doc, tables = informe_docs["compendio"], informe_docs["tables"]
    objective_headings = [h for h in headings(doc, 1) if h.startswith("Objetivo ")]
    with_actions = [o for o, n in zip(tables["objectives"]["objective"], tables["objectives"]["total"]) if n]
    assert [h.split(".")[0].removeprefix("Objetivo ") for h in objective_headings] == with_actions
    entries = [p for p in doc.paragraphs if p.style.name == "List Bullet" and p.text.startswith("Acción sintética")]
    assert len(entries) == 346
    seven = [text for style, text in section_paragraphs(doc, "Objetivo 7.", "Objetivo 8.")
             if style == "List Bullet"]
    assert len(seven) == 46 and all("del objetivo 7 " in text for text in seven)
    # Federal actors first, then states, under each objective.
    levels = [text for style, text in section_paragraphs(doc, "Objetivo 3.", "Objetivo 4.")
              if style == "Heading 2"]
    assert levels == ["Administración Pública Federal y organismos autónomos", "Entidades federativas"]


# --- a small store: several objectives, none, hostile text, results, highlights ----------------

HOSTILE = '=cmd|" /C calc"!A0 { DDE "c:\\\\x" } <script>alert(1)</script>\x07\x0b fin'


@pytest.fixture
def small_store(db):
    records = [
        {"id": "a", "actor": "INM", "actor_type": "federal", "text": "Programa de regularización migratoria.",
         "results_text": "Se regularizaron 1,200 personas.", "challenges_text": "Falta de personal."},
        {"id": "b", "actor": "MX-CHP", "actor_type": "state", "text": "Albergue estatal para familias migrantes."},
        {"id": "c", "actor": "SRE", "actor_type": "federal", "text": HOSTILE},
        {"id": "d", "actor": "SEP", "actor_type": "federal", "text": "Revalidación de estudios en el extranjero."},
    ]
    with db.begin() as conn:
        ids = q.add_actions(conn, records)
        q.record_decision(conn, action_id=ids[0], scheme="gcm", labels=["7", "15"], reviewer="Ana", source="cli")
        q.record_decision(conn, action_id=ids[1], scheme="gcm", labels=["7"], reviewer="Ana", source="cli")
        q.record_decision(conn, action_id=ids[2], scheme="gcm", labels=["7"], reviewer="Ana", source="cli")
        q.record_decision(conn, action_id=ids[0], scheme="sdg", labels=["10.7"], reviewer="Ana", source="cli")
    return db, ids


def test_documents_compendio_marks_multi_objective_and_lists_unlabelled(small_store, tmp_path):
    db, ids = small_store
    result = build_report(db, tmp_path, documents=("compendio",))
    doc = Document(result.paths["compendio_docx"])
    seven = section_paragraphs(doc, "Objetivo 7.", "Objetivo 15.")
    fifteen = section_paragraphs(doc, "Objetivo 15.", "Acciones sin objetivo")
    assert any("Programa de regularización" in text for _, text in seven)
    assert any("Programa de regularización" in text for _, text in fifteen)
    assert "También en el objetivo 15" in [text for _, text in seven]
    assert "También en el objetivo 7" in [text for _, text in fifteen]
    assert "Resultados: Se regularizaron 1,200 personas." in [text for _, text in seven]
    assert any(text.startswith("ODS: 10. ") for _, text in seven)
    unlabelled = section_paragraphs(doc, "Acciones sin objetivo asignado", "\0")
    assert [text for style, text in unlabelled if style == "List Bullet"] == \
        ["Revalidación de estudios en el extranjero."]
    html = result.paths["compendio_html"].read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("Programa de regularización migratoria.") == 2


def test_documents_hostile_text_is_written_as_plain_text(small_store, tmp_path):
    db, ids = small_store
    with db.begin() as conn:  # so that the draft proposes it too
        q.mark_highlight(conn, action_id=ids[2], reviewer="Luis")
    result = build_report(db, tmp_path, documents=("compendio", "informe"))
    for key in ("compendio_docx", "informe_docx"):
        doc = Document(result.paths[key])
        texts = [p.text for p in doc.paragraphs]
        hostile = [t for t in texts if "calc" in t]
        assert hostile and all("\x07" not in t and "\x0b" not in t for t in hostile)
        assert any('=cmd|" /C calc"!A0 { DDE' in t for t in hostile)
        # No field codes anywhere: the text is in plain runs.
        xml = doc.element.body.xml
        assert "w:fldSimple" not in xml and "w:instrText" not in xml


def test_documents_highlight_is_proposed_first_and_recorded(small_store, tmp_path):
    db, ids = small_store
    runner = CliRunner()
    url = str(db.url)
    marked = runner.invoke(cli, ["--db", url, "review", "highlight", str(ids[2]), "--reviewer", "Luis"])
    assert marked.exit_code == 0, marked.output
    again = runner.invoke(cli, ["--db", url, "review", "highlight", str(ids[2]), "--reviewer", "Luis"])
    assert again.exit_code == 0
    with db.connect() as conn:
        marks = q.current_highlights(conn)
    assert list(marks) == [ids[2]] and marks[ids[2]]["reviewer"] == "Luis"
    result = build_report(db, tmp_path, documents=("informe",))
    doc = Document(result.paths["informe_docx"])
    seven = [text for style, text in section_paragraphs(doc, "Objetivo 7.", "Objetivo 15.")
             if style == "List Bullet"]
    assert "calc" in seven[0]  # the destacada action leads
    assert len(seven) == 2  # 3 actions -> 2 proposals
    # Both levels are proposed when the objective has both.
    assert any(text.startswith("Chiapas") or "Albergue estatal" in text for text in seven)
    unmarked = runner.invoke(cli, ["--db", url, "review", "highlight", str(ids[2]), "--undo", "--reviewer", "Luis"])
    assert unmarked.exit_code == 0 and "unmarked" in unmarked.output
    with db.connect() as conn:
        assert q.current_highlights(conn) == {}


def test_documents_informe_cites_a_proposals_source_as_the_compendio_does():
    from collections import namedtuple

    from pipeline.report import word
    from pipeline.report.compendio import source_label
    from pipeline.report.informe import _main_action
    from pipeline.report.selection import Proposal

    Row = namedtuple("Row", "action_id actor actor_name text results_text challenges_text file_name pages")
    row = Row(5, "INM", "Instituto", "Texto", None, None, "informe.pdf", [3, 4])
    assert source_label(row, "es") == "informe.pdf, p. 3, 4"
    doc = word.new_document("t")
    _main_action(doc, row, Proposal(5, ("central",)), "es")
    assert doc.paragraphs[-1].text.endswith(" informe.pdf, p. 3, 4 (id 5).")


def test_documents_selection_embeds_only_the_actions_an_objective_proposes_from():
    import numpy as np
    import pandas as pd

    frame = pd.DataFrame({
        "action_id": [1, 2, 3, 4], "text": ["uno", "dos", "sin objetivo", "otro objetivo"],
        "gcm": [["1"], ["1"], [], ["7"]], "gcm_source": ["model"] * 4, "results_text": [None] * 4,
        "highlighted": [False] * 4, "actor": ["A", "B", "C", "D"], "level": ["federal"] * 4})
    embedded = []

    def embed(texts):
        embedded.extend(texts)
        return np.eye(len(texts), 4)

    proposals = propose_main_actions(frame, ["1"], embed=embed)
    assert sorted(embedded) == ["dos", "uno"]
    assert sorted(p.action_id for p in proposals["1"]) == [1, 2]
    assert propose_main_actions(frame[frame["action_id"] == 3], ["1"], embed=embed) == {}


def test_documents_report_cli_writes_both_documents(small_store, tmp_path):
    db, _ = small_store
    out = tmp_path / "informe"
    result = CliRunner().invoke(cli, ["--db", str(db.url), "report", "--out", str(out), "--compendio",
                                      "--informe", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert (out / "compendio_general.docx").exists() and (out / "informe_ejecutivo_borrador.docx").exists()
    doc = Document(out / "informe_ejecutivo_borrador.docx")
    assert any(h.startswith("I. PREAMBLE") for h in headings(doc, 1))


def test_documents_form_results_are_stored_and_shown(db, tmp_path):
    pdf = render.render_form(tmp_path / "formulario.pdf", "Formulario PMM 2022", [
        {"text": "Ferias de empleo para personas en retorno en Michoacán.", "objectives": [21],
         "actor_name": "Gobierno de Michoacán", "results": "Se colocaron 340 personas en empleos formales.",
         "challenges": "Falta de presupuesto."}])
    outcomes = ingest_paths(db, [pdf])
    assert [o.status for o in outcomes] == ["stored"]
    with db.connect() as conn:
        (action,) = q.load_actions(conn)
    assert action["results_text"] == "Se colocaron 340 personas en empleos formales."
    result = build_report(db, tmp_path / "out", documents=("compendio",))
    texts = [p.text for p in Document(result.paths["compendio_docx"]).paragraphs]
    assert "Resultados: Se colocaron 340 personas en empleos formales." in texts


def test_documents_migration_adds_results_text_to_an_older_store(tmp_path):
    import sqlalchemy as sa

    from pipeline.store import connect
    from pipeline.store.schema import MIGRATIONS

    # A store as pmm 0.1 left it: schema v1, no results_text column, no highlights table.
    path = tmp_path / "old.sqlite"
    connect(str(path)).dispose()
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE highlights"))
        conn.execute(sa.text("ALTER TABLE actions DROP COLUMN results_text"))
        conn.execute(sa.text("DELETE FROM schema_versions WHERE version > 1"))
        conn.execute(sa.text("INSERT INTO actions (ordinal, text, text_sha256, pages, stated_objectives, "
                             "created_at) VALUES (0, 'Acción previa.', 'h', '[]', '[]', '2022-01-01')"))
    engine.dispose()
    store = connect(str(path))
    with store.connect() as conn:
        columns = {c["name"] for c in sa.inspect(conn).get_columns("actions")}
        assert "results_text" in columns and sa.inspect(conn).has_table("highlights")
        (row,) = q.load_actions(conn)
        versions = [v for (v,) in conn.execute(sa.text("SELECT version FROM schema_versions ORDER BY version"))]
    assert row["text"] == "Acción previa." and row["results_text"] is None
    assert versions == [v for v, _, _ in MIGRATIONS]
    store.dispose()


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (Debian: libreoffice-writer-nogui); "
                                            "the DOCX checks above still ran")
def test_documents_render_to_pdf_with_libreoffice(informe_docs, tmp_path):
    import pdfplumber

    result = informe_docs["result"]
    for key, wanted in (("informe_docx", SECTION_HEADINGS), ("compendio_docx", ("Compendio General",
                                                                                "Objetivo 7. "))):
        subprocess.run([SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                        str(result.paths[key])], check=True, capture_output=True, timeout=300,
                       env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
        pdf = tmp_path / (Path(result.paths[key]).stem + ".pdf")
        with pdfplumber.open(pdf) as document:
            pages = len(document.pages)
            text = " ".join((page.extract_text() or "") for page in document.pages)
        assert pages >= (8 if key == "informe_docx" else 20)
        flat = " ".join(text.split())
        for heading in wanted:
            assert heading in flat, (key, heading)


@pytest.mark.slow
def test_documents_compendio_of_the_demo_samples_lists_every_seed_action(db, tmp_path):
    """Every seed action of a sample submission that states its objectives appears, once under each
    of them, and nowhere else; the four submissions that state none (two letters, two plain
    lists) are listed under no objective until a model or a person labels them."""
    from pipeline.config import SAMPLES_DIR
    from pipeline.corpus import load_seed

    outcomes = ingest_paths(db, sorted(SAMPLES_DIR.glob("*.pdf")))
    assert sum(o.status == "stored" for o in outcomes) >= 39
    result = build_report(db, tmp_path, documents=("compendio",))
    doc = Document(result.paths["compendio_docx"])
    placed = {}  # bullet text -> objectives it is listed under
    objective = None
    for p in doc.paragraphs:
        if p.style.name == "Heading 1":
            objective = p.text.split(".")[0].removeprefix("Objetivo ") if p.text.startswith("Objetivo ") else None
        elif p.style.name == "List Bullet" and objective:
            placed.setdefault(" ".join(p.text.split())[:80], []).append(int(objective))
    unstated = {"MX-CHP", "MX-MEX", "SEGOB", "SNDIF"}
    for action in load_seed():
        key = next((k for k in placed if " ".join(action["text"].split())[:60] in k), None)
        if action["actor"] in unstated:
            assert key is None, action["id"]
            continue
        assert key is not None, action["id"]
        assert sorted(placed[key]) == sorted(action["objectives"]), action["id"]
