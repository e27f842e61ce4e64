"""Word submissions: paragraphs and tables into the same blocks and grids as a PDF's.

A DOCX has no pages or coordinates, but it says outright what a PDF only shows: list paragraphs
(numbering or a list style, with their level) and heading styles. Records from a DOCX carry
`pages: []` and `bbox: null`.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ..errors import BadInput
from ..inputs import check_file, check_zip
from .layout import is_private_use
from .pdf import Cell, TableGrid
from .segment import MAX_HEADING_WORDS, OBJECTIVE_HEADING, SUB_GLYPHS, TOP_GLYPHS, Block

LIST_STYLE = re.compile(r"list|lista|vi[ñn]eta|bullet|numer", re.IGNORECASE)
HEADING_STYLE = re.compile(r"^(heading|t[íi]tulo|title|encabezado)", re.IGNORECASE)


def read_docx(path: Path):
    """(blocks, grids, pages) of a DOCX file; pages is 0 (Word decides pages when it prints)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_file(path)  # a FIFO or device must not reach zipfile, which would block on it
    if not zipfile.is_zipfile(path):
        from .pdf import check_pdf_header

        check_pdf_header(path)  # empty or not a PDF either: the same one-line reasons
        raise BadInput(path, "not a DOCX (it is a PDF with a .docx name)")
    check_zip(path, kind="DOCX")  # bombs, entities, malformed XML: refused before python-docx
    try:
        document = docx.Document(str(path))
        return _read_document(document)
    except (PackageNotFoundError, KeyError, ValueError, AttributeError, TypeError,
            zipfile.BadZipFile, SyntaxError) as exc:  # lxml's XMLSyntaxError is a SyntaxError
        raise BadInput(path, f"corrupt DOCX ({' '.join(str(exc).split()) or type(exc).__name__})") from None


def _read_document(document):
    blocks: list[Block] = []
    grids: list[TableGrid] = []
    current: Block | None = None
    for order, element in enumerate(document.iter_inner_content()):
        if element.__class__.__name__ == "Table":
            grids.append(_grid(element, order))
            current = None
            continue
        text = " ".join(element.text.split())
        if not text:
            continue
        kind, level, text = _classify(element, text)
        if kind == "heading":
            current = Block("heading", order=order)
            current.add(text)
            blocks.append(current)
        elif kind == "item" and level > 0 and current is not None and current.kind == "item":
            current.add(text)  # a sub-item stays inside its action
        elif kind == "item":
            current = Block("item", order=order)
            current.add(text)
            blocks.append(current)
        else:
            current = Block("para", order=order)
            current.add(text)
            blocks.append(current)
    return blocks, grids, 0


def _classify(paragraph, text: str) -> tuple[str, int, str]:
    style = paragraph.style.name if paragraph.style is not None else ""
    first = text[:1]
    if first in SUB_GLYPHS:
        return "item", 1, text
    if (first in TOP_GLYPHS or is_private_use(first)) and text[1:2] == " ":
        # A bullet typed into the text (a symbol font's private-use code point, or "•").
        return "item", 0, text[1:].strip()
    numbering = paragraph._p.pPr.numPr if paragraph._p.pPr is not None else None
    if numbering is not None or LIST_STYLE.search(style):
        level = 0
        if numbering is not None and numbering.ilvl is not None:
            level = int(numbering.ilvl.val)
        else:
            digits = re.search(r"(\d+)\s*$", style)
            level = int(digits.group(1)) - 1 if digits else 0
        return "item", level, text
    words = len(text.split())
    bold = paragraph.runs and all(run.bold for run in paragraph.runs if run.text.strip())
    if HEADING_STYLE.match(style) or (words <= MAX_HEADING_WORDS and (OBJECTIVE_HEADING.match(text) or bold)):
        return "heading", 0, text
    return "para", 0, text


def _grid(table, order: int) -> TableGrid:
    rows = []
    for r, row in enumerate(table.rows):
        cells, seen = [], []
        for c, cell in enumerate(row.cells):
            # A merged cell appears once per grid column it spans: keep its first appearance.
            if seen and seen[-1][0] is cell._tc:
                cells[-1].x1 = c + 1
                continue
            seen.append((cell._tc, c))
            text = " ".join(cell.text.split())
            runs = [run for p in cell.paragraphs for run in p.runs if run.text.strip()]
            cells.append(Cell(c, c + 1, order + r / 1000, order + (r + 1) / 1000, text,
                              bold=bool(runs) and all(run.bold for run in runs)))
        rows.append(cells)
    width = max((len(r) for r in rows), default=0)
    return TableGrid(0, (0, order, width, order + 1), rows)
