"""PDFs made by an office suite (LibreOffice, from DOCX written with python-docx: see
tools/make_office_fixtures.py), a scan of one of them, and real Word-produced government PDFs."""

import re
import resource
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.corpus import load_seed
from pipeline.errors import BadInput
from pipeline.extract import NO_ACTIONS_WARNING, extract_file
from pipeline.extract.evaluate import score_extraction
from pipeline.extract.layout import Hyphenation, find_running_lines, make_line
from pipeline.extract.segment import find_marker

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
from tools.make_office_fixtures import expected_text  # noqa: E402

OFFICE = REPO / "tests" / "fixtures" / "office"
# CI puts a copy of shared/ beside the clone.
WORD_PDFS = REPO.parent / "shared" / "corpus-sources" / "mx-gov-word-pdfs"
MINUTES = WORD_PDFS / "mx-hgo-cdmx-edomex_minuta-procuracion-justicia_2020-12-08_word2013.pdf"
TABLE_REPORT = WORD_PDFS / "mx-ags-jesusmaria_reporte-indicadores-MIR_2021_word2016-ilovepdf.pdf"
LAW = WORD_PDFS / "mx-fed_ley-refugiados-proteccion-complementaria-asilo_dof2020_word2007.pdf"
HAS_TESSERACT = shutil.which("tesseract") is not None
needs_word_pdfs = pytest.mark.skipif(not WORD_PDFS.is_dir(),
                                     reason=f"{WORD_PDFS} is not here (CI copies shared/ beside the clone)")
needs_tesseract = pytest.mark.skipif(not HAS_TESSERACT,
                                     reason="Tesseract is not installed (make ocr installs it with apt-get)")
# What a bullet glyph looks like when it leaks into text: private-use code points, or a lone
# symbol-font letter standing where a sub-item started.
LEAKED_GLYPH = re.compile(r"[\ue000-\uf8ff●•▪■◆➢➤]|(?:^|\s)[o§lnqüØ](?=\s[A-ZÁÉÍÓÚÑ])")


@pytest.fixture(scope="module")
def expected():
    return [{"text": expected_text(a), "objectives": a["objectives"]} for a in load_seed()]


@pytest.mark.parametrize("name", ["narrative", "numbered", "symbols", "form_rules", "form_plain",
                                  "two_column"])
def test_office_fixture_actions_come_out_whole_with_their_objective(expected, name):
    extraction = extract_file(OFFICE / f"{name}.pdf")
    score = score_extraction(extraction.records, expected)
    assert score.exactly_one == len(expected), score.missed[:3]
    assert score.objective_right == len(expected)
    assert score.extra_records == 0
    for record in extraction.records:
        assert not LEAKED_GLYPH.search(record["text"]), record["text"][:120]
        assert record["ocr"] is False and record["ocr_confidence"] is None


def test_office_two_columns_read_column_by_column(expected):
    """Two LibreOffice columns: headings and bullets of the right column start inside the
    gutter, items and sub-items run from one column (or page) into the next."""
    extraction = extract_file(OFFICE / "two_column.pdf")
    score = score_extraction(extraction.records, expected)
    assert score.objective_right == len(expected) and score.extra_records == 0, score.missed[:3]
    assert not any(LEAKED_GLYPH.search(r["text"]) for r in extraction.records)
    assert any(len(r["pages"]) > 1 for r in extraction.records)


def test_office_form_rows_broken_across_pages_are_joined(expected):
    extraction = extract_file(OFFICE / "form_rules.pdf")
    spanning = [r for r in extraction.records if len(r["pages"]) > 1]
    assert spanning
    texts = {e["text"] for e in expected}
    assert all(" ".join(r["text"].split()) in texts for r in spanning)


@needs_tesseract
@pytest.mark.slow
def test_office_scan_is_read_by_ocr(expected):
    extraction = extract_file(OFFICE / "scan.pdf")
    score = score_extraction(extraction.records, expected, min_similarity=0.9)
    assert score.objective_right >= 0.9 * len(expected), score.missed[:3]
    assert all(r["ocr"] and 0 < r["ocr_confidence"] <= 1 for r in extraction.records)
    assert any("read by OCR" in w for w in extraction.warnings)


def test_office_scan_is_refused_with_no_ocr(tmp_path):
    with pytest.raises(BadInput, match=r"no text layer \(scanned\?\); run OCR first"):
        extract_file(OFFICE / "scan.pdf", ocr=False)
    result = CliRunner().invoke(cli, ["extract", "--no-ocr", str(OFFICE / "scan.pdf")])
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1


def test_office_scan_without_tesseract_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(BadInput, match=r"Tesseract is not installed; install Tesseract .*apt-get install "
                                       r"tesseract-ocr"):
        extract_file(OFFICE / "scan.pdf")


# --- bullets by font, running headers by text, hyphens by the document's own words ------------

def _word(text, x0, *, font="ArialMT", size=11.0, top=100.0, width=None):
    return {"text": text, "x0": x0, "x1": x0 + (width or 5.5 * len(text)), "top": top,
            "bottom": top + size, "size": size, "fontname": font}


@pytest.mark.parametrize("glyph, font", [("l", "BAAAAA+Wingdings-Regular"), ("§", "OpenSymbol"),
                                         ("Ø", "Wingdings"), ("\uf0b7", "SymbolMT"), ("n", "ZapfDingbats"),
                                         ("o", "CourierNewPSMT"), ("ü", "Wingdings")])
