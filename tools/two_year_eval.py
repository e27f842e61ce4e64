"""Score pmm's second-year machinery on the two-year fixture (tools/make_two_year_fixture.py).

Shared by `benchmarks/bench_second_year.py` and the tests: ingest the fixture's PDFs, record the
2022 labels as an analyst's decisions, find duplicates and continuing programmes, and compare what
pmm found (and what the comparison report counts) with the fixture's truth.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from pipeline.review.continuing import accept_carried, carried_proposals, find_continuations
from pipeline.review.duplicates import find_duplicates, resolve_duplicate
from pipeline.store import periods as store_periods
from pipeline.store import queries as q
from tools.make_two_year_fixture import DEFAULT_OUT, ingest_fixture, load_truth

PREVIOUS, CURRENT = "2022", "2023"
ANALYST_2022 = "Informe Ejecutivo 2022"


def prepare(engine, fixture_dir: Path = DEFAULT_OUT, *, embedder: str = "e5") -> dict:
    """Ingest (periods read from the documents), decide 2022 as the Informe did, then find
    duplicates in both periods and 2023's continuations. Returns what the scoring needs."""
    truth = {a["key"]: a for a in load_truth(fixture_dir)["actions"]}
    mapping = ingest_fixture(engine, fixture_dir)
    ids = {key: action_id for action_id, key in mapping.items()}
    with engine.begin() as conn:
        for key, action_id in ids.items():
            if truth[key]["period"] == PREVIOUS:
                q.record_decision(conn, action_id=action_id, scheme="gcm", source="cli",
                                  labels=[str(o) for o in truth[key]["objectives"]], reviewer=ANALYST_2022)
    pairs = {period: find_duplicates(engine, period=period, embedder=embedder) for period in (PREVIOUS, CURRENT)}
    links = find_continuations(engine, period=CURRENT, embedder=embedder)
    with engine.connect() as conn:
        periods = store_periods.period_of_actions(conn, mapping)
    return {"truth": truth, "mapping": mapping, "ids": ids, "pairs": pairs, "links": links,
            "periods": periods}


def precision_recall(found: set, expected: set) -> dict:
    hits = len(found & expected)
    return {"found": len(found), "expected": len(expected), "correct": hits,
            "precision": hits / len(found) if found else 1.0,
            "recall": hits / len(expected) if expected else 1.0}


def score_periods(state: dict) -> dict:
    """Stored periods (read from the documents' dates) against the truth."""
    right = sum(state["periods"][i] == state["truth"][key]["period"] for i, key in state["mapping"].items())
    return {"actions": len(state["mapping"]), "right": right, "truth_actions": len(state["truth"])}


def score_duplicates(state: dict) -> dict:
    ids, truth = state["ids"], state["truth"]
    expected = {tuple(sorted((ids[key], ids[a["duplicate_of"]]))) for key, a in truth.items()
                if a["duplicate_of"] and key in ids and a["duplicate_of"] in ids}
    found = {(p["action_id"], p["other_id"]) for pairs in state["pairs"].values() for p in pairs}
    return precision_recall(found, expected)


def score_continuations(state: dict) -> dict:
    """A link is right when it points to one of the 2022 actions the truth says it continues."""
    ids, truth, mapping = state["ids"], state["truth"], state["mapping"]
    found = {(link["action_id"], link["previous_id"]) for link in state["links"]}
    allowed = {(ids[key], ids[p]) for key, a in truth.items() if key in ids for p in a["continues"] if p in ids}
    wanted = {ids[key] for key, a in truth.items() if key in ids and a["continues"]}
    correct = {pair for pair in found if pair in allowed}
    result = precision_recall(found, allowed)
    result.update(expected=len(wanted), recall=len({a for a, _ in correct}) / len(wanted) if wanted else 1.0)
    result["wrong"] = sorted((mapping[a], mapping[p]) for a, p in found - allowed)
    return result


def resolve_as_truth(engine, state: dict, reviewer: str = "Revisora") -> int:
    """A person resolves every candidate pair as the truth says; returns how many pairs."""
    ids, truth, mapping = state["ids"], state["truth"], state["mapping"]
    same = {tuple(sorted((ids[k], ids[a["duplicate_of"]]))) for k, a in truth.items()
            if a["duplicate_of"] and k in ids and a["duplicate_of"] in ids}
    count = 0
    with engine.begin() as conn:
        for pairs in state["pairs"].values():
            for pair in pairs:
                key = (pair["action_id"], pair["other_id"])
                resolve_duplicate(conn, action_id=key[0], other_id=key[1], reviewer=reviewer,
                                  verdict="same" if key in same else "different", source="cli")
                count += 1
    return count


