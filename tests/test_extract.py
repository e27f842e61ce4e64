"""`extract_file` and `pmm extract` on PDFs rendered for each layout, on bad files, on a DOCX
and on a real government PDF."""

import hashlib
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.corpus import load_seed
from pipeline.errors import BadInput
from pipeline.extract import NO_ACTIONS_WARNING, extract_file
from pipeline.extract.evaluate import score_extraction
from pipeline.text import normal_form
from pipeline.extract.pdf import read_pages
from pipeline.extract.tables import assemble

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # tools/ is a folder of scripts, not an installed package
    sys.path.insert(0, str(REPO))
from tools import render  # noqa: E402

PDFS = REPO / "tests" / "pdfs"
# CI puts a copy of shared/ beside the clone.
DOF_PDF = (REPO.parent / "shared" / "corpus-sources" / "mx-gov-pdfs"
           / "dof_2024-12-15_edicion-matutina_comite-evaluacion-PJF.pdf")
RENDERERS = {
    "narrative": lambda path, seed: render.render_narrative(
        path, "Informe de acciones de prueba", render.objective_sections(seed)),
    "two_column": lambda path, seed: render.render_two_column(
        path, "Informe de acciones de prueba", render.objective_sections(seed)),
    "form": lambda path, seed: render.render_form(
        path, "Formulario de acciones de prueba",
        [{"text": a["text"], "objectives": a["objectives"], "actor_name": a["actor"]} for a in seed]),
}


@pytest.fixture(scope="module")
def seed():
    return load_seed()


@pytest.fixture(scope="module")
def informe(tmp_path_factory, seed):
    """Section IV of the Informe rendered in each layout, and what was extracted from it."""
    folder = tmp_path_factory.mktemp("informe")
    out = {}
    for layout, draw in RENDERERS.items():
        path = draw(folder / f"{layout}.pdf", seed)
        out[layout] = (path, extract_file(path))
    return out


@pytest.mark.parametrize("layout", list(RENDERERS))
def test_extract_informe_actions_come_out_one_record_each(informe, seed, layout):
    _, extraction = informe[layout]
    score = score_extraction(extraction.records, seed)
    assert score.exactly_one_share >= 0.95, score.missed
    assert score.objective_share >= 0.95
    assert score.extra_records <= 0.05 * len(seed)
    assert extraction.warnings == []


@pytest.mark.parametrize("layout", list(RENDERERS))
def test_extract_records_carry_provenance(informe, layout):
    path, extraction = informe[layout]
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    assert extraction.sha256 == sha and extraction.pages > 1
    for record in extraction.records:
        assert record["source_sha256"] == sha and record["source_file"] == path.name
        first, last = record["bbox"]["first"], record["bbox"]["last"]
        assert record["pages"] == list(range(first["page"], last["page"] + 1))
        for box in (first, last):
            assert 0 <= box["x0"] < box["x1"] <= 792 and 0 <= box["top"] < box["bottom"] <= 792


@pytest.mark.parametrize("layout", ["narrative", "two_column"])
def test_extract_narrative_keeps_sub_items_and_page_breaks_and_drops_page_furniture(informe, seed, layout):
    _, extraction = informe[layout]
    texts = [normal_form(r["text"]) for r in extraction.records]
    by_text = dict(zip(texts, extraction.records))
    # Sub-items "➔" stay inside their action.
    nmgtm = next(a for a in seed if a["id"] == "ie2022-12-01")
    assert normal_form(nmgtm["text"]) in by_text
    # Actions run over page (or column) breaks and come out whole.
    spanning = [r for r in extraction.records if len(r["pages"]) > 1]
    assert spanning and all(normal_form(r["text"]) in {normal_form(a["text"]) for a in seed}
                            for r in spanning)
    # Running header, page numbers and the stray link line are not in any action.
    joined = " ".join(texts)
    assert "Seguimiento al Pacto Mundial" not in joined and "Página" not in joined
    assert joined.count("https://twitter.com/i/web/status/1356346589204279296") == 1  # CONAPRED's own
    # Every action sits under its objective's heading.
    for record in extraction.records:
        assert record["heading"].startswith(f"Objetivo {record['stated_objectives'][0]}.")


