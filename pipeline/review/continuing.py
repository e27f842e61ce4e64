"""Continuing programmes: last year's decided labels, proposed for this year's report of them.

Most of what agencies report is continuing work with new figures. `find_continuations` links
each action of period N to the action of period N−1 it continues: the same actor and the same
programme, i.e. shared wording (word-triple overlap ≥ CONTINUATION_OVERLAP once numbers are masked),
or the same programme name with embeddings that agree, or embeddings all but equal.

A link only proposes: when last year's action carries a human decision, `carried_proposals`
offers its labels ("como en 2022") and `accept_carried` records them as a decision of the person
who accepts, with their name and time. Nothing is decided without a person.
"""

from __future__ import annotations

from ..errors import PmmError
from ..store import periods as store
from ..store import queries as q
from . import similarity as sim
from .by_period import listed_periods, rows_by_period
from .decisions import load_catalogue, record
from .duplicates import find_duplicates, merged_into

CONTINUATION_OVERLAP = 0.45
NAME_COSINE = 0.85
EMBEDDING_ONLY = 0.96
CARRIED_SOURCE = "carried"


def previous_period(period: str) -> str:
    """The period before `period` ("2023" -> "2022")."""
    try:
        return str(int(str(period).strip()) - 1)
    except ValueError:
        raise PmmError(f"period {period!r} is not a year; the period before it is unknown") from None


def continuation_reason(evidence: dict) -> str | None:
    if evidence["overlap"] >= CONTINUATION_OVERLAP:
        return "text"
    if evidence["names"] and evidence["cosine"] >= NAME_COSINE:
        return "name"
    if evidence["cosine"] >= EMBEDDING_ONLY:
        return "embedding"
    return None


def continuation_links(current: list[dict], previous: list[dict], cur_vectors, prev_vectors) -> list[dict]:
    """For each current action, the previous action of the same actor it continues (if any)."""
    cur_feats = [sim.features(r["text"]) for r in current]
    prev_feats = [sim.features(r["text"]) for r in previous]
    cos = sim.cosines(cur_vectors, prev_vectors)
    by_actor: dict = {}
    for j, row in enumerate(previous):
        by_actor.setdefault(row.get("actor"), []).append(j)
    links = []
    for i, row in enumerate(current):
        best = None
        for j in by_actor.get(row.get("actor"), ()):
            evidence = {"overlap": sim.overlap(cur_feats[i].shingles, prev_feats[j].shingles),
                        "cosine": float(cos[i, j]),
                        "names": sorted(cur_feats[i].names & prev_feats[j].names)}
            reason = continuation_reason(evidence)
            if reason is None:
                continue
            key = (evidence["overlap"], evidence["cosine"])
            if best is None or key > best[0]:
                best = (key, j, reason, evidence)
        if best is not None:
            (overlap, cosine), j, reason, evidence = best
            links.append({"action_id": row["id"], "previous_id": previous[j]["id"], "reason": reason,
                          "score": max(overlap, cosine), **evidence})
    return links


def find_continuations(engine, *, period, previous=None, embedder: str = sim.DEFAULT_EMBEDDER) -> list[dict]:
    """Link the actions of `period` to those of `previous` (default: the year before) that they
    continue, replacing their earlier links; returns the links."""
    previous = previous or previous_period(period)
    with engine.connect() as conn:
        current = q.load_actions(conn, ids=store.action_ids_of_period(conn, period))
        earlier = q.load_actions(conn, ids=store.action_ids_of_period(conn, previous))
    texts = [r["text"] for r in current + earlier]
    vectors = sim.embeddings(texts, embedder)
    links = continuation_links(current, earlier, vectors[:len(current)], vectors[len(current):])
    with engine.begin() as conn:
        store.replace_continuations(conn, [r["id"] for r in current], links)
    return links


