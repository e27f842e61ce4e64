"""SDG goal relevance, yes/no per (text, goal), on held-out texts: results/sdg_relevance.json.

Outside reviewers judge pmm's SDG goals pair by pair: is this text about this SDG, yes or no
(pmm says yes when the goal is among the text's `assigned`). This measures the same kind of
figure on texts we own and never trained or tuned on: the fixed held-out part of the SDG goal
model (`pipeline.train.data.is_heldout`: curriculum texts of held-out groups, Spanish and
English; held-out UN indicators, Spanish and English), and two-goal composites of them (two
held-out texts of different goals, same language, joined: a text about two goals). For each
model version compared (default: the current one and the one it replaced):

- top-1 of 17: the best-scored goal is one of the text's goals;
- yes/no accuracy over (text, goal) pairs, in two forms: all 17 goals of each text, and
  candidate pairs (the text's gold goals and the 3 best-scored wrong ones: a judge asks about
  plausible SDGs); balanced accuracy (mean of the yes and no recalls) beside them;
- how precise a match of the Aurora SDG queries is on labelled English texts (English: the
  queries are English keyword queries; on Spanish texts they match almost nothing).

Spreads: bootstrap 95 % intervals over texts (2000 resamples, fixed seed): samples are small.

Run:  .venv/bin/python benchmarks/bench_sdg_relevance.py [--version V ...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from figures import write_result  # noqa: E402
from pipeline import artifacts  # noqa: E402
from pipeline.classify.predict import load_model  # noqa: E402
from pipeline.classify.queries import goal_matches  # noqa: E402
from pipeline.config import MODELS_DIR  # noqa: E402
from pipeline.train import evaluate  # noqa: E402
from pipeline.train.data import curriculum_examples, label_examples  # noqa: E402
from pipeline.train.fit import split  # noqa: E402
from pipeline.train.relevance import composite_labels, composite_text, composites, pair_metrics  # noqa: E402

RESULT_NAME = "sdg_relevance"
RESAMPLES = 2000
PARTS = ("curriculum-es", "curriculum-en", "indicator-es", "indicator-en")
LANG = {"es": "Spanish", "en": "English"}


def heldout_sets():
    """{part: [Example]} of the held-out SDG goal texts, and {lang: [(text, gold)]} composites."""
    examples = label_examples("sdg") + curriculum_examples("sdg")
    _, heldout = split(examples)
    parts = {p: [e for e in heldout if f"{e.kind}-{e.lang}" == p] for p in PARTS}
    comps = {}
    for lang in ("es", "en"):
        pool = [e for e in heldout if e.lang == lang]
        pairs = composites(pool, range(len(pool)), seed=7)
        comps[lang] = [(composite_text(pool, p), composite_labels(pool, p)) for p in pairs]
    return parts, comps


def with_intervals(probs, assigned, gold, labels, seed=0) -> dict:
    """The figures (top-1 and the training code's yes/no pair metrics) with bootstrap intervals
    over texts."""
    y = evaluate.targets_matrix(gold, labels).astype(bool)
    chosen = evaluate.targets_matrix(assigned, labels).astype(bool)
    top1 = evaluate.top1_hits(probs, gold, labels)

    def stats(idx=slice(None)):
        figures = pair_metrics(probs[idx], chosen[idx], y[idx], digits=None)
        figures.pop("n")
        return {"top1": float(top1[idx].mean()), **figures}

    point = stats()
    n = len(top1)
    rng = np.random.default_rng(seed)
    draws = [stats(rng.integers(0, n, n)) for _ in range(RESAMPLES)]
    out = {"n": n}
    for key, value in point.items():
        lo, hi = np.percentile([d[key] for d in draws], [2.5, 97.5])
        out[key] = {"value": round(value, 4), "ci95": [round(float(lo), 4), round(float(hi), 4)]}
    return out


def measure(model, parts, comps) -> dict:
    labels = list(model.labels)
    out = {}
    for part, examples in parts.items():
        probs, assigned = evaluate.score_model(model, [e.text for e in examples])
        out[part] = with_intervals(probs, assigned, [e.labels for e in examples], labels)
    for lang, items in comps.items():
        probs, assigned = evaluate.score_model(model, [t for t, _ in items])
        out[f"composite-{lang}"] = with_intervals(probs, assigned, [g for _, g in items], labels)
    return out


def query_precision(parts) -> dict:
    """Precision of an Aurora query match (text matches goal k's query; is k a gold goal?)."""
    examples = label_examples("sdg") + curriculum_examples("sdg")
    sets = {"curriculum-en (all, trained or not)": [e for e in examples if e.kind == "curriculum" and e.lang == "en"],
            "indicator-en held out": parts["indicator-en"],
            "curriculum-es (all)": [e for e in examples if e.kind == "curriculum" and e.lang == "es"]}
    goals = [str(g) for g in range(1, 18)]
    out = {}
    for name, rows in sets.items():
        m = goal_matches([e.text for e in rows], goals)
        y = evaluate.targets_matrix([e.labels for e in rows], goals).astype(bool)
        out[name] = {"texts": len(rows), "matches": int(m.sum()),
                     "precision": round(float((m & y).sum() / max(m.sum(), 1)), 4),
                     "texts_with_a_match": round(float(m.any(axis=1).mean()), 4),
                     "gold_goals_matched": round(float((m & y).sum() / max(y.sum(), 1)), 4)}
    return out


def _v(m, key) -> str:
    v = m[key]
    return f"{v['value']:.2f} [{v['ci95'][0]:.2f}, {v['ci95'][1]:.2f}]"


def figures_of(version, results, queries, before=None) -> list[dict]:
    """Figure rows of `version`; `before` = (version, results) of the model it replaced, whose
    pair accuracies are shown beside."""
    rows = []

    def was(part, key):
        return f" (was {before[1][part][key]['value']:.2f})" if before else ""
    since = f"; 'was': {before[0]}" if before else ""
    for part in PARTS:
        m = results[part]
        kind, lang = part.split("-")
        what = "curriculum hold-out" if kind == "curriculum" else "held-out UN indicators"
        rows.append({"what": f"SDG goal yes/no, {what}, {LANG[lang]}",
                     "figure": f"top-1 {_v(m, 'top1')}; pair accuracy: candidates {_v(m, 'accuracy_candidate_pairs')}"
                               f"{was(part, 'accuracy_candidate_pairs')}, all 17 {_v(m, 'accuracy_all_pairs')}"
                               f"{was(part, 'accuracy_all_pairs')}; balanced {_v(m, 'balanced_accuracy')}",
                     "on": f"{m['n']} texts never trained or tuned on, model {version} (95 % bootstrap "
                           f"intervals{since})"})
    for lang in ("es", "en"):
        part = f"composite-{lang}"
        m = results[part]
        rows.append({"what": f"SDG goal yes/no, two-goal composites of held-out texts, {LANG[lang]}",
                     "figure": f"both goals assigned {_v(m, 'every_gold_assigned')}; pair accuracy: candidates "
                               f"{_v(m, 'accuracy_candidate_pairs')}{was(part, 'accuracy_candidate_pairs')}, "
                               f"all 17 {_v(m, 'accuracy_all_pairs')}{was(part, 'accuracy_all_pairs')}",
                     "on": f"{m['n']} pairs of held-out texts of different goals joined into one, model "
                           f"{version}{since}"})
    q = queries["curriculum-en (all, trained or not)"]
    rows.append({"what": "Aurora SDG query match as goal evidence, English",
                 "figure": f"precision {q['precision']:.2f} ({q['matches']} matches), "
                           f"{q['texts_with_a_match']:.0%} of texts match some goal",
                 "on": f"{q['texts']} English curriculum texts (the queries are not trained; Spanish texts "
                       f"match almost never: {queries['curriculum-es (all)']['matches']} matches on "
                       f"{queries['curriculum-es (all)']['texts']})"})
    return rows


def default_versions() -> list[str]:
    current_dir = artifacts.resolve_version_dir(MODELS_DIR, "sdg", "goal")
    card = artifacts.read_card(current_dir)
    previous = ((card.get("promotion") or {}).get("comparison") or {}).get("current_version")
    return [v for v in (previous, card["version"]) if v]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="append", help="model versions to measure (default: the current "
                        "SDG goal model and the one it replaced); the last is the one the figures show")
    args = parser.parse_args(argv)
    versions = args.version or default_versions()
    parts, comps = heldout_sets()
    by_version = {}
    for version in versions:
        model = load_model("sdg", "goal", version=version, models_dir=MODELS_DIR)
        by_version[version] = measure(model, parts, comps)
        for part, m in by_version[version].items():
            print(f"{version} {part:14s} n={m['n']:3d} top1 {_v(m, 'top1')} cand {_v(m, 'accuracy_candidate_pairs')} "
                  f"all {_v(m, 'accuracy_all_pairs')} bal {_v(m, 'balanced_accuracy')} "
                  f"assigned {m['assigned_per_text']['value']:.2f}", flush=True)
    queries = query_precision(parts)
    for name, q in queries.items():
        print(f"queries {name}: {q}")
    payload = {"how": __doc__.strip().splitlines()[0], "versions": versions, "results": by_version,
               "query_matches": queries, "resamples": RESAMPLES,
               "heldout_rule": "pipeline.train.data.is_heldout (fixed sha256 buckets), as the promotion gate"}
    before = (versions[-2], by_version[versions[-2]]) if len(versions) > 1 else None
    path = write_result(RESULT_NAME, payload, figures_of(versions[-1], by_version[versions[-1]], queries, before))
    print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