def test_extract_two_columns_read_column_by_column(informe, seed):
    _, extraction = informe["two_column"]
    order = {normal_form(a["text"]): i for i, a in enumerate(
        a for section in render.objective_sections(seed) for a in section["actions"])}
    found = [order[normal_form(r["text"])] for r in extraction.records if normal_form(r["text"]) in order]
    assert found == sorted(found)


def test_issue_3_form_row_cut_by_page_break_is_one_record(seed):
    """Four rows; the third is cut by the page break and drawn without a closing rule, its
    continuation under the repeated header on page 2 has an empty first cell."""
    texts = {a["id"]: a["text"] for a in seed}
    extraction = extract_file(PDFS / "issue-3-form-row-split.pdf")
    got = [(r["text"], r["pages"], r["stated_objectives"], r["actor"], r["challenges_text"])
           for r in extraction.records]
    assert got == [
        (texts["ie2022-01-01"], [1], [1], "UPMRIP", "Falta de presupuesto."),
        (texts["ie2022-23-03"], [1], [23], "SEGOB", None),
        (texts["ie2022-21-02"], [1, 2], [21], "GOBMX", None),  # no actor cell: its first sentence
        (texts["ie2022-07-03"], [2], [7], "MX-GRO", "Rotación de personal."),
    ]


def test_extract_form_with_english_headers_and_results(tmp_path):
    rows = [{"text": "Programa Paisano de apoyo a connacionales.", "objectives": [14],
             "actor_name": "Instituto Nacional de Migración", "results": "120 módulos instalados.",
             "challenges": "Personal insuficiente."},
            {"text": "Campaña contra la xenofobia.", "objectives": [17, 3], "actor_name": "CONAPRED"}]
    path = render.render_form(tmp_path / "form_en.pdf", "GCM follow-up form", rows, columns=(
        "Reporting entity", "Action description", "GCM objective(s)", "Results", "Challenges"))
    records = extract_file(path).records
    assert [(r["text"], r["stated_objectives"], r["actor"], r["actor_type"], r["results_text"],
             r["challenges_text"]) for r in records] == [
        ("Programa Paisano de apoyo a connacionales.", [14], "INM", "federal", "120 módulos instalados.",
         "Personal insuficiente."),
        ("Campaña contra la xenofobia.", [17, 3], "CONAPRED", "federal", None, None),
    ]


def test_extract_narrative_challenges_paragraph_goes_to_challenges_text(tmp_path):
    sections = [{"heading": "Objetivo 3. Proporcionar información exacta y oportuna.", "actions": [
        {"text": "La UPMRIP publicó MiNormaMigrante. ➔ 31 actualizaciones", "objectives": [3],
         "challenges": "Falta de personal para difundirla."},
        {"text": "El INM difundió guías de trámites.", "objectives": [3]}]}]
    path = render.render_narrative(tmp_path / "retos.pdf", "Informe", sections, stray_link=None)
    assert [(r["text"], r["challenges_text"]) for r in extract_file(path).records] == [
        ("La UPMRIP publicó MiNormaMigrante. ➔ 31 actualizaciones", "Falta de personal para difundirla."),
        ("El INM difundió guías de trámites.", None)]


def test_extract_actor_from_the_title_when_the_text_names_none(tmp_path):
    sections = [{"heading": "Objetivo 4. Velar por que todos los migrantes tengan pruebas de su identidad.",
                 "actions": [{"text": "Se expidieron 1,200 actas de nacimiento a personas en retorno.",
                              "objectives": [4]},
                             {"text": "El Registro Nacional de Población (RENAPO) emitió CURP temporales.",
                              "objectives": [4]}]}]
    path = render.render_narrative(tmp_path / "tab.pdf", "Informe 2022 del Gobierno del Estado de Tabasco",
                                   sections, stray_link=None)
    extraction = extract_file(path)
    assert extraction.actor == "MX-TAB"
    assert [(r["actor"], r["actor_type"]) for r in extraction.records] == [("MX-TAB", "state"),
                                                                           ("RENAPO", "federal")]


