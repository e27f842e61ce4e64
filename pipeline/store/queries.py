"""Reads and writes on the store. Every function takes an open connection; callers own the
transaction (`with engine.begin() as conn:`), so a batch is all-or-nothing."""

from collections import defaultdict

import sqlalchemy as sa

from ..errors import PmmError
from ..schemes import GCM
from ..text import text_hash
from .db import now
from .schema import (actions, decisions, highlights, metadata, model_versions, predictions,
                     schema_versions, submissions)

ACTION_FIELDS = ("text", "pages", "bbox", "heading", "actor", "actor_type", "stated_objectives",
                 "challenges_text", "results_text", "period")


class DuplicateSubmission(PmmError):
    """A submission with this file hash is already stored (another process got there first)."""


def table_counts(conn) -> dict[str, int]:
    """Rows in each of the store's tables (the migration record aside)."""
    return {table.name: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()
            for table in metadata.tables.values() if table is not schema_versions}


# --- submissions ------------------------------------------------------------------------------

def find_submission(conn, sha256: str):
    """The stored submission with this file hash, or None."""
    return conn.execute(sa.select(submissions).where(submissions.c.sha256 == sha256)).mappings().first()


def add_submission(conn, *, file_name: str, sha256: str, path=None, actor=None, pages=None) -> int:
    """:raises DuplicateSubmission: when a submission with this sha256 is already stored."""
    try:
        result = conn.execute(submissions.insert().values(
            file_name=file_name, sha256=sha256, path=None if path is None else str(path), actor=actor,
            pages=pages, received_at=now()))
    except sa.exc.IntegrityError:
        raise DuplicateSubmission(f"{file_name}: a submission with sha256 {sha256} is already stored") from None
    return result.inserted_primary_key[0]


# --- actions ----------------------------------------------------------------------------------

def add_actions(conn, records, *, submission_id=None) -> list[int]:
    """Store action records (dicts with at least `text`); returns their new ids in order."""
    ids = []
    created = now()
    for ordinal, record in enumerate(records):
        text = (record.get("text") or "").strip()
        if not text:
            raise PmmError(f"action {ordinal + 1}: empty text")
        values = {field: record.get(field) for field in ACTION_FIELDS}
        values.update(
            text=text,
            text_sha256=text_hash(text),
            pages=list(record.get("pages") or []),
            stated_objectives=[int(o) for o in record.get("stated_objectives") or []],
            external_id=None if record.get("id") is None else str(record["id"]),
            submission_id=submission_id,
            ordinal=ordinal,
            created_at=created,
        )
        ids.append(conn.execute(actions.insert().values(**values)).inserted_primary_key[0])
    return ids


def load_actions(conn, *, ids=None, actor=None, submission_id=None) -> list[dict]:
    """Actions as dicts (with `file_name` of their submission), in storage order."""
    query = (sa.select(actions, submissions.c.file_name, submissions.c.path.label("source_path"),
                       submissions.c.sha256.label("source_sha256"))
             .select_from(actions.outerjoin(submissions))
             .order_by(actions.c.id))
    if ids is not None:
        query = query.where(actions.c.id.in_(list(ids)))
    if actor is not None:
        query = query.where(actions.c.actor == actor)
    if submission_id is not None:
        query = query.where(actions.c.submission_id == submission_id)
    return [dict(row) for row in conn.execute(query).mappings()]


# --- predictions ------------------------------------------------------------------------------

def add_predictions(conn, *, action_id: int, scheme: str, model_version: str, labels, assigned,
                    evidence=None) -> None:
    """Store one model's scores for one action: every label with its score; `assigned` marks the
    labels above threshold; `evidence` maps a label to what drove it."""
    evidence = evidence or {}
    assigned = set(assigned)
    created = now()
    conn.execute(predictions.insert(), [
        dict(action_id=action_id, scheme=scheme, model_version=model_version, label=item["label"],
             score=float(item["score"]), assigned=item["label"] in assigned,
             evidence=evidence.get(item["label"]), created_at=created)
        for item in labels
    ])


def has_prediction(conn, *, action_id: int, scheme: str, model_version: str) -> bool:
    """Did this model version score this action in this scheme?"""
    query = sa.select(predictions.c.id).where(
        predictions.c.action_id == action_id, predictions.c.scheme == scheme,
        predictions.c.model_version == model_version).limit(1)
    return conn.execute(query).first() is not None


def actions_lacking_predictions(conn, *, scheme: str, model_version: str) -> list[int]:
    """Ids of actions with no prediction of this scheme from this model version."""
    has = (sa.select(predictions.c.id)
           .where(predictions.c.action_id == actions.c.id, predictions.c.scheme == scheme,
                  predictions.c.model_version == model_version)
           .exists())
    return list(conn.execute(sa.select(actions.c.id).where(~has).order_by(actions.c.id)).scalars())


