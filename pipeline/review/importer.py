"""Read a filled-in review sheet back and record its decisions.

Every row is checked before anything is written: its hidden row_key must match the visible id and
text (an altered row is rejected) and the sheet's scheme, each label must be in the scheme, and an
action may be decided only once per sheet. The valid rows are recorded in one transaction; the
others are reported with their sheet, row number and reason, so the analyst can fix them and
import again. Importing the same sheet again records nothing new: a decision identical to the one
in force (same labels, same reviewer) is counted as already recorded.

A workbook whose review sheet was renamed, or lost its hidden row_key column, is refused as a
whole: silently reading nothing from it would look like a sheet with nothing decided.
"""

from dataclasses import dataclass, field
from pathlib import Path
from zipfile import BadZipFile, is_zipfile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ..errors import BadInput, PmmError
from ..inputs import MAX_SHEET_BYTES, check_file, check_zip
from ..store import queries as q
from . import sheet as layout
from .decisions import UnknownLabel, load_catalogue, model_proposal, record


@dataclass
class RowProblem:
    sheet: str
    row: int
    reason: str

    def __str__(self):
        return f"{self.sheet}, row {self.row}: {self.reason}"


@dataclass
class ImportReport:
    recorded: list = field(default_factory=list)   # (sheet, row, action_id, scheme, labels, decision_id)
    rejected: list = field(default_factory=list)   # RowProblem
    undecided: int = 0                              # rows left blank: not reviewed, not an error
    unchanged: int = 0                              # the same decision is already in force


@dataclass
class _Decision:
    sheet: str
    row: int
    key: layout.RowKey
    labels: list | None        # None: accept the model's proposal
    note: str | None


def import_review_sheet(engine, path, *, reviewer: str) -> ImportReport:
    """Record the decisions of a review sheet written by `export_review_sheet`.

    :param reviewer: who made the decisions (stored with each one).
    :raises BadInput: if the file cannot be read as a review sheet at all.
    """
    reviewer = (reviewer or "").strip()
    if not reviewer:
        raise PmmError("importing decisions needs a reviewer name (--reviewer)")
    path = Path(path)
    rows, report = _read_rows(path)
    catalogues = {}
    candidates = _parse_rows(rows, report, catalogues)
    candidates = _drop_duplicates(candidates, report)
    with engine.begin() as conn:
        stored = _stored_digests(conn, {c.key.action_id for c in candidates})
        # One read for the whole sheet: a sheet decides each (action, scheme) once, so what the
        # loop records never changes what a later row compares with.
        in_force = q.current_decisions(conn, action_ids={c.key.action_id for c in candidates})
        for candidate in candidates:
            problem = _check_against_store(candidate, stored)
            if problem:
                report.rejected.append(RowProblem(candidate.sheet, candidate.row, problem))
                continue
            key = candidate.key
            try:
                if key.scheme not in catalogues:
                    catalogues[key.scheme] = load_catalogue(key.scheme)
                labels = candidate.labels
                if labels is None:
                    labels = _accepted_labels(conn, key)
                if _already_in_force(in_force.get((key.action_id, key.scheme)), labels, reviewer):
                    report.unchanged += 1
                    continue
                decision_id = record(conn, action_id=key.action_id, scheme=key.scheme, labels=labels,
                                     reviewer=reviewer, source="xlsx", model_version=key.model_version,
                                     catalogue=catalogues[key.scheme], note=candidate.note)
            except PmmError as exc:
                reason = getattr(exc, "reason", None) or str(exc)
                report.rejected.append(RowProblem(candidate.sheet, candidate.row, reason))
                continue
            report.recorded.append((candidate.sheet, candidate.row, key.action_id, key.scheme,
                                    labels, decision_id))
    report.rejected.sort(key=lambda p: (p.sheet, p.row))
    return report


def _read_rows(path):
    """[(sheet title, scheme, row number, values)] of every review sheet, and an empty report.

    :raises BadInput: for a file that is not a safe workbook, and for a review sheet that was
        renamed or lost columns (naming the sheet).
    """
    if not path.exists() and not path.is_symlink():
        raise BadInput(path, "no such file")
    check_file(path, max_bytes=MAX_SHEET_BYTES)
    if path.suffix.lower() != ".xlsx" or not is_zipfile(path):
        raise BadInput(path, "not an .xlsx workbook (export it with `pmm review export`)")
    check_zip(path, kind="XLSX")  # bombs and entity tricks are refused before openpyxl reads it
    schemes = {title: scheme for scheme, title in layout.SHEET_TITLES.items()}
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise BadInput(path, "no such file") from None
    except (InvalidFileException, BadZipFile, KeyError, OSError) as exc:
        raise BadInput(path, f"not an .xlsx workbook ({exc})") from None
    rows = []
    found = False
    try:
        for ws in workbook.worksheets:
            if ws.title == layout.LISTS_SHEET or ws.title in layout.HELP_SHEET.values():
                continue
            it = ws.iter_rows(values_only=True)
            header = next(it, None) or ()
            intact = layout.is_review_header(header)
            if ws.title in schemes and not intact:
                raise BadInput(path, f"sheet {ws.title!r}: its columns were changed (hidden row_key "
                                     "column deleted, or columns moved?); export it again")
            if ws.title not in schemes:
                if intact or layout.looks_like_review_header(header):
                    raise BadInput(path, f"sheet {ws.title!r} is not a sheet pmm wrote (renamed? "
                                         f"pmm names them {', '.join(schemes)}); give it its name back")
                continue  # a sheet of the analyst's own: not ours to read
            found = True
            for number, values in enumerate(it, start=2):
                values = list(values)[:len(layout.COLUMNS)]
                values += [None] * (len(layout.COLUMNS) - len(values))
                rows.append((ws.title, schemes[ws.title], number, values))
    except (KeyError, ValueError, TypeError, OSError) as exc:
        raise BadInput(path, f"unreadable .xlsx workbook ({exc})") from None
    finally:
        workbook.close()
    if not found:
        raise BadInput(path, "no review sheet found (columns moved or renamed? export it again "
                             "with `pmm review export`)")
    return rows, ImportReport()


