"""Page geometry: words into lines, lines into reading order, and running headers/footers out.

All functions work on pdfplumber word dicts (x0, x1, top, bottom, text, size, fontname) and
return plain `Line` objects; nothing here touches a pdfplumber page, so it is cheap to test.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from statistics import median

# Two columns need at least this much empty space between them (points) …
MIN_GUTTER = 8.0
# … crossed by at most this share of the page's rows (titles and rules may span both) …
GUTTER_CROSSING_SHARE = 0.12
# … on a page with at least this many rows of text.
MIN_ROWS_FOR_COLUMNS = 6
# Rows of unbroken text across the page's middle are left out of the count when they are at most
# this share of the rows.
SPANNING_ROWS_SHARE = 0.3
# A running header or footer sits in this top/bottom share of the page …
MARGIN_ZONE = 0.15
# … and repeats, at the same height (within this many points), on at least this share of pages.
RUNNING_POSITION_TOLERANCE = 4.0
RUNNING_SHARE = 0.5
PAGE_NUMBER = re.compile(
    r"^(?:(?:p[áa]g(?:ina)?|page|hoja)\.?\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?"
    r"(?:\s*(?:de|of|/)\s*\d{1,4})?$", re.IGNORECASE)
BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi|,b$|-b$", re.IGNORECASE)
# Fonts whose glyphs are pictures, not letters: what they draw at a line's start is a bullet,
# whatever character the PDF maps it to ("l", "§", "Ø", U+F0B7…).
SYMBOL_FONT = re.compile(r"symbol|wingding|webding|dingbat|zapf|marlett|mt ?extra|bookshelf", re.IGNORECASE)
# What symbol-font bullets come out as when the PDF maps them to Latin-1 letters, and Courier
# New's "o" of Word's second list level. Alone and set apart from the text, they are bullets.
LETTER_BULLETS = frozenset("o§lnqüØvwu¨·ð")
# A word space is about a quarter of an em; a bullet is followed by a tab to the text's indent.
BULLET_GAP_EMS = 0.6
OCR_BULLET_GAP_EMS = 0.8
# … and the list's text starts within a few ems of it (Word's hanging indent is a quarter inch).
BULLET_MAX_GAP_EMS = 4.0


@dataclass
class Line:
    """One line of text in one column, with what segmentation needs to know about it."""

    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    first: str  # the first word (a bullet glyph or numbering when there is one)
    after_first: float | None  # x0 of the second word: where the text starts after a bullet
    glyph_bullet: bool = False  # the first word is a bullet drawn from a symbol font (or like one)
    confidence: float | None = None  # OCR: the mean confidence (0-1) of the line's words
    column: int = 0  # 0: the full page width, 1: left column, 2: right column
    band: int = 0  # bands of two-column text are separated by lines spanning both columns
    box: int | None = None  # index of the box (filled rect or ruled cell) holding the line

    @property
    def flow(self) -> tuple[int, int, int]:
        """Lines with the same flow follow each other on the page; a change is a break."""
        return (self.page, self.band, self.column)

    def bbox(self) -> dict:
        return {"page": self.page, "x0": round(self.x0, 2), "top": round(self.top, 2),
                "x1": round(self.x1, 2), "bottom": round(self.bottom, 2)}


def centre_in(word, bbox) -> bool:
    """Whether a word's centre lies inside bbox (x0, top, x1, bottom)."""
    return (bbox[0] <= (word["x0"] + word["x1"]) / 2 <= bbox[2]
            and bbox[1] <= (word["top"] + word["bottom"]) / 2 <= bbox[3])


def words_in(words, bbox) -> list[dict]:
    return [w for w in words if centre_in(w, bbox)]


def cluster_rows(words) -> list[list[dict]]:
    """Words grouped into rows: a word joins the current row when at least half of its height
    overlaps the row's first word (a bullet glyph set smaller and lower still joins its line)."""
    rows: list[list[dict]] = []
    ref = None
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if ref is not None:
            overlap = min(ref[1], word["bottom"]) - max(ref[0], word["top"])
            height = min(ref[1] - ref[0], word["bottom"] - word["top"])
            if overlap >= 0.5 * height:
                rows[-1].append(word)
                continue
        rows.append([word])
        ref = (word["top"], word["bottom"])
    return [sorted(row, key=lambda w: w["x0"]) for row in rows]


