"""Fitting the per-label relevance head (pipeline.classify.relevance) and its yes/no rule.

What a yes/no judge of (text, SDG) pairs rewards is assigning goal k exactly when the text is
about k. The head is a logistic model of every (text, label) pair on out-of-fold scores, so it
learns what the ensemble's distribution looks like for a label that applies and one that
does not. Nearly every training text carries one goal; texts about two goals, common in
reports and abstracts, would be missing, and the head would learn to say yes to the best goal
only. So each cross-validation fold also scores *composites*: two of its held-out texts of
different goals, same language, joined into one text whose gold labels are both goals. They
are scored by the fold's model, like the texts themselves (never by a model that saw either
part).

The yes/no rule: label k is assigned when its relevance reaches one threshold (and the best
label always, as before), the threshold chosen for binary accuracy over (text, label) pairs on
the head's own out-of-fold probabilities (grouped folds again), never on held-out examples.
"""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from ..classify.queries import goal_matches
from ..classify.relevance import RelevanceHead, pair_features, sentence_max
from .cv import Matrices, bucket, combined, fit_ensemble, fold_of
from .evaluate import targets_matrix

# Kinds whose texts make composites and train the head. Aurora texts are excluded: they are the
# queries' own phrases, so they would teach the head that a query match is certain.
HEAD_KINDS = ("curriculum", "target", "indicator", "title", "alias", "decision", "seed", "description", "hint",
              "action")
COMPOSITE_KINDS = ("curriculum", "target", "indicator", "decision")
HEAD_C = 1.0  # L2 strength on the shared curve and the per-label offsets (cross-validated)
THRESHOLD_GRID = np.round(np.arange(0.3, 0.801, 0.025), 3)
HEAD_FOLDS = 5


def composites(examples, rows, seed) -> list[tuple[int, int]]:
    """Pairs (i, j) of single-label examples among `rows`, same language, different label: each
    example in at most one pair, partners drawn at random (fixed seed)."""
    rng = np.random.default_rng(seed)
    out = []
    by_lang: dict[str, list[int]] = {}
    for i in rows:
        e = examples[i]
        if e.kind in COMPOSITE_KINDS and len(e.labels) == 1:
            by_lang.setdefault(e.lang, []).append(i)
    for lang in sorted(by_lang):
        pool = list(rng.permutation(by_lang[lang]))
        while len(pool) >= 2:
            i = pool.pop()
            partner = next((k for k in range(len(pool) - 1, -1, -1)
                            if examples[pool[k]].labels != examples[i].labels), None)
            if partner is None:
                break
            out.append((int(i), int(pool.pop(partner))))
    return out


def composite_text(examples, pair) -> str:
    return examples[pair[0]].text + " " + examples[pair[1]].text


def composite_labels(examples, pair) -> tuple[str, ...]:
    return tuple(dict.fromkeys(examples[pair[0]].labels + examples[pair[1]].labels))


def fold_scores(examples, labels, variants, mats, rows, *, folds, seed, primary_share, sentences=True):
    """What each fold's model (trained without the fold) says of the fold's texts among `rows`
    and of composites of them: (pairs, composites' (m, L) combined distributions, sentence
    maxima of `examples` (n, L; rows outside `rows` untouched), composites' sentence maxima).

    A composite's sentences are its two parts' sentences, so its sentence maximum is the larger
    of its parts' and its own whole-text distribution."""
    fold = np.array([fold_of(e, folds, seed) for e in examples])
    in_rows = np.isin(np.arange(len(examples)), rows)
    sources = sorted({v.source for v in variants})
    pairs, comp_probs = [], []
    sent = np.full((len(examples), len(labels)), np.nan)
    for f in range(folds):
        test = (fold == f) & in_rows
        if not test.any():
            continue
        ensemble = fit_ensemble(variants, labels, mats, examples, ~test, primary_share=primary_share)

        def score(texts):
            feats = Matrices(texts, sources, vectorizers=mats.vectorizers)
            return combined(variants, labels, ensemble.variant_proba(feats.by_source))

        test_rows = np.flatnonzero(test)
        whole = combined(variants, labels, ensemble.variant_proba(mats.rows(test_rows)))
        sent[test_rows] = (sentence_max([examples[i].text for i in test_rows], whole, score) if sentences
                           else whole)
        fold_pairs = composites(examples, test_rows, seed * 1000 + f)
        if fold_pairs:
            comp_probs.append(score([composite_text(examples, p) for p in fold_pairs]))
            pairs += fold_pairs
    comp = np.vstack(comp_probs) if comp_probs else np.zeros((0, len(labels)))
    comp_sent = np.array([np.maximum.reduce([comp[k], sent[i], sent[j]]) for k, (i, j) in enumerate(pairs)])
    return pairs, comp, sent, comp_sent.reshape(len(pairs), len(labels))


