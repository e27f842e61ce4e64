"""Submission forms: tables with one row per action, ruled or drawn with horizontal rules only
(or none), as office suites draw them by default.

A form is recognised by the words of its header row (Dependencia / Entidad, Nombre o descripción
de la acción, Objetivo(s) del PMM, Resultados, Retos — or their English equivalents), never by
its position. Its grids on later pages continue it: a repeated header row is skipped, and a row
cut by the page break (its first cell empty at the top of the next page) is joined to the row
it continues.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from .layout import BOLD_FONT, PAGE_NUMBER, cluster_rows, group_lines, widest_run
from .pdf import Cell, TableGrid, without_bullet
from .segment import OBJECTIVE_HEADING, join_parts

# Header words per column kind, accent-free and lower case. When a header names several kinds
# ("Objetivo del PMM al que contribuye la acción"), the first kind in this order wins: the
# action column is the one that names nothing more specific.
COLUMN_WORDS = {
    "challenges": ("reto", "retos", "desafio", "desafios", "obstaculo", "obstaculos", "challenge",
                   "challenges", "obstacle", "obstacles", "dificultades"),
    "results": ("resultado", "resultados", "logro", "logros", "result", "results", "outcome",
                "outcomes", "achievements", "impacto"),
    "objectives": ("objetivo", "objetivos", "pmm", "gcm", "objective", "objectives", "pacto"),
    "period": ("periodo", "fecha", "fechas", "vigencia", "period", "date", "dates"),
    # "Número de acciones" counts actions; it is not a column of actions.
    "count": ("numero", "total", "cantidad", "count", "number", "frecuencia"),
    "actor": ("dependencia", "dependencias", "entidad", "institucion", "organismo", "actor",
              "responsable", "agency", "entity", "institution", "organization", "organisation",
              "ministry", "body"),
    "action": ("accion", "acciones", "nombre", "descripcion", "programa", "programas", "practica",
               "practicas", "proyecto", "action", "actions", "name", "description", "program",
               "programme", "project", "practice", "initiative", "iniciativa"),
}
KIND_ORDER = tuple(COLUMN_WORDS)
# Table edges closer than this (points) are the same table continuing on another page.
SAME_TABLE_TOLERANCE = 6.0


def _words(text: str) -> list[str]:
    from ..text import fold

    return re.findall(r"[a-z]+", fold(text))


def column_kind(header_text: str) -> str | None:
    """The kind of a form column from its header, typos and accents forgiven."""
    words = _words(header_text)
    if not words or len(words) > 12:
        return None
    for kind in KIND_ORDER:
        vocabulary = COLUMN_WORDS[kind]
        for word in words:
            if word in vocabulary or (len(word) >= 6 and difflib.get_close_matches(word, vocabulary, 1, 0.85)):
                return kind
    return None


def form_columns(cells: list[Cell]) -> dict[int, str] | None:
    """{cell index: kind} when this row is a form's header row: it names an action column and at
    least one other (actor, objectives, results, challenges or period); else None."""
    kinds = {i: column_kind(cell.text) for i, cell in enumerate(cells) if cell.text.strip()}
    kinds = {i: kind for i, kind in kinds.items() if kind}
    found = set(kinds.values())
    if "action" in found and len(found) >= 2:
        return kinds
    # "Acción" and "Objetivo" may both be missing words; two specific kinds and a free-text
    # column left over are a form too (the unnamed column is the action).
    return None


@dataclass
class Row:
    values: dict[int, list[str]]  # header column index -> text pieces
    pages: list[int]
    first: dict
    last: dict
    spanned: set[int] = field(default_factory=set)  # columns where a cell from above reaches down

    def text(self, column: int, hyphenation=None) -> str:
        parts = self.values.get(column, [])
        if hyphenation is not None:  # a cell cut by a page break may cut a word too
            parts = hyphenation.soften(parts)
        return join_parts(parts)


@dataclass
class LogicalTable:
    """A table as the reader sees it: one header, and its rows from every page it spans."""

    header: list[Cell]
    kinds: dict[int, str] | None  # set for a recognised submission form
    rows: list[Row] = field(default_factory=list)
    bbox: tuple = ()
    last_page: int = 0


def _row_bbox(cells: list[Cell], page: int) -> dict:
    return {"page": page, "x0": round(min(c.x0 for c in cells), 2), "top": round(min(c.top for c in cells), 2),
            "x1": round(max(c.x1 for c in cells), 2), "bottom": round(max(c.bottom for c in cells), 2)}


def _column_of(cell: Cell, header: list[Cell]) -> int | None:
    best, best_overlap = None, 0.0
    for index, head in enumerate(header):
        overlap = min(cell.x1, head.x1) - max(cell.x0, head.x0)
        if overlap > best_overlap:
            best, best_overlap = index, overlap
    return best


def _header_key(cells) -> tuple:
    return tuple(" ".join(_words(c.text)) for c in cells if c.text.strip())


def _same_place(a: tuple, b: tuple) -> bool:
    return abs(a[0] - b[0]) <= SAME_TABLE_TOLERANCE and abs(a[2] - b[2]) <= SAME_TABLE_TOLERANCE


def _find_header(grid: TableGrid) -> tuple[int, dict | None]:
    # A title row spanning the table may sit above the header: look at the first rows.
    for index, cells in enumerate(grid.rows[:3]):
        kinds = form_columns(cells)
        if kinds:
            return index, kinds
    return 0, None


def _looks_like_header(grid: TableGrid) -> bool:
    """A first row in bold over rows that are not: a header, whatever its words."""
    first = [c for c in grid.rows[0] if c.text.strip()]
    rest = [c for row in grid.rows[1:] for c in row if c.text.strip()]
    return bool(first) and all(c.bold for c in first) and not all(c.bold for c in rest)


def assemble(grids: list[TableGrid]) -> list[LogicalTable]:
    """Join the grids of every page into logical tables, in document order.

    A grid continues the table before it when it sits at the same place on a later page (a
    table running over a page break) or repeats its header row; its repeated header is skipped.
    """
    tables: list[LogicalTable] = []
    current: LogicalTable | None = None
    for grid in grids:
        if not grid.rows:
            continue
        rows = grid.rows
        header_at, kinds = _find_header(grid)
        same_header = current is not None and _header_key(rows[header_at]) == _header_key(current.header)
        next_page = current is not None and grid.page > current.last_page and _same_place(grid.bbox, current.bbox)
        if same_header:
            rows = rows[header_at + 1:]
        elif next_page and not kinds and not _looks_like_header(grid):
            pass
        else:
            named = [i for i, cell in enumerate(rows[header_at]) if cell.text.strip()]
            if not named:
                continue
            current = LogicalTable(
                header=[rows[header_at][i] for i in named], bbox=grid.bbox,
                kinds={n: kinds[i] for n, i in enumerate(named) if i in kinds} if kinds else None)
            tables.append(current)
            rows = rows[header_at + 1:]
        for position, cells in enumerate(rows):
            _add_row(current, cells, grid.page, cut_by_page_break=position == 0 and grid.page > current.last_page)
        current.last_page = max(current.last_page, grid.page)
    return tables


def _add_row(table: LogicalTable, cells: list[Cell], page: int, cut_by_page_break: bool) -> None:
    values: dict[int, list[str]] = {}
    covered = set()
    for cell in cells:
        column = _column_of(cell, table.header)
        if column is None:
            continue
        covered.add(column)
        if cell.text.strip():
            values.setdefault(column, []).append(cell.text)
    if not values:
        return
    box = _row_bbox(cells, page)
    if cut_by_page_break and table.rows and 0 not in values:
        previous = table.rows[-1]
        for column, parts in values.items():
            previous.values.setdefault(column, []).extend(parts)
        if page not in previous.pages:
            previous.pages.append(page)
        previous.last = box
        return
    table.rows.append(Row(values, [page], box, box, set(range(len(table.header))) - covered))


def join_sentences(pieces) -> str:
    """Cells of one kind side by side ("Nombre", "Descripción") read as consecutive sentences;
    empty cells are left out."""
    out = ""
    for piece in filter(None, pieces):
        out = piece if not out else (out + (" " if out[-1] in ".:;!?" else ". ") + piece)
    return out


def parse_objectives(text: str, gcm=None) -> list[int]:
    """GCM objectives written in a form cell: "7", "7, 15", "Objetivo 7", "7. Abordar…",
    "Objetivos 7 y 15"; or a title alone, looked up in `gcm` (a taxonomy) when given."""
    found = []
    for match in re.finditer(r"(?<![\d.,])(\d{1,2})(?!\d|[.,]\d)", text or ""):
        number = int(match.group(1))
        if 1 <= number <= 23 and number not in found:
            found.append(number)
    if found or gcm is None or not (text or "").strip():
        return found
    # Titles themselves hold " y " ("Abordar y reducir…"): split on it only as a last resort.
    for separators in (r"[;\n]", r"[;\n]|\s+y\s+"):
        for piece in re.split(separators, text):
            label = gcm.find(piece.strip().rstrip("."))
            if label is not None and int(label.id) not in found:
                found.append(int(label.id))
        if found:
            break
    return found


def form_rows(table: LogicalTable, gcm=None, hyphenation=None) -> list[dict]:
    """One dict per action row of a recognised form: text, objectives, actor_text,
    results_text, challenges_text, pages, bbox, heading."""
    columns: dict[str, list[int]] = {}
    for index, kind in (table.kinds or {}).items():
        columns.setdefault(kind, []).append(index)
    out = []
    section_heading, section_objectives = None, []
    for row in table.rows:
        def text_of(kind):
            return join_sentences(row.text(i, hyphenation) for i in columns.get(kind, []))

        action = text_of("action")
        filled = [i for i in row.values if row.text(i)]
        if len(filled) == 1 and OBJECTIVE_HEADING.match(row.text(filled[0])):
            # A row spanning the table that names an objective: a section of the form.
            section_heading = row.text(filled[0])
            section_objectives = parse_objectives(section_heading.split(".")[0])
            continue
        if not action:
            continue
        objectives = parse_objectives(text_of("objectives"), gcm) if "objectives" in columns else []
        actor_text = text_of("actor")
        if not actor_text and out and any(i in row.spanned for i in columns.get("actor", [])):
            actor_text = out[-1]["actor_text"]  # one actor cell merged over several rows
        out.append({
            "text": action,
            "objectives": objectives or list(section_objectives),
            "heading": section_heading,
            "actor_text": actor_text or None,
            "results_text": text_of("results") or None,
            "challenges_text": text_of("challenges") or None,
            "period": text_of("period") or None,
            "pages": list(row.pages),
            "bbox": {"first": row.first, "last": row.last},
        })
    return out


class FormFinder:
    """Called page by page with the page's grids; returns the grids that belong to a submission
    form (a recognised header, or the continuation of a form from an earlier page). Their text
    is read as table rows, not as running text."""

    def __init__(self):
        self.last_form_bbox = None

    @staticmethod
    def unruled(words, hrules, page: int) -> list[TableGrid]:
        grid = unruled_form(words, hrules, page)
        return [grid] if grid is not None else []

    def __call__(self, grids: list[TableGrid]) -> list[TableGrid]:
        forms = []
        for grid in grids:
            if not grid.rows:
                continue
            _, kinds = _find_header(grid)
            if kinds or (self.last_form_bbox is not None and _same_place(grid.bbox, self.last_form_bbox)
                         and len(grid.rows[0]) > 1):
                forms.append(grid)
                self.last_form_bbox = grid.bbox
        return forms


# --- forms drawn without vertical rules ------------------------------------------------------

# Cells of a header row are set apart by more than this many ems (words by about a quarter).
COLUMN_GAP_EMS = 1.2
# A gap this many line heights tall ends the table (the page's foot, a paragraph after it).
TABLE_END_LINES = 2.5
MAX_HEADER_WORDS = 8
# A row in type this much smaller than the header's is a page footer, not a table row.
SMALLER_THAN_TABLE = 0.85
# Rules spanning this share of the table's width separate its rows.
ROW_RULE_SHARE = 0.8


def _segments(row: list[dict]) -> list[list[dict]]:
    """A row of words cut where the space between two words is wider than a column gap."""
    out = [[row[0]]]
    for prev, word in zip(row, row[1:]):
        size = float(word.get("size") or 10)
        if word["x0"] - prev["x1"] > COLUMN_GAP_EMS * size:
            out.append([])
        out[-1].append(word)
    return out


def _boundary(lo: float, hi: float, rows: list[list[dict]]) -> float:
    """The x between two columns that the fewest words cross: the middle of the widest run."""
    lo_i, hi_i = int(lo), max(int(lo) + 1, int(hi))
    counts = [0] * (hi_i - lo_i)
    for row in rows:
        for word in row:
            for x in range(max(lo_i, int(word["x0"])), min(hi_i, int(word["x1"]) + 1)):
                counts[x - lo_i] += 1
    least = min(counts)
    start, end = widest_run(counts, lambda count: count == least)
    return lo_i + (start + end) / 2


def unruled_form(words, hrules, page: int) -> TableGrid | None:
    """A submission form drawn without vertical rules (horizontal rules only, or none): its
    header row is found by its words, its columns by the empty strips between the header's
    cells that no text below crosses, its rows by the horizontal rules or, without rules, by a
    new entry in the first column."""
    rows = cluster_rows(words)
    for index, row in enumerate(rows):
        segments = _segments(row)
        if not 2 <= len(segments) <= 8 or any(len(s) > MAX_HEADER_WORDS for s in segments):
            continue
        # Two columns of running text side by side are no header: a header of two cells must
        # at least be set in bold.
        if len(segments) == 2 and not all(BOLD_FONT.search(str(w.get("fontname") or "")) for s in segments
                                          for w in s):
            continue
        head = [Cell(s[0]["x0"], s[-1]["x1"], min(w["top"] for w in s), max(w["bottom"] for w in s),
                     " ".join(w["text"] for w in s)) for s in segments]
        kinds = form_columns(head)
        if kinds:
            return _build_unruled(rows, index, head, hrules, page)
    return None


def _build_unruled(rows, at, head, hrules, page):
    size = float(rows[at][0].get("size") or 10)
    body = []
    bottom = max(c.bottom for c in head)
    pitch = max(size * 1.2, 1.0)
    for row in rows[at + 1:]:
        top = min(w["top"] for w in row)
        text = " ".join(w["text"] for w in row)
        small = max(float(w.get("size") or 10) for w in row) < SMALLER_THAN_TABLE * size
        # The table ends at a wide gap, or at the page's footer (small type, a page number).
        if top - bottom > TABLE_END_LINES * pitch or small or PAGE_NUMBER.match(text):
            break
        body.append(row)
        bottom = max(w["bottom"] for w in row)
    if not body:
        return None
    left = min(min(c.x0 for c in head), min(w["x0"] for r in body for w in r))
    right = max(max(c.x1 for c in head), max(w["x1"] for r in body for w in r))
    bounds = [left - 1]
    for a, b in zip(head, head[1:]):
        # Left-aligned or centred, a column's text starts by its header's first word.
        bounds.append(_boundary(a.x0 + 1, b.x0 + 2, body))
    bounds.append(right + 1)
    # Text crossing a column boundary is not in this table (a paragraph after it).
    kept = []
    for row in body:
        if any(w["x0"] < x - 2 and w["x1"] > x + 2 for w in row for x in bounds[1:-1]):
            break
        kept.append(row)
    if not kept:
        return None
    width = right - left
    top_y, bottom_y = min(c.top for c in head), max(w["bottom"] for w in kept[-1])
    rules = sorted(r["top"] for r in hrules if r["x1"] - r["x0"] >= ROW_RULE_SHARE * width
                   and top_y - 2 <= r["top"] <= bottom_y + 2)
    # Group the text rows into table rows.
    groups: list[list[list[dict]]] = []
    previous_middle = None
    previous_first = False
    for row in kept:
        middle = (min(w["top"] for w in row) + max(w["bottom"] for w in row)) / 2
        in_first = any(w["x0"] < bounds[1] for w in row)
        if len(rules) >= 2:
            # A rule between two lines of text (it may touch their descenders) starts a row.
            new = not groups or any(previous_middle < y < middle for y in rules)
        else:
            new = not groups or (in_first and not previous_first)
        if new:
            groups.append([])
        groups[-1].append(row)
        previous_middle, previous_first = middle, in_first
    grid_rows = [[Cell(bounds[i], bounds[i + 1], c.top, c.bottom, c.text, bold=True, lines=[c.text])
                  for i, c in enumerate(head)]]
    for group in groups:
        cells = []
        g_top = min(w["top"] for r in group for w in r)
        g_bottom = max(w["bottom"] for r in group for w in r)
        for i in range(len(head)):
            inside = [w for r in group for w in r if bounds[i] <= (w["x0"] + w["x1"]) / 2 < bounds[i + 1]]
            lines = group_lines(inside, page) if inside else []
            texts = [without_bullet(line) for line in lines]
            cells.append(Cell(bounds[i], bounds[i + 1], g_top, g_bottom, join_parts(texts),
                              bold=bool(lines) and all(l.bold for l in lines), lines=texts))
        grid_rows.append(cells)
    return TableGrid(page, (bounds[0], top_y, bounds[-1], bottom_y), grid_rows)
