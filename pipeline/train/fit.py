"""Training: fit a scheme's classifier, cross-validate and calibrate it, evaluate it on the fixed
held-out examples, write it as a new version and promote it through the gate.

Training data (pipeline.train.data): the label texts of the scheme in Spanish and English
(titles, commitments, the GCM's lettered actions, SDG targets and indicators, Aurora query
terms, challenge definitions, label hints), the curriculum written for pmm, the seed corpus
(GCM) and every human decision in the store.

Held out, never trained on, so that two versions are compared on the same examples: the rule
of `pipeline.train.data.is_heldout` (seed actions and curriculum groups in a fixed sha256
bucket; SDG indicators likewise).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np

from .. import artifacts, schemes
from ..classify.embed import EMBEDDERS
from ..classify.ensemble import VariantSpec
from ..classify.features import Lexicon
from ..classify.model import Model
from ..config import MODELS_DIR
from ..text import text_hash
from ..errors import PmmError, UnknownScheme
from ..schemes import LEVELS, SCHEMES
from ..taxonomy import load_scheme
from . import calibrate, evaluate, relevance
from .card import build_card, data_hash
from .cv import FOLDS, Matrices, combined, fit_ensemble, out_of_fold
from .data import (ACTION_LIKE_KINDS, Example, curriculum_examples, decision_examples, is_heldout,
                   label_examples, seed_examples)
from .promote import gate, paired_comparison

_LR = {"C": 10.0}
_PROTO = {"temperature": 0.05}
_KNN = {"k": 2, "temperature": 0.05}
_KNN3 = {"k": 3, "temperature": 0.05}
DEFAULT_VARIANTS = {
    # Chosen by cross-validation of the training part only (benchmarks/tune_classify.py, results
    # in benchmarks/results/classify_tuning_gcm_round{1,...,5}.json): e5's linear model counts
    # double; the nearest-label-texts variants (matching an action to the one GCM action or
    # curriculum text it resembles) at half weight help English and the seed, and at full
    # weight cost Spanish curriculum texts.
    # A linear model on content-word stems and stem pairs, at full weight, adds a little on
    # every part (round 5: curriculum top-1 es/en 0.827/0.854 -> 0.834/0.863, seed unchanged).
    "gcm": (VariantSpec("e5-lr", "e5", "lr", 2.0, _LR), VariantSpec("use-lr", "use", "lr", 1.0, _LR),
            VariantSpec("tfidf-lr", "tfidf", "lr", 0.5, _LR), VariantSpec("words-lr", "words", "lr", 1.0, _LR),
            VariantSpec("e5-knn", "e5", "knn", 0.5, _KNN), VariantSpec("use-knn", "use", "knn", 0.5, _KNN)),
    # SDG goals: the three linear models and the 3 nearest texts (a goal is described by many
    # different targets and indicators): curriculum CV top-1 es/en 0.81/0.87 -> 0.86/0.89
    # (classify_tuning_sdg_round{1,2}.json).
    "sdg": (VariantSpec("e5-lr", "e5", "lr", 1.0, _LR), VariantSpec("use-lr", "use", "lr", 1.0, _LR),
            VariantSpec("tfidf-lr", "tfidf", "lr", 0.5, _LR), VariantSpec("e5-knn", "e5", "knn", 1.0, _KNN3),
            VariantSpec("use-knn", "use", "knn", 1.0, _KNN3)),
    # 169 labels with a handful of texts each: nearest centroid, with logistic regression now
    # that the curriculum adds action-like texts (classify_tuning_sdg-target_round1.json:
    # curriculum CV top-1 es/en 0.73/0.76 -> 0.74/0.78).
    "sdg-target": (VariantSpec("e5-proto", "e5", "proto", 1.0, _PROTO),
                   VariantSpec("use-proto", "use", "proto", 1.0, _PROTO),
                   VariantSpec("e5-lr", "e5", "lr", 1.0, _LR), VariantSpec("use-lr", "use", "lr", 1.0, _LR)),
    "challenge": (VariantSpec("e5-lr", "e5", "lr", 1.0, _LR), VariantSpec("use-lr", "use", "lr", 1.0, _LR),
                  VariantSpec("tfidf-lr", "tfidf", "lr", 0.5, _LR)),
}
# How the combined probability is calibrated, by family. GCM texts mostly have one objective:
# a temperature on the softmax over the 23 objectives makes the best objective's probability
# reliable. SDG and challenge texts often have several labels, which a softmax would play
# down: one Platt curve.
CALIBRATION = {"gcm": "temperature"}
# At most this many labels assigned per text (None: no limit). An action serves one objective,
# sometimes two, rarely three.
MAX_ASSIGNED = {"gcm": 3}
# How the thresholds for labels beyond the first are judged: F-beta (beta < 1 favours
# precision), on every text or only on those whose first label is right. GCM adds a second
# objective only when the text clearly serves it, not as a hedge between two (the report counts
# an action under each): measured out of fold on the curriculum, beta 0.3 on texts with a right
# first objective gives an extra objective to ~10 % of texts, half of them right; F1 on every
# text gave one to 70 %, 29 % right (half of them hedges for a wrong first objective).
THRESHOLD_RULE = {"gcm": {"beta": 0.3, "only_where_first_right": True}}
# Which examples the thresholds are chosen on (out-of-fold): texts written like submissions
# when there are enough; for the SDG, every labelled text, label texts included, since the
# curriculum covers a dozen targets and the thresholds of the other goals need positives too.
THRESHOLD_EXAMPLES = {"sdg": "all", "sdg-target": "all"}
# Families whose `assigned` is decided by the per-label relevance head (pipeline.train.relevance)
# rather than the F-beta thresholds: SDG goals are judged yes/no per (text, goal), and a text
# often serves several. Chosen out of fold on the training texts (yes/no accuracy over candidate
# pairs, Platt + F1 thresholds -> head: single texts 0.76 -> 0.84, two-goal composites 0.70 ->
# 0.77); measured afterwards on the held-out texts in benchmarks/results/sdg_relevance.json.
RELEVANCE_FAMILIES = ("sdg",)
# Weight of a text's first label when it has several (the rest share what is left): the first
# is what the text is mostly about.
PRIMARY_SHARE = 0.6
SEED_CV_REPEATS = 5


@dataclass
class TrainResult:
    version: str
    metrics: dict
    current_metrics: dict | None
    promoted: bool
    path: object
    card: dict = field(default_factory=dict)
    promotion: dict = field(default_factory=dict)


# --- fitting --------------------------------------------------------------------------------

def fit_model(examples, labels, *, scheme, level="goal", version="unsaved", variants=None,
              folds=FOLDS, seed=0, min_assigned=1) -> tuple[Model, dict]:
    """Fit, cross-validate and calibrate a classifier on `examples`; return it and a report.

    :param labels: every label id of the scheme, in order (the model scores them all).
    :returns: (Model, {"cv": ..., "calibration": ..., "thresholds": ...}).
    """
    examples = list(examples)
    labels = list(labels)
    family = schemes.family(scheme, level)
    variants = tuple(variants or DEFAULT_VARIANTS[family])
    unknown = sorted({l for e in examples for l in e.labels} - set(labels))
    if unknown:
        raise PmmError(f"{scheme}: examples carry unknown label(s) {', '.join(unknown[:5])}")
    sources = sorted({v.source for v in variants})
    texts = [e.text for e in examples]
    mats = Matrices(texts, sources)
    everything = np.ones(len(examples), bool)
    ensemble = fit_ensemble(variants, labels, mats, examples, everything, primary_share=PRIMARY_SHARE)

    labelled = np.array([bool(e.labels) for e in examples])
    oof = out_of_fold(examples, labels, variants, mats, folds=folds, seed=seed, always_train=~labelled,
                      primary_share=PRIMARY_SHARE)
    mixed = combined(variants, labels, oof)
    targets = evaluate.targets_matrix([e.labels for e in examples], labels)

    real = np.array([e.kind in ACTION_LIKE_KINDS for e in examples]) & labelled
    # Thresholds and the variants' curves follow real action texts when there are enough.
    enough = real.sum() >= calibrate.MIN_CALIBRATION_EXAMPLES
    cal = real if enough and THRESHOLD_EXAMPLES.get(family) != "all" else labelled
    method = CALIBRATION.get(family, "platt")
    cal_weights, cal_set = calibrate.calibration_weights(examples, labelled, method, ACTION_LIKE_KINDS)
    calibrator = calibrate.fit_calibrator(method, mixed, targets, cal_weights)
    variant_calibrators = {name: calibrate.PlattCalibrator().fit(p[cal], targets[cal]) for name, p in oof.items()}
    calibrated = calibrator.transform(mixed)
    max_assigned = MAX_ASSIGNED.get(family)
    rule = THRESHOLD_RULE.get(family, {"beta": 1.0, "only_where_first_right": False})
    head = None
    if family in RELEVANCE_FAMILIES:
        head, global_t, relevance_report, calibrated = relevance.fit_relevance(
            examples, labels, variants, mats, mixed, labelled=labelled, folds=folds, seed=seed,
            primary_share=PRIMARY_SHARE)
        thresholds = np.full(len(labels), global_t)
    else:
        thresholds, global_t = calibrate.choose_thresholds(calibrated[cal], targets[cal], min_assigned,
                                                           max_assigned, **rule)
    cross_fit = calibrate.cross_fitted(method, mixed, targets, cal_weights, [e.group for e in examples])
    gold = [examples[i].labels for i in np.flatnonzero(cal)]
    all_gold = [e.labels for e in examples]
    fitted_rows = np.flatnonzero(cal_weights > 0)
    cal_kinds = sorted({examples[i].kind for i in np.flatnonzero(cal)})
    report = {
        "cv": {"folds": folds, "grouping": "examples sharing a group (an SDG target's texts, the "
                                           "curriculum texts of one GCM action) are held out together",
               "calibration_set": cal_kinds, "by_kind": {}},
        "calibration": {
            "method": ("temperature scaling of the softmax over the labels (coef: 1/T)" if method == "temperature"
                       else "Platt scaling of the combined probability, one curve for all labels")
                      + ", fitted on out-of-fold scores of " + cal_set,
            "coef": [round(float(c), 4) for c in calibrator.coef_],
            "reliability_all_labels": evaluate.reliability(cross_fit[cal], targets[cal]),
            "reliability_top_label": evaluate.top_label_reliability(cross_fit[cal], gold, labels),
            "reliability_set": "the " + "/".join(cal_kinds) + " examples",
            "ece_by_kind": {kind: {
                "all_labels": evaluate.reliability(cross_fit[rows], targets[rows])["ece"],
                "top_label": evaluate.top_label_reliability(cross_fit[rows], [all_gold[i] for i in rows],
                                                            labels)["ece"]}
                for kind in sorted({examples[i].kind for i in fitted_rows})
                for rows in [np.array([i for i in fitted_rows if examples[i].kind == kind])]},
            "note": "ECE measured on probabilities calibrated by a curve fitted on the other half "
                    "of the calibration examples (cross-fitted), not on the examples it was fitted on",
        },
        "thresholds": {"global": global_t, "min": round(float(thresholds.min()), 4),
                       "max": round(float(thresholds.max()), 4), "min_assigned": min_assigned,
                       "max_assigned": max_assigned, "chosen_on": "out-of-fold scores of the " +
                       "/".join(cal_kinds) + f" examples: F-beta (beta {rule['beta']}) of the labels assigned "
                       "beyond the best one" + (", on the texts whose best label is right"
                                                if rule["only_where_first_right"] else "")},
    }
    if head is not None:
        report["relevance"] = relevance_report
        report["thresholds"]["chosen_on"] = relevance_report["threshold_chosen_on"]
        report["calibration"]["note"] += ("; the model's scores are the relevance head's (see `relevance`), "
                                          "this curve only compares the variants' combination")
    model = Model(scheme=scheme, level=level, version=version, ensemble=ensemble, calibrator=calibrator,
                  variant_calibrators=variant_calibrators, thresholds=thresholds, min_assigned=min_assigned,
                  max_assigned=max_assigned, vectorizers=mats.vectorizers,
                  lexicon=Lexicon.fit(texts, [e.labels for e in examples]),
                  memory=_memory(examples, labels, mats, variants), relevance=head)
    assigned = model.assign(calibrated)
    for kind in sorted({e.kind for e in examples}):
        rows = np.flatnonzero(np.array([e.kind == kind for e in examples]) & labelled)
        if len(rows):
            report["cv"]["by_kind"][kind] = evaluate.summarize(
                calibrated[rows], [assigned[i] for i in rows], [examples[i].labels for i in rows], labels)
    cal_rows = np.flatnonzero(cal)
    report["cv"]["calibration_set_metrics"] = evaluate.summarize(
        calibrated[cal_rows], [assigned[i] for i in cal_rows], gold, labels)
    return model, report


def _memory(examples, labels, mats, variants):
    decided = [i for i, e in enumerate(examples) if e.kind == "decision"]
    dense = [v.source for v in variants if v.source in EMBEDDERS]
    if not decided or not dense:
        return None
    index = {label: j for j, label in enumerate(labels)}
    multi_hot = np.zeros((len(decided), len(labels)), dtype=np.uint8)
    for row, i in enumerate(decided):
        for label in examples[i].labels:
            multi_hot[row, index[label]] = 1
    return {"source": dense[0], "keys": [text_hash(examples[i].text) for i in decided],
            "vectors": mats.by_source[dense[0]][decided].astype(np.float32), "labels": multi_hot}


def cross_val_probabilities(texts, labels, scheme, *, level="goal", folds=FOLDS, seed=0,
                            variants=None) -> np.ndarray:
    """Out-of-fold probabilities (n, L) for labelled texts, columns in the taxonomy's label order.

    Each text is scored by a model trained on the scheme's label texts and the other folds'
    texts (never on itself): what `pmm review suspects` needs for confident learning.

    :param labels: for each text, an iterable of its label ids.
    """
    taxonomy_ids = list(load_scheme(scheme, level).ids)
    given = [Example(" ".join(t.split()), tuple(str(l) for l in ls), "decision", "es", f"given:{i}")
             for i, (t, ls) in enumerate(zip(texts, labels))]
    examples = label_examples(scheme, level) + given
    variants = tuple(variants or DEFAULT_VARIANTS[schemes.family(scheme, level)])
    mats = Matrices([e.text for e in examples], sorted({v.source for v in variants}))
    always = np.array([e.kind != "decision" for e in examples])
    oof = out_of_fold(examples, taxonomy_ids, variants, mats, folds=folds, seed=seed, always_train=always)
    return combined(variants, taxonomy_ids, oof)[~always]


def repeated_cv(examples, labels, variants, *, scored_kind="seed", repeats=SEED_CV_REPEATS, folds=FOLDS,
                mats=None) -> dict:
    """The recipe's grouped k-fold CV on the examples of `scored_kind`, repeated over fold seeds
    (every other example in every training fold): mean ± sd of top-1/top-3 over the repeats."""
    examples = list(examples)
    scored = np.array([e.kind == scored_kind and bool(e.labels) for e in examples])
    if not scored.any():
        return {"n": 0}
    if mats is None:
        mats = Matrices([e.text for e in examples], sorted({v.source for v in variants}))
    gold = [examples[i].labels for i in np.flatnonzero(scored)]
    runs = {"top1": [], "top1_primary": [], "top3": []}
    for seed in range(repeats):
        oof = out_of_fold(examples, labels, variants, mats, folds=folds, seed=seed, always_train=~scored,
                          primary_share=PRIMARY_SHARE)
        probs = combined(variants, labels, oof)[scored]
        runs["top1"].append(evaluate.topk_accuracy(probs, gold, labels, 1))
        runs["top1_primary"].append(float(evaluate.top1_hits(probs, gold, labels, primary=True).mean()))
        runs["top3"].append(evaluate.topk_accuracy(probs, gold, labels, 3))
    out = {"n": int(scored.sum()), "folds": folds, "repeats": repeats}
    for key, values in runs.items():
        out[key] = {"mean": round(float(np.mean(values)), 4), "sd": round(float(np.std(values, ddof=1)), 4)
                    if len(values) > 1 else 0.0}
    return out


# --- the training run ---------------------------------------------------------------------------

def split(examples):
    """(train, held-out) by the fixed rule of `data.is_heldout`; a text a person decided is
    always trained on (its decision is what the model must learn)."""
    decided_texts = {e.text for e in examples if e.kind == "decision"}
    train, heldout = [], []
    for e in examples:
        if not is_heldout(e):
            train.append(e)
        elif e.text not in decided_texts:
            heldout.append(e)
    return train, heldout


def _language_check(examples, labels, variants) -> dict:
    """Cross-lingual check: train on one language's label texts only, test on the other's."""
    label_kinds = {"title", "description", "alias", "hint", "action", "target", "indicator", "aurora"}
    pool = [e for e in examples if e.kind in label_kinds]
    out = {}
    for train_lang, test_lang in (("es", "en"), ("en", "es")):
        train = [e for e in pool if e.lang == train_lang]
        test = [e for e in pool if e.lang == test_lang and e.kind != "aurora"]
        if not train or not test:
            continue
        mats = Matrices([e.text for e in train + test], sorted({v.source for v in variants}))
        mask = np.array([True] * len(train) + [False] * len(test))
        ensemble = fit_ensemble(variants, labels, mats, train + test, mask)
        probs = ensemble.predict_proba(mats.rows(np.flatnonzero(~mask)))
        gold = [e.labels for e in test]
        out[f"train_{train_lang}_test_{test_lang}"] = {
            "n": len(test), "top1": round(evaluate.topk_accuracy(probs, gold, labels, 1), 4),
            "top3": round(evaluate.topk_accuracy(probs, gold, labels, 3), 4)}
    return out


def heldout_parts(heldout) -> dict[str, list[int]]:
    """Rows of the held-out examples by "<kind>-<lang>" (e.g. "curriculum-es", "seed-es")."""
    parts: dict[str, list[int]] = {}
    for i, e in enumerate(heldout):
        parts.setdefault(f"{e.kind}-{e.lang}", []).append(i)
    return parts


def evaluate_heldout(model, heldout) -> tuple[dict, dict, np.ndarray]:
    """(summary of every held-out example, summaries by part, per-example top-1 hits)."""
    if not heldout:
        return {"n": 0}, {}, np.zeros(0)
    labels = list(model.labels)
    probs, assigned = evaluate.score_model(model, [e.text for e in heldout])
    gold = [e.labels for e in heldout]
    summary = evaluate.summarize(probs, assigned, gold, labels)
    by_part = {part: evaluate.summarize(probs[rows], [assigned[i] for i in rows], [gold[i] for i in rows], labels)
               for part, rows in sorted(heldout_parts(heldout).items())}
    return summary, by_part, evaluate.top1_hits(probs, gold, labels)


def gather_examples(engine, scheme, level="goal") -> list[Example]:
    """Label texts + curriculum + seed corpus (GCM) + human decisions in the store."""
    examples = label_examples(scheme, level) + curriculum_examples(scheme, level)
    if scheme == "gcm":
        examples += seed_examples()
    return examples + decision_examples(engine, scheme, level)


def train(engine=None, *, scheme: str, level: str = "goal", models_dir=MODELS_DIR, force: bool = False,
          seed: int = 0, variants=None, base_examples=None, seed_cv: bool = True) -> TrainResult:
    """Train a new version of a scheme's model, evaluate it, write it, promote it through the gate.

    :param engine: the store whose human decisions are learnt (None: no decisions).
    :param force: promote even if the gate refuses the new version.
    :param base_examples: use these instead of the label texts, curriculum and seed corpus (tests
        use tiny data); the store's decisions are added either way.
    :param seed_cv: also measure the repeated seed cross-validation for the card (GCM).
    """
    if scheme not in SCHEMES or level not in LEVELS[scheme]:
        raise UnknownScheme(f"unknown scheme/level {scheme!r}/{level!r} "
                            f"(known: {', '.join(f'{s}/{l}' for s in SCHEMES for l in LEVELS[s])})")
    labels = list(load_scheme(scheme, level).ids)
    if base_examples is None:
        examples = gather_examples(engine, scheme, level)
    else:
        examples = list(base_examples) + decision_examples(engine, scheme, level)
    train_examples, heldout = split(examples)
    created = datetime.now(timezone.utc)
    version = f"{schemes.family(scheme, level)}-{created:%Y%m%d-%H%M%S}-{data_hash(train_examples)[:6]}"
    family = artifacts.family_dir(models_dir, scheme, level)
    if (family / version).exists():  # the same data trained twice within a second
        version += "-" + next(str(n) for n in range(2, 10_000) if not (family / f"{version}-{n}").exists())
    model, report = fit_model(train_examples, labels, scheme=scheme, level=level, version=version,
                              variants=variants, seed=seed)

    summary, by_part, new_hits = evaluate_heldout(model, heldout)
    metrics = {"heldout": summary, "heldout_by_part": by_part, "cv": report["cv"],
               "language_check": _language_check(train_examples, labels, model.variants)}
    if seed_cv and any(e.kind == "seed" for e in examples):
        # Every seed action is scored by a model that never saw it (the held-out ones included).
        pool = [e for e in train_examples if e.kind != "seed"] + [e for e in examples if e.kind == "seed"]
        metrics["seed_cv"] = repeated_cv(pool, labels, model.variants)

    current_metrics, comparison = None, None
    current = artifacts.current_version(models_dir, scheme, level)
    if current is not None and heldout:
        from ..classify.predict import load_model

        try:
            current_model = load_model(scheme, level, models_dir=models_dir)
        except PmmError:
            current_model = None  # unreadable or from another pmm: nothing to compare with
        if current_model is not None:
            current_metrics, _, current_hits = evaluate_heldout(current_model, heldout)
            comparison = {"current_version": current_model.version, **paired_comparison(new_hits, current_hits)}
    promoted, why = gate(comparison)
    if force and not promoted:
        promoted, why = True, f"forced (the gate said: {why})"
    promotion = {"promoted": promoted, "why": why, "comparison": comparison}

    card = build_card(scheme=scheme, level=level, version=version, created=created, model=model,
                      report=report, train_examples=train_examples, heldout=heldout, metrics=metrics,
                      current_metrics=current_metrics, promotion=promotion, force=force)
    path = artifacts.write_version(models_dir, scheme, level, version, model.to_files(), card)
    if promoted:
        artifacts.set_current(models_dir, scheme, level, version)
    return TrainResult(version=version, metrics=metrics, current_metrics=current_metrics,
                       promoted=promoted, path=path, card=card, promotion=promotion)
