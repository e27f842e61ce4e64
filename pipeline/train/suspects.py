"""Suspect labels: seed or human labels that a cross-validated model confidently contradicts.

Confident learning, as cleanlab does it (Northcutt et al., 2021): out-of-fold probabilities for
every labelled example; per class a threshold, the mean probability the model gives that class
on the examples labelled with it (its self-confidence); an example is suspect when its given
label's probability is below that label's threshold while another class is above its own. The
examples whose given label is furthest below its class's threshold come first. A suspect is
only a request for a second look: nothing is changed.

It lives with training because it needs training's cross-validation; the CLI calls it.
cleanlab's find_label_issues was measured against it on planted errors in the seed corpus and
found fewer of them, ranked lower (benchmarks/results/suspects.json), so pmm keeps its own.
"""

from dataclasses import dataclass

import numpy as np

from ..errors import PmmError
from ..schemes import GCM, SDG
from ..store import queries as q
from ..taxonomy import load_scheme
from ..text import text_hash

DEFAULT_FOLDS = 5


@dataclass(frozen=True)
class Issue:
    index: int
    suggested: str
    given_prob: float
    suggested_prob: float
    given_threshold: float
    suggested_threshold: float

    @property
    def self_confidence(self) -> float:
        """The given label's probability relative to its class's threshold: the lower, the more
        suspect. (On the seed corpus this ranks planted wrong labels first better than the raw
        probability or the margin: classes differ a lot in how sure the model is of them.)"""
        return self.given_prob / self.given_threshold if self.given_threshold > 0 else 0.0


def per_class_thresholds(probs, given, classes) -> np.ndarray:
    """Mean out-of-fold probability of each class over the examples labelled with it
    (NaN for a class no example carries: it can then not be suggested)."""
    probs = np.asarray(probs, dtype=float)
    thresholds = np.full(len(classes), np.nan)
    for k, label in enumerate(classes):
        rows = [i for i, labels in enumerate(given) if label in labels]
        if rows:
            thresholds[k] = probs[rows, k].mean()
    return thresholds


def label_issues(probs, given, classes) -> list[Issue]:
    """The examples whose given labels the probabilities confidently contradict, most suspect first.

    :param probs: (n examples, n classes) out-of-fold probabilities, columns in `classes` order.
    :param given: per example, the set of labels it was given.
    """
    probs = np.asarray(probs, dtype=float)
    if probs.shape != (len(given), len(classes)):
        raise PmmError(f"probabilities have shape {probs.shape}, expected ({len(given)}, {len(classes)})")
    column = {label: k for k, label in enumerate(classes)}
    thresholds = per_class_thresholds(probs, given, classes)
    issues = []
    for i, labels in enumerate(given):
        ks = [column[l] for l in labels if l in column]
        if not ks:
            continue
        # Every given label must fall below its own class's self-confidence...
        if any(probs[i, k] >= thresholds[k] for k in ks):
            continue
        # ...and some other class must clear its own threshold: the most probable such class.
        above = [k for k in range(len(classes)) if k not in ks and not np.isnan(thresholds[k])
                 and probs[i, k] >= thresholds[k]]
        if not above:
            continue
        best = max(above, key=lambda k: probs[i, k])
        given_k = max(ks, key=lambda k: probs[i, k])
        issues.append(Issue(i, classes[best], float(probs[i, given_k]), float(probs[i, best]),
                            float(thresholds[given_k]), float(thresholds[best])))
    issues.sort(key=lambda issue: (issue.self_confidence, -issue.suggested_prob, issue.index))
    return issues


def labelled_examples(engine, *, scheme: str, include_seed: bool = True) -> list[dict]:
    """The examples whose labels are checked: the seed corpus (GCM only) and the human decisions
    in force. A text both in the seed and decided by a human counts once, with the decision."""
    examples = {}
    if include_seed and scheme == GCM:
        from ..corpus import load_seed

        for row in load_seed():
            examples[text_hash(row["text"])] = {
                "source": "seed", "id": row["id"], "action_id": None, "text": row["text"],
                "given": [str(o) for o in row["objectives"]], "reviewer": None}
    with engine.connect() as conn:
        decided = q.current_decisions(conn, scheme=scheme)
        texts = {a["id"]: a for a in q.load_actions(conn, ids=[k[0] for k in decided])} if decided else {}
    for (action_id, _), decision in decided.items():
        if not decision["labels"]:
            continue  # "no label applies" says nothing about which class the text belongs to
        action = texts[action_id]
        examples[text_hash(action["text"])] = {
            "source": "human", "id": action["external_id"] or str(action_id), "action_id": action_id,
            "text": action["text"], "given": list(decision["labels"]), "reviewer": decision["reviewer"]}
    return list(examples.values())


def find_suspects(engine, *, scheme: str = GCM, folds: int = DEFAULT_FOLDS, cross_val=None,
                  include_seed: bool = True) -> list[dict]:
    """Labelled examples (seed + human decisions) whose labels look wrong, most suspect first.

    :param cross_val: callable(texts, labels, scheme, folds=) -> (n, L) out-of-fold
        probabilities, columns in the taxonomy's label order; default: the training code's own
        cross-validation (`pipeline.train.cross_val_probabilities`, same features and estimators
        as `pmm train`).
    :returns: dicts with source ("seed"/"human"), id, action_id, text, given, given_prob,
        suggested, suggested_prob, and the two class thresholds.
    """
    examples = labelled_examples(engine, scheme=scheme, include_seed=include_seed)
    if scheme == SDG:  # targets ("10.7") are checked as their goals ("10")
        for example in examples:
            example["given"] = sorted({label.split(".")[0] for label in example["given"]}, key=q.label_order)
    if not examples:
        return []
    given = [set(e["given"]) for e in examples]
    if cross_val is None:
        from .fit import cross_val_probabilities as cross_val
    classes = [str(label) for label in load_scheme(scheme).ids]
    probs = np.asarray(cross_val([e["text"] for e in examples], [list(e["given"]) for e in examples],
                                 scheme, folds=max(2, min(folds, len(examples)))), dtype=float)
    found = []
    for issue in label_issues(probs, given, classes):
        example = examples[issue.index]
        found.append({**example, "given_prob": issue.given_prob, "suggested": issue.suggested,
                      "suggested_prob": issue.suggested_prob,
                      "given_threshold": issue.given_threshold,
                      "suggested_threshold": issue.suggested_threshold})
    return found