def is_private_use(text: str) -> bool:
    return bool(text) and all("\ue000" <= c <= "\uf8ff" for c in text)


def font_name(word) -> str:
    """The font's name without the subset prefix ("BAAAAA+OpenSymbol" -> "OpenSymbol")."""
    name = str(word.get("fontname") or "")
    return name.split("+", 1)[1] if "+" in name[:8] else name


def font_family(word) -> str:
    """"AWTCYO+Calibri-Bold" -> "calibri": a bold or italic word is in the text's own font."""
    name = font_name(word).lower()
    return re.split(r"[-,]", name, maxsplit=1)[0].removesuffix("mt").removesuffix("ps")


def is_glyph_bullet(words) -> bool:
    """Whether a line's first word is a bullet by its font, not by its character: a glyph from
    a symbol font, a private-use code point, or a lone letter that symbol bullets map to ("o",
    "§", "l"…) drawn in another font than the text or set apart from it by more than a space."""
    if len(words) < 2:
        return False
    first, second = words[0], words[1]
    text = first["text"]
    if is_private_use(text):
        return True
    if len(text) <= 2 and SYMBOL_FONT.search(font_name(first)):
        return True
    size = float(first.get("size") or 10)
    gap = second["x0"] - first["x1"]
    if gap > BULLET_MAX_GAP_EMS * size:
        return False  # a word in a cell of its own, far from the next one: a table, not a list
    if text in LETTER_BULLETS:
        return font_family(first) != font_family(second) or gap >= BULLET_GAP_EMS * size
    if first.get("conf") is not None and len(text) == 1 and not text.isdigit():
        # OCR reads a bullet as whatever mark it resembles ("e", "«", "°"); a lone one, a tab
        # away from the text, is the bullet.
        return gap >= OCR_BULLET_GAP_EMS * size
    return False


def _confidence(words) -> float | None:
    scores = [w["conf"] for w in words if w.get("conf") is not None]
    return round(sum(scores) / len(scores), 3) if scores else None


def make_line(words, page: int, column: int = 0, band: int = 0, boxes=()) -> Line:
    words = sorted(words, key=lambda w: w["x0"])
    parts = [words[0]["text"]]
    for prev, word in zip(words, words[1:]):
        # Words split only by a font change touch each other: no space between them.
        gap = word["x0"] - prev["x1"]
        parts.append((" " if gap > 0.15 * float(word.get("size") or 10) else "") + word["text"])
    text = "".join(parts)
    sizes = Counter()
    bold_chars = 0
    for word in words:
        sizes[round(float(word.get("size") or 0), 1)] += len(word["text"])
        if BOLD_FONT.search(str(word.get("fontname") or "")):
            bold_chars += len(word["text"])
    total = sum(len(w["text"]) for w in words)
    line = Line(page=page, text=text, x0=min(w["x0"] for w in words), x1=max(w["x1"] for w in words),
                top=min(w["top"] for w in words), bottom=max(w["bottom"] for w in words),
                size=sizes.most_common(1)[0][0], bold=bold_chars >= 0.8 * total,
                first=words[0]["text"], after_first=words[1]["x0"] if len(words) > 1 else None,
                glyph_bullet=is_glyph_bullet(words), column=column, band=band,
                confidence=_confidence(words))
    line.box = _box_of(line, boxes)
    return line


def _box_of(line: Line, boxes) -> int | None:
    x, y = (line.x0 + line.x1) / 2, (line.top + line.bottom) / 2
    best = None
    for index, (x0, top, x1, bottom) in enumerate(boxes):
        if x0 - 1 <= x <= x1 + 1 and top - 1 <= y <= bottom + 1:
            area = (x1 - x0) * (bottom - top)
            if best is None or area < best[0]:
                best = (area, index)
    return None if best is None else best[1]


