"""Writing Word documents with python-docx: the building blocks the Compendio and the draft Informe
share, each writing untrusted text as plain text.

Text from submissions reaches these documents. python-docx puts a string into a `w:t` run, so it is
never read as a field code, a formula or markup; what it cannot hold are characters XML 1.0 forbids
(control characters a PDF may carry), which `plain_text` removes instead of letting lxml fail.
"""

import io

import pandas as pd
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from ..cells import xml_safe

GUINDA = RGBColor(0x69, 0x1C, 0x32)
GRIS = RGBColor(0x6B, 0x6B, 0x6B)
BODY_FONT = "Calibri"


def plain_text(value) -> str:
    """A value as text a Word document can hold: None is empty, forbidden characters are dropped."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return xml_safe(str(value))


def new_document(title: str, *, author: str = "pmm") -> Document:
    """A portrait A4-like document with the body font and the heading colour of the Informe."""
    doc = Document()
    section = doc.sections[0]
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.2)
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(11)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        style = doc.styles[name]
        style.font.name = BODY_FONT
        style.font.color.rgb = GUINDA
    doc.core_properties.title = plain_text(title)
    doc.core_properties.author = author
    return doc


def heading(doc, text: str, level: int = 1):
    return doc.add_heading(plain_text(text), level=level)


def paragraph(doc, text: str = "", *, bold: bool = False, italic: bool = False, size: float | None = None,
              color: RGBColor | None = None, style: str | None = None):
    para = doc.add_paragraph(style=style)
    if text:
        run(para, text, bold=bold, italic=italic, size=size, color=color)
    return para


def run(para, text: str, *, bold: bool = False, italic: bool = False, size: float | None = None,
        color: RGBColor | None = None):
    """Append text to a paragraph as one run."""
    piece = para.add_run(plain_text(text))
    piece.bold = bold or None
    piece.italic = italic or None
    if size:
        piece.font.size = Pt(size)
    if color is not None:
        piece.font.color.rgb = color
    return piece


def labelled(doc, label: str, text: str, *, style: str | None = None):
    """A paragraph "Label: text" with the label in bold; nothing when the text is empty."""
    text = plain_text(text).strip()
    if not text:
        return None
    para = doc.add_paragraph(style=style)
    run(para, f"{label}: ", bold=True)
    run(para, text)
    return para


def placeholder(doc, text: str):
    """Where only a person can write: a highlighted bracketed note, easy to find and replace."""
    para = doc.add_paragraph()
    piece = run(para, f"[{text}]", italic=True)
    piece.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return para


def bullet(doc, text: str = ""):
    return paragraph(doc, text, style="List Bullet")


def picture(doc, png: bytes, *, width_cm: float = 16.0, caption: str | None = None):
    if caption:
        paragraph(doc, caption, bold=True, size=10, color=GUINDA)
    doc.add_picture(io.BytesIO(png), width=Cm(width_cm))


def table(doc, frame: pd.DataFrame, *, widths_cm: tuple[float, ...] | None = None, font_size: float = 9.5):
    """A DataFrame as a Word table: a bold header row repeated on every page, then its rows."""
    grid = doc.add_table(rows=1, cols=len(frame.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = grid.rows[0]
    _repeat_as_header(header)
    for cell, name in zip(header.cells, frame.columns):
        cell.text = ""
        run(cell.paragraphs[0], str(name), bold=True, size=font_size)
    for values in frame.itertuples(index=False):
        cells = grid.add_row().cells
        for cell, value in zip(cells, values):
            cell.text = ""
            run(cell.paragraphs[0], _cell_text(value), size=font_size)
    if widths_cm:
        # Word reads the cells' widths, LibreOffice the grid's: set both.
        grid.autofit = False
        for column, width in zip(grid.columns, widths_cm):
            column.width = Cm(width)
        for row in grid.rows:
            for cell, width in zip(row.cells, widths_cm):
                cell.width = Cm(width)
    return grid


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return plain_text(value)


def _repeat_as_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def page_break(doc) -> None:
    doc.add_page_break()
