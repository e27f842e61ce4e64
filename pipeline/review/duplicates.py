"""The same programme reported twice in one period: found by the machine, resolved by a person.

`find_duplicates` compares every pair of a period's actions (any actor) and stores the pairs
that look like one programme reported twice (see `similarity`):

- ``text``: near-identical wording (word-triple overlap ≥ DUPLICATE_OVERLAP), e.g. a block pasted
  twice, or a second file re-sending an action;
- ``name_figures``: the same programme name and at least one same figure, with embeddings that
  agree (cosine ≥ NAME_FIGURES_COSINE), e.g. a partner agency reporting a joint programme;
- ``embedding``: embeddings all but equal (cosine ≥ EMBEDDING_ONLY).

These are candidates only. A person says "same" (one action reported twice) or "different";
that is stored append-only with who and when, and only a "same" in force merges the pair in the
report. Nothing is merged silently.
"""

from __future__ import annotations

import numpy as np

from ..errors import PmmError
from ..store import periods as store
from ..store import queries as q
from . import similarity as sim
from .by_period import listed_periods, rows_by_period

DUPLICATE_OVERLAP = 0.6
NAME_FIGURES_COSINE = 0.8
EMBEDDING_ONLY = 0.97
# Pairs whose embeddings are further apart than this are not compared by text at all: a copy or
# a re-worded report of one programme is always this close, and it keeps big periods cheap.
PREFILTER_COSINE = 0.75
VERDICTS = store.VERDICTS
RESOLUTION_SOURCES = ("page", "cli")


def pair_evidence(a: sim.TextFeatures, b: sim.TextFeatures, cosine: float) -> dict:
    return {"overlap": sim.overlap(a.shingles, b.shingles), "cosine": float(cosine),
            "names": sorted(a.names & b.names), "figures": sorted(a.figures & b.figures)}


def duplicate_reason(evidence: dict) -> str | None:
    """Why a pair looks like one programme reported twice, or None."""
    if evidence["overlap"] >= DUPLICATE_OVERLAP:
        return "text"
    if evidence["names"] and evidence["figures"] and evidence["cosine"] >= NAME_FIGURES_COSINE:
        return "name_figures"
    if evidence["cosine"] >= EMBEDDING_ONLY:
        return "embedding"
    return None


def candidate_pairs(rows: list[dict], vectors: np.ndarray) -> list[dict]:
    """The pairs of `rows` (action dicts with id and text) that look like duplicates."""
    feats = [sim.features(r["text"]) for r in rows]
    cos = sim.cosines(vectors, vectors)
    pairs = []
    for i, j in zip(*np.nonzero(np.triu(cos >= PREFILTER_COSINE, k=1))):
        evidence = pair_evidence(feats[i], feats[j], cos[i, j])
        reason = duplicate_reason(evidence)
        if reason is not None:
            pairs.append({"action_id": rows[i]["id"], "other_id": rows[j]["id"], "reason": reason,
                          "score": max(evidence["overlap"], evidence["cosine"]), **evidence})
    return sorted(pairs, key=lambda p: (-p["score"], p["action_id"], p["other_id"]))


def find_duplicates(engine, *, period, embedder: str = sim.DEFAULT_EMBEDDER) -> list[dict]:
    """Compare the actions of `period` and store the candidate pairs (replacing the period's
    earlier candidates; people's resolutions are kept). Returns the pairs, best first."""
    with engine.connect() as conn:
        rows = q.load_actions(conn, ids=store.action_ids_of_period(conn, period))
    vectors = sim.embeddings([r["text"] for r in rows], embedder)
    pairs = candidate_pairs(rows, vectors)
    with engine.begin() as conn:
        store.replace_duplicate_candidates(conn, period, pairs)
    return pairs


def duplicate_pairs(conn, *, period=None, any_period: bool = False, status: str = "open") -> list[dict]:
    """The stored candidates with both actions and the resolution in force.

    :param status: "open" (no resolution yet), "resolved" or "all". Pairs a person marked "same"
        that are no longer candidates are listed too (they are still merged).
    """
    if status not in ("open", "resolved", "all"):
        raise PmmError(f"unknown status {status!r}; use open, resolved or all")
    candidates = store.duplicate_candidate_rows(conn, period=period, any_period=any_period)
    resolutions = store.current_duplicate_resolutions(conn)
    listed = {(c["action_id"], c["other_id"]) for c in candidates}
    for (low, high), resolution in resolutions.items():
        if (low, high) not in listed and resolution["verdict"] == "same":
            candidates.append({"id": None, "period": None, "action_id": low, "other_id": high,
                               "score": None, "reason": "person", "found_at": None})
    ids = {i for c in candidates for i in (c["action_id"], c["other_id"])}
    actions = {a["id"]: a for a in q.load_actions(conn, ids=ids)} if ids else {}
    out = []
    for candidate in candidates:
        left, right = actions.get(candidate["action_id"]), actions.get(candidate["other_id"])
        if left is None or right is None:
            continue
        if candidate["reason"] == "person" and not any_period and left.get("period") != period:
            continue
        resolution = resolutions.get((candidate["action_id"], candidate["other_id"]))
        if (status == "open" and resolution) or (status == "resolved" and not resolution):
            continue
        out.append({**candidate, "left": left, "right": right, "resolution": resolution})
    return out


def duplicate_rows(engine, *, period=None, find: bool = True, status: str = "open") -> list[dict]:
    """The pairs of `period` (default: every period), one row a pair as `pmm review duplicates`
    lists them; with `find`, each period's actions are compared again first."""
    with engine.connect() as conn:
        periods = listed_periods(conn, period)

    def rows(conn, one):
        return [_pair_row(one, pair) for pair in duplicate_pairs(conn, period=one, status=status)]

    return rows_by_period(engine, periods, rows=rows, refresh=find_duplicates if find else None)


def _pair_row(period, pair) -> dict:
    resolution = pair["resolution"] or {}
    return {"period": period, "id": pair["action_id"], "other": pair["other_id"],
            "actors": f"{pair['left']['actor'] or '-'} / {pair['right']['actor'] or '-'}",
            "why": pair["reason"], "score": None if pair["score"] is None else round(pair["score"], 3),
            "resolved": resolution.get("verdict"), "reviewer": resolution.get("reviewer"),
            "text": pair["left"]["text"]}


def resolve_duplicate(conn, *, action_id: int, other_id: int, verdict: str, reviewer: str,
                      source: str = "cli", note=None) -> int:
    """Record a person's verdict on a pair ("same" or "different"); returns its id."""
    if source not in RESOLUTION_SOURCES:
        raise PmmError(f"unknown resolution source {source!r}")
    return store.record_duplicate_resolution(conn, action_id=action_id, other_id=other_id,
                                             verdict=verdict, reviewer=reviewer, source=source,
                                             note=note)


def merged_into(conn) -> dict[int, int]:
    """{action id: the action it is counted as} for every action a person confirmed to repeat
    another: each group of confirmed "same" pairs counts once, as its lowest id."""
    parent: dict[int, int] = {}

    def root(i):
        while parent.get(i, i) != i:
            i = parent[i]
        return i

    for (low, high), resolution in store.current_duplicate_resolutions(conn).items():
        if resolution["verdict"] != "same":
            continue
        a, b = root(low), root(high)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {i: root(i) for i in parent}