def group_lines(words, page: int, boxes=()) -> list[Line]:
    """Single-column lines, top to bottom (used for cells and for pages without columns)."""
    return [make_line(row, page, boxes=boxes) for row in cluster_rows(words)]


def find_gutter(rows, width: float) -> tuple[float, float] | None:
    """The empty strip (x0, x1) between two columns, or None for a single-column page.

    The columns are separated by a strip in the middle half of the page, at least MIN_GUTTER
    wide, that few rows cross and that has plenty of text on both sides of its middle.
    Justified single-column text crosses the middle on nearly every row, so it has none.
    """
    if len(rows) < MIN_ROWS_FOR_COLUMNS:
        return None
    lo, hi = int(width * 0.25), int(width * 0.75)
    crossing = [0] * (hi - lo)
    covers, bridging = [], []
    for row in rows:
        # A bullet hanging at a column's edge sits in what looks like the gutter: skip it.
        words = [w for w in row if len(w["text"]) > 1]
        covered = set()
        for word in words:
            covered.update(range(max(lo, int(word["x0"])), min(hi, int(word["x1"]) + 1)))
        covers.append(covered)
        bridging.append(_bridges(words, lo, hi, width / 2))
    # Rows of unbroken text across the middle (a title, an introduction above the columns, a
    # centred footer) say nothing of where the gutter is; when most rows are so, the page is a
    # single column and they all count.
    if sum(bridging) <= SPANNING_ROWS_SHARE * len(rows):
        covers = [c for c, bridges in zip(covers, bridging) if not bridges]
    for covered in covers:
        for x in covered:
            crossing[x - lo] += 1
    # A title and a footer cross it on every page, however few its rows.
    allowed = max(2, int(GUTTER_CROSSING_SHARE * len(covers)))
    run = widest_run(crossing, lambda count: count <= allowed)
    if run is None or run[1] - run[0] < MIN_GUTTER:
        return None
    # The left column's text ends sharply where the strip begins; the right column's headings,
    # bullets and text start at different places inside it. Split near its left edge, so that
    # all of them fall on the right.
    run = (run[0], min(run[1], run[0] + 2 * int(MIN_GUTTER)))
    split = lo + (run[0] + run[1]) / 2
    # Both sides must carry text: a ragged single column with an empty right half is no gutter.
    left = sum(len(w["text"]) for row in rows for w in row if w["x1"] <= split)
    right = sum(len(w["text"]) for row in rows for w in row if w["x0"] >= split)
    total = left + right
    return (lo + run[0], lo + run[1]) if total and min(left, right) >= 0.2 * total else None


def _bridges(words, lo: float, hi: float, middle: float) -> bool:
    """Whether a row's words run across the page's middle with no gutter-wide gap between them."""
    words = sorted(words, key=lambda w: w["x0"])
    if not words or words[0]["x0"] > middle or words[-1]["x1"] < middle:
        return False
    return not any(b["x0"] - a["x1"] >= MIN_GUTTER and a["x1"] < hi and b["x0"] > lo
                   for a, b in zip(words, words[1:]))


def widest_run(values, keep) -> tuple[int, int] | None:
    """(start, end) of the first longest run of values that `keep` accepts, or None."""
    best, start = None, None
    for i, value in enumerate(list(values) + [None]):
        if value is not None and keep(value):
            start = i if start is None else start
        elif start is not None:
            if best is None or i - start > best[1] - best[0]:
                best = (start, i)
            start = None
    return best


