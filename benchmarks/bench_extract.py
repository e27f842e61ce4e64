"""Extraction: speed next to plain pdfplumber, memory on a long file, and accuracy per layout.

- speed: pages per second of `extract_file` and of a plain `page.extract_text()` loop over the
  same PDFs (section IV of the Informe Ejecutivo 2022 rendered from the seed corpus in each
  layout), and their ratio;
- memory: peak resident memory (ru_maxrss of a fresh subprocess) of `extract_file` on a
  generated 50-page and 500-page PDF of the same density: bounded memory means the two are close;
- accuracy: per layout, the share of seed actions extracted as exactly one record with the same
  text (after whitespace normalisation), and with the stated objective right;
- office-suite PDFs (tests/fixtures/office/, made by LibreOffice from DOCX) and their scan: actions
  right / spurious records / pages per second, OCR included; and the two OCR routes on the scan,
  pytesseract (what pmm uses) and ocrmypdf when it is installed (`--ocrmypdf PATH`).
  These go to benchmarks/results/extraction.json, the rest to extract.json ("figures" rows).

The PDFs are generated into a temporary folder (never into git).

Run:  .venv/bin/python benchmarks/bench_extract.py   (about two minutes; --pages to change 500)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.corpus import load_seed  # noqa: E402
from pipeline.extract import extract_file  # noqa: E402
from pipeline.extract.evaluate import score_extraction  # noqa: E402
from tools import render  # noqa: E402

from figures import write_result  # noqa: E402

TITLE = "Informe de acciones para el seguimiento del PMM 2022"
# Large type keeps the long file's pages as light as a real report's: ~1,300 characters each.
LONG_FONT_SIZE = 16.0

MEASURE_MEMORY = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from pipeline.extract import extract_file
started = time.perf_counter()
extraction = extract_file({path!r}, max_pages=100000, timeout_s=100000)
print(json.dumps({{"seconds": time.perf_counter() - started, "pages": extraction.pages,
                   "records": len(extraction.records),
                   "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def render_layouts(folder: Path, seed) -> dict[str, Path]:
    sections = render.objective_sections(seed)
    rows = [{"text": a["text"], "objectives": a["objectives"], "actor_name": a["actor"]} for a in seed]
    return {
        "narrative": render.render_narrative(folder / "narrative.pdf", TITLE, sections),
        "two_column": render.render_two_column(folder / "two_column.pdf", TITLE, sections),
        "form": render.render_form(folder / "form.pdf", TITLE, rows),
    }


def render_long(path: Path, seed, pages: int) -> Path:
    """The seed's sections repeated until the PDF has at least `pages` pages."""
    sections = render.objective_sections(seed)
    probe = render.render_narrative(path, TITLE, sections, font_size=LONG_FONT_SIZE)
    import pdfplumber

    with pdfplumber.open(probe) as pdf:
        per_copy = len(pdf.pages)
    copies = -(-pages // per_copy)
    return render.render_narrative(path, TITLE, sections * copies, font_size=LONG_FONT_SIZE)


REPEATS = 2  # best of: the first run also pays for imports and caches


def plain_extract_text(path: Path) -> tuple[int, float]:
    import pdfplumber

    best = float("inf")
    for _ in range(REPEATS):
        started = time.perf_counter()
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.close()
            pages = len(pdf.pages)
        best = min(best, time.perf_counter() - started)
    return pages, best


def timed_extract(path: Path):
    best = float("inf")
    for _ in range(REPEATS):
        started = time.perf_counter()
        extraction = extract_file(path)
        best = min(best, time.perf_counter() - started)
    return extraction, best


def measure_memory(path: Path) -> dict:
    code = MEASURE_MEMORY.format(root=str(ROOT), path=str(path))
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def table(title: str, columns: list[str], rows: list[list]) -> str:
    cells = [columns] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    line = lambda row: "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |"
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([f"\n{title}", line(columns), sep] + [line(r) for r in cells[1:]])


OFFICE = ROOT / "tests" / "fixtures" / "office"


def office_expected(seed) -> list[dict]:
    """The seed actions as the office fixtures must give them back."""
    from tools.make_office_fixtures import expected_text

    return [{"text": expected_text(a), "objectives": a["objectives"]} for a in seed]


def office_runs() -> dict[str, tuple]:
    """Per office-suite fixture (by stem): its extraction and the seconds it took."""
    runs = {}
    for path in sorted(OFFICE.glob("*.pdf")):
        started = time.perf_counter()
        extraction = extract_file(path)
        runs[path.stem] = (extraction, time.perf_counter() - started)
    return runs


def office_rows(expected, runs) -> tuple[list[list], list[dict]]:
    """Per office-suite fixture: actions right / spurious records, and pages per second (the
    scan's OCR included). Its texts are matched at 0.9 similarity (OCR misreads letters)."""
    rows = []
    for stem, (extraction, seconds) in runs.items():
        similarity = 0.9 if stem == "scan" else 1.0
        score = score_extraction(extraction.records, expected, min_similarity=similarity)
        rows.append([stem, extraction.pages, f"{score.objective_right}/{score.expected}",
                     score.extra_records, f"{extraction.pages / seconds:.2f}"])
    pages = sorted(row[1] for row in rows)
    on = (f"tests/fixtures/office/: the Informe's section IV as DOCX converted by LibreOffice "
          f"({pages[0]}-{pages[-1]} pages each); scan: the narrative at 200 dpi, askew and speckled, "
          f"read by Tesseract")
    figures = [
        {"what": "extraction of office-suite PDFs: actions as one record with the stated objective right "
                 "(scan: at 0.9 text similarity) / spurious records",
         "figure": " · ".join(f"{row[0]} {row[2]} / {row[3]}" for row in rows), "on": on},
        {"what": "extraction speed on office-suite PDFs, pages per second (OCR included)",
         "figure": " · ".join(f"{row[0]} {row[4]}" for row in rows), "on": on + "; 2-core machine"},
    ]
    return rows, figures


def ocr_engines(expected, scan_run, ocrmypdf: str | None) -> tuple[list[list], list[dict]]:
    """pytesseract (what pmm uses; `scan_run`, the scan's timed extraction from `office_runs`)
    against ocrmypdf (a text layer added to the PDF, then read like any PDF) on the scan:
    seconds, pages per second, actions right at 0.9 similarity."""
    import shutil

    scan = OFFICE / "scan.pdf"
    runs = [("pytesseract (page images, word boxes and confidences)", *scan_run)]
    ocrmypdf = ocrmypdf or shutil.which("ocrmypdf")
    if ocrmypdf:
        with tempfile.TemporaryDirectory(prefix="pmm-bench-ocrmypdf-") as tmp:
            out = Path(tmp) / "scan_ocr.pdf"
            started = time.perf_counter()
            subprocess.run([ocrmypdf, "-l", "spa+eng", "--jobs", "1", "--output-type", "pdf",
                            str(scan), str(out)], check=True, capture_output=True)
            extraction = extract_file(out, ocr=False)
            seconds = time.perf_counter() - started
            version = subprocess.run([ocrmypdf, "--version"], capture_output=True, text=True).stdout.strip()
            runs.append((f"ocrmypdf {version} (text layer, then read as a PDF)", extraction, seconds))
    rows = []
    for name, extraction, seconds in runs:
        score = score_extraction(extraction.records, expected, min_similarity=0.9)
        rows.append([name, f"{seconds:.1f}", f"{extraction.pages / seconds:.2f}",
                     f"{score.objective_right}/{score.expected}", score.extra_records])
    figures = [{"what": "OCR route on a scan: actions right / seconds",
                "figure": " · ".join(f"{row[0].split(' (')[0]} {row[3]} / {float(row[1]):.0f} s" for row in rows),
                "on": "tests/fixtures/office/scan.pdf (17 pages, 200 dpi), 2-core machine"}]
    return rows, figures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500, help="length of the long PDF (default 500)")
    parser.add_argument("--office-only", action="store_true", help="only the office-suite fixtures")
    parser.add_argument("--ocrmypdf", help="ocrmypdf executable to compare with (default: on PATH)")
    args = parser.parse_args(argv)
    seed = load_seed()
    expected, runs = office_expected(seed), office_runs()
    office, office_figures = office_rows(expected, runs)
    print(table("Office-suite PDFs (LibreOffice) and a scan: actions right / spurious, pages per second",
                ["fixture", "pages", "right", "spurious", "pages/s"], office))
    engines, engine_figures = ocr_engines(expected, runs["scan"], args.ocrmypdf)
    office_figures += engine_figures
    print(table("OCR engines on the scan", ["engine", "seconds", "pages/s", "right", "spurious"], engines))
    write_result("extraction", {"office": office, "ocr_engines": engines}, office_figures)
    if args.office_only:
        return 0
    with tempfile.TemporaryDirectory(prefix="pmm-bench-extract-") as tmp:
        folder = Path(tmp)
        layouts = render_layouts(folder, seed)

        speed_rows, accuracy_rows, measured = [], [], {"layouts": {}, "long": []}
        for layout, path in layouts.items():
            extraction, ours = timed_extract(path)
            pages, plain = plain_extract_text(path)
            speed_rows.append([layout, pages, f"{pages / ours:.1f}", f"{pages / plain:.1f}",
                               f"{plain / ours:.2f}"])
            score = score_extraction(extraction.records, seed)
            measured["layouts"][layout] = {
                "pages": pages, "extract_file_pages_per_s": round(pages / ours, 2),
                "extract_text_pages_per_s": round(pages / plain, 2), "ratio": round(plain / ours, 2),
                "expected": score.expected, "records": len(extraction.records),
                "exactly_one": score.exactly_one, "objective_right": score.objective_right,
                "extra_records": score.extra_records}
            accuracy_rows.append([layout, score.expected, len(extraction.records),
                                  f"{score.exactly_one_share:.1%}", f"{score.objective_share:.1%}",
                                  score.extra_records])

        memory_rows = []
        for pages in (args.pages // 10, args.pages):
            path = render_long(folder / f"long_{pages}.pdf", seed, pages)
            result = measure_memory(path)
            measured["long"].append(result)
            memory_rows.append([result["pages"], result["records"], f"{result['seconds']:.1f}",
                                f"{result['pages'] / result['seconds']:.1f}", f"{result['maxrss_mb']:.0f}"])

    print(table("Speed: pages per second (extract_file vs plain page.extract_text())",
                ["layout", "pages", "extract_file p/s", "extract_text p/s", "ratio (ours/plain)"],
                speed_rows))
    print(table("Memory: peak RSS of a fresh process running extract_file",
                ["pages", "records", "seconds", "pages/s", "peak RSS (MB)"], memory_rows))
    print(table("Accuracy on the Informe's section IV (bar: 95% in every layout)",
                ["layout", "seed actions", "records", "exactly one record", "stated objective right",
                 "extra records"], accuracy_rows))
    write_result("extract", measured, figures(measured))
    return 0


def figures(measured) -> list[dict]:
    layouts = measured["layouts"]
    names = " / ".join(layouts)
    longest = max(measured["long"], key=lambda r: r["pages"])
    return [
        {"what": "extraction: actions out as exactly one record / stated objective right",
         "figure": " · ".join(f"{m['exactly_one']}/{m['expected']} and {m['objective_right']}/{m['expected']}"
                              for m in layouts.values()),
         "on": f"the Informe's section IV rendered as {names}"},
        {"what": "extraction speed vs plain `extract_text()`",
         "figure": " / ".join(f"{m['ratio']:.2f}×" for m in layouts.values()),
         "on": f"{names}; best of {REPEATS} runs"},
        {"what": "extraction memory and speed on a long file",
         "figure": f"peak RSS {longest['maxrss_mb']:.0f} MB, {longest['pages'] / longest['seconds']:.1f} pages/s",
         "on": f"a generated {longest['pages']}-page PDF, fresh process"},
    ]


if __name__ == "__main__":
    sys.exit(main())
