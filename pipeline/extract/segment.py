"""Lines in reading order -> blocks (headings, bulleted items, paragraphs) -> actions.

An action is a top-level bulleted or numbered item: its wrapped lines, its sub-items ("➔", or any
bullet indented under it) and its continuation on the next page or column. Under an objective
heading with no bullets at all, each paragraph is an action instead. Prose elsewhere is not.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from .layout import Line, body_size, normal_gap

TOP_GLYPHS = set("●•▪■◆◼◾▸►‣⁃∙·*-–—✓✔❖") | {"\uf0b7", "\uf0a7", "\uf0a8", "\uf076", "\uf0fc", "\uf06e"}
# Glyphs that mark a sub-item: it belongs to the action above it, whatever its indent.
SUB_GLYPHS = set("➔➢➤→⇒➜➝➞➙➛○◦▹▻⮚") | {"\uf0e0", "\uf0d8", "\uf0e8"}
# Arrows printed as text: the Informe writes its sub-items after "➔", and keeps the arrow.
TEXT_ARROWS = set("➔➢➤→⇒➜➝➞➙➛⮚")
NUMBERING = re.compile(r"^(?:\(?(\d{1,2})[.)]|\(?([a-z])\)|([ivx]{1,4})[.)])$")
OBJECTIVE_HEADING = re.compile(
    r"^\s*(?:objetivo|objective)s?\s*(?:n[úu]m(?:ero)?\.?|no\.?|#)?\s*(\d{1,2})\s*(?:[.:\-–—)]|$)",
    re.IGNORECASE)
NUMBERED_TITLE = re.compile(r"^\s*(\d{1,2})\s*[.)\-–]\s+(\S.*)$")
UNMAPPED_GLYPH = re.compile(r"^\(cid:\d+\)$")
LINK_ONLY = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
CHALLENGES_LABEL = re.compile(r"^(?:[➔•●\-–]\s*)?(?:retos?|desaf[ií]os?|challenges?)\s*[:.\-–]\s*",
                              re.IGNORECASE)
# Indents closer than this (points) are the same indent.
X_TOLERANCE = 3.5
# A bullet indented more than this under an item's own bullet is one of its sub-items.
NEST_INDENT = 6.0
MAX_HEADING_WORDS = 30


@dataclass
class Block:
    kind: str  # "heading", "item" or "para"
    parts: list[str] = field(default_factory=list)
    challenges: list[str] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    marker_rel: float = 0.0  # item bullet, relative to its flow's left margin
    text_rels: list[float] = field(default_factory=list)  # where the item's text lines start
    wrapped: bool = False  # the item has lines after its first (so its indent is known)
    in_challenges: bool = False
    bold: bool = False
    size: float = 0.0
    order: int | None = None  # DOCX blocks have no lines, only their place in the body
    glyph: str = ""  # an item's bullet or numbering

    @property
    def text(self) -> str:
        return join_parts(self.parts)

    def add(self, text: str, line: Line | None = None) -> None:
        match = CHALLENGES_LABEL.match(text)
        if match and self.kind == "item":
            self.in_challenges = True
            text = text[match.end():]
        (self.challenges if self.in_challenges else self.parts).append(text)
        if line is not None:
            self.lines.append(line)


def join_parts(parts) -> str:
    """Join wrapped lines: one space between them, or none after a word broken with a hyphen."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if not out:
            out = part
        elif out.endswith("\u00ad"):
            out = out[:-1] + part
        elif out.endswith("-") and len(out) > 1 and out[-2].isalpha() and part[:1].isalpha():
            out += part
        elif out.endswith("/") and len(out) > 1 and out[-2].isalnum() and part[:1].isalnum():
            out += part  # "padre/madre/" | "ambos": a line may break after a slash
        elif _url_goes_on(out.rsplit(" ", 1)[-1], part.split(" ", 1)[0]):
            out += part
        else:
            out += " " + part
    return " ".join(out.split())


