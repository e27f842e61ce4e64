"""Ingest submission files into the store: extract each one, store its actions with provenance.

Each file goes in its own transaction, so a bad file never leaves half its actions behind and
never stops the others. A file already stored (same sha256) is skipped: ingesting twice adds
nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import BadInput, PmmError
from .extract import extract_file
from .extract.pdf import file_sha256
from .extract.period import document_period, normalize_period
from .store import periods as store_periods
from .store import queries as q

SUBMISSION_SUFFIXES = (".pdf", ".docx")
STATUSES = ("stored", "duplicate", "failed", "empty")


@dataclass
class IngestOutcome:
    file: Path
    actions: int  # actions stored now (for a duplicate: those stored the first time)
    status: str  # one of STATUSES
    reason: str | None = None  # why it failed, or the extraction's warnings
    period: str | None = None  # the reporting period it was stored under


def expand_paths(paths) -> list[Path]:
    """Files as given, and for each directory its *.pdf and *.docx entries (sorted, not
    recursive). Entries are listed whatever they are (a FIFO, a device, a symlink loop named
    .pdf), so that each is refused with its reason instead of vanishing from the batch.

    :raises BadInput: for a path that does not exist, or when no file is found at all.
    """
    paths = [Path(p) for p in paths]
    files = []
    for path in paths:
        if path.is_dir():
            try:
                entries = sorted(path.iterdir())
            except OSError as exc:
                raise BadInput(path, f"cannot list the folder ({exc.strerror or exc})") from None
            files.extend(p for p in entries
                         if p.suffix.lower() in SUBMISSION_SUFFIXES and not p.is_dir())
        elif os.path.lexists(path):
            files.append(path)
        else:
            raise BadInput(path, "no such file or directory")
    if not files:
        where = ", ".join(str(p) for p in paths) or "(no path given)"
        raise BadInput(where, "no PDF or DOCX files to ingest")
    return files


def ingest_paths(engine, paths, *, progress=None, period=None, **extract_kwargs) -> list[IngestOutcome]:
    """Extract every file and store its actions; returns one outcome per file, in order.

    :param paths: files and directories (see `expand_paths`).
    :param progress: called as progress(outcome) after each file.
    :param period: the reporting period of every file ("2023"); None reads each file's own dates
        (see `pipeline.extract.period.document_period`).
    :param extract_kwargs: passed to `extract_file` (max_pages, timeout_s, actors, gcm).
    """
    period = normalize_period(period)
    outcomes = []
    for path in expand_paths(paths):
        outcome = ingest_file(engine, path, period=period, **extract_kwargs)
        outcomes.append(outcome)
        if progress is not None:
            progress(outcome)
    return outcomes


def ingest_file(engine, path: Path, *, period=None, **extract_kwargs) -> IngestOutcome:
    try:
        # open_file (under file_sha256) refuses a FIFO, a device or a symlink loop unopened.
        sha256 = file_sha256(path)
    except BadInput as exc:
        return IngestOutcome(path, 0, "failed", exc.reason)
    except OSError as exc:
        return IngestOutcome(path, 0, "failed", f"cannot read ({exc.strerror or exc})")
    with engine.connect() as conn:
        existing = q.find_submission(conn, sha256)
        if existing is not None:
            return _duplicate(conn, path, existing)
    try:
        extraction = extract_file(path, sha256=sha256, **extract_kwargs)
    except BadInput as exc:
        return IngestOutcome(path, 0, "failed", exc.reason)
    warnings = "; ".join(extraction.warnings) or None
    period = normalize_period(period) or document_period(extraction.front_text, extraction.records)
    if period is None:
        for record in extraction.records:  # a form's own period column, read as a period
            try:
                record["period"] = normalize_period(record.get("period"))
            except BadInput:
                record["period"] = None
    try:
        with engine.begin() as conn:
            submission_id = q.add_submission(conn, file_name=path.name, sha256=extraction.sha256,
                                             path=path.resolve(), actor=extraction.actor,
                                             pages=extraction.pages)
            ids = q.add_actions(conn, extraction.records, submission_id=submission_id)
            if period is not None:
                store_periods.set_submission_period(conn, submission_id, period)
    except q.DuplicateSubmission:
        # Someone else stored the same file between our check and our write.
        with engine.connect() as conn:
            return _duplicate(conn, path, q.find_submission(conn, sha256))
    except PmmError as exc:
        return IngestOutcome(path, 0, "failed", str(exc))
    return IngestOutcome(path, len(ids), "stored" if ids else "empty", warnings, period)


def _duplicate(conn, path: Path, submission) -> IngestOutcome:
    stored = len(q.load_actions(conn, submission_id=submission["id"]))
    return IngestOutcome(path, stored, "duplicate", f"already stored as {submission['file_name']}",
                         submission.get("period"))