def review_year_two(engine, state: dict, reviewer: str = "Revisora") -> dict:
    """What the year-two review takes: carried-forward confirmations accepted in one bulk step,
    the new programmes decided one by one (as the truth labels them), duplicate pairs resolved."""
    ids, truth = state["ids"], state["truth"]
    current = [i for key, i in ids.items() if truth[key]["period"] == CURRENT]
    pairs = resolve_as_truth(engine, state, reviewer)
    from pipeline.review.duplicates import merged_into

    with engine.begin() as conn:
        repeats = set(merged_into(conn))
        proposals = carried_proposals(conn, scheme="gcm", action_ids=current)
        accepted = accept_carried(conn, scheme="gcm", reviewer=reviewer, period=CURRENT)
        one_by_one = [i for i in current if i not in proposals and i not in repeats]
        for action_id in one_by_one:
            q.record_decision(conn, action_id=action_id, scheme="gcm", reviewer=reviewer, source="cli",
                              labels=[str(o) for o in truth[state["mapping"][action_id]]["objectives"]])
    return {"actions": len(current), "carried_confirmations": len(accepted), "bulk_steps": 1 if accepted else 0,
            "reviewed_one_by_one": len(one_by_one), "duplicate_pairs": pairs,
            "repeats_needing_no_labels": len([i for i in current if i in repeats])}


def expected_comparison(state: dict) -> dict:
    """The comparison's counts as the truth makes them, once every repeat is merged into the
    lowest id of its pair: per objective per period, and new / continuing / ended per actor."""
    ids, truth = state["ids"], state["truth"]
    kept = {}
    for key, a in truth.items():
        if a["duplicate_of"] and key in ids and a["duplicate_of"] in ids:
            low = min(ids[key], ids[a["duplicate_of"]])
            kept[key] = kept[a["duplicate_of"]] = low
    counted = {key: a for key, a in truth.items() if key in ids and kept.get(key, ids[key]) == ids[key]}
    objectives = {PREVIOUS: Counter(), CURRENT: Counter()}
    for a in counted.values():
        for o in a["objectives"]:
            objectives[a["period"]][str(o)] += 1
    actors = defaultdict(Counter)
    continued = set()
    for key, a in counted.items():
        if a["period"] != CURRENT:
            continue
        if a["continues"]:
            actors[a["actor"]]["continuing"] += 1
            continued.update(kept.get(p, ids.get(p)) for p in a["continues"])
        else:
            actors[a["actor"]]["new"] += 1
    for key, a in counted.items():
        if a["period"] == PREVIOUS and ids[key] not in continued:
            actors[a["actor"]]["ended"] += 1
    return {"objectives": objectives, "actors": actors}


def compare_with_truth(tables: dict, expected: dict) -> list[str]:
    """The differences between the comparison's tables and the truth (empty: they match)."""
    problems = []
    for row in tables["compare_objectives"].itertuples(index=False):
        for column, period in (("previous", PREVIOUS), ("current", CURRENT)):
            want = expected["objectives"][period].get(str(row.objective), 0)
            if int(getattr(row, column)) != want:
                problems.append(f"objective {row.objective} {period}: {getattr(row, column)} != {want}")
    got_actors = {row.actor: row for row in tables["compare_actors"].itertuples(index=False)}
    for actor in set(got_actors) | set(expected["actors"]):
        for column in ("new", "continuing", "ended"):
            got = int(getattr(got_actors[actor], column)) if actor in got_actors else 0
            want = expected["actors"][actor][column] if actor in expected["actors"] else 0
            if got != want:
                problems.append(f"{actor} {column}: {got} != {want}")
    return problems


def margins(engine, state: dict, *, embedder: str = "e5") -> dict:
    """How far apart the truth's pairs and the hardest other pairs are, by word-triple overlap
    and cosine: the closest pair that is not a duplicate (same period) or not a continuation
    (same actor, consecutive periods), against the least alike true pair."""
    from pipeline.review import similarity as sim

    ids, truth, mapping = state["ids"], state["truth"], state["mapping"]
    with engine.connect() as conn:
        rows = {r["id"]: r for r in q.load_actions(conn, ids=list(mapping))}
    order = sorted(rows)
    vectors = dict(zip(order, sim.embeddings([rows[i]["text"] for i in order], embedder)))
    feats = {i: sim.features(rows[i]["text"]) for i in order}
    dup_true = {tuple(sorted((ids[k], ids[a["duplicate_of"]]))) for k, a in truth.items()
                if a["duplicate_of"] and k in ids and a["duplicate_of"] in ids}
    cont_true = {(ids[k], ids[p]) for k, a in truth.items() if k in ids for p in a["continues"] if p in ids}
    stats = {"duplicates": {"true": [], "other": []}, "continuations": {"true": [], "other": []}}
    for x in order:
        for y in order:
            if x >= y and mapping[x].split(":")[0] == mapping[y].split(":")[0]:
                continue
            px, py = mapping[x].split(":")[0], mapping[y].split(":")[0]
            pair = (sim.overlap(feats[x].shingles, feats[y].shingles), float(vectors[x] @ vectors[y]))
            if px == py:
                stats["duplicates"]["true" if (x, y) in dup_true else "other"].append(pair)
            elif px == CURRENT and py == PREVIOUS and rows[x]["actor"] == rows[y]["actor"]:
                stats["continuations"]["true" if (x, y) in cont_true else "other"].append(pair)
    out = {}
    for kind, groups in stats.items():
        out[kind] = {"true_min_overlap": min(o for o, _ in groups["true"]),
                     "true_min_cosine": min(c for _, c in groups["true"]),
                     "other_max_overlap": max(o for o, _ in groups["other"]),
                     "other_max_cosine": max(c for _, c in groups["other"])}
    return out