URL_START = re.compile(r"^(?:https?://|www\.)", re.IGNORECASE)
# The rest of a cut link: a dot or slash inside it ("er.com/i/web/status/").
URL_FRAGMENT = re.compile(r"^[\w-]+[./][\w/?=&%#.~-]+")


def _url_goes_on(last: str, first: str) -> bool:
    """A link too long for its line is cut anywhere ("htt" | "ps://…", "…/status/1356" | "3462"):
    the next line's first word continues it when the two make one link."""
    if URL_START.match(last + first) and not URL_START.match(last) and len(last) < 8:
        return True
    if "://" in last or last.lower().startswith("www."):
        return (bool(re.match(r"[/\d?&=#%._~-]", first)) or last[-1] in "/-_=?&%~#"
                or bool(URL_FRAGMENT.match(first)))
    return False


@dataclass
class Marker:
    glyph: str
    text: str  # the line's text without the glyph
    text_x: float
    sub: bool  # a sub-item glyph (➔): always inside the current action
    number: tuple | None = None  # ("1", 1) or ("a", 1): numbered items must count up

    @property
    def kept(self) -> bool:
        """Whether the glyph stays in the text of a sub-item: numbering and the Informe's own
        arrows do; a bullet is layout, not text."""
        return self.number is not None or self.glyph in TEXT_ARROWS


def find_marker(line: Line) -> Marker | None:
    first = line.first
    rest = line.text[len(first):].strip()
    text_x = line.after_first if line.after_first is not None else line.x1
    if line.glyph_bullet and rest:
        # A symbol-font bullet, whatever letter or private-use code the PDF maps it to; its
        # level is told by its indent (Word draws any level with any glyph).
        return Marker(first, rest, text_x, False)
    if UNMAPPED_GLYPH.match(first) and rest:
        # A bullet from a symbol font with no Unicode mapping: pdfminer writes "(cid:183)".
        return Marker(first, rest, text_x, False)
    if first in TOP_GLYPHS or first in SUB_GLYPHS:
        return Marker(first, rest, text_x, first in SUB_GLYPHS) if rest else None
    if first[:1] in TOP_GLYPHS | SUB_GLYPHS and first[:1] not in "-–—*·" and first[1:2].isalpha():
        # A glyph glued to the first word ("●La"): no gap, so the text starts right after it.
        glyph = first[0]
        return Marker(glyph, line.text[1:].strip(), line.x0 + 0.7 * line.size, glyph in SUB_GLYPHS)
    match = NUMBERING.match(first)
    if match and rest:
        if match.group(1):
            number = ("1", int(match.group(1)))
        elif match.group(2):
            number = ("a", ord(match.group(2)) - ord("a") + 1)
        else:
            number = ("i", _roman(match.group(3)))
        return Marker(first, rest, text_x, False, number) if number[1] else None
    return None


def _roman(text: str) -> int:
    values = {"i": 1, "v": 5, "x": 10}
    total = 0
    for a, b in zip(text, text[1:] + " "):
        total += -values[a] if values.get(b, 0) > values[a] else values[a]
    return total


def objective_of_heading(text: str, gcm=None) -> list[int]:
    """"Objetivo 7. Abordar…" -> [7]; "7. Abordar y reducir…" -> [7] when the words are the GCM
    title of 7 (checked against `gcm`, a taxonomy, when given); otherwise []."""
    match = OBJECTIVE_HEADING.match(text)
    if match and 1 <= int(match.group(1)) <= 23:
        return [int(match.group(1))]
    if gcm is None:
        return []
    match = NUMBERED_TITLE.match(text)
    if match and 1 <= int(match.group(1)) <= 23:
        title = gcm.get(match.group(1)).name_es
        if _same_start(match.group(2), title):
            return [int(match.group(1))]
    label = gcm.find(text.strip().rstrip("."))
    return [int(label.id)] if label is not None else []


def _same_start(text: str, title: str, words: int = 4) -> bool:
    from ..text import fold

    a, b = fold(text).split(), fold(title).split()
    return len(a) >= min(words, len(b)) and a[:words] == b[:words]