def _fit_head(probs, matches, sentence_probs, targets, weights) -> RelevanceHead:
    x = pair_features(probs, matches, sentence_probs)
    y = np.asarray(targets, dtype=int).ravel()
    w = np.repeat(np.asarray(weights, dtype=np.float64), probs.shape[1])
    with threadpool_limits(1, user_api="blas"):
        lr = LogisticRegression(C=HEAD_C, max_iter=3000).fit(x, y, sample_weight=w)
    return RelevanceHead(lr.coef_[0], lr.intercept_[0], uses_queries=matches is not None,
                         uses_sentences=sentence_probs is not None)


def decide(relevance, threshold) -> np.ndarray:
    """The yes/no rule: relevance >= threshold, and the best label always."""
    relevance = np.asarray(relevance)
    chosen = relevance >= threshold
    chosen[np.arange(len(relevance)), np.argmax(relevance, axis=1)] = True
    return chosen


def candidate_mask(scores, targets, wrong=3) -> np.ndarray:
    """(n, L) booleans: each text's gold labels and its `wrong` best-scored wrong labels: the
    pairs a judge of plausible SDGs would be asked about."""
    targets = np.asarray(targets, dtype=bool)
    mask = targets.copy()
    others = np.where(targets, -np.inf, np.asarray(scores, dtype=np.float64))
    best = np.argsort(-others, axis=1, kind="stable")[:, :wrong]
    np.put_along_axis(mask, best, True, axis=1)
    return mask


def pair_metrics(relevance, chosen, targets, *, digits: int | None = 4) -> dict:
    """Yes/no accuracy over all (text, label) pairs and over candidate pairs; balanced accuracy,
    the recall of the yes pairs, the share of texts given every gold label, labels per text
    (`digits`: rounding, None for none)."""
    y = np.asarray(targets, dtype=bool)
    chosen = np.asarray(chosen, dtype=bool)
    if not len(y) or y.all() or not y.any():
        return {"n": int(len(y))}
    right = chosen == y
    cand = candidate_mask(relevance, y)
    yes_recall = chosen[y].mean()
    figures = {"accuracy_all_pairs": right.mean(), "accuracy_candidate_pairs": right[cand].mean(),
               "balanced_accuracy": 0.5 * (yes_recall + (~chosen[~y]).mean()), "yes_recall": yes_recall,
               "every_gold_assigned": (chosen | ~y).all(axis=1).mean(),
               "assigned_per_text": chosen.sum(axis=1).mean()}
    return {"n": int(len(y)), **{k: float(v) if digits is None else round(float(v), digits)
                                 for k, v in figures.items()}}


