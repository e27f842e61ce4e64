"""Build the office-suite test fixtures: DOCX files written with python-docx from the seed corpus,
converted to PDF by LibreOffice, plus a scan of the narrative report.

Submissions are made in Word or LibreOffice, not by pmm's own renderer (tools/render.py). These
fixtures carry what an office suite puts in a PDF: list bullets defined in numbering.xml and drawn
from symbol fonts (Symbol, Wingdings, Courier New "o" for the second level), numbered lists,
heading styles, table styles with horizontal rules only or none at all, header rows repeated on
each page, rows breaking across pages, running headers and footers with page fields, footnotes,
two-column sections and Spanish hyphenation.

The PDFs are committed under tests/fixtures/office/ so the tests need no LibreOffice; re-run this
where it is installed (Debian: libreoffice-writer-nogui, hyphen-es, poppler-utils):

    .venv/bin/python tools/make_office_fixtures.py [--out tests/fixtures/office] [--keep-docx]

Every action of the seed corpus is one list item (or table row); its " ➔ " sub-items become
second-level bullets, so the text expected from a fixture is `expected_text(action)`.
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

OUT = ROOT / "tests" / "fixtures" / "office"
TITLE = "Informe de acciones para el seguimiento del Pacto Mundial para la Migración 2022"
RUNNING_HEADER = "Secretaría de Gobernación · Seguimiento al PMM 2022"
INTRO = ("El presente informe reúne las acciones que las dependencias y entidades reportaron para "
         "el seguimiento de los objetivos del Pacto Mundial para una Migración Segura, Ordenada y "
         "Regular durante el periodo de junio de 2021 a junio de 2022.")
FOOTNOTE = ("Fuente: registros administrativos de las dependencias participantes, con corte al "
            "30 de junio de 2022.")
FORM_COLUMNS = ("Dependencia / Entidad", "Nombre o descripción de la acción", "Objetivo(s) del PMM")
SUB_ITEM = "➔"

# (font, level-0 glyph, level-1 glyph) as Word writes them in numbering.xml. The private-use code
# points are how Word stores Symbol/Wingdings glyphs; plain letters are how many templates do.
BULLETS = {
    "symbol": ("Symbol", "\uf0b7", ("Courier New", "o")),
    "wingdings_square": ("Wingdings", "\uf0a7", ("Courier New", "o")),
    "wingdings_l": ("Wingdings", "l", ("Wingdings", "\u00a7")),
    "wingdings_section": ("Wingdings", "\u00a7", ("Courier New", "o")),
    "wingdings_arrow": ("Wingdings", "\u00d8", ("Wingdings", "\u00a7")),
    "wingdings_n": ("Wingdings", "n", ("Courier New", "o")),
    "wingdings_q": ("Wingdings", "q", ("Wingdings", "\u00d8")),
    "wingdings_check": ("Wingdings", "\u00fc", ("Courier New", "o")),
    "wingdings_pua_arrow": ("Wingdings", "\uf0d8", ("Wingdings", "\uf0a7")),
    "wingdings_pua_e8": ("Wingdings", "\uf0e8", ("Courier New", "o")),
}
SCAN_DPI = 200
SCAN_ROTATION = 0.6  # degrees: a page laid slightly askew on the glass
SCAN_SEED = 20220601


def expected_text(action) -> str:
    """The text an office fixture's action must come out as: its sub-items follow it, their
    bullet glyphs gone."""
    return " ".join(part.strip() for part in action["text"].split(SUB_ITEM) if part.strip())


def parts_of(action) -> list[str]:
    return [part.strip() for part in action["text"].split(SUB_ITEM) if part.strip()]


# --- DOCX building blocks --------------------------------------------------------------------

def _new_document(*, landscape: bool = False):
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.shared import Cm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.59), Cm(27.94)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.5))
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), "Arial")
    rpr.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="es-MX" w:eastAsia="es-MX" w:bidi="ar-SA"/>'))
    for name in ("Heading 1", "Heading 2", "Title"):
        style = document.styles[name]
        style.font.name = "Arial"
        style.font.color.rgb = None
    document.styles["Heading 1"].font.size = Pt(13)
    # Word's "automatic hyphenation"; LibreOffice hyphenates Spanish with hyphen-es.
    document.settings.element.append(parse_xml(f'<w:autoHyphenation {nsdecls("w")}/>'))
    return document


def _paragraph_format(paragraph, *, justify=True, after=4):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    if justify:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.space_after = Pt(after)
    return paragraph


class Numbering:
    """numbering.xml definitions, added as Word writes them (abstractNum + num)."""

    def __init__(self, document):
        self.root = document.part.numbering_part.element
        self.next_id = 200

    def _add(self, levels_xml: str) -> int:
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        number = self.next_id
        self.next_id += 1
        abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{number}">'
                             f'<w:multiLevelType w:val="hybridMultilevel"/>{levels_xml}</w:abstractNum>')
        # abstractNum elements must precede num elements.
        first_num = self.root.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            self.root.append(abstract)
        self.root.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{number}">'
                                   f'<w:abstractNumId w:val="{number}"/></w:num>'))
        return number

    @staticmethod
    def _bullet_level(level: int, font: str, glyph: str) -> str:
        left = 720 * (level + 1)
        return (f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
                f'<w:lvlText w:val="{glyph}"/><w:lvlJc w:val="left"/>'
                f'<w:pPr><w:ind w:left="{left}" w:hanging="360"/></w:pPr>'
                f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}" w:hint="default"/></w:rPr></w:lvl>')

    def bullets(self, style: str) -> int:
        font, glyph, (sub_font, sub_glyph) = BULLETS[style]
        return self._add(self._bullet_level(0, font, glyph) + self._bullet_level(1, sub_font, sub_glyph))

    def decimal(self) -> int:
        """"1." numbering with "o" (Courier New) sub-items; a new list restarts at 1."""
        level0 = ('<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
                  '<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/>'
                  '<w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl>')
        return self._add(level0 + self._bullet_level(1, "Courier New", "o"))


def _list_paragraph(container, text, num_id, level, *, justify=True):
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph = container.add_paragraph(text)
    _paragraph_format(paragraph, justify=justify, after=3 if level else 5)
    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return paragraph


def _running_header_and_footer(section):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Pt

    header = section.header.paragraphs[0]
    header.text = RUNNING_HEADER
    header.runs[0].font.size = Pt(8)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = footer.add_run("Página ")
    run.font.size = Pt(8)
    for instr, after in (("PAGE", " de "), ("NUMPAGES", "")):
        footer._p.append(parse_xml(
            f'<w:fldSimple {nsdecls("w")} w:instr="{instr}"><w:r><w:rPr><w:sz w:val="16"/></w:rPr>'
            f'<w:t>1</w:t></w:r></w:fldSimple>'))
        if after:
            footer.add_run(after).font.size = Pt(8)


class Footnotes:
    """word/footnotes.xml, which python-docx does not write: one footnote per call of `add`."""

    def __init__(self, document):
        self.document = document
        self.notes: list[str] = []

    def add(self, paragraph, text: str) -> None:
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        self.notes.append(text)
        number = len(self.notes)
        paragraph._p.append(parse_xml(
            f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
            f'<w:footnoteReference w:id="{number}"/></w:r>'))

    def attach(self) -> None:
        from xml.sax.saxutils import escape

        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part

        if not self.notes:
            return
        w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        body = [f'<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>',
                f'<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
                f'</w:r></w:p></w:footnote>']
        for number, text in enumerate(self.notes, start=1):
            body.append(
                f'<w:footnote w:id="{number}"><w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
                f'<w:r><w:rPr><w:vertAlign w:val="superscript"/><w:sz w:val="16"/></w:rPr><w:footnoteRef/></w:r>'
                f'<w:r><w:rPr><w:sz w:val="16"/></w:rPr><w:t xml:space="preserve"> {escape(text)}</w:t></w:r>'
                f'</w:p></w:footnote>')
        blob = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<w:footnotes xmlns:w="{w}">{"".join(body)}</w:footnotes>').encode("utf-8")
        part = Part(PackURI("/word/footnotes.xml"),
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                    blob, self.document.part.package)
        self.document.part.relate_to(part, RT.FOOTNOTES)


def _title_and_intro(document, footnotes=None):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    title = document.add_paragraph(TITLE, style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    intro = _paragraph_format(document.add_paragraph(INTRO))
    if footnotes is not None:
        footnotes.add(intro, FOOTNOTE)


def _heading(document, section, footnotes=None, index=0):
    heading = document.add_paragraph(section["heading"], style="Heading 1")
    # A footnote on every other objective heading: notes at many page feet, under split actions.
    if footnotes is not None and index % 2 == 1:
        footnotes.add(heading, f"Objetivo {section['objective']}: {FOOTNOTE}")
    return heading


def build_report(path, sections, *, bullet_styles=("symbol",), numbered=False, two_columns=False):
    """A narrative report: title, intro, Heading 1 per objective, one list item per action."""
    from docx.enum.section import WD_SECTION
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = _new_document()
    footnotes = Footnotes(document)
    numbering = Numbering(document)
    _running_header_and_footer(document.sections[0])
    _title_and_intro(document, footnotes)
    if two_columns:
        section = document.add_section(WD_SECTION.CONTINUOUS)
        section._sectPr.append(parse_xml(f'<w:cols {nsdecls("w")} w:num="2" w:space="567"/>'))
    for index, section in enumerate(sections):
        _heading(document, section, footnotes, index)
        num_id = numbering.decimal() if numbered else numbering.bullets(
            bullet_styles[index % len(bullet_styles)])
        for action in section["actions"]:
            parts = parts_of(action)
            _list_paragraph(document, parts[0], num_id, 0)
            for part in parts[1:]:
                _list_paragraph(document, part, num_id, 1)
    footnotes.attach()
    document.save(path)
    return Path(path)


def _cell_borders(table, *, rules: bool):
    """Horizontal rules only (top, bottom, between rows), or no rules at all."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    line = '<w:{side} w:val="single" w:sz="6" w:space="0" w:color="000000"/>'
    nil = '<w:{side} w:val="nil"/>'
    sides = {"top": rules, "bottom": rules, "insideH": rules, "left": False, "right": False,
             "insideV": False}
    borders = "".join((line if on else nil).format(side=side) for side, on in sides.items())
    tbl_pr = table._tbl.tblPr
    tbl_pr.append(parse_xml(f'<w:tblBorders {nsdecls("w")}>{borders}</w:tblBorders>'))