class _Flows:
    """Per flow (a page, or a column of a page): its left margin and what it holds."""

    def __init__(self, lines):
        self.origin = {}
        self.has_structure = defaultdict(bool)
        for line in lines:
            flow = line.flow
            self.origin[flow] = min(self.origin.get(flow, line.x0), line.x0)

    def rel(self, line: Line, x: float | None = None) -> float:
        return (line.x0 if x is None else x) - self.origin[line.flow]


def segment(lines: list[Line]) -> list[Block]:
    """Blocks from lines in reading order (running headers and footers already removed)."""
    if not lines:
        return []
    size = body_size(lines)
    gap = normal_gap(lines)
    body_bold = sum(len(l.text) for l in lines if l.bold) > 0.5 * sum(len(l.text) for l in lines)
    flows = _Flows(lines)
    for line in lines:
        if find_marker(line) or OBJECTIVE_HEADING.match(line.text):
            flows.has_structure[line.flow] = True

    blocks: list[Block] = []
    current: Block | None = None
    counters: dict[str, int] = {}
    prev: Line | None = None

    def styled(line):
        return (line.bold and not body_bold) or line.size >= size + 1.5

    for line in lines:
        flow_break = prev is None or line.flow != prev.flow
        para_break = flow_break or (line.top - prev.bottom) > gap + 0.45 * size
        marker = find_marker(line)
        objective = OBJECTIVE_HEADING.match(line.text)
        if marker and marker.number and not _counts_up(marker, counters, current, flows, line):
            marker = None
        is_heading = not marker and len(line.text.split()) <= MAX_HEADING_WORDS and (
            (objective and (para_break or styled(line) or line.box is not None))
            or (styled(line) and (para_break or line.box is not None)
                and not _continues_item(current, line, flow_break, para_break, flows)))

        if not marker and not objective and _continues_heading(current, line, para_break, styled(line)):
            current.add(line.text, line)
        elif is_heading:
            current = Block("heading", bold=line.bold, size=line.size)
            current.add(line.text, line)
            blocks.append(current)
            counters.clear()
        elif marker and (marker.sub or _nested(marker, current, line, flows)) and current is not None \
                and current.kind == "item":
            if _lead_in_only(current) and not marker.sub and marker.number is None:
                # "2. Seguimiento de acuerdos:" and a bulleted list under it: the bullets are
                # the actions, the numbered line introduces them.
                current.kind = "heading"
                current = Block("item", marker_rel=flows.rel(line),
                                text_rels=[flows.rel(line, marker.text_x)], glyph=marker.glyph)
                current.add(marker.text, line)
                blocks.append(current)
            else:
                current.add(f"{marker.glyph} {marker.text}" if marker.kept else marker.text, line)
                current.text_rels.append(flows.rel(line, marker.text_x))
        elif marker:
            current = Block("item", marker_rel=flows.rel(line), text_rels=[flows.rel(line, marker.text_x)],
                            glyph=marker.glyph)
            current.add(marker.text, line)
            blocks.append(current)
        elif _continues_item(current, line, flow_break, para_break, flows):
            if flow_break and current.text_rels:
                # Measure the item's indents from the new column's margin: the line goes on
                # where the item's last line of text was.
                shift = flows.rel(line) - current.text_rels[-1]
                current.marker_rel += shift
                current.text_rels = [x + shift for x in current.text_rels]
            current.add(line.text, line)
            current.text_rels.append(flows.rel(line))
            current.wrapped = True
        elif LINK_ONLY.match(line.text.strip()):
            pass  # a link on its own, outside any action: pasted by hand, not an action
        elif _continues_para(current, line, prev, flow_break, para_break):
            current.add(line.text, line)
        else:
            current = Block("para")
            current.add(line.text, line)
            blocks.append(current)
        prev = line
    return blocks


def _lead_in_only(block: Block) -> bool:
    """An item that only introduces a list: one clause ending with a colon, nothing under it yet."""
    text = block.text
    return (block.kind == "item" and len(block.lines) <= 3 and text.endswith(":")
            and not SENTENCE_INSIDE.search(text) and len(text.split()) <= 40)