def scored_action_ids(conn, *, scheme: str, actor=None, action_ids=None) -> list[int]:
    """Ids of the actions that have a prediction of `scheme`, optionally of one actor or among
    `action_ids`, in id order."""
    query = (sa.select(actions.c.id).distinct()
             .select_from(actions.join(predictions, predictions.c.action_id == actions.c.id))
             .where(predictions.c.scheme == scheme).order_by(actions.c.id))
    if actor is not None:
        query = query.where(actions.c.actor == actor)
    if action_ids is not None:
        query = query.where(actions.c.id.in_([int(i) for i in action_ids]))
    return list(conn.execute(query).scalars())


def scores_by_model_version(conn, *, scheme: str, action_ids, versions=None) -> dict[int, dict[str, dict]]:
    """{action_id: {model_version: {label: score}}} of the stored predictions (of `versions` only,
    when given)."""
    query = (sa.select(predictions.c.action_id, predictions.c.model_version, predictions.c.label,
                       predictions.c.score)
             .where(predictions.c.scheme == scheme, predictions.c.action_id.in_(list(action_ids))))
    if versions:
        query = query.where(predictions.c.model_version.in_(list(versions)))
    result: dict[int, dict[str, dict]] = {}
    for row in conn.execute(query):
        result.setdefault(row.action_id, {}).setdefault(row.model_version, {})[row.label] = row.score
    return result


def schemes_with_predictions(conn) -> set[str]:
    """The schemes of which at least one prediction is stored."""
    return set(conn.execute(sa.select(predictions.c.scheme).distinct()).scalars())


def register_model_version(conn, *, scheme: str, version: str, card: dict) -> None:
    """Record a model version in model_versions (once)."""
    exists = conn.execute(sa.select(model_versions.c.id).where(
        model_versions.c.scheme == scheme, model_versions.c.version == version)).first()
    if exists is None:
        conn.execute(model_versions.insert().values(scheme=scheme, version=version,
                                                    created_at=now(), card=dict(card)))


def latest_predictions(conn, *, scheme: str, model_version=None, action_ids=None) -> dict[int, dict]:
    """Per action: {"model_version", "labels": [{"label","score"}] best first, "assigned": [...],
    "evidence": {label: ...}} from `model_version`, or else from the newest version that scored it."""
    query = sa.select(predictions).where(predictions.c.scheme == scheme)
    if model_version is not None:
        query = query.where(predictions.c.model_version == model_version)
    if action_ids is not None:
        query = query.where(predictions.c.action_id.in_(list(action_ids)))
    by_action = defaultdict(lambda: defaultdict(list))
    stamp = {}
    for row in conn.execute(query.order_by(predictions.c.id)).mappings():
        by_action[row["action_id"]][row["model_version"]].append(row)
        stamp[(row["action_id"], row["model_version"])] = row["id"]
    result = {}
    for action_id, versions in by_action.items():
        version = max(versions, key=lambda v: stamp[(action_id, v)])
        rows = sorted(versions[version], key=lambda r: -r["score"])
        result[action_id] = {
            "model_version": version,
            "labels": [{"label": r["label"], "score": r["score"]} for r in rows],
            "assigned": [r["label"] for r in rows if r["assigned"]],
            "evidence": {r["label"]: r["evidence"] for r in rows if r["evidence"]},
        }
    return result


# --- decisions (human, append-only) ----------------------------------------------------------

def record_decision(conn, *, action_id: int, scheme: str, labels, reviewer: str, source: str,
                    model_version=None, model_labels=None, note=None) -> int:
    """Append a human decision. A later one on the same action and scheme supersedes it."""
    reviewer = (reviewer or "").strip()
    if not reviewer:
        raise PmmError("a decision needs a reviewer name")
    if conn.execute(sa.select(actions.c.id).where(actions.c.id == action_id)).first() is None:
        raise PmmError(f"action {action_id} is not in the store")
    result = conn.execute(decisions.insert().values(
        action_id=action_id, scheme=scheme, labels=sorted({str(l) for l in labels}, key=label_order),
        reviewer=reviewer, decided_at=now(), source=source, model_version=model_version,
        model_labels=model_labels, note=note))
    return result.inserted_primary_key[0]


def undo_decision(conn, decision_id: int) -> None:
    """Mark a decision undone (kept for the record); the previous one, if any, applies again."""
    conn.execute(decisions.update().where(decisions.c.id == decision_id, decisions.c.undone_at.is_(None))
                 .values(undone_at=now()))