def build_form(path, actions, *, rules: bool):
    """A submission form: a three-column table, one row per action, header row repeated on each
    page, rows allowed to break across pages; horizontal rules only, or no rules."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Cm, Pt

    from tools.render import gcm_titles, objectives_cell

    titles = gcm_titles()
    document = _new_document(landscape=True)
    numbering = Numbering(document)
    sub_bullets = numbering.bullets("symbol")
    _running_header_and_footer(document.sections[0])
    _title_and_intro(document)
    widths = (Cm(5.0), Cm(14.5), Cm(4.5))
    table = document.add_table(rows=1, cols=3)
    table.autofit = False
    _cell_borders(table, rules=rules)
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
    for cell, name, width in zip(header.cells, FORM_COLUMNS, widths):
        cell.width = width
        cell.paragraphs[0].text = ""
        run = cell.paragraphs[0].add_run(name)
        run.bold = True
        run.font.size = Pt(10)
    if not rules:
        # No rules at all: only the header's bold and the columns' alignment show the table.
        pass
    for index, action in enumerate(actions):
        row = table.add_row()
        actor, text, objectives = row.cells
        for cell, width in zip(row.cells, widths):
            cell.width = width
        actor.paragraphs[0].text = action["actor_name"]
        parts = parts_of(action)
        first = _paragraph_format(text.paragraphs[0], after=2)
        first.text = parts[0]
        for part in parts[1:]:
            _list_paragraph(text, part, sub_bullets, 0)
        objectives.paragraphs[0].text = objectives_cell(action["objectives"], titles, index)
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(10)
    document.add_paragraph("")
    document.save(path)
    return Path(path)


# --- conversion and scanning -----------------------------------------------------------------

def convert(docx_path: Path, out_dir: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice is not installed (Debian: apt-get install libreoffice-writer-nogui)")
    with tempfile.TemporaryDirectory(prefix="pmm-lo-profile-") as profile:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(out_dir), str(docx_path)],
                       check=True, capture_output=True, timeout=600)
    return out_dir / (docx_path.stem + ".pdf")


def scan(pdf_path: Path, out_path: Path, *, dpi: int = SCAN_DPI, rotation: float = SCAN_ROTATION,
         seed: int = SCAN_SEED) -> Path:
    """An image-only copy of a PDF as a scanner makes it: 200 dpi, slightly rotated, speckled,
    bilevel (CCITT G4, so the file stays small)."""
    import numpy as np
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    noise = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory(prefix="pmm-scan-") as tmp:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf_path), f"{tmp}/page"],
                       check=True, capture_output=True, timeout=600)
        pages = []
        for png in sorted(Path(tmp).glob("page-*.png")):
            image = Image.open(png).convert("L")
            angle = rotation * (1 if rng.random() < 0.5 else -1) * (0.6 + 0.4 * rng.random())
            image = image.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
            image = image.filter(ImageFilter.GaussianBlur(0.6))
            pixels = np.asarray(image, dtype=np.float32)
            pixels += noise.normal(0, 18, pixels.shape)
            speckles = noise.random(pixels.shape)
            pixels[speckles < 0.0008] = 0
            pixels[speckles > 0.9995] = 255
            page = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).point(
                lambda v: 255 if v > 150 else 0).convert("1")
            pages.append(page)
        buffer = io.BytesIO()
        pages[0].save(buffer, format="PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    out_path.write_bytes(buffer.getvalue())
    return out_path


FIXTURES = {
    # name: (builder, kwargs)
    "narrative": ("report", dict(bullet_styles=("symbol",))),
    "numbered": ("report", dict(numbered=True)),
    "two_column": ("report", dict(bullet_styles=("wingdings_square",), two_columns=True)),
    "symbols": ("report", dict(bullet_styles=tuple(BULLETS))),
    "form_rules": ("form", dict(rules=True)),
    "form_plain": ("form", dict(rules=False)),
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--keep-docx", action="store_true", help="also write the DOCX files")
    parser.add_argument("--only", nargs="*", help="build only these fixtures")
    args = parser.parse_args(argv)

    from pipeline.corpus import load_seed
    from tools.render import objective_sections

    seed = load_seed()
    sections = objective_sections(seed)
    rows = [{"text": a["text"], "objectives": a["objectives"], "actor_name": a["actor"]} for a in seed]
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pmm-office-") as tmp:
        tmp = Path(tmp)
        for name, (kind, options) in FIXTURES.items():
            if args.only and name not in args.only:
                continue
            docx_path = tmp / f"{name}.docx"
            if kind == "report":
                build_report(docx_path, sections, **options)
            else:
                build_form(docx_path, rows, **options)
            pdf = convert(docx_path, tmp)
            shutil.copyfile(pdf, args.out / f"{name}.pdf")
            if args.keep_docx:
                shutil.copyfile(docx_path, args.out / f"{name}.docx")
            print(f"{args.out / (name + '.pdf')}: {pdf.stat().st_size // 1024} KiB")
        if not args.only or "scan" in args.only:
            source = args.out / "narrative.pdf"
            out = scan(source, args.out / "scan.pdf")
            print(f"{out}: {out.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