def order_reading(words, page: int, width: float, boxes=()) -> list[Line]:
    """Lines in reading order: on a two-column page, each band's left column, then its right
    column; rows that cross the split (a title, a wide table) separate the bands."""
    rows = cluster_rows(words)
    gutter = find_gutter(rows, width)
    if gutter is None:
        return [make_line(row, page, boxes=boxes) for row in rows]
    lines, band = [], 0
    left, right = [], []

    def flush():
        # Re-cluster each column on its own: lines of two columns at nearly the same height
        # were rows of one another on the whole page.
        lines.extend(make_line(r, page, 1, band, boxes) for r in cluster_rows(left))
        lines.extend(make_line(r, page, 2, band, boxes) for r in cluster_rows(right))
        left.clear()
        right.clear()

    for row in rows:
        if _spans(row, gutter) or _bridges(row, 0, width, width / 2):
            if left or right:
                flush()
                band += 1
            lines.append(make_line(row, page, 0, band, boxes))
            band += 1
            continue
        split = (gutter[0] + gutter[1]) / 2
        left.extend(w for w in row if (w["x0"] + w["x1"]) / 2 < split)
        right.extend(w for w in row if (w["x0"] + w["x1"]) / 2 >= split)
    flush()
    return lines


def _spans(row, gutter) -> bool:
    """A row belongs to neither column when a word crosses the middle of the gutter (a title, a
    wide table; a bullet hanging at a column's edge does not reach it), or when the words on
    either side of the middle are only a word space apart ("Página | 10" centred below)."""
    split = (gutter[0] + gutter[1]) / 2
    if any(w["x0"] < split < w["x1"] for w in row):
        return True
    left = [w["x1"] for w in row if w["x1"] <= split]
    right = [w["x0"] for w in row if w["x0"] >= split]
    return bool(left and right) and min(right) - max(left) < MIN_GUTTER


def running_key(line: Line) -> str:
    # Page numbers and dates change from page to page; the rest of a running line does not.
    return re.sub(r"\d+", "#", " ".join(line.text.lower().split()))


def find_running_lines(pages) -> set[tuple[int, int]]:
    """(page, line index) of running headers and footers: lines in the top or bottom margin
    zone that repeat at the same height on most pages, and lone page numbers there.

    :param pages: [(page number, page height, [Line, …])]
    """
    candidates = defaultdict(list)  # key -> [(page, index, top)]
    drop = set()
    for number, height, lines in pages:
        for index, line in enumerate(lines):
            if not (line.bottom <= height * MARGIN_ZONE or line.top >= height * (1 - MARGIN_ZONE)):
                continue
            if PAGE_NUMBER.match(line.text.strip()):
                drop.add((number, index))
                continue
            candidates[running_key(line)].append((number, index, line.top, _numbers(line.text)))
    if len(pages) < 2:
        return drop
    need = max(2, RUNNING_SHARE * len(pages))
    for places in candidates.values():
        # Group the occurrences by height: a running line sits at one height on every page.
        by_height = defaultdict(list)
        for number, index, top, numbers in places:
            by_height[round(top / RUNNING_POSITION_TOLERANCE)].append((number, index, numbers))
        for group in _merge_adjacent(by_height):
            if len({number for number, _, _ in group}) >= need and _numbers_repeat(group):
                drop.update((number, index) for number, index, _ in group)
    return drop


def _numbers(text: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", text)[:8])


def _numbers_repeat(group) -> bool:
    """A running line's text repeats: each of its numbers is the same on every page (a year) or
    goes up with the page (a page number). Lines at the same height whose figures change any
    other way are text ("Se atendieron 1,200 casos" / "… 85 casos"), not a running line."""
    for position in range(len(group[0][2])):
        values = {numbers[position] for _, _, numbers in group}
        offsets = {numbers[position] - page for page, _, numbers in group}
        if len(values) > 1 and len(offsets) > 1:
            return False
    return True


def _merge_adjacent(by_height):
    # Heights that round to neighbouring buckets are the same height.
    keys = sorted(by_height)
    group, last = [], None
    for key in keys:
        if last is not None and key - last > 1:
            yield group
            group = []
        group.extend(by_height[key])
        last = key
    if group:
        yield group


def body_size(lines) -> float:
    """The font size most of the text is set in."""
    sizes = Counter()
    for line in lines:
        sizes[round(line.size * 2) / 2] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def normal_gap(lines) -> float:
    """The usual space between consecutive lines of one paragraph (bottom to next top)."""
    gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:])
            if a.flow == b.flow and 0 <= b.top - a.bottom < 1.2 * a.size]
    return median(gaps) if gaps else 2.0


WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


class Hyphenation:
    """Which line-end hyphens are the typesetter's ("migra-" | "ción") and which are the word's own
    ("semi-" | "estructurada").

    The document is its own dictionary: a break whose joined word appears elsewhere in the text
    unbroken was made by hyphenation; one whose hyphenated form appears elsewhere is a compound.
    Breaks that the text does not settle follow the document's habit: a document hyphenated by
    its office suite has many settled breaks, one that is not has none.
    """

    def __init__(self, texts):
        self.words = Counter()
        lines = [" ".join(t.split()) for t in texts]
        for text in lines:
            tokens = WORD.findall(text.lower())
            if tokens and text.endswith("-"):
                tokens = tokens[:-1]  # a fragment, not a word
            self.words.update(tokens)
        soft = hard = 0
        for left, right in zip(lines, lines[1:]):
            verdict = self._settled(left, right)
            soft += verdict is True
            hard += verdict is False
        self.habit = soft >= max(2, hard)

    @staticmethod
    def _pieces(left: str, right: str):
        if not left.endswith("-") or len(left) < 3 or not left[-2].isalpha():
            return None
        head = WORD.findall(left.rsplit(" ", 1)[-1])
        tail = WORD.match(right.lstrip())
        if not head or tail is None:
            return None
        head, tail = head[-1].split("-")[-1], tail.group(0).split("-")[0]
        # Lower case goes on a word; capitals go on only an acronym ("INMU-" | "JERES").
        capitals = head.isupper() and tail.isupper() and len(head) > 1
        if not (tail[:1].islower() or capitals):
            return None
        return head.lower(), tail.lower(), capitals

    def _settled(self, left: str, right: str):
        pieces = self._pieces(left, right)
        if pieces is None:
            return None
        head, tail, _ = pieces
        joined, compound = head + tail, f"{head}-{tail}"
        if self.words[compound] and not self.words[joined]:
            return False
        if self.words[joined]:
            return True
        return None

    def is_soft(self, left: str, right: str) -> bool:
        """Whether the hyphen ending `left` goes when `right` follows it on the next line."""
        pieces = self._pieces(left, right)
        if pieces is None:
            return False
        verdict = self._settled(left, right)
        return self.habit if verdict is None else verdict

    def soften(self, texts: list[str]) -> list[str]:
        """The texts of consecutive lines with each typesetter's hyphen made a soft hyphen
        (U+00AD), which joining wrapped lines removes."""
        out = list(texts)
        for i in range(len(out) - 1):
            if self.is_soft(out[i].rstrip(), out[i + 1]):
                out[i] = out[i].rstrip()[:-1] + "\u00ad"
        return out


FOOTNOTE_START = re.compile(r"^(?:\d{1,3}|[*†‡]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)(?:\s|[A-ZÁÉÍÓÚÑ(“\"]|$)")
# Notes are set smaller than the text: at least this much (points).
FOOTNOTE_SMALLER = 0.9


def find_footnotes(lines: list[Line], size: float) -> set[int]:
    """Indexes of footnote lines: at the foot of a page, below its last line of text, set smaller
    than the text, the first of them starting with the note's number or mark. Dropping them keeps
    an action that runs over the page break in one piece."""
    by_page = defaultdict(list)
    for index, line in enumerate(lines):
        by_page[line.page].append(index)
    notes = set()
    for indexes in by_page.values():
        text = [lines[i] for i in indexes if lines[i].size > size - FOOTNOTE_SMALLER]
        # Small lines with no text below them in their column: the foot of the page or column.
        foot = sorted((i for i in indexes if lines[i].size <= size - FOOTNOTE_SMALLER
                       and not any(t.top > lines[i].top and min(t.x1, lines[i].x1) > max(t.x0, lines[i].x0)
                                   for t in text)), key=lambda i: lines[i].top)
        if foot and FOOTNOTE_START.match(lines[foot[0]].text):
            notes.update(foot)
    return notes
