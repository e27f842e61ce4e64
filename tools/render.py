"""Render synthetic GCM submissions to PDF, in the layouts `pmm extract` must read.

Used by the extraction tests, the benchmark and `corpus/samples/make_samples.py`. Every renderer
is deterministic (reportlab `invariant=1`, fixed metadata, fonts shipped with matplotlib), so the
same input gives byte-identical PDFs on any machine with the same library versions.

An action is a dict: `text` (sub-items joined with " ➔ ", as in the seed corpus), `objectives`
[int], and optionally `actor_name`, `results`, `challenges`. A section is a dict: `heading`
("Objetivo 7. Abordar…") and `actions`.
"""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (BaseDocTemplate, Frame, FrameBreak, NextPageTemplate, PageTemplate,
                                Paragraph, SimpleDocTemplate, Table, TableStyle)

FONT = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
SUB_ITEM = "➔"
BULLET = "●"
# Fixed metadata: with invariant=1 the date and document id are fixed too, so bytes repeat.
METADATA = dict(author="pmm", creator="pmm tools/render.py", producer="pmm", subject="GCM/PMM",
                invariant=1)
RUNNING_HEADER = "Seguimiento al Pacto Mundial para una Migración Segura, Ordenada y Regular"
FORM_COLUMNS = ("Dependencia / Entidad", "Nombre o descripción de la acción", "Objetivo(s) del PMM",
                "Resultados", "Retos")


def register_fonts() -> None:
    """DejaVu Sans from matplotlib's data: it has ●, ▪, ➔ and every Spanish letter, and it ships
    with a dependency, so rendering does not depend on the machine's fonts."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    from matplotlib import get_data_path

    ttf = Path(get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(ttf / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(ttf / "DejaVuSans-Bold.ttf")))


# Text fonts: DejaVu (embedded) or the PDF standard Helvetica (not embedded: smaller files).
# Bullets and ➔ are always drawn in DejaVu, which has them.
FONTS = {"dejavu": (FONT, BOLD), "helvetica": ("Helvetica", "Helvetica-Bold")}


def _styles(size=10.0, font="dejavu"):
    regular, bold = FONTS[font]
    body = ParagraphStyle("body", fontName=regular, fontSize=size, leading=size * 1.3,
                          alignment=TA_JUSTIFY, spaceAfter=size * 0.8)
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=size + 6, leading=(size + 6) * 1.25,
                                alignment=TA_CENTER, spaceAfter=size * 1.5),
        "heading": ParagraphStyle("heading", fontName=bold, fontSize=size + 1, leading=(size + 1) * 1.3),
        "body": body,
        # Hanging indent: the glyph sits at bulletIndent, every line of text at leftIndent.
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=18, bulletIndent=4,
                                 bulletFontName=FONT, bulletFontSize=size - 1),
        "sub": ParagraphStyle("sub", parent=body, leftIndent=36, bulletIndent=22, spaceAfter=size * 0.3,
                              bulletFontName=FONT, bulletFontSize=size - 1),
        "link": ParagraphStyle("link", parent=body, alignment=0, textColor=colors.blue),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=size - 2, leading=(size - 2) * 1.25),
        "cell_head": ParagraphStyle("cell_head", fontName=bold, fontSize=size - 2,
                                    leading=(size - 2) * 1.25),
    }


def _p(text, style, **kw):
    # Helvetica has no ➔: such characters are drawn in DejaVu, inline.
    markup = "".join(c if _in_winansi(c) else f'<font name="{FONT}">{c}</font>' for c in escape(text))
    return Paragraph(markup, style, **kw)


def _in_winansi(char: str) -> bool:
    try:
        char.encode("cp1252")
        return True
    except UnicodeEncodeError:
        return False


def split_sub_items(text: str) -> list[str]:
    """The seed corpus keeps an action's sub-items in its text, each after " ➔ "."""
    return [part.strip() for part in text.split(SUB_ITEM) if part.strip()]


