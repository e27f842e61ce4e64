"""The estimators the classifiers are made of, following scikit-learn's contract: `__init__`
only stores parameters, `fit` validates and returns self, learned state ends in `_`, and
`predict_proba` columns follow `classes_`. Each can be written to and read from plain arrays
(`to_arrays` / `from_arrays`), so a model is saved without pickles.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data
from threadpoolctl import threadpool_limits


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _binary_decision(scores: np.ndarray) -> np.ndarray:
    # scikit-learn's convention: one column per class, except a single score for two classes.
    return scores[:, 1] - scores[:, 0] if scores.shape[1] == 2 else scores


def _unit_rows(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms == 0, 1.0, norms)


class _ArrayState:
    """Save and restore the fitted attributes (and parameters) as a dict of numpy arrays."""

    _fitted = ()

    def to_arrays(self) -> dict[str, np.ndarray]:
        check_is_fitted(self)
        arrays = {name: np.asarray(getattr(self, name)) for name in self._fitted}
        arrays["classes_"] = np.asarray(self.classes_).astype(str)
        return arrays

    @classmethod
    def from_arrays(cls, arrays: dict, **params):
        estimator = cls(**params)
        for name in cls._fitted:
            setattr(estimator, name, np.asarray(arrays[name]))
        estimator.classes_ = np.asarray(arrays["classes_"]).astype(str)
        estimator.n_features_in_ = int(np.asarray(arrays[cls._fitted[0]]).shape[-1])
        return estimator


class _SimilarityClassifier(_ArrayState, ClassifierMixin, BaseEstimator):
    """A classifier whose scores are similarities to each class (`similarities(X)`, set by the
    subclass): probabilities are their softmax at `temperature`, the prediction the most similar."""

    def decision_function(self, X):
        return _binary_decision(self.similarities(X))

    def predict_proba(self, X):
        return _softmax(self.similarities(X) / self.temperature)

    def predict(self, X):
        best = np.argmax(self.similarities(X), axis=1)
        return self.classes_[best]


class PrototypeClassifier(_SimilarityClassifier):
    """Nearest label centroid by cosine after centring: the zero-shot classifier.

    Each class is the weighted mean of its examples' centred, unit-length vectors; a text's
    probabilities are softmax(cosine / temperature).

    :param temperature: softmax temperature on cosine similarities.
    :param center: subtract the mean training vector first (embeddings share a large common
        component that hides the differences between labels).
    """

    _fitted = ("mean_", "centroids_")

    def __init__(self, *, temperature: float = 0.05, center: bool = True):
        self.temperature = temperature
        self.center = center

    def fit(self, X, y, sample_weight=None):
        if not self.temperature > 0:
            raise ValueError(f"temperature must be > 0, got {self.temperature!r}")
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        weights = _check_sample_weight(sample_weight, X)
        self.classes_ = np.unique(y)
        self.mean_ = np.average(X, axis=0, weights=weights) if self.center else np.zeros(X.shape[1])
        unit = _unit_rows(X - self.mean_)
        centroids = np.zeros((len(self.classes_), X.shape[1]))
        for k, label in enumerate(self.classes_):
            mask = y == label
            w = weights[mask]
            centroids[k] = (unit[mask] * w[:, None]).sum(axis=0) / max(w.sum(), 1e-12)
        self.centroids_ = _unit_rows(centroids)
        return self

    def similarities(self, X):
        """Cosine of each row to each class centroid, (n, n_classes)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return _unit_rows(X - self.mean_) @ self.centroids_.T


