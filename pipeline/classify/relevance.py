"""Per-label relevance: P(the text is about label k), one calibrated probability per label.

The ensemble's softmax spreads one unit of probability over the labels, so a text about two
SDGs gets about half for each, and one Platt curve for every label cannot tell them apart from
a text torn between two. A yes/no judge asks, for each label on its own, whether the text is
about it. This head answers that with a logistic model of each (text, label) pair:

    P(k) = sigmoid(a_k * logit(p_k) + s * logit(max over sentences p_k) + r1 * [k ranks first]
                   + r2 * [k ranks second] + q_k * [text matches k's expert query] + b_k)

where p is the ensemble's combined distribution over the whole text, the sentence maximum is
the most any one sentence of the text gives k (a text about two goals has sentences about
each; a text torn between two has sentences torn alike), and the query match comes from
`pipeline.classify.queries` (the Aurora SDG queries: English keyword evidence, near-silent on
Spanish texts). The per-label a_k, q_k and b_k are one shared value plus a per-label offset
that L2 regularisation keeps small: a label with few examples follows the shared curve.
Fitted on out-of-fold scores (pipeline.train.relevance); saved as plain arrays.

The ensemble's best label keeps the first place (its relevance is raised to the text's highest
when the head would rank another first): out of fold on the curriculum, the ensemble's order
is the better top-1 in both languages, and the head decides whether further labels apply.
"""

from __future__ import annotations

import numpy as np

from ..text import split_sentences

_EPS = 1e-7
_GAP = 2e-4
MAX_SENTENCES = 12  # a long text is judged on its first sentences (challenges, SDG relevance)


def _logit(p):
    p = np.clip(np.asarray(p, dtype=np.float64), _EPS, 1 - _EPS)
    return np.log(p) - np.log1p(-p)


def sentence_max(texts, whole, score) -> np.ndarray:
    """(n, L): for each text, the elementwise maximum of its whole-text distribution (`whole`)
    and its sentences' distributions; `score(sentences)` gives the latter, (m, L)."""
    out = np.array(whole, dtype=np.float64, copy=True)
    sentences, owner = [], []
    for row, text in enumerate(texts):
        parts = split_sentences(text, limit=MAX_SENTENCES)
        if len(parts) > 1:
            sentences += parts
            owner += [row] * len(parts)
    if sentences:
        np.maximum.at(out, np.asarray(owner), np.asarray(score(sentences), dtype=np.float64))
    return out


def pair_features(probs, matches=None, sentence_probs=None) -> np.ndarray:
    """(n * L, 5 + 3L) design matrix of every (text, label) pair, row-major by text.

    Columns: logit(p), logit of the sentence maximum (0 when not given), first-rank flag,
    second-rank flag, query match (0 when not given); then logit(p), query match and an
    intercept per label (the offsets), so one logistic regression fits the shared curve and
    every label's deviation from it."""
    probs = np.asarray(probs, dtype=np.float64)
    n, n_labels = probs.shape
    z = _logit(probs)
    order = np.argsort(-probs, axis=1, kind="stable")
    first, second = np.zeros_like(probs), np.zeros_like(probs)
    first[np.arange(n), order[:, 0]] = 1.0
    if n_labels > 1:
        second[np.arange(n), order[:, 1]] = 1.0
    m = np.zeros_like(probs) if matches is None else np.asarray(matches, dtype=np.float64)
    zs = np.zeros_like(probs) if sentence_probs is None else _logit(sentence_probs)
    base = np.stack([z, zs, first, second, m], axis=-1).reshape(n * n_labels, 5)
    label = np.tile(np.eye(n_labels), (n, 1))
    return np.hstack([base, label * base[:, :1], label * base[:, 4:5], label])


class RelevanceHead:
    """The fitted head: `coef_` over `pair_features` columns and `intercept_`; `uses_queries`
    and `uses_sentences` say which optional features it was fitted with."""

    def __init__(self, coef, intercept, *, uses_queries: bool = True, uses_sentences: bool = True):
        self.coef_ = np.asarray(coef, dtype=np.float64)
        self.intercept_ = float(intercept)
        self.uses_queries = bool(uses_queries)
        self.uses_sentences = bool(uses_sentences)

    def transform(self, probs, matches=None, sentence_probs=None) -> np.ndarray:
        """(n, L) relevance probabilities from the combined distribution, query matches and
        sentence maxima (those the head does not use are ignored)."""
        probs = np.asarray(probs, dtype=np.float64)
        if not len(probs):
            return probs.copy()
        x = pair_features(probs, matches if self.uses_queries else None,
                          sentence_probs if self.uses_sentences else None)
        out = (1.0 / (1.0 + np.exp(-(x @ self.coef_ + self.intercept_)))).reshape(probs.shape)
        # Scores are shown (and compared) to 4 decimals: keep the best label strictly first.
        out = np.minimum(out, 1.0 - _GAP)
        rows = np.arange(len(out))
        best = np.argmax(probs, axis=1)
        others = out.copy()
        others[rows, best] = -1.0
        out[rows, best] = np.maximum(out[rows, best], others.max(axis=1) + _GAP)
        return out

    def to_arrays(self) -> dict[str, np.ndarray]:
        return {"coef_": self.coef_, "intercept_": np.array([self.intercept_]),
                "uses_queries": np.array([int(self.uses_queries)]),
                "uses_sentences": np.array([int(self.uses_sentences)])}

    @classmethod
    def from_arrays(cls, arrays: dict) -> "RelevanceHead":
        flag = (lambda key: bool(np.asarray(arrays[key]).ravel()[0]))
        return cls(arrays["coef_"], float(np.asarray(arrays["intercept_"]).ravel()[0]),
                   uses_queries=flag("uses_queries"), uses_sentences=flag("uses_sentences"))