def objective_sections(actions, titles: dict[int, str] | None = None) -> list[dict]:
    """Group actions by their first objective, in objective order, each under an
    "Objetivo N. Title" heading (titles from the GCM taxonomy file unless given)."""
    titles = titles or gcm_titles()
    by_objective: dict[int, list] = {}
    for action in actions:
        by_objective.setdefault(action["objectives"][0], []).append(action)
    return [{"heading": f"Objetivo {n}. {titles.get(n, '')}".strip(), "objective": n,
             "actions": by_objective[n]} for n in sorted(by_objective)]


def gcm_titles() -> dict[int, str]:
    import csv

    from pipeline.config import TAXONOMY_DIR

    with open(TAXONOMY_DIR / "gcm_objectives.csv", encoding="utf-8", newline="") as fh:
        return {int(row["id"]): row["title_es"].rstrip(".") + "." for row in csv.DictReader(fh)}


def _action_flowables(action, styles, *, bullet=BULLET, number=None, challenges_label="Retos"):
    parts = split_sub_items(action["text"])
    glyph = f"{number}." if number is not None else bullet
    flow = [_p(parts[0], styles["bullet"], bulletText=glyph)]
    flow += [_p(part, styles["sub"], bulletText=SUB_ITEM) for part in parts[1:]]
    if action.get("challenges"):
        flow.append(_p(f"{challenges_label}: {action['challenges']}", styles["sub"]))
    return flow


def _heading(text, styles, width, style):
    """An objective heading: in a shaded box (the Informe's look), bold, or plain body text."""
    if style == "bold":
        return _p(text, ParagraphStyle("heading_bold", parent=styles["heading"], spaceBefore=8,
                                       spaceAfter=8))
    if style == "plain":
        return _p(text, ParagraphStyle("heading_plain", parent=styles["body"], alignment=0,
                                       spaceBefore=8))
    box = Table([[_p(text, styles["heading"])]], colWidths=[width])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.8, colors.HexColor("#1f4e79")),
                             ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#dce6f2")),
                             ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    box.spaceBefore, box.spaceAfter = 6, 10
    return box


def _page_decorations(running_header, font="dejavu"):
    def draw(canvas, doc):
        width, height = doc.pagesize
        canvas.saveState()
        canvas.setFont(FONTS[font][0], 8)
        canvas.setFillColor(colors.grey)
        canvas.drawString(doc.leftMargin, height - 1.2 * cm, running_header)
        canvas.setStrokeColor(colors.grey)
        canvas.line(doc.leftMargin, height - 1.35 * cm, width - doc.rightMargin, height - 1.35 * cm)
        canvas.drawCentredString(width / 2, 1.0 * cm, f"Página {doc.page}")
        canvas.restoreState()
    return draw


def _story_for_sections(sections, styles, width, stray_link, *, bullet=BULLET, numbered=False,
                        heading_style="box"):
    story = []
    for index, section in enumerate(sections):
        if section.get("heading"):
            story.append(_heading(section["heading"], styles, width, heading_style))
        # A link pasted on its own line under a heading, as the Informe has: not an action.
        if stray_link and index == min(1, len(sections) - 1):
            story.append(_p(stray_link, styles["link"]))
        for number, action in enumerate(section["actions"], start=1):
            story += _action_flowables(action, styles, bullet=bullet, number=number if numbered else None)
    return story


def _list_styles(styles, hanging: bool):
    if hanging:
        return styles
    # The bullet at the margin, the first line after it, and the wrapped lines back at the margin.
    styles = dict(styles)
    styles["bullet"] = ParagraphStyle("bullet_flat", parent=styles["bullet"], leftIndent=0,
                                      bulletIndent=0, firstLineIndent=16)
    return styles