def test_extract_actor_is_null_when_nothing_names_one(tmp_path):
    sections = [{"heading": "Objetivo 5. Aumentar la disponibilidad de vías de migración regular.",
                 "actions": [{"text": "Se otorgaron visas de trabajo temporal.", "objectives": [5]}]}]
    path = render.render_narrative(tmp_path / "x.pdf", "Informe anual", sections, stray_link=None)
    assert [(r["actor"], r["actor_type"]) for r in extract_file(path).records] == [(None, None)]


def test_extract_prose_without_actions_warns_and_gives_no_records(tmp_path):
    path = render.render_prose(tmp_path / "carta.pdf", "Oficio de remisión",
                               ["Por medio del presente se remite el informe solicitado.",
                                "Sin otro particular, reciba un cordial saludo."])
    extraction = extract_file(path)
    assert extraction.records == [] and extraction.warnings == [NO_ACTIONS_WARNING]


# --- bad input ------------------------------------------------------------------------------

BAD_FILES = {
    "encrypted": (lambda p, good: render.render_encrypted(p), "password-protected PDF"),
    "scanned": (lambda p, good: render.render_scanned(p), r"no text layer \(scanned\?\); run OCR first"),
    "truncated": (lambda p, good: render.write_truncated(p, good), r"corrupt or truncated PDF \("),
    "not_a_pdf": (lambda p, good: render.write_not_pdf(p), r"not a PDF \(looks like an HTML page\)"),
    "empty": (lambda p, good: render.write_empty(p), "empty file"),
}


