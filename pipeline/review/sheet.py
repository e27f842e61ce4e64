"""The review spreadsheet's layout, shared by the exporter and the importer.

One sheet per scheme, one row per queued action. A hidden `row_key` column holds
"scheme|action id|sha256 of the text as written|model version", so that import can tell an
altered text or id from an untouched row, and knows which prediction the analyst answered.
"""

import re
from dataclasses import dataclass

from ..cells import xml_safe
from ..errors import BadInput
from ..text import text_hash

# Excel refuses longer cells; texts beyond it are cut, and the cut text is what gets hashed.
CELL_MAX = 32767
SUGGESTIONS = 3
DECISION_COLUMNS = 3
LISTS_SHEET = "etiquetas"
HELP_SHEET = {"es": "instrucciones", "en": "instructions"}
SHEET_TITLES = {"gcm": "objetivos_pmm", "sdg": "ods", "challenge": "retos"}
ACCEPT_VALUES = {"sí", "si", "yes", "x", "✓"}


@dataclass(frozen=True)
class Column:
    key: str
    es: str
    en: str
    width: float


def _columns():
    cols = [Column("row_key", "row_key", "row_key", 12),
            Column("action_id", "id", "id", 7),
            Column("external_id", "id externo", "external id", 14),
            Column("actor", "actor", "actor", 12),
            Column("text", "texto de la acción", "action text", 80)]
    for n in range(1, SUGGESTIONS + 1):
        cols += [Column(f"suggestion_{n}", f"sugerencia {n}", f"suggestion {n}", 34),
                 Column(f"score_{n}", f"puntaje {n}", f"score {n}", 8)]
    cols += [Column("assigned", "asignadas por el modelo", "assigned by the model", 14),
             Column("evidence", "evidencia", "evidence", 50),
             Column("accept", "aceptar (sí)", "accept (yes)", 11)]
    cols += [Column(f"decision_{n}", f"decisión {n}", f"decision {n}", 34)
             for n in range(1, DECISION_COLUMNS + 1)]
    cols += [Column("note", "nota", "note", 30)]
    return tuple(cols)


COLUMNS = _columns()
COLUMN_INDEX = {col.key: i for i, col in enumerate(COLUMNS)}  # 0-based
DECISION_KEYS = tuple(f"decision_{n}" for n in range(1, DECISION_COLUMNS + 1))


def sheet_text(text: str) -> str:
    """The action text as a cell can hold it: nothing XML forbids, at most CELL_MAX chars."""
    return xml_safe(text or "")[:CELL_MAX]


def text_digest(cell_text) -> str:
    """The text hash of a cell's text (blind to the whitespace and line-ending changes
    spreadsheet programs make)."""
    return text_hash("" if cell_text is None else str(cell_text))


def make_row_key(scheme: str, action_id: int, text: str, model_version: str | None) -> str:
    return f"{scheme}|{action_id}|{text_digest(sheet_text(text))}|{model_version or ''}"


@dataclass(frozen=True)
class RowKey:
    scheme: str
    action_id: int
    digest: str
    model_version: str | None


def parse_row_key(value, *, source) -> RowKey:
    parts = str(value or "").split("|")
    if len(parts) != 4 or not parts[1].isdigit() or not re.fullmatch(r"[0-9a-f]{64}", parts[2]):
        raise BadInput(source, f"row_key {value!r} is damaged")
    return RowKey(parts[0], int(parts[1]), parts[2], parts[3] or None)


def headers(lang: str) -> list[str]:
    return [getattr(col, lang if lang in ("es", "en") else "es") for col in COLUMNS]


def looks_like_review_header(values) -> bool:
    """Does a first row hold most of the review layout's column names (a damaged review sheet)?"""
    names = {name for col in COLUMNS for name in (col.es, col.en)}
    found = sum(1 for v in values if v is not None and str(v).strip() in names)
    return found >= len(COLUMNS) // 2


def is_review_header(values) -> bool:
    """Does a sheet's first row carry the review layout (in either language)?"""
    values = ["" if v is None else str(v).strip() for v in values]
    values += [""] * (len(COLUMNS) - len(values))
    return all(v in (col.es, col.en) for v, col in zip(values, COLUMNS))