def render_narrative(path, title, sections, *, running_header=RUNNING_HEADER, intro=None,
                     stray_link="https://twitter.com/i/web/status/1356346589204279296",
                     font_size=10.0, bullet=BULLET, numbered=False, hanging=True,
                     heading_style="box", font="dejavu") -> Path:
    """The Informe's own layout: a title, objective headings in boxes, ● bullets with a hanging
    indent and justified text, ➔ sub-items, a running header and a page-number footer on every
    page, and one stray link line.

    :param sections: [{"heading": "Objetivo 7. …", "actions": [action, …]}, …]
    :param intro: an optional paragraph of prose under the title (not an action).
    :param bullet: the glyph of each action ("●", "•", "▪", "-"); `numbered` uses 1., 2., … instead.
    :param hanging: wrapped lines align with the text after the bullet (else with the bullet).
    :param heading_style: "box" (the Informe's), "bold" or "plain".
    :param font: "dejavu" (embedded) or "helvetica" (a PDF standard font, not embedded).
    """
    register_fonts()
    styles = _list_styles(_styles(font_size, font), hanging)
    doc = SimpleDocTemplate(str(path), pagesize=letter, leftMargin=2.5 * cm, rightMargin=2.5 * cm,
                            topMargin=2.2 * cm, bottomMargin=2.2 * cm, title=title, **METADATA)
    story = [_p(title, styles["title"])]
    if intro:
        story.append(_p(intro, styles["body"]))
    story += _story_for_sections(sections, styles, doc.width, stray_link, bullet=bullet,
                                 numbered=numbered, heading_style=heading_style)
    decorate = _page_decorations(running_header, font)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return Path(path)


def render_two_column(path, title, sections, *, running_header=RUNNING_HEADER, font_size=9.0,
                      stray_link=None, bullet=BULLET, numbered=False, hanging=True,
                      heading_style="box", font="dejavu") -> Path:
    """Two columns per page, read column by column; the title spans the page, objective headings
    span one column. List and heading options as in `render_narrative`."""
    register_fonts()
    styles = _list_styles(_styles(font_size, font), hanging)
    pagesize = letter
    margin, gutter = 2.0 * cm, 0.9 * cm
    doc = BaseDocTemplate(str(path), pagesize=pagesize, leftMargin=margin, rightMargin=margin,
                          topMargin=2.2 * cm, bottomMargin=2.2 * cm, title=title, **METADATA)
    col_width = (doc.width - gutter) / 2
    title_height = 2.4 * cm

    def columns(top_offset):
        height = doc.height - top_offset
        return [Frame(doc.leftMargin, doc.bottomMargin, col_width, height, id="left", showBoundary=0),
                Frame(doc.leftMargin + col_width + gutter, doc.bottomMargin, col_width, height,
                      id="right")]

    title_frame = Frame(doc.leftMargin, doc.bottomMargin + doc.height - title_height, doc.width,
                        title_height, id="title")
    decorate = _page_decorations(running_header, font)
    doc.addPageTemplates([
        PageTemplate("first", [title_frame, *columns(title_height)], onPage=decorate),
        PageTemplate("later", columns(0), onPage=decorate),
    ])
    story = [NextPageTemplate("later"), _p(title, styles["title"]), FrameBreak()]
    story += _story_for_sections(sections, styles, col_width, stray_link, bullet=bullet,
                                 numbered=numbered, heading_style=heading_style)
    doc.build(story)
    return Path(path)


def objectives_cell(objectives, titles, style_index: int) -> str:
    """The ways submissions write the objective column: "7", "Objetivo 7", "7. Abordar…"."""
    if style_index % 3 == 0:
        return ", ".join(str(n) for n in objectives)
    if style_index % 3 == 1:
        return "; ".join(f"Objetivo {n}" for n in objectives)
    return "; ".join(f"{n}. {titles.get(n, '')}".strip() for n in objectives)


