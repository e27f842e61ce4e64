"""Reading a PDF page by page into light, positioned lines and table grids.

pdfplumber's page objects hold every character with a dozen attributes; a 500-page file kept
whole would hold them all. Each page is turned into `PageContent` (lines, table cells, boxes:
plain dataclasses) and closed before the next one is opened, so memory is bounded by one page
plus the small per-page summaries.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..config import DEFAULT_MAX_PAGES, DEFAULT_TIMEOUT_S
from ..errors import BadInput
from ..inputs import check_pdf_streams, open_file
from .layout import Line, centre_in, group_lines, order_reading, words_in
from .segment import TOP_GLYPHS, join_parts

# Bullets that may start a line inside a form's cell (Unicode ones; symbol-font ones by font).
CELL_BULLETS = TOP_GLYPHS - set("-–—*")

# Filled rectangles smaller than this are rules, underlines or bullets, not boxes around text.
MIN_BOX_SIZE = (40.0, 8.0)
# Column rules that end at the same height: a table's edge (a box has only two).
MIN_TABLE_RULES = 3
# Words are read with the tolerances pdfplumber documents as its defaults; font attributes split
# words where the font changes, which is what lets a bold heading be told from body text.
WORD_OPTIONS = dict(keep_blank_chars=False, use_text_flow=False, x_tolerance=3, y_tolerance=3,
                    extra_attrs=["size", "fontname"])


@dataclass
class Cell:
    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    bold: bool = False
    lines: list[str] = field(default_factory=list)  # the cell's lines, bullets left out


@dataclass
class TableGrid:
    """A ruled table found on a page: rows of cells (spanned cells appear once)."""

    page: int
    bbox: tuple[float, float, float, float]
    rows: list[list[Cell]]


@dataclass
class PageContent:
    number: int  # 1-based
    width: float
    height: float
    lines: list[Line]  # in reading order, the text of form tables excluded
    tables: list[TableGrid]  # every ruled table on the page
    forms: list[TableGrid]  # those of them that are (or continue) a submission form
    chars: int
    images: int
    failed: str | None = None  # why the page could not be read, if it could not
    ocr: bool = False  # the page is an image, read by Tesseract


def file_sha256(path) -> str:
    digest = hashlib.sha256()
    with open_file(path) as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


_SIGNATURES = (
    (b"PK\x03\x04", "a ZIP archive (DOCX, XLSX…)"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file (DOC, XLS…)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"{\\rtf", "an RTF document"),
)


def describe_non_pdf(head: bytes) -> str:
    """What a file that is not a PDF looks like, from its first bytes."""
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            return what
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html")):
        return "an HTML page"
    if text.startswith(b"<?xml") or text.startswith(b"<"):
        return "an XML/HTML file"
    try:
        head.decode("utf-8")
        return "plain text"
    except UnicodeDecodeError:
        return "binary data"


def check_pdf_header(path: Path) -> None:
    """Raise BadInput for an empty file, one that is not a PDF at all, or not a regular file."""
    try:
        with open_file(path) as stream:
            head = stream.read(1024)
    except OSError as exc:
        raise BadInput(path, f"cannot read ({exc.strerror or exc})") from None
    if not head:
        raise BadInput(path, "empty file")
    # The PDF spec allows junk before the header; readers accept it within the first 1 KiB.
    if b"%PDF-" not in head:
        raise BadInput(path, f"not a PDF (looks like {describe_non_pdf(head)})")


def _open_error(path, exc) -> BadInput:
    # pdfplumber wraps pdfminer's error; pdfminer has no common base class for broken files.
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
    name = type(inner).__name__
    if "Password" in name or "Encryption" in name:
        return BadInput(path, "password-protected PDF; remove the password first")
    detail = " ".join(str(inner).split()) or name
    return BadInput(path, f"corrupt or truncated PDF ({detail})")


def read_pages(path, *, max_pages: int = DEFAULT_MAX_PAGES, timeout_s: float = DEFAULT_TIMEOUT_S,
               table_filter=None, ocr: bool = False) -> Iterator[PageContent]:
    """Yield each page's content in order; raise BadInput for files that cannot be read.

    :param table_filter: called with a page's TableGrids; returns those whose text is taken out
        of the running text (the submission forms). Default: none are.
    :param ocr: read pages that are only images with Tesseract (raises BadInput naming how to
        install it when it is missing). Default: such pages come back empty.
    """
    import pdfplumber

    path = Path(path)
    check_pdf_header(path)
    check_pdf_streams(path)  # pdfminer inflates streams whole and without limit
    started = time.monotonic()
    ocr_checked = False  # whether Tesseract was found: once per file, not once per scanned page
    try:
        pdf = pdfplumber.open(path)
        page_count = len(pdf.pages)
    except Exception as exc:  # pdfminer raises many unrelated types for broken files
        raise _open_error(path, exc) from None
    with pdf:
        if page_count > max_pages:
            raise BadInput(path, f"more than {max_pages} pages ({page_count}); raise --max-pages")
        if page_count == 0:
            raise BadInput(path, "corrupt or truncated PDF (no pages)")
        for index in range(page_count):
            elapsed = time.monotonic() - started
            if elapsed > timeout_s:
                raise BadInput(path, f"took more than {timeout_s:g} s (stopped at page {index + 1} "
                                     f"of {page_count}); raise --timeout")
            page = pdf.pages[index]
            try:
                content = page_content(page, index + 1, table_filter)
            except Exception as exc:  # one broken page must not lose the others
                reason = " ".join(f"{type(exc).__name__}: {exc}".split())
                content = PageContent(index + 1, 0.0, 0.0, [], [], [], 0, 0, failed=reason)
            finally:
                # pdfplumber keeps every page object in pdf.pages: drop this one's parsed layout.
                page.close()
            if ocr and not content.failed and content.chars == 0 and content.images:
                if not ocr_checked:
                    from . import ocr as tesseract

                    tesseract.require(path)
                    ocr_checked = True
                content = ocr_page_content(path, index, table_filter)
            yield content


def page_content(page, number: int, table_filter=None) -> PageContent:
    words = page.extract_words(**WORD_OPTIONS)
    grids = [_grid(table, number, words) for table in page.find_tables(_table_settings(page))]
    forms = table_filter(grids) if table_filter else []
    if table_filter is not None and not grids and hasattr(table_filter, "unruled"):
        # No ruled table here: a form drawn with horizontal rules only, or none at all?
        hrules = [e for e in page.edges if e["orientation"] == "h"]
        found = table_filter.unruled(words, hrules, number)
        if found:
            box = found[0].bbox
            grids = [g for g in grids if not _overlaps(g.bbox, box)] + found
            forms = table_filter(grids)
    boxes = [grid.bbox for grid in grids if grid not in forms] + _filled_boxes(page)
    in_forms = [grid.bbox for grid in forms]
    body_words = [w for w in words if not any(centre_in(w, box) for box in in_forms)]
    lines = order_reading(body_words, number, float(page.width), boxes)
    return PageContent(number, float(page.width), float(page.height), lines, grids, forms,
                       chars=len(page.chars), images=len(page.images))


def ocr_page_content(path, index: int, table_filter=None) -> PageContent:
    """An image-only page read by Tesseract into the same lines and form grids as a text page.
    The caller has checked that Tesseract is there (`ocr.require`)."""
    from . import ocr

    number = index + 1
    try:
        words, width, height = ocr.page_words(path, index)
    except Exception as exc:  # one unreadable image must not lose the other pages
        reason = " ".join(f"OCR failed: {type(exc).__name__}: {exc}".split())
        return PageContent(number, 0.0, 0.0, [], [], [], 0, 1, failed=reason, ocr=True)
    grids = []
    if table_filter is not None and hasattr(table_filter, "unruled"):
        grids = table_filter.unruled(words, [], number)
    forms = table_filter(grids) if grids else []
    body_words = [w for w in words if not any(centre_in(w, grid.bbox) for grid in forms)]
    # Lines Tesseract is unsure of are mostly rules and smudges read as letters ("AAAAA —").
    lines = [line for line in order_reading(body_words, number, width)
             if line.confidence is None or line.confidence >= ocr.MIN_LINE_CONFIDENCE]
    return PageContent(number, width, height, lines, grids, forms,
                       chars=sum(len(w["text"]) for w in words), images=1, ocr=True)


def _overlaps(a, b) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def _table_settings(page) -> dict:
    """pdfplumber's ruled-table detection, plus a horizontal rule wherever the column rules of a
    table stop: a row cut by a page break is often drawn without its closing rule, and would
    otherwise be left out of the table."""
    ends = Counter()
    for edge in page.edges:
        if edge["orientation"] == "v" and edge["bottom"] - edge["top"] > 3:
            ends[round(edge["top"])] += 1
            ends[round(edge["bottom"])] += 1
    return {"explicit_horizontal_lines": sorted(y for y, n in ends.items() if n >= MIN_TABLE_RULES)}


def _filled_boxes(page) -> list[tuple]:
    boxes = []
    for rect in page.rects:
        width, height = rect["x1"] - rect["x0"], rect["bottom"] - rect["top"]
        if width >= MIN_BOX_SIZE[0] and height >= MIN_BOX_SIZE[1] and height < page.height * 0.8:
            boxes.append((rect["x0"], rect["top"], rect["x1"], rect["bottom"]))
    return boxes


def without_bullet(line: Line) -> str:
    """A cell's line without its list bullet: in a form, each cell holds one action."""
    if line.glyph_bullet or line.first in CELL_BULLETS:
        rest = line.text[len(line.first):].strip()
        if rest:
            return rest
    return line.text


def _grid(table, number: int, words) -> TableGrid:
    rows = []
    inside = words_in(words, table.bbox)
    for row in table.rows:
        # Narrow the words to the row's height first: a long table has thousands of cells.
        row_words = words_in(inside, (table.bbox[0], row.bbox[1], table.bbox[2], row.bbox[3]))
        cells = []
        for bbox in row.cells:
            if bbox is None:
                continue
            lines = group_lines(words_in(row_words, bbox), number)
            texts = [without_bullet(line) for line in lines]
            cells.append(Cell(bbox[0], bbox[2], bbox[1], bbox[3], join_parts(texts),
                              bold=bool(lines) and all(l.bold for l in lines), lines=texts))
        if cells:
            rows.append(cells)
    return TableGrid(number, tuple(table.bbox), rows)
