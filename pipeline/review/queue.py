"""The review queue: which actions most need a human, least certain first.

Analysts' time is the scarcest resource, so the queue orders the stored predictions by how unsure
the model is. Three strategies:

- ``lowest``: the lowest top score first (the model's best guess is weak);
- ``margin``: the smallest gap between the two best scores first (two labels compete);
- ``disagreement``: the model variants disagree most: first on the top label, then on the
  largest score gap on any label. The variants are those of a loaded model (its base
  estimators, e.g. e5 and USE; pass ``model=``), else the model versions that scored the action;
- ``document`` (GCM): the model's best label is not among the objectives the submission itself
  states first (the agency and the model disagree), then the lowest top score.

An (action, scheme) pair with a human decision in force never comes back unless
``include_decided=True``: a decision is final until a human changes it. Whatever the strategy,
new programmes come before continuing ones, whose labels are proposed from last year's decision
(``carried``, see `continuing`) and can be accepted in bulk.
"""

from itertools import combinations

from ..errors import PmmError
from ..store import queries as q

STRATEGIES = ("lowest", "margin", "disagreement", "document")
DEFAULT_STRATEGY = "lowest"
# How many suggestions each queue item carries: enough for digits 1-9 on the review page.
DEFAULT_TOP_K = 9


def review_queue(conn, *, scheme: str, strategy: str = DEFAULT_STRATEGY, actor=None, limit=None,
                 include_decided: bool = False, variants=None, model=None, exclude=(),
                 action_ids=None, top_k: int = DEFAULT_TOP_K) -> list[dict]:
    """The actions whose `scheme` labels most need a human, most urgent first.

    :param strategy: one of STRATEGIES.
    :param actor: keep only actions of this actor id.
    :param limit: at most this many items (None: all).
    :param include_decided: also list actions that already carry a human decision.
    :param variants: model versions compared by ``disagreement`` (default: every version that
        scored the action); ignored when `model` is given.
    :param model: a loaded classifier with ``labels`` and ``variant_scores(texts)``: its variants
        are compared by ``disagreement``.
    :param exclude: action ids to leave out (skipped or handed to another reviewer).
    :param action_ids: consider only these actions.
    :param top_k: suggestions kept per item.
    :returns: dicts with action fields, ``suggestions`` (best first), ``assigned``, ``evidence``,
        ``model_version``, ``top_score``, ``margin``, ``disagreement``, ``decided``.
    """
    if strategy not in STRATEGIES:
        raise PmmError(f"unknown queue strategy {strategy!r}; use one of {', '.join(STRATEGIES)}")
    if limit is not None and limit < 0:
        raise PmmError(f"--limit must be 0 or more, got {limit}")
    # Here, not at the top: `pmm review` imports this module for STRATEGIES, and the second-year
    # modules bring numpy and the extraction package, which `pmm --help` must not load.
    from .continuing import carried_proposals
    from .duplicates import merged_into

    candidate_ids = q.scored_action_ids(conn, scheme=scheme, actor=actor, action_ids=action_ids)
    excluded = {int(i) for i in exclude}
    decided = {action_id for action_id, _ in q.current_decisions(conn, scheme=scheme,
                                                                 action_ids=candidate_ids)}
    # An action a person confirmed as a repeat of another is counted as that one: no labels of its own.
    repeats = set(merged_into(conn))
    candidate_ids = [i for i in candidate_ids if i not in excluded
                     and (include_decided or (i not in decided and i not in repeats))]
    if not candidate_ids:
        return []
    latest = q.latest_predictions(conn, scheme=scheme, action_ids=candidate_ids)
    by_variant = {}
    if strategy == "disagreement":
        by_variant = (_scores_by_model_variant(conn, model, candidate_ids) if model is not None else
                      q.scores_by_model_version(conn, scheme=scheme, action_ids=candidate_ids,
                                                versions=variants))
    stated = q.stated_objectives(conn, action_ids=candidate_ids) if strategy == "document" else {}
    items = []
    for action_id in candidate_ids:
        pred = latest.get(action_id)
        if pred is None or not pred["labels"]:
            continue
        labels = pred["labels"]
        top = labels[0]["score"]
        second = labels[1]["score"] if len(labels) > 1 else 0.0
        items.append({
            "action_id": action_id,
            "model_version": pred["model_version"],
            "suggestions": labels[:top_k],
            "assigned": pred["assigned"],
            "evidence": pred["evidence"],
            "top_score": top,
            "margin": top - second,
            "disagreement": disagreement(by_variant.get(action_id, {})),
            "contradicts_document": (action_id in stated
                                     and labels[0]["label"] not in {str(o) for o in stated[action_id]}),
            "decided": action_id in decided,
        })
    carried = carried_proposals(conn, scheme=scheme, action_ids=[i["action_id"] for i in items],
                                include_decided=True, repeats=repeats)
    for item in items:
        item["carried"] = carried.get(item["action_id"])
    items.sort(key=_priority(strategy))
    # New programmes first: a continuing one has last year's labels proposed, confirmed in bulk.
    items.sort(key=lambda item: item["carried"] is not None)
    if limit is not None:
        items = items[:limit]
    details = {a["id"]: a for a in q.load_actions(conn, ids=[i["action_id"] for i in items])}
    for item in items:
        action = details[item["action_id"]]
        item.update(external_id=action["external_id"], text=action["text"],
                    text_sha256=action["text_sha256"], actor=action["actor"],
                    actor_type=action["actor_type"], pages=action["pages"], bbox=action["bbox"],
                    heading=action["heading"], stated_objectives=action["stated_objectives"],
                    file_name=action["file_name"], period=action["period"])
    return items


