"""Reading image-only (scanned) pages with Tesseract: the page is rendered with pdfium and its
words come back with their boxes in PDF points and Tesseract's confidence, as word dicts the
rest of extraction reads like a text layer's.

pytesseract was chosen over ocrmypdf (benchmarks/bench_extract.py measures both when ocrmypdf
is installed): it gives each word's confidence, needs no Ghostscript, and skips writing and
re-parsing a whole new PDF.
"""

from __future__ import annotations

import os
import shutil

from ..errors import BadInput

LANGUAGES = "spa+eng"
# Scans come at 150-300 dpi; rendering above their own resolution adds pixels, not detail.
RENDER_DPI = 200
INSTALL_HINT = ("install Tesseract to read it (Debian: apt-get install tesseract-ocr "
                "tesseract-ocr-spa tesseract-ocr-eng, or `make ocr`)")
OCR_FONT = "OCR"
# Below this mean word confidence (0-1) an OCR line is dropped.
MIN_LINE_CONFIDENCE = 0.5


def available() -> str | None:
    """Why OCR cannot run here (one line), or None when it can."""
    if shutil.which("tesseract") is None:
        return "Tesseract is not installed"
    try:
        import pytesseract

        languages = set(pytesseract.get_languages(config=""))
    except Exception as exc:  # a broken install: report it, never crash the batch
        return f"Tesseract does not run ({type(exc).__name__}: {exc})"
    missing = [lang for lang in LANGUAGES.split("+") if lang not in languages]
    if missing:
        return f"Tesseract has no {'/'.join(missing)} language data"
    return None


def require(path) -> None:
    reason = available()
    if reason is not None:
        raise BadInput(path, f"image-only pages (scanned) and {reason}; {INSTALL_HINT}")


def page_words(pdf_path, page_index: int, *, dpi: int = RENDER_DPI) -> tuple[list[dict], float, float]:
    """(words, page width, page height) of one page read by Tesseract. Each word dict has x0,
    x1, top, bottom in PDF points, text, size (its line's height), fontname "OCR" and conf
    (0-1)."""
    import pypdfium2 as pdfium
    import pytesseract

    document = pdfium.PdfDocument(str(pdf_path))
    try:
        page = document[page_index]
        width, height = page.get_size()
        scale = dpi / 72.0
        image = page.render(scale=scale, grayscale=True).to_pil()
        page.close()
    finally:
        document.close()
    # One thread: pages are read one after the other, and OpenMP threads on a busy machine
    # slow Tesseract down rather than up.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    data = pytesseract.image_to_data(image, lang=LANGUAGES, output_type=pytesseract.Output.DICT)
    lines: dict[tuple, list[int]] = {}
    for i, text in enumerate(data["text"]):
        if text.strip() and float(data["conf"][i]) >= 0:
            lines.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
    words = []
    for indexes in lines.values():
        # One height per line, Tesseract's: on a page scanned askew a line's words climb or
        # fall across the page, and would otherwise not read as one row.
        top = min(data["top"][i] for i in indexes) / scale
        bottom = max(data["top"][i] + data["height"][i] for i in indexes) / scale
        line_height = max(data["height"][i] for i in indexes) / scale
        for i in indexes:
            left = data["left"][i] / scale
            words.append({"text": data["text"][i].strip(), "x0": left, "x1": left + data["width"][i] / scale,
                          "top": top, "bottom": bottom,
                          "size": round(line_height * 0.8, 1), "fontname": OCR_FONT,
                          "conf": float(data["conf"][i]) / 100.0})
    words += _bullet_marks(image, lines, data, scale)
    return words, float(width), float(height)


# Where a list bullet sits left of its line's text, in points, and how big its mark may be.
BULLET_REACH = (30.0, 2.0)
BULLET_MIN_SIZE = 1.5


def _bullet_marks(image, lines, data, scale) -> list[dict]:
    """Bullets Tesseract leaves out: a small, solid blot of ink just left of a line's first
    word, in the bullet column of a hanging indent (a symbol-font dot is no letter to
    Tesseract). Each becomes a "•" word, so the line reads as a list item as it would from a
    text layer. Specks of scanner noise are too small or too thin to count."""
    import numpy as np
    from scipy import ndimage

    ink = np.asarray(image.convert("L")) < 128
    marks = []
    for indexes in lines.values():
        left = min(data["left"][i] for i in indexes)
        top = min(data["top"][i] for i in indexes)
        bottom = max(data["top"][i] + data["height"][i] for i in indexes)
        x0, x1 = max(0, int(left - BULLET_REACH[0] * scale)), int(left - BULLET_REACH[1] * scale)
        if x1 - x0 < 2 or bottom <= top:
            continue
        strip = ink[top:bottom, x0:x1]
        if not strip.any():
            continue
        labels, count = ndimage.label(strip)
        line_height = (bottom - top) / scale
        best = None
        for index, (rows, cols) in enumerate(ndimage.find_objects(labels), start=1):
            width = (cols.stop - cols.start) / scale
            height = (rows.stop - rows.start) / scale
            filled = (labels[rows, cols] == index).sum() / max(1, (cols.stop - cols.start) * (rows.stop - rows.start))
            if (BULLET_MIN_SIZE <= width <= 0.8 * line_height and BULLET_MIN_SIZE <= height <= 0.8 * line_height
                    and 0.5 <= width / height <= 2.0 and filled >= 0.3):
                if best is None or cols.start > best[1].start:
                    best = (rows, cols)
        if best is None:
            continue
        rows, cols = best
        mark_x0 = (x0 + cols.start) / scale
        marks.append({"text": "•", "x0": mark_x0, "x1": (x0 + cols.stop) / scale, "top": top / scale,
                      "bottom": bottom / scale, "size": round(line_height * 0.8, 1),
                      "fontname": OCR_FONT, "conf": None})
    return marks
