"""Simulated review on the seed corpus: does reviewing the least certain actions first teach the
model faster than reviewing actions at random?

Setting (what an analyst team lives through): the model starts from the label texts only
(zero-shot). At each step a reviewer labels a batch of actions from a pool; the model is
retrained on the label texts plus every revealed label; accuracy is measured on a fixed
held-out part that is never revealed.

- data: the ~76 seed actions of the Informe Ejecutivo 2022 (one GCM objective each);
- label texts, two starting points: ``titles`` (the objectives' titles in Spanish and English
  and their commitment paragraphs) and ``titles+hints`` (plus corpus/taxonomy/label_hints.yaml,
  what `pmm train` uses);
- features: multilingual-e5-small and USE-multilingual-v3 sentence embeddings (pmm's embedders,
  cached), each centred on its own domain (action texts on the mean action, label texts on the
  mean label text) and concatenated: without that, a few revealed actions drag every action
  towards their classes and accuracy falls below the zero-shot start (see the report);
- model: pmm's multinomial logistic regression (LinearSoftmaxClassifier, C=100);
- splits: 4 folds; each fold in turn is the held-out part, the other 3 the pool;
- strategies: ``lowest`` (lowest top probability first) and ``margin`` (smallest gap between the
  two best), the review queue's orders, against ``random`` (5 seeds per fold);
- measured after 0, B, 2B, ... reviewed labels:
  ``heldout``, the top-1 accuracy of the retrained model on the held-out part (does the model
  learn from the reviews?), and ``pool``, the share of the pool labelled right, reviewed actions
  counting as right and the others as the model labels them (how far an analyst team has got
  with its compendium). Accuracy on the unrevealed rest alone is not reported: uncertainty
  sampling takes the hard actions out of it first, which would flatter it.

Run:  .venv/bin/python benchmarks/bench_review.py   (1-2 minutes once the embeddings are
cached; prints the tables, writes benchmarks/results/review_simulation.png and .json)
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.classify.embed import embed_texts  # noqa: E402
from pipeline.classify.estimators import LinearSoftmaxClassifier  # noqa: E402
from pipeline.corpus import load_seed  # noqa: E402
from pipeline.taxonomy import load_scheme  # noqa: E402
from pipeline.train.data import label_examples  # noqa: E402

RESULTS_DIR = ROOT / "benchmarks" / "results"
FOLDS = 4
RANDOM_SEEDS = 5
BATCH = 4
C = 100.0
STRATEGIES = ("lowest", "margin", "random")
METRICS = ("heldout", "pool")
STARTS = {"titles": ("title", "description"), "titles+hints": ("title", "description", "hint")}


def features(texts) -> np.ndarray:
    """e5 and USE vectors, each centred on the mean of `texts` and unit length, side by side."""
    parts = []
    for source in ("e5", "use"):
        vectors = embed_texts(texts, source)
        centred = vectors - vectors.mean(axis=0)
        parts.append(centred / np.maximum(np.linalg.norm(centred, axis=1, keepdims=True), 1e-12))
    return np.hstack(parts)


def fit_predict(x_train, y_train, x_eval, classes) -> np.ndarray:
    """Probabilities (n_eval, len(classes)) of a model fitted on the training rows."""
    model = LinearSoftmaxClassifier(C=C, center=False).fit(x_train, y_train)
    probs = np.zeros((len(x_eval), len(classes)))
    fitted = model.predict_proba(x_eval)
    for k, label in enumerate(model.classes_):
        probs[:, classes.index(str(label))] = fitted[:, k]
    return probs


def uncertainty(probs, strategy) -> np.ndarray:
    """Higher = review first."""
    ordered = np.sort(probs, axis=1)
    if strategy == "lowest":
        return -ordered[:, -1]
    return -(ordered[:, -1] - ordered[:, -2])


def simulate(x, y, x_labels, y_labels, classes, pool, heldout, strategy, rng) -> dict:
    """Curves over 0, BATCH, 2*BATCH, ... reviewed labels, until the pool is empty:
    "heldout": the retrained model's accuracy on the held-out part;
    "pool": the share of the pool correctly labelled (reviewed = right; the rest as the model says)."""
    revealed: list[int] = []
    remaining = list(pool)
    curves = {"heldout": [], "pool": []}
    while True:
        train_x = np.vstack([x_labels, x[revealed]]) if revealed else x_labels
        train_y = list(y_labels) + [y[i] for i in revealed]
        probs = fit_predict(train_x, train_y, x[np.concatenate([heldout, remaining]).astype(int)], classes)
        held_probs, pool_probs = probs[:len(heldout)], probs[len(heldout):]
        held_right = [classes[k] == y[i] for k, i in zip(held_probs.argmax(axis=1), heldout)]
        pool_right = [classes[k] == y[i] for k, i in zip(pool_probs.argmax(axis=1), remaining)]
        curves["heldout"].append(float(np.mean(held_right)))
        curves["pool"].append((len(revealed) + sum(pool_right)) / len(pool))
        if not remaining:
            return curves
        if strategy == "random":
            picks = list(rng.choice(len(remaining), size=min(BATCH, len(remaining)), replace=False))
        else:
            # Stable sort: ties (rare with real probabilities) go in pool order.
            picks = list(np.argsort(-uncertainty(pool_probs, strategy), kind="stable")[:BATCH])
        revealed += [remaining[k] for k in picks]
        remaining = [r for k, r in enumerate(remaining) if k not in set(picks)]


def labels_to_reach(curve, steps, target) -> float | None:
    """Fewest reviewed labels at which a mean curve reaches `target`, interpolating between
    steps; None if it never does."""
    for k, value in enumerate(curve):
        if value >= target - 1e-9:
            if k == 0:
                return float(steps[0])
            previous = curve[k - 1]
            share = (target - previous) / (value - previous) if value > previous else 1.0
            return float(steps[k - 1] + share * (steps[k] - steps[k - 1]))
    return None


def simulate_start(x, y, classes, label_rows, kinds, folds, seeds) -> dict:
    chosen = [e for e in label_rows if e.kind in kinds]
    x_labels = features([e.text for e in chosen])
    y_labels = [e.labels[0] for e in chosen]
    order = np.random.default_rng(2022).permutation(len(y))
    fold_of = {int(i): n % folds for n, i in enumerate(order)}
    runs: dict[str, list[dict]] = {s: [] for s in STRATEGIES}
    for fold in range(folds):
        heldout = np.array([i for i in range(len(y)) if fold_of[i] == fold])
        pool = [i for i in range(len(y)) if fold_of[i] != fold]
        for strategy in STRATEGIES:
            for seed in range(seeds if strategy == "random" else 1):
                rng = np.random.default_rng(1000 * fold + seed)
                runs[strategy].append(simulate(x, y, x_labels, y_labels, classes, pool, heldout,
                                               strategy, rng))
    # Pools differ by one action between folds: compare on the steps every run has.
    length = min(len(r["heldout"]) for rs in runs.values() for r in rs)
    part = {"n_label_texts": len(chosen), "steps": [BATCH * k for k in range(length)]}
    for metric in METRICS:
        values = {s: np.array([r[metric][:length] for r in rs]) for s, rs in runs.items()}
        part[metric] = {"mean": {s: [round(float(v), 4) for v in m.mean(axis=0)] for s, m in values.items()},
                        "std": {s: [round(float(v), 4) for v in m.std(axis=0)] for s, m in values.items()}}
    return part


def run(folds=FOLDS, seeds=RANDOM_SEEDS) -> dict:
    started = time.perf_counter()
    seed_rows = load_seed()
    y = [str(row["objectives"][0]) for row in seed_rows]
    classes = [str(i) for i in load_scheme("gcm").ids]
    label_rows = label_examples("gcm", "goal")
    x = features([row["text"] for row in seed_rows])
    starts = {name: simulate_start(x, y, classes, label_rows, kinds, folds, seeds)
              for name, kinds in STARTS.items()}
    return {"n_actions": len(y), "folds": folds, "random_seeds": seeds, "batch": BATCH, "C": C,
            "starts": starts, "seconds": round(time.perf_counter() - started, 1)}


def print_report(result) -> None:
    print(f"Simulated review, GCM seed corpus: {result['n_actions']} actions in {result['folds']} "
          f"folds (each in turn held out, the rest the pool to review), batches of "
          f"{result['batch']}, random order x{result['random_seeds']} seeds per fold.")
    print("heldout: top-1 accuracy of the retrained model on the held-out fold.")
    print("pool:    share of the pool labelled right (reviewed ones are right; the rest as the model says).")
    show = lambda v: f"{v:6.1f}" if v is not None else " never"  # noqa: E731
    for name, part in result["starts"].items():
        steps, held, pool = part["steps"], part["heldout"], part["pool"]
        print()
        print(f"Start: {name} ({part['n_label_texts']} label texts)")
        print(f"{'':>8}  {'--------- heldout ---------':^28}  {'----------- pool -----------':^28}")
        print(f"{'reviewed':>8}  {'lowest':>6} {'margin':>6} {'random ± sd':>14}  "
              f"{'lowest':>6} {'margin':>6} {'random ± sd':>14}")
        for k, n in enumerate(steps):
            cells = []
            for metric in (held, pool):
                m, sd = metric["mean"], metric["std"]
                cells.append(f"{m['lowest'][k]:>6.3f} {m['margin'][k]:>6.3f} "
                             f"{m['random'][k]:>6.3f} ± {sd['random'][k]:.3f}")
            print(f"{n:>8}  {cells[0]}  {cells[1]}")
        print("  labels needed until the pool is labelled right to a given share:")
        print(f"  {'share':>6}  {'lowest':>6}  {'margin':>6}  {'random':>6}")
        for target in (0.7, 0.8, 0.9, 0.95):
            need = [labels_to_reach(pool["mean"][s], steps, target) for s in STRATEGIES]
            print(f"  {target:>6.2f}  " + "  ".join(show(v) for v in need))
    print()
    print(f"Time: {result['seconds']} s")


def figures(result) -> list[dict]:
    """The README row: labels a reviewer gives until 90 % of the pool is right, per strategy."""
    part = result["starts"]["titles+hints"]
    need = {s: labels_to_reach(part["pool"]["mean"][s], part["steps"], 0.9) for s in STRATEGIES}
    shown = {s: "never" if v is None else f"{v:.1f}" for s, v in need.items()}
    return [{"what": "review: labels needed to get 90 % of a pool right",
             "figure": f"{shown['lowest']} least-sure-first vs {shown['random']} random",
             "on": f"simulated review of the {result['n_actions']} seed actions, {result['folds']} folds × "
                   f"{result['random_seeds']} random orders (`benchmarks/results/review_simulation.png`)"}]


def plot(result, path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    style = {"lowest": ("#1f5f99", "incertidumbre: menor confianza"),
             "margin": ("#2e8b57", "incertidumbre: menor margen"),
             "random": ("#8a8a8a", "al azar (± 1 desv. est.)")}
    titles = {"pool": "acciones del lote bien etiquetadas\n(revisadas + las que el modelo acierta)",
              "heldout": "exactitud top-1 del modelo reentrenado\nen la parte reservada"}
    starts = result["starts"]
    fig, axes = plt.subplots(2, len(starts), figsize=(5.6 * len(starts), 8.0), dpi=110, squeeze=False)
    for col, (name, part) in enumerate(starts.items()):
        steps = part["steps"]
        for row, metric in enumerate(("pool", "heldout")):
            ax = axes[row][col]
            mean, std = part[metric]["mean"], part[metric]["std"]
            for strategy in STRATEGIES:
                color, label = style[strategy]
                ax.plot(steps, mean[strategy], marker="o", markersize=2.5, color=color, label=label,
                        linewidth=1.8)
            low = np.array(mean["random"]) - np.array(std["random"])
            high = np.array(mean["random"]) + np.array(std["random"])
            ax.fill_between(steps, low, high, color="#8a8a8a", alpha=0.18, linewidth=0)
            ax.grid(alpha=0.3)
            if row == 0:
                ax.set_title(f"inicio: {name} ({part['n_label_texts']} textos de etiqueta)", fontsize=10)
            if row == 1:
                ax.set_xlabel("etiquetas revisadas")
            if col == 0:
                ax.set_ylabel(titles[metric], fontsize=9)
    axes[0][-1].legend(loc="lower right", frameon=False, fontsize=8)
    fig.suptitle("Revisión simulada: objetivos del PMM, corpus semilla del Informe Ejecutivo 2022",
                 fontsize=11)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folds", type=int, default=FOLDS)
    parser.add_argument("--seeds", type=int, default=RANDOM_SEEDS)
    parser.add_argument("--out", type=Path, default=RESULTS_DIR)
    parser.add_argument("--figures-only", action="store_true",
                        help="recompute the figure rows of the existing result file, run nothing")
    args = parser.parse_args(argv)
    path = args.out / "review_simulation.json"
    if args.figures_only:
        result = json.loads(path.read_text(encoding="utf-8"))
    else:
        result = run(folds=args.folds, seeds=args.seeds)
        print_report(result)
        args.out.mkdir(parents=True, exist_ok=True)
        plot(result, args.out / "review_simulation.png")
    result["figures"] = figures(result)
    path.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"Wrote {args.out / 'review_simulation.png'} and {args.out / 'review_simulation.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