class NearestExamplesClassifier(_SimilarityClassifier):
    """Similarity to a class = mean cosine of a text to the class's `k` most similar training
    texts (after centring): a label described by several different actions is matched by the
    one that fits, where the centroid would blur them together.

    Probabilities are softmax(similarity / temperature). Training weights scale each text's
    cosine towards the class mean, so down-weighted texts (seed actions) count less.

    :param k: neighbours per class (classes with fewer texts use all they have).
    :param temperature: softmax temperature on the similarities.
    :param center: subtract the mean training vector first.
    """

    _fitted = ("mean_", "vectors_", "rows_class_", "rows_weight_")

    def __init__(self, *, k: int = 2, temperature: float = 0.05, center: bool = True):
        self.k = k
        self.temperature = temperature
        self.center = center

    def fit(self, X, y, sample_weight=None):
        if not self.temperature > 0 or not self.k >= 1:
            raise ValueError(f"need temperature > 0 and k >= 1, got {self.temperature!r}, {self.k!r}")
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        weights = _check_sample_weight(sample_weight, X)
        self.classes_, self.rows_class_ = np.unique(y, return_inverse=True)
        self.mean_ = np.average(X, axis=0, weights=weights) if self.center else np.zeros(X.shape[1])
        self.vectors_ = _unit_rows(X - self.mean_)
        self.rows_weight_ = weights / weights.max()
        return self

    def similarities(self, X):
        """Mean cosine to each class's k nearest training texts, (n, n_classes)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        cos = _unit_rows(X - self.mean_) @ self.vectors_.T
        out = np.zeros((X.shape[0], len(self.classes_)))
        classes = np.asarray(self.rows_class_, dtype=int)
        for c in range(len(self.classes_)):
            rows = np.flatnonzero(classes == c)
            w = self.rows_weight_[rows]
            # A light text (weight w) counts as a weaker match, not as a full one.
            sims = cos[:, rows] * w
            k = min(int(self.k), len(rows))
            out[:, c] = np.sort(sims, axis=1)[:, -k:].mean(axis=1)
        return out


class LinearSoftmaxClassifier(_ArrayState, ClassifierMixin, BaseEstimator):
    """Multinomial logistic regression on (optionally centred, unit-length) vectors.

    Dense embeddings are centred and scaled to unit length; sparse TF-IDF rows are used as they
    are. Fitted weights are kept as arrays, not as a LogisticRegression object.

    :param C: inverse L2 regularisation strength.
    :param center: centre and L2-normalise dense inputs.
    :param max_iter, tol: passed to the lbfgs solver.
    """

    _fitted = ("coef_", "intercept_", "mean_")

    def __init__(self, *, C: float = 10.0, center: bool = True, max_iter: int = 1000, tol: float = 1e-4):
        self.C = C
        self.center = center
        self.max_iter = max_iter
        self.tol = tol

    def _prepare(self, X):
        if sparse.issparse(X) or not self.center:
            return X
        return _unit_rows(X - self.mean_)

    def fit(self, X, y, sample_weight=None):
        if not self.C > 0:
            raise ValueError(f"C must be > 0, got {self.C!r}")
        X, y = validate_data(self, X, y, accept_sparse="csr", dtype=np.float64)
        check_classification_targets(y)
        weights = _check_sample_weight(sample_weight, X)
        self.classes_ = np.unique(y)
        dense = not sparse.issparse(X)
        self.mean_ = (np.average(X, axis=0, weights=weights) if (dense and self.center)
                      else np.zeros(X.shape[1]))
        Xp = self._prepare(X)
        if len(self.classes_) == 1:
            # One class: it is certain. (LogisticRegression refuses a single class.)
            self.coef_ = np.zeros((1, X.shape[1]))
            self.intercept_ = np.zeros(1)
            self.n_iter_ = np.zeros(1, dtype=int)
            return self
        lr = LogisticRegression(C=self.C, max_iter=self.max_iter, tol=self.tol)
        # On problems this small, multi-threaded BLAS spends its time synchronising: one thread
        # is 10x faster here (measured: 0.1 s vs 1.5 s for 240 x 384 on 2 cores).
        with threadpool_limits(1, user_api="blas"):
            lr.fit(Xp, y, sample_weight=weights)
        coef, intercept, self.n_iter_ = lr.coef_, lr.intercept_, lr.n_iter_
        if len(self.classes_) == 2:
            # The binary fit has one row for class 1; spell out both so columns follow classes_.
            coef = np.vstack([-coef[0] / 2, coef[0] / 2])
            intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
        self.coef_, self.intercept_ = coef, intercept
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    def logits(self, X):
        """Unnormalised class scores, (n, n_classes)."""
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse="csr", dtype=np.float64, reset=False)
        return np.asarray(self._prepare(X) @ self.coef_.T + self.intercept_)

    def decision_function(self, X):
        return _binary_decision(self.logits(X))

    def predict_proba(self, X):
        return _softmax(self.logits(X))

    def predict(self, X):
        best = np.argmax(self.logits(X), axis=1)
        return self.classes_[best]


class _Calibrator(_ArrayState, BaseEstimator):
    """Maps probabilities to calibrated ones; its whole fitted state is `coef_`."""

    _fitted = ("coef_",)

    @classmethod
    def from_arrays(cls, arrays: dict, **params):
        calibrator = cls(**params)
        calibrator.coef_ = np.asarray(arrays["coef_"], dtype=np.float64)
        calibrator.classes_ = np.array(["0", "1"])
        return calibrator


class PlattCalibrator(_Calibrator):
    """P(label applies) = sigmoid(a * logit(p) + b), one (a, b) for all labels of a scheme:
    with a handful of examples per label, a shared curve is all the data supports.

    fit(p, y): `p` raw probabilities (any shape), `y` 0/1 of the same shape.
    """


    def __init__(self, *, C: float = 100.0):
        self.C = C

    def fit(self, p, y, sample_weight=None):
        z = self._logit(np.asarray(p, dtype=np.float64).ravel())
        y = np.asarray(y).ravel().astype(int)
        weights = None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64).ravel()
        self.classes_ = np.array(["0", "1"])
        if len(np.unique(y)) < 2:
            self.coef_ = np.array([1.0, 0.0])
            return self
        with threadpool_limits(1, user_api="blas"):
            lr = LogisticRegression(C=self.C, max_iter=1000).fit(z[:, None], y, sample_weight=weights)
        self.coef_ = np.array([lr.coef_[0, 0], lr.intercept_[0]])
        return self

    @staticmethod
    def _logit(p):
        p = np.clip(p, 1e-7, 1 - 1e-7)
        return np.log(p) - np.log1p(-p)

    def transform(self, p):
        check_is_fitted(self)
        p = np.asarray(p, dtype=np.float64)
        a, b = self.coef_
        return 1.0 / (1.0 + np.exp(-(a * self._logit(p) + b)))


class TemperatureCalibrator(_Calibrator):
    """P(label) = softmax(log(p) / T) over a scheme's labels, one temperature for all.

    Platt scaling calibrates every (text, label) probability alike, and those are dominated by
    the many near-zero labels: the best label's probability can stay badly calibrated. Most
    texts have one objective, so a softmax rescaled to match the out-of-fold cross-entropy
    calibrates the best label directly (and keeps the ranking).

    fit(p, y): `p` (n, L) distributions, `y` (n, L) 0/1; a row with several labels counts as a
    target split evenly over them. `coef_` is [1 / T].
    """

    _LOG_T_RANGE = (-3.0, 3.0)

    def fit(self, p, y, sample_weight=None):
        from scipy.optimize import minimize_scalar

        logp = np.log(np.clip(np.asarray(p, dtype=np.float64), 1e-9, 1.0))
        y = np.asarray(y, dtype=np.float64)
        if logp.ndim != 2 or logp.shape != y.shape:
            raise ValueError(f"p and y must both be (n, labels), got {logp.shape} and {y.shape}")
        keep = y.sum(axis=1) > 0
        target = y[keep] / y[keep].sum(axis=1, keepdims=True)
        logp = logp[keep]
        weights = (np.ones(len(logp)) if sample_weight is None
                   else np.asarray(sample_weight, dtype=np.float64)[keep])
        self.classes_ = np.array(["0", "1"])
        if not len(logp):
            self.coef_ = np.array([1.0])
            return self

        def loss(log_t):
            z = logp / np.exp(log_t)
            z = z - z.max(axis=1, keepdims=True)
            log_soft = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
            return -(weights * (target * log_soft).sum(axis=1)).sum() / weights.sum()

        best = minimize_scalar(loss, bounds=self._LOG_T_RANGE, method="bounded")
        self.coef_ = np.array([float(np.exp(-best.x))])
        return self

    def transform(self, p):
        check_is_fitted(self)
        z = np.log(np.clip(np.asarray(p, dtype=np.float64), 1e-9, 1.0)) * self.coef_[0]
        return _softmax(np.atleast_2d(z)).reshape(np.shape(p))