SENTENCE_INSIDE = re.compile(r"[.;:!?]\s+\S")


def _counts_up(marker: Marker, counters, current, flows, line) -> bool:
    """A number at the start of a line is a list item only when it continues a count (1, 2, 3…);
    otherwise it is a wrapped line that happens to start with a number."""
    kind, value = marker.number
    level = "sub" if current is not None and current.kind == "item" and _nested(
        marker, current, line, flows) else "top"
    key = f"{level}:{kind}"
    if value == 1 or counters.get(key) == value - 1:
        counters[key] = value
        if level == "top":
            counters.pop("sub:1", None), counters.pop("sub:a", None), counters.pop("sub:i", None)
        return True
    return False


def _nested(marker: Marker, current: Block | None, line: Line, flows) -> bool:
    if current is None or current.kind != "item":
        return False
    if current.lines and line.flow != current.lines[-1].flow and marker.glyph == current.glyph:
        # Indents of two columns or pages are measured from different margins; the item's own
        # glyph on the next one starts a sibling, not a sub-item.
        return False
    return flows.rel(line) > current.marker_rel + NEST_INDENT


def _continues_heading(current: Block | None, line: Line, para_break: bool, styled: bool) -> bool:
    """A heading wraps onto lines in the same box, or in the same bold/large type with no gap,
    or (a heading set like body text) with no gap while it has not ended with a period."""
    if current is None or current.kind != "heading" or not current.lines:
        return False
    last = current.lines[-1]
    if line.box is not None and line.box == last.box:
        return True
    if para_break:
        return False
    if styled:
        return current.bold == line.bold
    return line.box == last.box and not current.text.endswith(".")


def _continues_para(current: Block | None, line: Line, prev: Line | None, flow_break: bool,
                    para_break: bool) -> bool:
    """Prose goes on with no gap and no first-line indent, or onto a new page in lower case."""
    if current is None or current.kind != "para":
        return False
    if flow_break:
        return line.text[:1].islower()
    return not para_break and line.x0 <= prev.x0 + X_TOLERANCE


def _continues_item(current: Block | None, line: Line, flow_break: bool, para_break: bool,
                    flows) -> bool:
    if current is None or current.kind != "item":
        return False
    rel = flows.rel(line)
    at_text = any(abs(rel - x) <= X_TOLERANCE for x in current.text_rels)
    if not flow_break:
        # A "Retos: ..." paragraph under an item is the item's own, wherever it is indented.
        labelled = CHALLENGES_LABEL.match(line.text) and rel > current.marker_rel + X_TOLERANCE
        return not para_break or at_text or bool(labelled)
    # The first line of a new page or column: the item goes on unless the line sits at the left
    # margin where this page's bullets and headings sit (then it is a new paragraph of prose).
    if line.text[:1].islower() or at_text or rel > X_TOLERANCE:
        return True
    if not flows.has_structure[line.flow]:
        return True
    # The item's own wrapped lines show where its text goes; with none seen yet, trust the flow.
    return not current.wrapped


def blocks_to_actions(blocks: list[Block], gcm=None) -> list[dict]:
    """Actions with their heading and stated objectives.

    Items are actions. Paragraphs are actions only in a section (the blocks under one objective
    heading) that has no items at all; elsewhere they are prose around the actions.
    """
    actions = []
    heading, objectives = None, []
    section: list[Block] = []

    def flush():
        has_items = any(b.kind == "item" for b in section)
        for block in section:
            if block.kind == "item" or (block.kind == "para" and not has_items and objectives):
                if block.text:
                    actions.append({"block": block, "heading": heading, "objectives": list(objectives)})
        section.clear()

    for block in blocks:
        if block.kind == "heading":
            flush()
            heading = block.text
            stated = objective_of_heading(block.text, gcm)
            if stated:
                objectives = stated
        else:
            section.append(block)
    flush()
    return actions
