"""Reads and writes for reporting periods, duplicate pairs and continuing programmes.

Like `queries`, every function takes an open connection and the caller owns the transaction.
Machine-made rows (duplicate candidates, continuations) are replaced when recomputed; what people
say about a pair (duplicate resolutions) is append-only, with who and when, and an undo is a
timestamp, never a delete.
"""

import sqlalchemy as sa

from ..errors import PmmError
from .db import now
from .schema import actions, continuations, duplicate_candidates, duplicate_resolutions, submissions

VERDICTS = ("same", "different")


# --- periods ----------------------------------------------------------------------------------

def set_submission_period(conn, submission_id: int, period: str | None) -> None:
    """Record the period of a submission and of every action it holds."""
    conn.execute(submissions.update().where(submissions.c.id == submission_id).values(period=period))
    conn.execute(actions.update().where(actions.c.submission_id == submission_id).values(period=period))


def set_actions_period(conn, action_ids, period: str | None) -> int:
    """Put actions in a period; returns how many were changed."""
    ids = [int(i) for i in action_ids]
    if not ids:
        return 0
    return conn.execute(actions.update().where(actions.c.id.in_(ids)).values(period=period)).rowcount


def period_counts(conn) -> dict:
    """{period: number of actions}; actions without a period under None."""
    rows = conn.execute(sa.select(actions.c.period, sa.func.count()).group_by(actions.c.period))
    return {row[0]: row[1] for row in rows}


def period_of_actions(conn, action_ids) -> dict[int, str | None]:
    ids = [int(i) for i in action_ids]
    if not ids:
        return {}
    rows = conn.execute(sa.select(actions.c.id, actions.c.period).where(actions.c.id.in_(ids)))
    return {row.id: row.period for row in rows}


def action_ids_of_period(conn, period: str | None) -> list[int]:
    """Ids of the actions of `period` (None: those without a period), in storage order."""
    where = actions.c.period.is_(None) if period is None else actions.c.period == period
    return list(conn.execute(sa.select(actions.c.id).where(where).order_by(actions.c.id)).scalars())


# --- duplicate candidates (machine-made) --------------------------------------------------------

def replace_duplicate_candidates(conn, period: str | None, pairs) -> int:
    """Store the candidate pairs found in `period`, replacing those found there before.

    :param pairs: dicts with action_id, other_id, score, reason.
    """
    where = (duplicate_candidates.c.period.is_(None) if period is None
             else duplicate_candidates.c.period == period)
    conn.execute(duplicate_candidates.delete().where(where))
    found = now()
    rows = []
    for pair in pairs:
        low, high = sorted((int(pair["action_id"]), int(pair["other_id"])))
        rows.append(dict(period=period, action_id=low, other_id=high, score=float(pair["score"]),
                         reason=str(pair["reason"]), found_at=found))
    if rows:
        conn.execute(duplicate_candidates.insert(), rows)
    return len(rows)


def duplicate_candidate_rows(conn, *, period=None, any_period: bool = False) -> list[dict]:
    """Candidate pairs of `period` (every period with `any_period`), best score first."""
    query = sa.select(duplicate_candidates)
    if not any_period:
        query = query.where(duplicate_candidates.c.period.is_(None) if period is None
                            else duplicate_candidates.c.period == period)
    query = query.order_by(duplicate_candidates.c.score.desc(), duplicate_candidates.c.id)
    return [dict(row) for row in conn.execute(query).mappings()]


# --- duplicate resolutions (human, append-only) ---------------------------------------------------

def record_duplicate_resolution(conn, *, action_id: int, other_id: int, verdict: str, reviewer: str,
                                source: str, note=None) -> int:
    """Append what a person said about a pair: "same" action reported twice, or "different"."""
    if verdict not in VERDICTS:
        raise PmmError(f"unknown verdict {verdict!r}; use one of {', '.join(VERDICTS)}")
    reviewer = (reviewer or "").strip()
    if not reviewer:
        raise PmmError("a resolution needs a reviewer name")
    low, high = sorted((int(action_id), int(other_id)))
    if low == high:
        raise PmmError(f"action {low} cannot be a duplicate of itself")
    found = set(conn.execute(sa.select(actions.c.id).where(actions.c.id.in_([low, high]))).scalars())
    missing = [str(i) for i in (low, high) if i not in found]
    if missing:
        raise PmmError(f"action {', '.join(missing)} is not in the store")
    result = conn.execute(duplicate_resolutions.insert().values(
        action_id=low, other_id=high, verdict=verdict, reviewer=reviewer[:120], decided_at=now(),
        source=source, note=note))
    return result.inserted_primary_key[0]


def undo_duplicate_resolution(conn, resolution_id: int) -> dict | None:
    """Mark a resolution undone (kept for the record); returns it, or None if there is none."""
    row = conn.execute(sa.select(duplicate_resolutions)
                       .where(duplicate_resolutions.c.id == resolution_id)).mappings().first()
    if row is None:
        return None
    conn.execute(duplicate_resolutions.update()
                 .where(duplicate_resolutions.c.id == resolution_id,
                        duplicate_resolutions.c.undone_at.is_(None))
                 .values(undone_at=now()))
    return dict(row)


def current_duplicate_resolutions(conn) -> dict[tuple[int, int], dict]:
    """The resolution in force per pair (low id, high id): the newest one not undone."""
    query = (sa.select(duplicate_resolutions).where(duplicate_resolutions.c.undone_at.is_(None))
             .order_by(duplicate_resolutions.c.id))
    return {(row["action_id"], row["other_id"]): dict(row) for row in conn.execute(query).mappings()}


def all_duplicate_resolutions(conn) -> list[dict]:
    """Every resolution ever made, undone ones included, oldest first (for audit)."""
    query = sa.select(duplicate_resolutions).order_by(duplicate_resolutions.c.id)
    return [dict(row) for row in conn.execute(query).mappings()]


# --- continuations (machine-made) --------------------------------------------------------------

def replace_continuations(conn, action_ids, links) -> int:
    """Store which earlier action each of `action_ids` continues, replacing their old links.

    :param links: dicts with action_id, previous_id, score, reason.
    """
    ids = [int(i) for i in action_ids]
    for start in range(0, len(ids), 500):  # bounded IN lists
        conn.execute(continuations.delete().where(continuations.c.action_id.in_(ids[start:start + 500])))
    found = now()
    rows = [dict(action_id=int(link["action_id"]), previous_id=int(link["previous_id"]),
                 score=float(link["score"]), reason=str(link["reason"]), found_at=found)
            for link in links]
    if rows:
        conn.execute(continuations.insert(), rows)
    return len(rows)


def continuation_rows(conn, *, action_ids=None) -> dict[int, dict]:
    """{action_id: its link (previous_id, score, reason)}, the best-scored one per action."""
    query = sa.select(continuations).order_by(continuations.c.score, continuations.c.id)
    if action_ids is not None:
        query = query.where(continuations.c.action_id.in_([int(i) for i in action_ids]))
    return {row["action_id"]: dict(row) for row in conn.execute(query).mappings()}
