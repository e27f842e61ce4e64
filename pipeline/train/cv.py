"""Cross-validation: feature matrices computed once, grouped folds, out-of-fold distributions.

Folds are drawn by sha256 of an example's `group` (and a fold seed), so the texts of one group
(an SDG target's translations, the curriculum texts paraphrasing one GCM action) are always
tested together, by a model that has seen none of them.
"""

from __future__ import annotations

import hashlib

import numpy as np

from ..classify.embed import embed_texts, get_embedder
from ..classify.ensemble import Ensemble
from ..classify.features import SPARSE_FEATURES
from ..errors import PmmError

FOLDS = 5


class Matrices:
    """Feature matrices of one list of texts, computed once and sliced per fold.

    :param vectorizers: fitted sparse featurizers to use, {source: CharTfidf / WordTfidf}; a
        sparse source without one is fitted on `fit_texts` (default: all `texts`; pass the
        training texts alone when some texts are held out).
    """

    def __init__(self, texts, sources, *, vectorizers=None, fit_texts=None):
        self.by_source = {}
        self.vectorizers = {}
        for source in sources:
            if source in SPARSE_FEATURES:
                vectorizer = (vectorizers or {}).get(source) or SPARSE_FEATURES[source].fit(
                    texts if fit_texts is None else fit_texts)
                self.vectorizers[source] = vectorizer
                self.by_source[source] = vectorizer.transform(texts)
            else:
                self.by_source[source] = embed_texts(texts, get_embedder(source))

    def rows(self, index) -> dict:
        return {s: m[index] for s, m in self.by_source.items()}


def expanded(examples, mask, *, primary_share=None):
    """Rows for the estimators: one per (example, label), the example's weight split over its
    labels (evenly, or `primary_share` to the first label and the rest evenly to the others)."""
    index, targets, weights = [], [], []
    for i, example in enumerate(examples):
        if not mask[i] or not example.labels:
            continue
        n = len(example.labels)
        for k, label in enumerate(example.labels):
            if primary_share is None or n == 1:
                share = 1.0 / n
            else:
                share = primary_share if k == 0 else (1.0 - primary_share) / (n - 1)
            index.append(i)
            targets.append(label)
            weights.append(example.weight * share)
    return np.asarray(index, dtype=int), np.asarray(targets), np.asarray(weights)


def fit_ensemble(variants, labels, mats: Matrices, examples, mask, *, primary_share=None) -> Ensemble:
    index, targets, weights = expanded(examples, mask, primary_share=primary_share)
    if not len(index):
        raise PmmError("no labelled example to train on")
    return Ensemble(variants=tuple(variants), labels=tuple(labels)).fit(
        mats.rows(index), targets, sample_weight=weights)


def bucket(key: str, buckets: int) -> int:
    """A fixed bucket 0..buckets-1 of a stable key (sha256, not Python's salted hash): the same
    on every machine and run, so folds, halves and the held-out split never move."""
    return int(hashlib.sha256(key.encode("utf-8")).hexdigest(), 16) % buckets


def fold_of(example, folds: int, seed: int) -> int:
    return bucket(f"{seed}:{example.group}", folds)


def out_of_fold(examples, labels, variants, mats: Matrices, *, folds=FOLDS, seed=0,
                always_train=None, primary_share=None) -> dict[str, np.ndarray]:
    """Each variant's out-of-fold distributions (n, L) for `examples` (grouped folds).

    :param always_train: boolean mask of examples in every training fold (never scored; their
        rows keep a uniform distribution).
    """
    n = len(examples)
    always_train = np.zeros(n, bool) if always_train is None else np.asarray(always_train)
    fold = np.array([fold_of(e, folds, seed) for e in examples])
    out = {spec.name: np.full((n, len(labels)), 1.0 / len(labels)) for spec in variants}
    for f in range(folds):
        test = (fold == f) & ~always_train
        if not test.any():
            continue
        ensemble = fit_ensemble(variants, labels, mats, examples, ~test, primary_share=primary_share)
        for name, probs in ensemble.variant_proba(mats.rows(np.flatnonzero(test))).items():
            out[name][test] = probs
    return out


def combined(variants, labels, variant_probs) -> np.ndarray:
    """The ensemble's combination of per-variant distributions (no fitted state needed)."""
    return Ensemble(variants=tuple(variants), labels=tuple(labels)).combine(variant_probs)
