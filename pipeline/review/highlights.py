"""Marking actions "destacada": an analyst's say that an action belongs among its objective's main
actions in the draft Informe. A mark is the analyst's, stored with who and when; unmarking keeps
the record (append-only, like decisions)."""

from ..store import queries as q


def mark(conn, *, action_id: int, reviewer: str, note=None) -> int:
    """Mark an action destacada (idempotent); returns the mark's id."""
    return q.mark_highlight(conn, action_id=action_id, reviewer=reviewer, note=note)


def unmark(conn, *, action_id: int) -> bool:
    """Withdraw the mark; False when the action had none."""
    return q.unmark_highlight(conn, action_id=action_id)


def marked(conn) -> dict[int, dict]:
    """The marks in force, by action id."""
    return q.current_highlights(conn)
