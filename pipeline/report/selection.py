"""Which actions the draft Informe proposes as an objective's main actions (its section IV).

The rule, stated in the document itself (i18n "informe_selection_rule"):

1. how many: 2 to 5, growing with the objective's actions (one per 8), never more than it has;
2. first the actions an analyst marked destacada (`pmm review highlight`), oldest mark first;
3. then by representativeness: cosine similarity of the action's embedding to the mean of the
   objective's actions, plus a bonus for a label a person reviewed and for reported results;
4. an actor is not repeated while another actor's action remains, and when the objective has
   federal and state actions, both levels are proposed.

A person confirms or replaces each proposal in the draft; nothing here is a decision.
"""

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

MIN_PROPOSED = 2
MAX_PROPOSED = 5
ACTIONS_PER_PROPOSAL = 8
HUMAN_BONUS = 0.15
RESULTS_BONUS = 0.10
DEFAULT_EMBEDDER = "use"  # multilingual USE: ~10x faster than e5 and cached with it after classify


@dataclass(frozen=True)
class Proposal:
    action_id: int
    reasons: tuple[str, ...]  # "highlighted", "human", "results", "central"


def proposal_count(n_actions: int) -> int:
    return min(n_actions, max(MIN_PROPOSED, min(MAX_PROPOSED, math.ceil(n_actions / ACTIONS_PER_PROPOSAL))))


def propose_main_actions(frame: pd.DataFrame, objectives, *, embed=None) -> dict[str, list[Proposal]]:
    """Per objective with actions, the proposed main actions in the order the draft shows them.

    :param frame: the report's per-action frame (`frame.load_report_actions`).
    :param objectives: the objective ids, in order.
    :param embed: texts -> (n, dim) L2-normalised vectors; default: pmm's cached USE embeddings.
    """
    if frame.empty:
        return {}
    wanted = set(objectives)
    under = {objective: frame[frame["gcm"].map(lambda labels, o=objective: o in labels)]
             for objective in objectives}
    # Only the actions some objective proposes from need a vector: embedding is the costly part.
    needed = frame[frame["gcm"].map(lambda labels: bool(wanted & set(labels)))]
    if needed.empty:
        return {}
    embed = embed or _default_embed
    vectors = dict(zip(needed["action_id"].astype(int), embed(list(needed["text"]))))
    return {objective: _propose(rows, vectors) for objective, rows in under.items() if len(rows)}


def _propose(rows: pd.DataFrame, vectors: dict) -> list[Proposal]:
    wanted = proposal_count(len(rows))
    ids = [int(i) for i in rows["action_id"]]
    matrix = np.stack([vectors[i] for i in ids])
    centroid = matrix.mean(axis=0)
    norm = np.linalg.norm(centroid)
    centrality = matrix @ (centroid / norm) if norm > 0 else np.zeros(len(ids))
    info = {i: row for i, row in zip(ids, rows.itertuples(index=False))}
    human = {i: info[i].gcm_source == "human" for i in ids}
    results = {i: isinstance(info[i].results_text, str) and bool(info[i].results_text.strip()) for i in ids}
    score = {i: float(c) + HUMAN_BONUS * human[i] + RESULTS_BONUS * results[i] for i, c in zip(ids, centrality)}

    chosen = [i for i in ids if info[i].highlighted][:MAX_PROPOSED]
    ranked = sorted((i for i in ids if i not in chosen), key=lambda i: (-score[i], i))
    while len(chosen) < wanted and ranked:
        actors = {info[i].actor for i in chosen}
        pick = next((i for i in ranked if info[i].actor not in actors), ranked[0])
        ranked.remove(pick)
        chosen.append(pick)
    chosen = _both_levels(chosen, ranked, info)

    def reasons(i):
        found = [name for name, flag in (("highlighted", info[i].highlighted), ("human", human[i]),
                                         ("results", results[i])) if flag]
        return tuple(found + ["central"]) if not info[i].highlighted else tuple(found)
    return [Proposal(i, reasons(i)) for i in chosen]


def _both_levels(chosen: list[int], ranked: list[int], info: dict) -> list[int]:
    """Swap the weakest unhighlighted pick for the best action of a level no pick has."""
    levels = {info[i].level for i in chosen}
    for level in ("federal", "state"):
        if level in levels:
            continue
        candidate = next((i for i in ranked if info[i].level == level), None)
        replaceable = [i for i in chosen if not info[i].highlighted
                       and sum(info[j].level == info[i].level for j in chosen) > 1]
        if candidate is not None and replaceable:
            chosen[chosen.index(replaceable[-1])] = candidate
            levels = {info[i].level for i in chosen}
    return chosen


def _default_embed(texts):
    from ..classify.embed import embed_texts

    return embed_texts(texts, DEFAULT_EMBEDDER)
