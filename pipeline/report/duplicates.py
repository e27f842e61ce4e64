"""Actions reported twice: a confirmed repeat counts once, an unconfirmed candidate is only listed.

A pair a person resolved as "same" (`pipeline.review.duplicates`) is counted as its lowest action
id (a group of confirmed pairs counts once); the repeated action leaves the counts but stays in the
annex, and the `duplicates` table says which one it was counted as, who confirmed it and when.
A candidate pair nobody has resolved is counted as two actions and listed as such.
"""

from dataclasses import replace

import pandas as pd

from ..review.duplicates import merged_into
from ..store import periods as store
from . import i18n
from .frame import ReportActions

COLUMNS = ["status", "kept", "repeated", "actors", "reason", "score", "reviewer", "action_ids"]


def merge_confirmed(conn, actions: ReportActions, lang: str = "es") -> tuple[ReportActions, pd.DataFrame]:
    """(the actions to count, with confirmed repeats left out; the `duplicates` table)."""
    frame = actions.frame
    present = {int(i) for i in frame["action_id"]}
    actors = dict(zip(frame["action_id"].astype(int), frame["actor"]))
    merged = {i: kept for i, kept in merged_into(conn).items() if i in present and kept in present}
    resolutions = store.current_duplicate_resolutions(conn)
    rows = []
    for repeated, kept in sorted(merged.items()):
        resolution = resolutions.get(tuple(sorted((repeated, kept)))) or {}
        rows.append({"status": i18n.text("dup_merged", lang), "kept": kept, "repeated": repeated,
                     "actors": f"{actors.get(kept) or '-'} / {actors.get(repeated) or '-'}",
                     "reason": "", "score": None, "reviewer": resolution.get("reviewer", ""),
                     "action_ids": sorted((kept, repeated))})
    for candidate in store.duplicate_candidate_rows(conn, any_period=True):
        low, high = candidate["action_id"], candidate["other_id"]
        if low not in present or high not in present or (low, high) in resolutions:
            continue
        rows.append({"status": i18n.text("dup_candidate", lang), "kept": low, "repeated": high,
                     "actors": f"{actors.get(low) or '-'} / {actors.get(high) or '-'}",
                     "reason": candidate["reason"], "score": round(float(candidate["score"]), 3),
                     "reviewer": "", "action_ids": [low, high]})
    table = pd.DataFrame(rows, columns=COLUMNS)
    counted = frame.loc[~frame["action_id"].astype(int).isin(list(merged))].reset_index(drop=True)
    return replace(actions, frame=counted), table


def duplicate_summary(table: pd.DataFrame, lang: str) -> tuple[int, int]:
    """(repeats merged, candidate pairs waiting) of a `duplicates` table."""
    merged = int((table["status"] == i18n.text("dup_merged", lang)).sum())
    return merged, len(table) - merged


def duplicate_lines(table: pd.DataFrame, lang: str) -> list[str]:
    """The sentences the report prints under its title about repeats."""
    merged, waiting = duplicate_summary(table, lang)
    lines = []
    if merged:
        lines.append(i18n.text("note_duplicates_merged", lang, n=merged))
    if waiting:
        lines.append(i18n.text("note_duplicate_candidates", lang, n=waiting))
    return lines


def summary_rows(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Rows for the summary table: repeats counted once, and pairs waiting, with their ids."""
    merged = table[table["status"] == i18n.text("dup_merged", lang)]
    waiting = table[table["status"] != i18n.text("dup_merged", lang)]
    return pd.DataFrame([
        {"metric": "duplicates_merged", "name": i18n.text("m_duplicates_merged", lang),
         "value": len(merged), "action_ids": sorted(int(i) for i in merged["repeated"])},
        {"metric": "duplicate_candidates", "name": i18n.text("m_duplicate_candidates", lang),
         "value": len(waiting), "action_ids": sorted({int(i) for ids in waiting["action_ids"] for i in ids})},
    ])
