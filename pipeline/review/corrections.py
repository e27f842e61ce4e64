"""Export the human decisions as JSON lines, so a team can keep its corrections in git.

One file per scheme, `corpus/corrections/<scheme>.jsonl`, one line per decision in force (undone
ones are left out), keyed by the sha256 of the action text — store ids mean nothing outside one
store. Lines are sorted and keys ordered, so re-exporting an unchanged store rewrites identical
files and a new decision shows in `git diff` as the lines it adds.
"""

import json
from pathlib import Path

from ..config import CORRECTIONS_DIR
from ..errors import BadInput
from ..store import queries as q
from ..text import text_hash

CORRECTION_KEYS = ("text_sha256", "scheme", "labels", "reviewer", "decided_at", "source",
                   "model_version", "model_labels", "note", "external_id", "text")


def correction_records(conn) -> list[dict]:
    """The decisions in force as plain records, sorted by scheme, text hash and time."""
    records = []
    in_force = {row["id"] for row in q.current_decisions(conn).values()}
    for row in q.all_decisions(conn):
        if row["id"] not in in_force:
            continue
        records.append({
            "text_sha256": text_hash(row["text"]),
            "scheme": row["scheme"],
            "labels": list(row["labels"]),
            "reviewer": row["reviewer"],
            "decided_at": _iso(row["decided_at"]),
            "source": row["source"],
            "model_version": row["model_version"],
            "model_labels": row["model_labels"],
            "note": row["note"],
            "external_id": row["external_id"],
            "text": row["text"],
        })
    records.sort(key=lambda r: (r["scheme"], r["text_sha256"], r["decided_at"]))
    return records


def export_corrections(engine, out_dir=CORRECTIONS_DIR) -> dict[str, Path]:
    """Write `<out_dir>/<scheme>.jsonl` for every scheme with decisions; returns {scheme: path}.

    A scheme whose decisions were all undone gets an empty file, so the undo reaches git too.
    """
    out_dir = Path(out_dir)
    with engine.connect() as conn:
        records = correction_records(conn)
        schemes = {row["scheme"] for row in q.all_decisions(conn)}
    by_scheme = {scheme: [] for scheme in sorted(schemes)}
    for record in records:
        by_scheme[record["scheme"]].append(record)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BadInput(out_dir, f"cannot create the corrections folder ({exc.strerror or exc})") from None
    written = {}
    for scheme, rows in by_scheme.items():
        path = out_dir / f"{scheme}.jsonl"
        tmp = path.with_suffix(".jsonl.tmp")
        # Written aside and renamed, so a crash never leaves a half-written corrections file.
        with open(tmp, "w", encoding="utf-8", newline="\n") as stream:
            for row in rows:
                stream.write(json.dumps(row, ensure_ascii=False) + "\n")
        tmp.replace(path)
        written[scheme] = path
    return written


def _iso(moment) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:  # SQLite hands back naive datetimes; the store writes UTC
        return moment.isoformat() + "Z"
    return moment.isoformat().replace("+00:00", "Z")
