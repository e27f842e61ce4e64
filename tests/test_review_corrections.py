"""Exporting human decisions as JSON lines (corpus/corrections/)."""

import json

from test_review_support import MODEL, make_review_store

from pipeline.review.corrections import CORRECTION_KEYS, export_corrections
from pipeline.review.decisions import record
from pipeline.store import queries as q
from pipeline.text import text_hash


def read(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_review_export_corrections_writes_decisions_in_force(db, tmp_path):
    ids = make_review_store(db)
    with db.begin() as conn:
        record(conn, action_id=ids["t-salud"], scheme="gcm", labels=["7"], reviewer="Ana", source="page")
        # Superseded by Luis's decision on the same action: only the newest is in force.
        record(conn, action_id=ids["t-visas"], scheme="gcm", labels=["4"], reviewer="Ana", source="page")
        record(conn, action_id=ids["t-visas"], scheme="gcm", labels=["5"], reviewer="Luis", source="xlsx")
        undone = record(conn, action_id=ids["t-datos"], scheme="gcm", labels=["2"], reviewer="Ana",
                        source="page")
        q.undo_decision(conn, undone)
        record(conn, action_id=ids["t-datos"], scheme="challenge", labels=["informacion"],
               reviewer="Ana", source="cli")

    written = export_corrections(db, out_dir=tmp_path / "corrections")

    assert sorted(written) == ["challenge", "gcm"]
    gcm = read(written["gcm"])
    assert [(r["labels"], r["reviewer"]) for r in sorted(gcm, key=lambda r: r["reviewer"])] == [
        (["7"], "Ana"), (["5"], "Luis")]
    salud = next(r for r in gcm if r["labels"] == ["7"])
    assert tuple(salud) == CORRECTION_KEYS
    assert salud["text"].startswith("La Secretaría de Salud vacunó")
    assert salud["text_sha256"] == text_hash(salud["text"])
    assert salud["model_version"] == MODEL
    assert salud["model_labels"] == [{"label": "15", "score": 0.91}]
    assert salud["external_id"] == "t-salud" and salud["scheme"] == "gcm" and salud["source"] == "page"
    assert salud["decided_at"].endswith("Z")
    assert [r["labels"] for r in read(written["challenge"])] == [["informacion"]]
    assert gcm == sorted(gcm, key=lambda r: r["text_sha256"])


def test_review_export_corrections_is_stable_and_follows_undo(db, tmp_path):
    ids = make_review_store(db)
    with db.begin() as conn:
        decision = record(conn, action_id=ids["t-salud"], scheme="gcm", labels=["7"], reviewer="Ana",
                          source="page")
    out = tmp_path / "corrections"
    first = export_corrections(db, out_dir=out)["gcm"].read_bytes()
    assert export_corrections(db, out_dir=out)["gcm"].read_bytes() == first
    with db.begin() as conn:
        q.undo_decision(conn, decision)
    # The undo reaches git as an emptied file, not as a stale line.
    assert export_corrections(db, out_dir=out)["gcm"].read_text() == ""
    assert sorted(p.name for p in out.iterdir()) == ["gcm.jsonl"]


def test_review_export_corrections_with_no_decisions_writes_nothing(db, tmp_path):
    assert export_corrections(db, out_dir=tmp_path / "c") == {}