@pytest.fixture(scope="module")
def good_pdf(informe):
    return informe["narrative"][0]


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_extract_bad_files_raise_one_line_errors(tmp_path, good_pdf, kind):
    make, reason = BAD_FILES[kind]
    path = make(tmp_path / f"{kind}.pdf", good_pdf)
    with pytest.raises(BadInput, match=rf"^{tmp_path / kind}\.pdf: {reason}") as error:
        extract_file(path, ocr=False)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_cli_extract_bad_files_exit_1_with_the_reason(tmp_path, good_pdf, kind):
    make, reason = BAD_FILES[kind]
    path = make(tmp_path / f"{kind}.pdf", good_pdf)
    result = CliRunner().invoke(cli, ["extract", "--no-ocr", str(path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {path}: ")


def test_extract_page_limit_and_timeout_can_be_raised(good_pdf):
    with pytest.raises(BadInput, match=r"more than 2 pages \(\d+\); raise --max-pages"):
        extract_file(good_pdf, max_pages=2)
    with pytest.raises(BadInput, match=r"took more than 1e-09 s \(stopped at page 1 of \d+\); raise --timeout"):
        extract_file(good_pdf, timeout_s=1e-9)
    assert extract_file(good_pdf, max_pages=100, timeout_s=600).records


def test_cli_extract_writes_json_lines_with_the_file_hash(tmp_path):
    source = PDFS / "issue-3-form-row-split.pdf"
    out = tmp_path / "acciones.jsonl"
    result = CliRunner().invoke(cli, ["extract", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    sha = hashlib.sha256(source.read_bytes()).hexdigest()
    assert len(rows) == 4 and all(row["source_sha256"] == sha for row in rows)
    assert set(rows[0]) >= {"text", "pages", "bbox", "heading", "stated_objectives", "actor", "actor_type",
                            "challenges_text", "source_sha256"}


def test_cli_extract_prints_warnings_to_stderr(tmp_path):
    path = render.render_prose(tmp_path / "carta.pdf", "Oficio", ["Sin acciones."])
    result = CliRunner().invoke(cli, ["extract", str(path)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"warning: {path}: {NO_ACTIONS_WARNING}\n"


# --- DOCX ----------------------------------------------------------------------------------

def test_extract_docx_lists_headings_and_form_tables(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Informe de la Secretaría de Relaciones Exteriores", level=0)
    document.add_paragraph("Presentamos las acciones del periodo.")
    document.add_heading("Objetivo 14. Mejorar la protección consular", level=1)
    document.add_paragraph("Asistencia consular a connacionales en 53 consulados.", style="List Bullet")
    document.add_paragraph("Casos atendidos: 12,000", style="List Bullet 2")
    document.add_paragraph("Ferias de salud en coordinación con la Secretaría de Salud.", style="List Bullet")
    table = document.add_table(rows=3, cols=3)
    for i, head in enumerate(["Dependencia / Entidad", "Nombre o descripción de la acción", "Objetivo(s) del PMM"]):
        table.cell(0, i).text = head
    for i, value in enumerate(["INM", "Programa Héroes Paisanos.", "Objetivo 19"]):
        table.cell(1, i).text = value
    for i, value in enumerate(["", "Módulos de atención en aeropuertos.", "19, 21"]):
        table.cell(2, i).text = value
    path = tmp_path / "sre.docx"
    document.save(path)
    extraction = extract_file(path)
    assert extraction.actor == "SRE" and extraction.pages == 0
    assert [(r["text"], r["stated_objectives"], r["actor"], r["pages"], r["bbox"]) for r in extraction.records] == [
        ("Asistencia consular a connacionales en 53 consulados. Casos atendidos: 12,000", [14], "SRE", [], None),
        ("Ferias de salud en coordinación con la Secretaría de Salud.", [14], "SALUD", [], None),
        ("Programa Héroes Paisanos.", [19], "INM", [], None),
        ("Módulos de atención en aeropuertos.", [19, 21], "SRE", [], None),
    ]


def test_extract_docx_that_is_not_a_zip_is_bad_input(tmp_path):
    path = tmp_path / "informe.docx"
    path.write_text("hola", encoding="utf-8")
    with pytest.raises(BadInput, match=r"informe\.docx: not a PDF \(looks like plain text\)"):
        extract_file(path)


# --- a real government PDF -----------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.skipif(not DOF_PDF.exists(), reason=f"{DOF_PDF} is not here (CI copies shared/ beside the clone)")
def test_extract_real_dof_pdf_long_tables():
    """34 pages of long ruled tables (a list of people, not a GCM submission): no crash, no
    actions, and its tables read as sensible rows — numbered 1, 2, 3… within each list, every
    column filled, the header repeated on each page skipped."""
    extraction = extract_file(DOF_PDF)
    assert extraction.pages == 34
    assert extraction.records == [] and extraction.warnings == [NO_ACTIONS_WARNING]

    tables = assemble([grid for page in read_pages(DOF_PDF) for grid in page.tables])
    headers = [[cell.text for cell in table.header] for table in tables]
    assert headers == [["Núm.", "Aspirante", "Género", "Expediente"],
                       ["Núm.", "Aspirante", "Género", "Expediente", "Sala Regional"],
                       ["Núm.", "Aspirante", "Circuito", "Especialidad", "Género", "Expediente"]]
    runs = []
    for table in tables:
        lists = []
        for row in table.rows:
            assert all(row.text(i) for i in range(len(table.header))), row.values
            number = int(row.text(0))
            if number == 1:
                lists.append(1)
            else:
                assert number == lists[-1] + 1
                lists[-1] = number
        runs.append(lists)
    # Lengths of the numbered lists in each table, as the DOF prints them.
    assert runs == [[25, 9, 8], [33], [374, 24, 573]]


def test_extract_narrative_challenges_paragraph_under_a_wrapped_item_without_sub_items(tmp_path):
    # The "Retos:" paragraph sits deeper than the item's wrapped text and after a paragraph gap;
    # with no ➔ sub-item to share its indent it used to become stray prose and be dropped.
    text = "La UPMRIP publicó MiNormaMigrante, " + "una herramienta de consulta de la normativa vigente, " * 4
    sections = [{"heading": "Objetivo 3. Proporcionar información exacta y oportuna.", "actions": [
        {"text": text.strip(), "objectives": [3], "challenges": "Falta de personal para difundirla."},
        {"text": "El INM difundió guías de trámites.", "objectives": [3]}]}]
    path = render.render_narrative(tmp_path / "retos.pdf", "Informe", sections, stray_link=None)
    assert [r["challenges_text"] for r in extract_file(path).records] == [
        "Falta de personal para difundirla.", None]