def get_decision(conn, decision_id: int) -> dict | None:
    """One decision by id (undone or not), or None."""
    row = conn.execute(sa.select(decisions).where(decisions.c.id == decision_id)).mappings().first()
    return None if row is None else dict(row)


def current_decisions(conn, *, scheme=None, action_ids=None) -> dict[tuple[int, str], dict]:
    """The decision in force per (action_id, scheme): the newest one not undone."""
    query = sa.select(decisions).where(decisions.c.undone_at.is_(None)).order_by(decisions.c.id)
    if scheme is not None:
        query = query.where(decisions.c.scheme == scheme)
    if action_ids is not None:
        query = query.where(decisions.c.action_id.in_(list(action_ids)))
    return {(row["action_id"], row["scheme"]): dict(row) for row in conn.execute(query).mappings()}


def all_decisions(conn) -> list[dict]:
    """Every decision ever made, undone ones included, oldest first (for export and audit)."""
    query = (sa.select(decisions, actions.c.text, actions.c.external_id)
             .select_from(decisions.join(actions)).order_by(decisions.c.id))
    return [dict(row) for row in conn.execute(query).mappings()]


def label_order(label: str):
    """Sort key: "2" < "10" < "10.7" < "10.a" < "capacitacion" (numbers by value, names after)."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in str(label).split(".")]


def effective_labels(conn, *, scheme: str, action_ids=None, predicted=None) -> dict[int, dict]:
    """The labels each action carries for a scheme, by precedence: the human decision in force;
    else, for GCM, the objectives the submission itself states; else the newest model's assigned
    labels. {action_id: {"labels": [...], "source": "human"|"document"|"model", "model_version",
    "top_score", ...}}; actions with none of these are absent.

    :param predicted: `latest_predictions(conn, scheme=scheme, action_ids=action_ids)` when the
        caller has read it already (it reads every stored prediction row of the scheme).
    """
    result = {}
    if predicted is None:
        predicted = latest_predictions(conn, scheme=scheme, action_ids=action_ids)
    for action_id, pred in predicted.items():
        result[action_id] = {"labels": list(pred["assigned"]), "source": "model",
                             "model_version": pred["model_version"],
                             "top_score": pred["labels"][0]["score"] if pred["labels"] else None}
    if scheme == GCM:
        for action_id, stated in stated_objectives(conn, action_ids=action_ids).items():
            result[action_id] = {"labels": [str(o) for o in stated], "source": "document",
                                 "model_version": None, "top_score": None}
    for (action_id, _), decision in current_decisions(conn, scheme=scheme, action_ids=action_ids).items():
        result[action_id] = {"labels": list(decision["labels"]), "source": "human",
                             "model_version": decision["model_version"], "top_score": None,
                             "reviewer": decision["reviewer"], "decided_at": decision["decided_at"]}
    return result


def stated_objectives(conn, *, action_ids=None) -> dict[int, list[int]]:
    """The GCM objectives each action's submission states, for the actions that state any."""
    query = sa.select(actions.c.id, actions.c.stated_objectives)
    if action_ids is not None:
        query = query.where(actions.c.id.in_(list(action_ids)))
    return {row.id: row.stated_objectives for row in conn.execute(query) if row.stated_objectives}


# --- highlights ("destacada": proposed first in the draft Informe) ----------------------------

def mark_highlight(conn, *, action_id: int, reviewer: str, note=None) -> int:
    """Mark an action destacada; marking it again records nothing new."""
    reviewer = (reviewer or "").strip()
    if not reviewer:
        raise PmmError("marking an action destacada needs a reviewer name")
    if conn.execute(sa.select(actions.c.id).where(actions.c.id == action_id)).first() is None:
        raise PmmError(f"action {action_id} is not in the store")
    current = current_highlights(conn, action_ids=[action_id])
    if action_id in current:
        return current[action_id]["id"]
    result = conn.execute(highlights.insert().values(action_id=action_id, reviewer=reviewer,
                                                     marked_at=now(), note=note))
    return result.inserted_primary_key[0]


def unmark_highlight(conn, *, action_id: int) -> bool:
    """Withdraw an action's mark (kept for the record); False if it had none."""
    result = conn.execute(highlights.update()
                          .where(highlights.c.action_id == action_id, highlights.c.undone_at.is_(None))
                          .values(undone_at=now()))
    return result.rowcount > 0


def current_highlights(conn, *, action_ids=None) -> dict[int, dict]:
    """The marks in force, by action id: {"id", "reviewer", "marked_at", "note"}."""
    query = sa.select(highlights).where(highlights.c.undone_at.is_(None)).order_by(highlights.c.id)
    if action_ids is not None:
        query = query.where(highlights.c.action_id.in_(list(action_ids)))
    return {row["action_id"]: dict(row) for row in conn.execute(query).mappings()}
