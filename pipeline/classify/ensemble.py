"""The ensemble a classifier is made of: several variants, each an estimator on one feature
source, whose distributions over the labels are combined by a weighted geometric mean.

It follows scikit-learn's estimator contract where it can (`__init__` stores parameters, `fit`
returns self, learned state ends in `_`, `get_params` / `set_params` / `clone` work), with one
difference: X is a dict {source name: feature matrix}, because the variants read different
features (e5 and USE embeddings, character and word TF-IDF) of the same texts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sklearn.base import BaseEstimator

from .estimators import LinearSoftmaxClassifier, NearestExamplesClassifier, PrototypeClassifier

ESTIMATORS = {"lr": LinearSoftmaxClassifier, "proto": PrototypeClassifier, "knn": NearestExamplesClassifier}
SOURCES = ("e5", "use", "tfidf", "words")
_EPS = 1e-9


@dataclass(frozen=True)
class VariantSpec:
    """One base model: an estimator (`kind`) on one feature source, and its weight in the mix."""

    name: str
    source: str
    kind: str
    weight: float = 1.0
    params: dict = field(default_factory=dict)

    def make(self):
        return ESTIMATORS[self.kind](**self.params)

    def as_dict(self) -> dict:
        return {"name": self.name, "source": self.source, "kind": self.kind, "weight": self.weight,
                "params": dict(self.params)}


class Ensemble(BaseEstimator):
    """Weighted geometric mean of the variants' distributions over `labels`.

    :param variants: the VariantSpecs (name, source, estimator kind, weight, parameters).
    :param labels: every label id of the scheme, in order: the columns of `predict_proba`; a label
        no training row carries gets a near-zero probability from every variant.
    """

    def __init__(self, variants=(), labels=()):
        self.variants = variants
        self.labels = labels

    @property
    def sources(self) -> list[str]:
        return sorted({v.source for v in self.variants}, key=SOURCES.index)

    def fit(self, X: dict, y, sample_weight=None):
        """:param X: {source: (n, d) matrix}; y: (n,) label ids; sample_weight: (n,) or None."""
        if not self.variants:
            raise ValueError("an ensemble needs at least one variant")
        y = np.asarray(y)
        self.estimators_ = {spec.name: spec.make().fit(X[spec.source], y, sample_weight=sample_weight)
                            for spec in self.variants}
        return self

    @classmethod
    def from_estimators(cls, variants, labels, estimators: dict) -> "Ensemble":
        """An ensemble around already fitted estimators (a model read back from its files)."""
        ensemble = cls(variants=tuple(variants), labels=tuple(labels))
        ensemble.estimators_ = dict(estimators)
        return ensemble

    def variant_proba(self, X: dict, *, only=None) -> dict[str, np.ndarray]:
        """Each variant's distribution over `labels`, {name: (n, L)} (`only`: these names)."""
        index = {label: i for i, label in enumerate(self.labels)}
        out = {}
        for spec in self.variants:
            if only is not None and spec.name not in only:
                continue
            estimator = self.estimators_[spec.name]
            probs = estimator.predict_proba(X[spec.source])
            aligned = np.full((probs.shape[0], len(self.labels)), _EPS)
            for k, label in enumerate(estimator.classes_):
                aligned[:, index[str(label)]] = probs[:, k]
            out[spec.name] = aligned / aligned.sum(axis=1, keepdims=True)
        return out

    def combine(self, variant_probs: dict[str, np.ndarray]) -> np.ndarray:
        """Weighted geometric mean of the variants' distributions (those given), renormalised."""
        specs = [spec for spec in self.variants if spec.name in variant_probs]
        total = sum(spec.weight for spec in specs)
        log_mix = sum(spec.weight * np.log(np.clip(variant_probs[spec.name], _EPS, 1.0))
                      for spec in specs) / total
        mix = np.exp(log_mix - log_mix.max(axis=1, keepdims=True))
        return mix / mix.sum(axis=1, keepdims=True)

    def predict_proba(self, X: dict) -> np.ndarray:
        return self.combine(self.variant_proba(X))

    def predict(self, X: dict) -> np.ndarray:
        return np.asarray(self.labels)[np.argmax(self.predict_proba(X), axis=1)]
