"""Classifier quality on texts it never trained on, per family: results/classify_heldout.json.

Two kinds of figure, never mixed up (each row of "figures" says which):

- **curriculum hold-out** (frozen before any tuning): the curriculum texts (corpus/curriculum/,
  written for pmm) whose *group* falls in sha256 bucket 0 of 5 (`pipeline.train.data.is_heldout`):
  a group is the GCM lettered action, programme, reto or SDG target a text illustrates, so the
  held-out texts paraphrase actions no training text of the curriculum paraphrases. Scored by the
  saved model (thresholds included), per language. Recipes were chosen by cross-validation of
  the training part only (benchmarks/tune_classify.py), never on these.
- **seed repeated CV**: the 76 actions of the Informe Ejecutivo 2022 (GCM), 5 grouped folds
  repeated over 5 fold seeds, every other training example in every fold: mean ± sd.
- also the seed hold-out (the 20 seed actions of bucket 0, part of the promotion gate's set) and
  the SDG indicators held out.

"strict" top-1: the best label is the text's first label (the objective an analyst files it
under); top-1: it is one of the text's labels.

Default: train every family exactly as `pmm train` does, into a temporary folder (about 15
minutes on 2 cores with a warm embedding cache). `--from-models` reads the same metrics from the
cards of the committed models (written by the `pmm train` run that made them).

Run:  .venv/bin/python benchmarks/bench_classify_heldout.py [--from-models] [--family gcm ...]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from figures import write_result  # noqa: E402
from pipeline import artifacts  # noqa: E402
from pipeline.config import MODELS_DIR  # noqa: E402

FAMILIES = {"gcm": ("gcm", "goal"), "sdg": ("sdg", "goal"), "sdg-target": ("sdg", "target"),
            "challenge": ("challenge", "goal")}
RESULT = ROOT / "benchmarks" / "results" / "classify_heldout.json"
LANG = {"es": "Spanish", "en": "English"}
WHAT = {"gcm": "GCM objective (23)", "sdg": "SDG goal (17)", "sdg-target": "SDG target (169)",
        "challenge": "challenge category (21)"}


def metrics_of(family, from_models: bool) -> dict:
    scheme, level = FAMILIES[family]
    if from_models:
        card = artifacts.read_card(artifacts.resolve_version_dir(MODELS_DIR, scheme, level))
        return {"version": card["version"], "metrics": card["metrics"],
                "heldout_n": card["training_data"]["heldout"]["n"]}
    from pipeline.train import train

    with tempfile.TemporaryDirectory() as tmp:
        result = train(None, scheme=scheme, level=level, models_dir=tmp)
        return {"version": result.version, "metrics": result.metrics,
                "heldout_n": result.card["training_data"]["heldout"]["n"]}


def _f(value) -> str:
    return "—" if value is None else f"{value:.2f}"


def figures_of(family, measured) -> list[dict]:
    rows = []
    metrics = measured["metrics"]
    for part, m in sorted(metrics.get("heldout_by_part", {}).items()):
        kind, lang = part.split("-", 1)
        if kind == "curriculum":
            strict = f" (strict {_f(m.get('top1_primary'))})" if family == "gcm" else ""
            rows.append({"what": f"{WHAT[family]}, curriculum hold-out, {LANG[lang]}",
                         "figure": f"top-1 {_f(m['top1'])}{strict}, top-3 {_f(m['top3'])}, macro-F1 "
                                   f"{_f(m.get('macro_f1'))}",
                         "on": f"{m['n']} curriculum texts of held-out groups (written for pmm, never "
                               f"trained or tuned on)"})
        elif kind == "seed":
            rows.append({"what": f"{WHAT[family]}, seed hold-out", "figure":
                         f"top-1 {_f(m['top1'])}, top-3 {_f(m['top3'])}",
                         "on": f"{m['n']} Informe 2022 actions never trained on (the gate's seed part)"})
        elif kind == "indicator":
            rows.append({"what": f"{WHAT[family]}, held-out UN indicators, {LANG[lang]}", "figure":
                         f"top-1 {_f(m['top1'])}, top-3 {_f(m['top3'])}",
                         "on": f"{m['n']} indicator texts never trained on"})
    cv = metrics.get("seed_cv") or {}
    if cv.get("n"):
        rows.append({"what": f"{WHAT[family]}, seed repeated CV",
                     "figure": f"top-1 {cv['top1']['mean']:.2f} ± {cv['top1']['sd']:.2f}, top-3 "
                               f"{cv['top3']['mean']:.2f} ± {cv['top3']['sd']:.2f}",
                     "on": f"the {cv['n']} Informe 2022 actions, {cv['folds']}-fold CV × {cv['repeats']} "
                           f"fold seeds (mean ± sd)"})
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from-models", action="store_true", help="read the committed models' cards")
    parser.add_argument("--family", action="append", choices=list(FAMILIES))
    args = parser.parse_args(argv)
    previous = json.loads(RESULT.read_text(encoding="utf-8")) if RESULT.exists() else {}
    families = previous.get("families", {})
    for family in args.family or FAMILIES:
        measured = metrics_of(family, args.from_models)
        families[family] = {"version": measured["version"], "heldout_n": measured["heldout_n"],
                            "heldout": measured["metrics"]["heldout"],
                            "heldout_by_part": measured["metrics"].get("heldout_by_part", {}),
                            "seed_cv": measured["metrics"].get("seed_cv"),
                            "language_check": measured["metrics"].get("language_check"),
                            "figures": figures_of(family, measured)}
        for row in families[family]["figures"]:
            print(f"{row['what']}: {row['figure']}  [{row['on']}]")
    figures = [row for family in FAMILIES if family in families for row in families[family]["figures"]]
    write_result(RESULT.stem, {"how": __doc__.strip().splitlines()[0],
                               "source": "model cards" if args.from_models else "fresh training runs",
                               "families": families}, figures)
    print(f"wrote {RESULT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
