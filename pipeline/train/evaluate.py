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
           "top3": topk_accuracy(probs, gold, labels, 3)}
    out.update(f1_scores(assigned, gold, labels))
    if len(gold):
        out["ece"] = reliability(probs, targets_matrix(gold, labels))["ece"]
        out["top_label_ece"] = top_label_reliability(probs, gold, labels)["ece"]
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in out.items()}


def evaluate_model(model, texts, gold) -> dict:
    """Score `texts` with `model` (memory and thresholds included) and summarise against `gold`."""
    if not texts:
        return {"n": 0}
    results = model.predict(texts, evidence=False)
    labels = list(model.labels)
    index = {label: i for i, label in enumerate(labels)}
    probs = np.zeros((len(texts), len(labels)))
    for row, result in enumerate(results):
        for item in result["labels"]:
            probs[row, index[item["label"]]] = item["score"]
    return summarize(probs, [r["assigned"] for r in results], gold, labels)