def test_office_symbol_font_bullets_are_markers_not_text(glyph, font):
    line = make_line([_word(glyph, 90, font=font, width=5), _word("Programa", 108), _word("Paisano", 160)], 1)
    marker = find_marker(line)
    assert marker is not None and marker.text == "Programa Paisano"


def test_office_a_spanish_o_starting_a_line_is_text():
    line = make_line([_word("o", 72, width=5.5), _word("bien", 80.5), _word("la", 110)], 1)
    assert find_marker(line) is None


def test_issue_12_running_header_needs_repeated_text_not_only_position():
    """Bullets at the same height on every page, with different figures, are actions."""
    pages = []
    for number, figure in ((1, "1,200"), (2, "85"), (3, "3,400")):
        header = make_line([_word("Informe", 72, top=30, size=8), _word("PMM", 110, top=30, size=8)], number)
        bullet = make_line([_word("•", 72, top=80), _word("Se", 90, top=80), _word("atendieron", 105, top=80),
                            _word(figure, 170, top=80), _word("casos", 200, top=80)], number)
        pages.append((number, 792.0, [header, bullet]))
    drop = find_running_lines(pages)
    assert drop == {(1, 0), (2, 0), (3, 0)}


def test_office_line_end_hyphens_follow_the_documents_own_words():
    lines = ["la política migratoria del país", "en materia de migra-", "ción y una entrevista semi-",
             "estructurada; la semi-estructurada", "y la migración regular", "con la políti-", "ca vigente"]
    soft = Hyphenation(lines).soften(lines)
    assert soft[1].endswith("\u00ad") and soft[5].endswith("\u00ad")  # migración, política
    assert soft[2].endswith("-")  # semi-estructurada is written so elsewhere


# --- real Word PDFs ---------------------------------------------------------------------------

@needs_word_pdfs
@pytest.mark.parametrize("path", sorted(WORD_PDFS.glob("*.pdf")) if WORD_PDFS.is_dir() else [],
                         ids=lambda p: p.name[:30])
def test_word_pdfs_do_not_crash_or_leak_bullets(path):
    if path == TABLE_REPORT:
        pytest.skip("the 322-page report has its own test")
    extraction = extract_file(path)
    assert extraction.pages > 0
    for record in extraction.records:
        assert not re.search(r"[\ue000-\uf8ff]", record["text"]), record["text"][:100]


@needs_word_pdfs
def test_word_minutes_agenda_item_2_bullets_are_12_records():
    extraction = extract_file(MINUTES)
    agenda = [r for r in extraction.records if (r["heading"] or "").startswith("Seguimiento de acuerdos")]
    # The numbered lead-in introduces the bullets; agenda items 3-5 follow them.
    bullets = agenda[:agenda.index(next(r for r in agenda if r["text"] == "Asuntos generales"))]
    assert len(bullets) == 12
    assert bullets[0]["text"].startswith("Establecer una mesa de evaluación y coordinación")
    assert bullets[-1]["text"].startswith("Hidalgo propone el desarrollo de una base de datos")
    assert bullets[-1]["pages"] == [3]
    assert not any("\uf0a7" in r["text"] for r in extraction.records)


@needs_word_pdfs
def test_word_law_gives_no_actions():
    extraction = extract_file(LAW)
    assert extraction.records == [] and extraction.warnings == [NO_ACTIONS_WARNING]


@needs_word_pdfs
@pytest.mark.slow
def test_word_322_page_table_report_gives_no_actions_in_bounded_memory():
    import subprocess

    code = ("import json, resource, sys; from pipeline.extract import extract_file; "
            f"e = extract_file({str(TABLE_REPORT)!r}); "
            "print(json.dumps([len(e.records), e.pages, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss]))")
    # The limit is on address space: a run that held every page would exceed it.
    limit = 1536 * 1024 * 1024

    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO,
                         preexec_fn=cap, check=True)
    records, pages, _ = __import__("json").loads(out.stdout)
    assert pages == 322 and records == 0


@needs_tesseract
def test_office_scan_region_shows_the_ocr_box(tmp_path):
    """The review page crops a scanned action's region from its OCR box, as for any PDF."""
    import io

    import pypdfium2 as pdfium
    from PIL import Image

    from pipeline.review.region import render_region_png

    page = pdfium.PdfDocument(str(OFFICE / "scan.pdf"))
    one_page = pdfium.PdfDocument.new()
    one_page.import_pages(page, [0])
    path = tmp_path / "scan_page1.pdf"
    one_page.save(str(path))
    extraction = extract_file(path)
    record = next(r for r in extraction.records if r["text"].startswith("La generación de estudios"))
    first = record["bbox"]["first"]
    assert record["ocr"] and 60 < first["x0"] < 120 and 250 < first["top"] < 320
    image = Image.open(io.BytesIO(render_region_png(path, pages=record["pages"], bbox=record["bbox"])))
    full = Image.open(io.BytesIO(render_region_png(path, pages=[1])))
    assert 0.5 * full.width < image.width < full.width and image.height < 0.5 * full.height
    # The crop holds the action's ink, not blank margin.
    import numpy as np

    assert (np.asarray(image.convert("L")) < 128).mean() > 0.01


@needs_tesseract
def test_office_demo_scanned_sample_is_read():
    extraction = extract_file(REPO / "corpus" / "samples" / "zz_escaneado_sin_texto.pdf")
    assert extraction.records == []
    assert extraction.warnings[0].startswith("page(s) 1 are images, read by OCR")
    assert extraction.warnings[-1] == NO_ACTIONS_WARNING
