"""One row per action to count: who reported it, at which level, in which state, with which labels.

Everything the count tables need is read here, once, so that `tables.py` is pure pandas on this
frame. Decisions made here (and stated in the report):

- Labels: `q.effective_labels` per scheme, i.e. the human decision in force, else the newest
  model's assigned labels. An SDG target ("10.7") counts under its goal ("10").
- Level: `level_of(actor_type)`; federal includes autonomous bodies and the Senado. A municipal
  action counts at the state level and in its state (actors.csv `state` column). An action whose
  actor type is missing takes its actor's type from actors.csv, else it is "other".
- Period: without a period every action counts; with one, only actions whose `period` equals it
  (after trimming spaces). Actions with no recorded period are then left out, and counted as such.
"""

from dataclasses import dataclass, field

import pandas as pd

from ..schemes import SCHEMES
from ..store import queries as q
from ..taxonomy import ACTOR_TYPES, load_actors, level_of

FRAME_COLUMNS = (
    "action_id", "external_id", "actor", "actor_name", "actor_type", "level", "municipal", "state",
    "period", "file_name", "pages", "text", "results_text", "challenges_text", "highlighted",
    *(f"{scheme}{suffix}" for scheme in SCHEMES
      for suffix in ("", "_source", "_model_version", "_top_score")),
)


@dataclass(frozen=True)
class ReportActions:
    """The actions a report counts (`frame`, one row each) and those a period filter left out."""

    frame: pd.DataFrame
    period: str | None = None
    excluded_without_period: tuple[int, ...] = field(default_factory=tuple)


def load_report_actions(conn, *, lang: str = "es", period: str | None = None) -> ReportActions:
    """Read the store into the per-action frame the count tables are made from (the actions of
    `period` only, when given; see `of_period`)."""
    actors = load_actors()
    rows = q.load_actions(conn)
    # Read every action's labels and pick ours in Python: an IN list of all ids would hit the
    # database's limit on bound parameters in a large store.
    labels = {scheme: q.effective_labels(conn, scheme=scheme) for scheme in SCHEMES}
    highlighted = set(q.current_highlights(conn))
    records = [_record(row, actors, labels, lang) | {"highlighted": row["id"] in highlighted}
               for row in rows]
    frame = pd.DataFrame.from_records(records, columns=list(FRAME_COLUMNS))
    return of_period(ReportActions(frame=frame), period)


def of_period(actions: ReportActions, period: str | None) -> ReportActions:
    """The actions of every period (`actions`, as loaded) narrowed to `period`, trimmed; those
    with no recorded period are left out and listed. None or blank: `actions` unchanged."""
    period = period.strip() if period and period.strip() else None
    if period is None:
        return actions
    frame = actions.frame
    given = frame["period"].fillna("").astype(str).str.strip()
    excluded = tuple(int(i) for i in frame.loc[given == "", "action_id"])
    return ReportActions(frame=frame.loc[given == period].reset_index(drop=True), period=period,
                         excluded_without_period=excluded)


def _record(row, actors, labels, lang) -> dict:
    actor = actors.get(row["actor"]) if row.get("actor") in actors else None
    actor_type = row.get("actor_type") or (actor.actor_type if actor else None)
    if actor_type not in ACTOR_TYPES:
        actor_type = None
    level = counting_level(actor_type)
    record = {
        "action_id": row["id"],
        "external_id": row.get("external_id"),
        "actor": row.get("actor"),
        "actor_name": _actor_name(actor, row.get("actor"), lang),
        "actor_type": actor_type,
        "level": level,
        "municipal": actor_type == "municipal",
        "state": _state_of(row.get("actor"), actor, level, actors),
        "period": row.get("period"),
        "file_name": row.get("file_name"),
        "pages": list(row.get("pages") or []),
        "text": row["text"],
        "results_text": row.get("results_text"),
        "challenges_text": row.get("challenges_text"),
    }
    for scheme in SCHEMES:
        found = labels[scheme].get(row["id"])
        record[scheme] = _labels_of(scheme, found["labels"]) if found else ()
        record[f"{scheme}_source"] = found["source"] if found else None
        record[f"{scheme}_model_version"] = found.get("model_version") if found else None
        record[f"{scheme}_top_score"] = found.get("top_score") if found else None
    return record


def counting_level(actor_type: str | None) -> str:
    """federal, state or other: the level an actor type counts at (municipal counts as state)."""
    if actor_type not in ACTOR_TYPES:
        return "other"
    level = level_of(actor_type)
    return "state" if level == "municipal" else level


def _labels_of(scheme: str, labels) -> tuple[str, ...]:
    labels = [str(label) for label in labels]
    if scheme == "sdg":
        # A target such as "10.7" or "10.a" counts under its goal.
        labels = [label.split(".")[0] for label in labels]
    return tuple(sorted(set(labels), key=q.label_order))


def _actor_name(actor, actor_id, lang) -> str | None:
    if actor is not None:
        return actor.name_es if lang == "es" else actor.name_en
    return actor_id


def _state_of(actor_id, actor, level, actors) -> str | None:
    if level != "state":
        return None
    if actor is not None and actor.state:
        return actor.state
    # A municipality missing from actors.csv still carries its state in its id: "MX-ROO-XYZ".
    candidate = (actor_id or "")[:6]
    if candidate in actors and actors.get(candidate).actor_type == "state":
        return candidate
    return None