def fit_relevance(examples, labels, variants, mats, mixed, *, labelled, folds, seed, primary_share,
                  use_queries=True, use_sentences=True, criterion="candidate_pairs"
                  ) -> tuple[RelevanceHead, float, dict, np.ndarray]:
    """Fit the head on out-of-fold scores of the examples and their composites; choose the
    threshold on the head's own out-of-fold probabilities.

    :param mixed: the ensemble's out-of-fold combined distributions of `examples`.
    :returns: (head, threshold, report, relevance of every example (n, L): out of fold for
        those the head was fitted on)."""
    examples = list(examples)
    rows = np.flatnonzero(labelled & np.array([e.kind in HEAD_KINDS for e in examples]))
    pairs, comp_probs, sent, comp_sent = fold_scores(examples, labels, variants, mats, rows, folds=folds, seed=seed,
                                                     primary_share=primary_share, sentences=use_sentences)
    texts = [examples[i].text for i in rows] + [composite_text(examples, p) for p in pairs]
    gold = [examples[i].labels for i in rows] + [composite_labels(examples, p) for p in pairs]
    probs = np.vstack([mixed[rows], comp_probs])
    sentence_probs = np.vstack([sent[rows], comp_sent]) if use_sentences else None
    targets = targets_matrix(gold, labels).astype(bool)
    matches = goal_matches(texts, labels) if use_queries else None

    def part(array, mask):
        return None if array is None else array[mask]
    is_composite = np.r_[np.zeros(len(rows), bool), np.ones(len(pairs), bool)]
    # Composites and single texts count alike in total: the head must know both.
    weights = np.where(is_composite, 0.5 / max(len(pairs), 1), 0.5 / max(len(rows), 1)) * len(texts)
    groups = [examples[i].group for i in rows] + [examples[p[0]].group for p in pairs]
    head_fold = np.array([bucket(f"relevance:{g}", HEAD_FOLDS) for g in groups])
    oof = np.zeros_like(probs)
    for f in range(HEAD_FOLDS):
        test = head_fold == f
        head = _fit_head(probs[~test], part(matches, ~test), part(sentence_probs, ~test), targets[~test],
                         weights[~test])
        oof[test] = head.transform(probs[test], part(matches, test), part(sentence_probs, test))

    cand = candidate_mask(oof, targets)

    def accuracy(t, pairs_of="all_pairs"):
        right = decide(oof, t) == targets
        return float((right[cand] if pairs_of == "candidate_pairs" else right).mean())

    threshold = float(max(THRESHOLD_GRID, key=lambda t: (accuracy(t, criterion), -abs(t - 0.5))))
    head = _fit_head(probs, matches, sentence_probs, targets, weights)
    chosen = decide(oof, threshold)
    report = {
        "method": "per-label relevance: a logistic model of every (text, label) pair on out-of-fold "
                  "ensemble scores (logit of the combined probability, "
                  + ("of its maximum over sentences, " if use_sentences else "") + "first/second rank, "
                  + ("Aurora query match, " if use_queries else "") + "shared curve plus L2-shrunk per-label "
                  "offsets), fitted on the " + "/".join(sorted({examples[i].kind for i in rows}))
                  + f" examples and {len(pairs)} two-goal composites of held-out texts of one fold",
        "threshold": round(threshold, 4),
        "threshold_chosen_on": "binary accuracy over " + criterion.replace("_", " ") + " (each text's gold "
                               "labels and its 3 best-scored wrong ones)" * (criterion == "candidate_pairs")
                               + f" of the head's own out-of-fold probabilities ({HEAD_FOLDS} grouped folds; "
                               "single texts and composites), the best label always assigned",
        "threshold_curve": {f"{t:g}": {"all_pairs": round(accuracy(t), 4),
                                       "candidate_pairs": round(accuracy(t, "candidate_pairs"), 4)}
                            for t in THRESHOLD_GRID[::2]},
        "out_of_fold": {"single_texts": pair_metrics(oof[~is_composite], chosen[~is_composite],
                                                     targets[~is_composite]),
                        "composites": pair_metrics(oof[is_composite], chosen[is_composite], targets[is_composite])},
    }
    if matches is not None:
        single = ~is_composite
        en = np.array([examples[i].lang == "en" for i in rows])
        hits = matches[single][en]
        report["query_match_precision_en"] = {
            "n_matches": int(hits.sum()),
            "precision": round(float((hits & targets[single][en]).sum() / max(hits.sum(), 1)), 4),
            "on": "English training texts (label texts and curriculum, Aurora phrases excluded)"}
    relevance = np.zeros(mixed.shape)
    relevance[rows] = oof[:len(rows)]
    others = np.setdiff1d(np.arange(len(examples)), rows)
    if len(others):  # not fitted on (Aurora phrases, unlabelled texts): the final head, whole text only
        relevance[others] = head.transform(
            mixed[others], goal_matches([examples[i].text for i in others], labels) if use_queries else None,
            mixed[others] if use_sentences else None)
    return head, threshold, report, relevance