def render_form(path, title, actions, *, columns=FORM_COLUMNS, font_size=10.0, titles=None,
                intro=None, font="dejavu") -> Path:
    """A submission form: one table row per action under a header row repeated on every page;
    long cells wrap, the table runs over pages, and a row that does not fit is split across the
    page break (its continuation has an empty first cell)."""
    register_fonts()
    titles = titles or gcm_titles()
    styles = _styles(font_size, font)
    doc = SimpleDocTemplate(str(path), pagesize=landscape(letter), leftMargin=1.5 * cm,
                            rightMargin=1.5 * cm, topMargin=2.0 * cm, bottomMargin=2.0 * cm,
                            title=title, **METADATA)
    rows = [[_p(name, styles["cell_head"]) for name in columns]]
    for index, action in enumerate(actions):
        rows.append([
            _p(action.get("actor_name") or "", styles["cell"]),
            _p(action["text"], styles["cell"]),
            _p(objectives_cell(action["objectives"], titles, index), styles["cell"]),
            _p(action.get("results") or "", styles["cell"]),
            _p(action.get("challenges") or "", styles["cell"]),
        ])
    widths = [0.15, 0.45, 0.14, 0.13, 0.13]
    table = Table(rows, colWidths=[w * doc.width for w in widths], repeatRows=1, splitByRow=0, splitInRow=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#d9d9d9")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    story = [_p(title, styles["title"])]
    if intro:
        story.append(_p(intro, styles["body"]))
    story.append(table)
    decorate = _page_decorations(RUNNING_HEADER, font)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return Path(path)


def render_prose(path, title, paragraphs, *, font="dejavu") -> Path:
    """Paragraphs of prose under a title: no bullets, no objective headings, no table."""
    register_fonts()
    styles = _styles(10.0, font)
    doc = SimpleDocTemplate(str(path), pagesize=letter, title=title, **METADATA)
    doc.build([_p(title, styles["title"])] + [_p(text, styles["body"]) for text in paragraphs])
    return Path(path)


# --- bad inputs --------------------------------------------------------------------------------

def render_scanned(path, lines=("Informe de acciones PMM 2022", "",
                                "Documento escaneado: esta página es una imagen sin capa de texto.")) -> Path:
    """A page that is only an image of text, as a scanner makes it: no text layer."""
    from matplotlib import get_data_path
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    image = Image.new("1", (850, 1100), 1)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(Path(get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"), 22)
    for i, line in enumerate(lines):
        draw.text((70, 90 + 40 * i), line, font=font, fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    buffer.seek(0)
    canvas = Canvas(str(path), pagesize=letter, **METADATA)
    canvas.drawImage(ImageReader(buffer), 0, 0, width=letter[0], height=letter[1])
    canvas.showPage()
    canvas.save()
    return Path(path)


def render_encrypted(path, password="secreto") -> Path:
    """A one-page PDF that needs a password to open."""
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen.canvas import Canvas

    register_fonts()
    canvas = Canvas(str(path), pagesize=letter, encrypt=StandardEncryption(password, canPrint=0),
                    **METADATA)
    canvas.setFont(FONT, 11)
    canvas.drawString(72, 700, "● Acción confidencial protegida con contraseña.")
    canvas.showPage()
    canvas.save()
    return Path(path)


def write_truncated(path, source, keep: float = 0.5) -> Path:
    """The first `keep` share of the bytes of `source`, as an interrupted download leaves it."""
    data = Path(source).read_bytes()
    Path(path).write_bytes(data[: int(len(data) * keep)])
    return Path(path)


def write_not_pdf(path) -> Path:
    """An HTML error page saved with a .pdf name (what a failed download often is)."""
    Path(path).write_text("<!DOCTYPE html>\n<html><body><h1>404 Not Found</h1></body></html>\n",
                          encoding="utf-8")
    return Path(path)


def write_empty(path) -> Path:
    Path(path).write_bytes(b"")
    return Path(path)