def carried_proposals(conn, *, scheme: str, action_ids=None, include_decided: bool = False,
                      repeats=None) -> dict[int, dict]:
    """{action_id: proposal} for the actions that continue an action a person decided (and that
    a person has not confirmed as a repeat of another).

    A proposal: previous_id, previous_period, labels (the previous decision's), decision_id,
    reviewer, decided_at, score, reason, decided (this action has its own decision already).

    :param repeats: the confirmed repeats (`merged_into(conn)`), when the caller has read them.
    """
    links = store.continuation_rows(conn, action_ids=action_ids)
    # A confirmed repeat counts as the action it repeats: it needs no labels of its own.
    for repeat in merged_into(conn) if repeats is None else repeats:
        links.pop(repeat, None)
    if not links:
        return {}
    previous_ids = {link["previous_id"] for link in links.values()}
    decided_before = q.current_decisions(conn, scheme=scheme, action_ids=previous_ids)
    decided_now = q.current_decisions(conn, scheme=scheme, action_ids=list(links))
    periods = store.period_of_actions(conn, previous_ids)
    proposals = {}
    for action_id, link in links.items():
        decision = decided_before.get((link["previous_id"], scheme))
        if decision is None:
            continue
        decided = (action_id, scheme) in decided_now
        if decided and not include_decided:
            continue
        proposals[action_id] = {
            "previous_id": link["previous_id"], "previous_period": periods.get(link["previous_id"]),
            "labels": list(decision["labels"]), "decision_id": decision["id"],
            "reviewer": decision["reviewer"], "decided_at": decision["decided_at"],
            "score": link["score"], "reason": link["reason"], "decided": decided,
        }
    return proposals


def carried_actions(conn, *, scheme: str, action_ids=None) -> list[tuple[dict, dict]]:
    """[(action, proposal)] of the pending proposals (among `action_ids`), in action id order."""
    proposals = carried_proposals(conn, scheme=scheme, action_ids=action_ids)
    actions = {a["id"]: a for a in q.load_actions(conn, ids=list(proposals))} if proposals else {}
    return [(actions[action_id], proposals[action_id]) for action_id in sorted(proposals)]


def carried_rows(engine, *, scheme: str, period=None, find: bool = True) -> list[dict]:
    """The carried-forward label sets of `period` (default: every period) awaiting a person, one
    row an action as `pmm review continuing` lists them. With `find`, each period's actions are
    linked to the period before again first, and a period that cannot be linked lists nothing."""
    with engine.connect() as conn:
        periods = listed_periods(conn, period)

    def rows(conn, one):
        pending = carried_actions(conn, scheme=scheme, action_ids=store.action_ids_of_period(conn, one))
        return [{"period": one, "id": action["id"], "actor": action["actor"],
                 "como_en": proposal["previous_period"], "previous": proposal["previous_id"],
                 "labels": ",".join(proposal["labels"]), "decided_by": proposal["reviewer"],
                 "text": action["text"]}
                for action, proposal in pending]

    return rows_by_period(engine, periods, rows=rows, refresh=find_continuations if find else None,
                          skip_unrefreshable=True)


def accept_carried(conn, *, scheme: str, reviewer: str, action_ids=None, period=None) -> list[int]:
    """Record the carried-forward labels of these actions (default: every pending proposal, of
    `period` if given) as decisions by `reviewer`; returns the new decision ids.

    An action that has a decision of its own by now is left as it is.
    """
    if not (reviewer or "").strip():
        raise PmmError("accepting proposals needs a reviewer name")
    wanted = None if action_ids is None else [int(i) for i in action_ids]
    if period is not None:
        in_period = set(store.action_ids_of_period(conn, period))
        wanted = sorted(in_period if wanted is None else in_period & set(wanted))
    proposals = carried_proposals(conn, scheme=scheme, action_ids=wanted)
    catalogue = load_catalogue(scheme)
    ids = []
    for action_id in sorted(proposals):
        proposal = proposals[action_id]
        note = (f"como en {proposal['previous_period']}: acción {proposal['previous_id']}, "
                f"decisión {proposal['decision_id']} de {proposal['reviewer']}")
        ids.append(record(conn, action_id=action_id, scheme=scheme, labels=proposal["labels"],
                          reviewer=reviewer, source=CARRIED_SOURCE, catalogue=catalogue, note=note))
    return ids


def refresh_period(engine, *, period, embedder: str = sim.DEFAULT_EMBEDDER) -> dict:
    """Find the period's duplicate candidates, and its continuations when the store holds the
    period before it; returns {"duplicates": n, "continuations": m}."""
    found = {"duplicates": len(find_duplicates(engine, period=period, embedder=embedder)),
             "continuations": 0}
    try:
        previous = previous_period(period)
    except PmmError:
        return found
    with engine.connect() as conn:
        has_previous = bool(store.action_ids_of_period(conn, previous))
    if has_previous:
        found["continuations"] = len(find_continuations(engine, period=period, previous=previous,
                                                        embedder=embedder))
    return found