def _cell(values, key):
    value = values[layout.COLUMN_INDEX[key]]
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _parse_rows(rows, report, catalogues) -> list[_Decision]:
    parsed = []
    for title, scheme, number, values in rows:
        decided = [_cell(values, key) for key in layout.DECISION_KEYS]
        accept = _cell(values, "accept")
        raw_key = _cell(values, "row_key")
        if not any(v is not None for v in decided) and accept is None:
            if any(v is not None for v in values):
                report.undecided += 1
            continue
        try:
            key = layout.parse_row_key(raw_key, source="row_key")
        except BadInput as exc:
            reason = "no row_key (row added by hand?)" if raw_key is None else exc.reason
            report.rejected.append(RowProblem(title, number, reason))
            continue
        if key.scheme != scheme:
            report.rejected.append(RowProblem(
                title, number, f"row_key says {key.scheme!r} but this is the {scheme!r} sheet "
                               "(row_key edited?)"))
            continue
        visible_id = _cell(values, "action_id")
        if str(visible_id if not isinstance(visible_id, float) else int(visible_id)) != str(key.action_id):
            report.rejected.append(RowProblem(
                title, number, f"id altered: the row shows {visible_id!r} but was exported for "
                               f"action {key.action_id}"))
            continue
        if layout.text_digest(values[layout.COLUMN_INDEX["text"]]) != key.digest:
            report.rejected.append(RowProblem(title, number, "text altered since export"))
            continue
        if accept is not None and str(accept).strip().casefold() not in layout.ACCEPT_VALUES:
            report.rejected.append(RowProblem(title, number, f"'accept' holds {accept!r}; write "
                                                             "'sí' or leave it empty"))
            continue
        if accept is not None and any(v is not None for v in decided):
            report.rejected.append(RowProblem(title, number, "both 'accept' and decision columns "
                                                             "are filled; keep one"))
            continue
        labels = None
        if accept is None:
            try:
                catalogue = catalogues.get(key.scheme) or load_catalogue(key.scheme)
                catalogues[key.scheme] = catalogue
                labels = _labels_of(catalogue, decided)
            except UnknownLabel as exc:
                report.rejected.append(RowProblem(title, number, f"unknown label {exc.label!r}"))
                continue
            except PmmError as exc:
                report.rejected.append(RowProblem(title, number, str(exc)))
                continue
        parsed.append(_Decision(title, number, key, labels, _cell(values, "note")))
    return parsed


def _labels_of(catalogue, cells) -> list[str]:
    labels = []
    none_picked = False
    for value in cells:
        if value is None:
            continue
        label = catalogue.parse(value)
        if label is None:
            none_picked = True
        elif label not in labels:
            labels.append(label)
    if none_picked and labels:
        raise PmmError("'(ninguna etiqueta)' together with labels")
    return labels


def _drop_duplicates(candidates, report) -> list[_Decision]:
    """An action decided twice in one sheet: the first row counts if the rows agree; if they
    disagree, neither is recorded (the analyst must say which one holds)."""
    first = {}
    conflicting = set()
    for c in candidates:
        ident = (c.key.scheme, c.key.action_id)
        if ident not in first:
            first[ident] = c
            continue
        original = first[ident]
        agree = (c.labels is None and original.labels is None) or (
            c.labels is not None and original.labels is not None and set(c.labels) == set(original.labels))
        reason = f"duplicate of row {original.row} (action {c.key.action_id})"
        if not agree:
            reason += " with a different decision"
            conflicting.add(ident)
        report.rejected.append(RowProblem(c.sheet, c.row, reason))
    kept = []
    for ident, c in first.items():
        if ident in conflicting:
            report.rejected.append(RowProblem(c.sheet, c.row, f"action {c.key.action_id} is decided "
                                                              "differently in another row"))
        else:
            kept.append(c)
    return kept


def _stored_digests(conn, action_ids) -> dict[int, str]:
    """The digest each stored action's text would have in a sheet."""
    if not action_ids:
        return {}
    rows = q.load_actions(conn, ids=sorted(action_ids))
    return {row["id"]: layout.text_digest(layout.sheet_text(row["text"])) for row in rows}


def _check_against_store(candidate, stored) -> str | None:
    key = candidate.key
    if key.action_id not in stored:
        return f"action {key.action_id} is not in this store"
    if stored[key.action_id] != key.digest:
        return f"action {key.action_id}'s text in the store differs from the exported text"
    return None


def _already_in_force(current, labels, reviewer) -> bool:
    """Is this reviewer's decision with these labels the one in force (a sheet imported again)?"""
    return (current is not None and current["reviewer"] == reviewer
            and set(current["labels"]) == {str(label) for label in labels})


def _accepted_labels(conn, key) -> list[str]:
    """"Accept" means the labels the model proposed in the prediction the sheet showed."""
    prediction = q.latest_predictions(conn, scheme=key.scheme, model_version=key.model_version,
                                      action_ids=[key.action_id]).get(key.action_id)
    if prediction is None:
        raise PmmError(f"'accept' but the store has no {key.scheme} prediction of model "
                       f"{key.model_version!r} for action {key.action_id}")
    return [item["label"] for item in model_proposal(prediction)[1]]
