"""One submission file in, one record per reported action out, each with its provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BadInput
from ..text import split_sentences
from . import tables
from .layout import Hyphenation, body_size, find_footnotes, find_running_lines
from .pdf import DEFAULT_MAX_PAGES, DEFAULT_TIMEOUT_S, file_sha256, read_pages
from .segment import Block, blocks_to_actions, join_parts, segment

# The front of a document, for its period: a first page's worth of text, or of DOCX paragraphs.
FRONT_CHARS = 4000
FRONT_BLOCKS = 40

NO_ACTIONS_WARNING = ("no recognisable actions (no bulleted or numbered items, no paragraphs under "
                      "an objective heading, no table with an action column)")


@dataclass
class Extraction:
    records: list[dict]
    warnings: list[str] = field(default_factory=list)
    pages: int = 0
    sha256: str = ""
    actor: str | None = None  # the actor the document as a whole names (title, running header)
    # The first page of a PDF (its lines and form cells, as read) or the first paragraphs of a
    # DOCX: where titles and cover letters state the reporting period (`period.document_period`).
    front_text: str = ""


def extract_file(path, *, max_pages: int = DEFAULT_MAX_PAGES, timeout_s: float = DEFAULT_TIMEOUT_S,
                 actors=None, gcm=None, ocr: bool = True, sha256: str | None = None) -> Extraction:
    """Extract the actions of a PDF or DOCX submission.

    :param max_pages: refuse PDFs with more pages than this.
    :param timeout_s: give up on a file after this many seconds (checked between pages).
    :param ocr: read image-only (scanned) pages with Tesseract; when False they are refused
        (a wholly scanned file) or skipped with a warning.
    :param actors: the actor taxonomy (`pipeline.taxonomy.load_actors()` when None).
    :param gcm: the GCM objectives taxonomy, to read objective titles without numbers.
    :param sha256: the file's sha256 when the caller has hashed it already (ingest does, to skip
        a stored file before extracting it); hashed here when None.
    :raises BadInput: for a file that cannot be read, naming it and the reason.
    """
    path = Path(path)
    if not path.is_file():
        raise BadInput(path, "no such file" if not path.exists() else "not a file")
    if actors is None or gcm is None:
        from ..taxonomy import load_actors, load_scheme

        actors = actors if actors is not None else load_actors()
        gcm = gcm if gcm is not None else load_scheme("gcm")
    positioned = path.suffix.lower() != ".docx"
    if not positioned:
        from .docx import read_docx

        blocks, grids, pages = read_docx(path)
        hyphenation = None
        running: list[str] = []
        warnings: list[str] = []
        front = "\n".join(block.text for block in blocks[:FRONT_BLOCKS])
    else:
        blocks, grids, pages, running, warnings, hyphenation, front = _read_pdf(
            path, max_pages, timeout_s, ocr)

    sha256 = sha256 or file_sha256(path)
    document_actor = _document_actor(blocks, running, actors)
    found = []  # (reading order, actor named by a form's column, record)
    for action in blocks_to_actions(blocks, gcm):
        block: Block = action["block"]
        found.append((_reading_order(block), None, _record(
            block.text, _pages(block), _bbox(block), action["heading"], action["objectives"],
            challenges=" ".join(block.challenges) or None, confidence=_ocr_confidence(block.lines))))
    for table in tables.assemble(grids):
        for row in tables.form_rows(table, gcm, hyphenation):
            column_actor = actors.resolve(row["actor_text"]) if row["actor_text"] else None
            found.append(((row["pages"][0], 0, 0, row["bbox"]["first"]["top"]), column_actor, _record(
                row["text"], row["pages"], row["bbox"], row["heading"], row["objectives"],
                challenges=row["challenges_text"], results=row["results_text"], period=row["period"],
                confidence=row.get("ocr_confidence"))))
    records = []
    for _, column_actor, record in sorted(found, key=lambda item: item[0]):
        # Who reports it: the form's actor column, else the action's first sentence, else the
        # document's title, else a later sentence; None when nothing names an actor.
        lead, later = _named_actors(record["text"], actors)
        actor = column_actor or lead or document_actor or later
        record.update(actor=None if actor is None else actor.id,
                      actor_type=None if actor is None else actor.actor_type,
                      source_sha256=sha256, source_file=path.name)
        if not positioned:  # a DOCX has no pages; its table rows carry made-up coordinates
            record.update(pages=[], bbox=None)
        records.append(record)
    if not records:
        warnings.append(NO_ACTIONS_WARNING)
    return Extraction(records=records, warnings=warnings, pages=pages, sha256=sha256,
                      actor=None if document_actor is None else document_actor.id,
                      front_text=front[:FRONT_CHARS])


def _read_pdf(path: Path, max_pages: int, timeout_s: float, ocr: bool = True):
    finder = tables.FormFinder()
    page_lines, grids, warnings, failed, scanned_pages, ocr_pages = [], [], [], [], [], []
    chars = images = pages = 0
    front = ""
    for content in read_pages(path, max_pages=max_pages, timeout_s=timeout_s, table_filter=finder,
                              ocr=ocr):
        pages += 1
        if content.ocr:
            ocr_pages.append(content.number)
        chars += content.chars
        images += content.images
        if content.failed:
            failed.append(content.number)
            warnings.append(f"page {content.number} could not be read ({content.failed}); skipped")
        elif content.chars == 0 and content.images:
            scanned_pages.append(content.number)
        if content.number == 1:  # read now: joining hyphenated words rewrites the lines below
            front = "\n".join([line.text for line in content.lines]
                              + [cell.text for grid in content.forms for row in grid.rows for cell in row])
        page_lines.append((content.number, content.height, content.lines))
        grids.extend(content.forms)
    if len(failed) == pages:
        raise BadInput(path, f"corrupt or truncated PDF (no page could be read: {warnings[0]})")
    if chars == 0:
        reason = "no text layer (scanned?); run OCR first" if images else "no text on any page"
        raise BadInput(path, reason)
    if scanned_pages:
        warnings.append(f"page(s) {_ranges(scanned_pages)} have no text layer (scanned?); "
                        "their actions are missing; run OCR first")
    if ocr_pages:
        warnings.append(f"page(s) {_ranges(ocr_pages)} are images, read by OCR (Tesseract); "
                        "check their text against the page")
    drop = find_running_lines(page_lines)
    running = sorted({line.text for number, _, lines in page_lines
                      for index, line in enumerate(lines) if (number, index) in drop})
    body = [line for number, _, lines in page_lines
            for index, line in enumerate(lines) if (number, index) not in drop]
    notes = find_footnotes(body, body_size(body))
    body = [line for index, line in enumerate(body) if index not in notes]
    hyphenation = _join_hyphenated_words(body, grids)
    return segment(body), grids, pages, running, warnings, hyphenation, front


def _join_hyphenated_words(body, grids) -> Hyphenation:
    """Mark the typesetter's line-end hyphens, in the running text and in form cells, so that
    joining the lines joins the word ("migra-" | "ción" -> "migración")."""
    cells = [cell for grid in grids for row in grid.rows for cell in row]
    hyphenation = Hyphenation([line.text for line in body] + [t for cell in cells for t in cell.lines])
    for line, text in zip(body, hyphenation.soften([line.text for line in body])):
        line.text = text
    for cell in cells:
        cell.lines = hyphenation.soften(cell.lines)
        cell.text = join_parts(cell.lines)
    return hyphenation


def _ranges(numbers) -> str:
    """[1, 2, 3, 7] -> "1-3, 7"."""
    runs = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def _named_actors(text: str, actors) -> tuple:
    """(the actor the first sentence names first, the actor later sentences name first).

    The first sentence names who acts ("La Secretaría del Migrante … de Guanajuato promueve …");
    later sentences mostly name partners and places ("… la elección en Nayarit"), so they count
    only when the document's title names no actor either.
    """
    parts = split_sentences(text)
    lead = actors.mentions(parts[0]) if parts else ()
    later = actors.mentions(" ".join(parts[1:]))
    return (lead[0] if lead else None), (later[0] if later else None)


def _document_actor(blocks, running: list[str], actors):
    """The actor named by the document's title (the headings before its first action) or by its
    running header; None when neither names one. The first heading that names one wins."""
    candidates = []
    for block in blocks:
        if block.kind == "item":
            break
        if block.kind == "heading":
            candidates.append(block.text)
    candidates += running
    for text in candidates:
        actor = actors.resolve(text)
        if actor is not None:
            return actor
    return None


def _reading_order(block: Block) -> tuple:
    if block.order is not None:  # DOCX: the paragraph's place in the body
        return (0, 0, 0, block.order)
    first = block.lines[0]
    return (*first.flow, first.top)  # a page's columns one after the other


def _pages(block: Block) -> list[int]:
    return sorted({line.page for line in block.lines})


def _bbox(block: Block) -> dict | None:
    if not block.lines:
        return None
    return {"first": block.lines[0].bbox(), "last": block.lines[-1].bbox()}


def _ocr_confidence(lines) -> float | None:
    """The mean OCR confidence of an action's words (weighted by line length); None when its
    text came from a text layer."""
    scored = [(line.confidence, len(line.text)) for line in lines if line.confidence is not None]
    if not scored:
        return None
    return round(sum(c * n for c, n in scored) / max(1, sum(n for _, n in scored)), 3)


def _record(text, pages, bbox, heading, objectives, *, challenges=None, results=None,
            period=None, confidence=None) -> dict:
    return {"text": text, "pages": pages, "bbox": bbox, "heading": heading,
            "stated_objectives": list(objectives), "actor": None, "actor_type": None,
            "challenges_text": challenges, "results_text": results, "period": period,
            "ocr": confidence is not None, "ocr_confidence": confidence}