def queue_progress(conn, *, scheme: str, actor=None) -> dict:
    """How far review has got: {"decided": n, "total": m} over the actions scored in `scheme`."""
    scored = q.scored_action_ids(conn, scheme=scheme, actor=actor)
    decided = q.current_decisions(conn, scheme=scheme, action_ids=scored)
    return {"decided": len(decided), "total": len(scored)}


def current_model(scheme: str, models_dir=None):
    """The scheme's current model, whose variants the disagreement order compares; None when
    none is trained yet (then the stored model versions are compared)."""
    from ..classify import MODELS_DIR, load_model

    try:
        return load_model(scheme, models_dir=models_dir or MODELS_DIR)
    except PmmError:
        return None


def disagreement(scores_by_variant: dict) -> float:
    """How much model variants disagree on one action, in [0, 2).

    The integer part is the share of variant pairs whose top label differs; the fraction is the
    largest score gap on any label (scaled below 1), so a split on the top label always ranks
    above agreeing variants with different confidence. One variant alone: 0.
    """
    variants = list(scores_by_variant.values())
    if len(variants) < 2:
        return 0.0
    # Each variant's top label once, not once per pair: the queue scores every action per request.
    pairs = list(combinations([_top(v) for v in variants], 2))
    split = sum(a != b for a, b in pairs) / len(pairs)
    # The largest gap between two variants on a label is that label's highest score less its lowest.
    gaps = (max(scores) - min(scores)
            for scores in ([v.get(label, 0.0) for v in variants]
                           for label in set().union(*variants)))
    return split + 0.999 * min(max(gaps, default=0.0), 1.0)


def _top(scores: dict) -> str:
    return max(scores, key=lambda label: (scores[label], label)) if scores else ""


def _priority(strategy):
    # Ties fall back to action id so the order is stable across calls (and reviewers).
    if strategy == "lowest":
        return lambda item: (item["top_score"], item["action_id"])
    if strategy == "margin":
        return lambda item: (item["margin"], item["top_score"], item["action_id"])
    if strategy == "document":
        return lambda item: (not item["contradicts_document"], item["top_score"], item["action_id"])
    return lambda item: (-item["disagreement"], item["top_score"], item["action_id"])


def _scores_by_model_variant(conn, model, action_ids) -> dict[int, dict[str, dict]]:
    """{action_id: {variant name: {label: score}}} from the model's own variants."""
    stored = q.load_actions(conn, ids=action_ids)
    if not stored:
        return {}
    scores = model.variant_scores([a["text"] for a in stored])
    labels = [str(label) for label in model.labels]
    return {a["id"]: {name: dict(zip(labels, map(float, matrix[row])))
                      for name, matrix in scores.items()}
            for row, a in enumerate(stored)}

