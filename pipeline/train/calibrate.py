"""Calibration and assignment thresholds, both fitted on out-of-fold scores.

- The calibrator maps the ensemble's combined distribution to probabilities that mean what
  they say: temperature scaling of the softmax (GCM: one objective per text, mostly) or one
  Platt curve for every label (SDG, challenge: several labels per text are common).
- Thresholds decide `assigned`: the best label always (`min_assigned`), further labels when
  their probability reaches their own threshold, at most `max_assigned` (see
  `choose_thresholds`; the rule itself is `pipeline.classify.model.assigned_matrix`).
"""

from __future__ import annotations

import numpy as np

from ..classify.estimators import PlattCalibrator, TemperatureCalibrator
from .cv import bucket

MIN_CALIBRATION_EXAMPLES = 20
THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)
THRESHOLD_SHRINK = 10.0  # pseudo-examples pulling a label's threshold towards the global one
THRESHOLD_RANGE = (0.1, 0.85)


def _f_beta(extra, y, missed_rows, beta) -> float:
    """F-beta of the labels assigned beyond the forced ones against the gold labels not forced."""
    tp = (extra & y).sum()
    fp = (extra & ~y).sum()
    fn = (missed_rows & ~extra).sum()
    b2 = beta * beta
    return (1 + b2) * tp / max((1 + b2) * tp + b2 * fn + fp, 1)


def choose_thresholds(probs, targets, min_assigned=1, max_assigned=None, weights=None,
                      beta: float = 1.0, only_where_first_right: bool = False) -> tuple[np.ndarray, float]:
    """Thresholds for the labels assigned beyond the forced best `min_assigned`.

    Under the rule, label j is assigned to a text when it ranks within the first `min_assigned`
    (forced), or reaches its threshold while ranking within the first `max_assigned`. The forced
    labels do not depend on the thresholds, so the thresholds are judged on the others only: a
    global one maximises the F-beta of those extra labels against the gold labels that were not
    forced, then each label's own threshold maximises its F-beta and is shrunk towards the global
    one by THRESHOLD_SHRINK pseudo-examples. beta < 1 favours precision: an extra label only
    when the text clearly carries it.

    :param weights: per-example weights (rows with weight 0 are left out).
    :param only_where_first_right: judge on the texts whose forced labels are right only, so the
        thresholds answer "does this text carry another label too?" and not "is the runner-up
        the right label after all?" (a hedge that counts a text under two labels).
    """
    probs, targets = np.asarray(probs), np.asarray(targets).astype(bool)
    keep = np.ones(len(probs), bool) if weights is None else np.asarray(weights) > 0
    rank = np.argsort(np.argsort(-probs, axis=1, kind="stable"), axis=1, kind="stable")
    if only_where_first_right:
        keep &= (targets & (rank < min_assigned)).any(axis=1)
    probs, targets, rank = probs[keep], targets[keep], rank[keep]
    forced = rank < min_assigned
    candidate = ~forced & (rank < (max_assigned or probs.shape[1]))
    wanted = targets & ~forced  # gold labels the forced ones did not cover

    def score(t, columns=slice(None)):
        extra = candidate[:, columns] & (probs[:, columns] >= t)
        return _f_beta(extra, targets[:, columns], wanted[:, columns], beta)

    global_t = max(THRESHOLD_GRID, key=lambda t: (score(t), t))
    thresholds = np.full(probs.shape[1], float(global_t))
    for j in range(probs.shape[1]):
        positives = wanted[:, j].sum()
        if positives == 0:
            continue
        best = max(THRESHOLD_GRID, key=lambda t: (score(t, slice(j, j + 1)), -abs(t - global_t)))
        thresholds[j] = (positives * best + THRESHOLD_SHRINK * global_t) / (positives + THRESHOLD_SHRINK)
    return np.clip(thresholds, *THRESHOLD_RANGE), float(global_t)


def calibration_weights(examples, labelled, method="temperature", real_kinds=("seed", "decision")):
    """Weights of the examples the calibrator is fitted on, and what they are.

    Temperature: texts written like submissions (`real_kinds`) and label texts each carry half
    the weight: pmm scores both program descriptions like the first and commitment-like texts
    like the second, and label texts would otherwise decide the curve alone. Platt: the real
    texts alone when there are enough.
    """
    real = np.array([e.kind in real_kinds for e in examples]) & labelled
    label_texts = labelled & ~real
    weights = np.zeros(len(examples))
    if method == "platt" and real.sum() >= MIN_CALIBRATION_EXAMPLES:
        weights[real] = 1.0 / real.sum()
        return weights, "action-like texts"
    if method == "temperature" and real.sum() >= MIN_CALIBRATION_EXAMPLES and label_texts.any():
        weights[real] = 0.5 / real.sum()
        weights[label_texts] = 0.5 / label_texts.sum()
        return weights, "action-like texts and label texts, half the weight each"
    weights[labelled] = 1.0 / max(labelled.sum(), 1)
    return weights, "every labelled example, equally weighted"


def fit_calibrator(method, probs, targets, weights):
    if method == "temperature":
        return TemperatureCalibrator().fit(probs, targets, sample_weight=weights)
    rows = weights > 0
    return PlattCalibrator().fit(probs[rows], targets[rows])


def cross_fitted(method, probs, targets, weights, groups) -> np.ndarray:
    """Calibrated probabilities where each half is calibrated by a curve fitted on the other."""
    half = np.array([bucket(g, 2) for g in groups])
    out = np.zeros_like(probs)
    for h in (0, 1):
        fit_rows, apply_rows = (half != h) & (weights > 0), half == h
        if not apply_rows.any():
            continue
        if not fit_rows.any():
            fit_rows = apply_rows
        calibrator = fit_calibrator(method, probs[fit_rows], targets[fit_rows], weights[fit_rows])
        out[apply_rows] = calibrator.transform(probs[apply_rows])
    return out
