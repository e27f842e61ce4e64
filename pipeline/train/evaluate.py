"""Metrics on scored examples: ranking (top-k), assignment (F1), calibration (reliability, ECE).

All take plain arrays: `probs` (n, L) aligned to `labels`, `gold` a list of label-id sets.
"""

from __future__ import annotations

import numpy as np

RELIABILITY_BINS = 10


def topk_accuracy(probs: np.ndarray, gold, labels, k: int) -> float | None:
    """Share of examples with a gold label among the k best-scored labels."""
    if not len(gold):
        return None
    index = {label: i for i, label in enumerate(labels)}
    hits = 0
    for row, wanted in zip(probs, gold):
        best = set(np.argsort(-row, kind="stable")[:k])
        hits += any(index.get(label) in best for label in wanted)
    return hits / len(gold)


def top1_hits(probs: np.ndarray, gold, labels, *, primary: bool = False) -> np.ndarray:
    """Per example, 1 if the best-scored label is a gold label (`primary`: the first gold label,
    the one an analyst files the text under), else 0."""
    best = np.argmax(np.asarray(probs), axis=1)
    return np.array([float(labels[b] == wanted[0] if primary else labels[b] in set(wanted))
                     for b, wanted in zip(best, gold)])


def f1_scores(assigned, gold, labels) -> dict:
    """Macro-F1 (over labels that are gold or assigned somewhere), micro-F1, exact-match rate."""
    if not len(gold):
        return {"macro_f1": None, "micro_f1": None, "exact": None}
    tp = {label: 0 for label in labels}
    fp = dict(tp)
    fn = dict(tp)
    exact = 0
    for chosen, wanted in zip(assigned, gold):
        chosen, wanted = set(chosen), set(wanted)
        exact += chosen == wanted
        for label in chosen & wanted:
            tp[label] += 1
        for label in chosen - wanted:
            fp[label] = fp.get(label, 0) + 1
        for label in wanted - chosen:
            fn[label] = fn.get(label, 0) + 1
    f1s = []
    for label in tp:
        if tp[label] + fp[label] + fn[label] == 0:
            continue
        f1s.append(2 * tp[label] / (2 * tp[label] + fp[label] + fn[label]))
    total_tp, total_fp, total_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    micro = 2 * total_tp / max(2 * total_tp + total_fp + total_fn, 1)
    return {"macro_f1": float(np.mean(f1s)) if f1s else None, "micro_f1": micro, "exact": exact / len(gold)}


def reliability(probs: np.ndarray, targets: np.ndarray, *, bins: int = RELIABILITY_BINS,
                weights=None) -> dict:
    """Reliability table and expected calibration error of probabilities vs 0/1 outcomes.

    :returns: {"ece", "n", "bins": [{"lo", "hi", "n", "mean_prob", "freq"}]}
    """
    probs = np.asarray(probs, dtype=np.float64).ravel()
    targets = np.asarray(targets, dtype=np.float64).ravel()
    weights = np.ones_like(probs) if weights is None else np.asarray(weights, dtype=np.float64).ravel()
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(probs, edges[1:-1]), 0, bins - 1)
    table, ece, total = [], 0.0, weights.sum()
    for b in range(bins):
        mask = which == b
        w = weights[mask].sum()
        if w == 0:
            table.append({"lo": round(edges[b], 2), "hi": round(edges[b + 1], 2), "n": 0,
                          "mean_prob": None, "freq": None})
            continue
        mean_prob = float(np.average(probs[mask], weights=weights[mask]))
        freq = float(np.average(targets[mask], weights=weights[mask]))
        ece += w / total * abs(mean_prob - freq)
        table.append({"lo": round(edges[b], 2), "hi": round(edges[b + 1], 2), "n": int(mask.sum()),
                      "mean_prob": round(mean_prob, 4), "freq": round(freq, 4)})
    return {"ece": round(float(ece), 4) if total else None, "n": int(len(probs)), "bins": table}


def targets_matrix(gold, labels) -> np.ndarray:
    index = {label: i for i, label in enumerate(labels)}
    y = np.zeros((len(gold), len(labels)))
    for row, wanted in enumerate(gold):
        for label in wanted:
            if label in index:
                y[row, index[label]] = 1
    return y


def top_label_reliability(probs: np.ndarray, gold, labels, *, bins: int = RELIABILITY_BINS) -> dict:
    """Calibration of the best label's probability against whether it is right."""
    best = np.argmax(probs, axis=1)
    right = [labels[b] in set(wanted) for b, wanted in zip(best, gold)]
    return reliability(probs[np.arange(len(best)), best], np.asarray(right, dtype=float), bins=bins)


def summarize(probs: np.ndarray, assigned, gold, labels) -> dict:
    """Every metric the model card and the benchmark report, for one set of examples."""
    probs = np.asarray(probs)
    out = {"n": len(gold),
           "top1": topk_accuracy(probs, gold, labels, 1),
           "top1_primary": float(top1_hits(probs, gold, labels, primary=True).mean()) if len(gold) else None,
           "top3": topk_accuracy(probs, gold, labels, 3)}
    if len(gold):
        out["assigned_per_text"] = float(np.mean([len(a) for a in assigned]))
        # Texts with a second gold label: how often `assigned` holds one of them beyond the first.
        multi = [(set(a[1:]), set(g[1:])) for a, g in zip(assigned, gold) if len(g) > 1]
        if multi:
            out["second_label_recall"] = float(np.mean([bool(a & g) for a, g in multi]))
    out.update(f1_scores(assigned, gold, labels))
    if len(gold):
        out["ece"] = reliability(probs, targets_matrix(gold, labels))["ece"]
        out["top_label_ece"] = top_label_reliability(probs, gold, labels)["ece"]
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in out.items()}


def score_model(model, texts) -> tuple[np.ndarray, list]:
    """(probs (n, L) in `model.labels` order, assigned lists) as `model.predict` gives them."""
    results = model.predict(texts, evidence=False)
    index = {label: i for i, label in enumerate(model.labels)}
    probs = np.zeros((len(texts), len(model.labels)))
    for row, result in enumerate(results):
        for item in result["labels"]:
            probs[row, index[item["label"]]] = item["score"]
    return probs, [r["assigned"] for r in results]


def evaluate_model(model, texts, gold) -> dict:
    """Score `texts` with `model` (memory and thresholds included) and summarise against `gold`."""
    if not texts:
        return {"n": 0}
    probs, assigned = score_model(model, texts)
    return summarize(probs, assigned, gold, list(model.labels))
