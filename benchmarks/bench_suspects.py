"""Suspect labels: pmm's confident learning next to cleanlab's find_label_issues, on planted errors.

Each round flips the objective of K seed actions (chosen at random, each to another random
objective), computes the out-of-fold probabilities once with the training code's own
cross-validation (`pipeline.train.fit.cross_val_probabilities`, default GCM variants), and
asks both methods which labels look wrong:

- pmm: `pipeline.train.suspects.label_issues` (per-class thresholds, ranked by self-confidence);
- cleanlab: `cleanlab.filter.find_label_issues(..., filter_by="prune_by_noise_rate",
  return_indices_ranked_by="self_confidence")`, its default.

Reported per method: flagged, planted found (recall), precision, and average precision of the
ranking (planted errors first is what a reviewer wants). pmm uses cleanlab only if it finds the
same or better; the verdict is in the result file.

Run:  .venv/bin/python benchmarks/bench_suspects.py   (needs `pip install -e '.[bench]'`;
about 5 minutes on 2 cores with a warm embedding cache). Writes benchmarks/results/suspects.json.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.corpus import load_seed  # noqa: E402
from pipeline.schemes import GCM  # noqa: E402
from pipeline.taxonomy import load_scheme  # noqa: E402
from pipeline.train.fit import cross_val_probabilities  # noqa: E402
from pipeline.train.suspects import label_issues  # noqa: E402

from figures import write_result  # noqa: E402


def average_precision(ranked: list[int], planted: set[int]) -> float:
    hits, total = 0, 0.0
    for k, index in enumerate(ranked, 1):
        if index in planted:
            hits += 1
            total += hits / k
    return total / len(planted) if planted else 0.0


def score(ranked: list[int], planted: set[int]) -> dict:
    found = len(set(ranked) & planted)
    return {"flagged": len(ranked), "found": found, "planted": len(planted),
            "recall": round(found / len(planted), 3),
            "precision": round(found / len(ranked), 3) if ranked else 0.0,
            "average_precision": round(average_precision(ranked, planted), 3)}


def one_round(seed_rows, classes, k: int, rng: random.Random) -> dict:
    from cleanlab.filter import find_label_issues

    given = [str(row["objectives"][0]) for row in seed_rows]
    planted = set(rng.sample(range(len(given)), k))
    for i in planted:
        given[i] = rng.choice([c for c in classes if c != given[i]])
    probs = np.asarray(cross_val_probabilities([r["text"] for r in seed_rows], [[g] for g in given], GCM))
    ours = [issue.index for issue in label_issues(probs, [{g} for g in given], classes)]
    column = {c: i for i, c in enumerate(classes)}
    theirs = find_label_issues(np.array([column[g] for g in given]), probs,
                               return_indices_ranked_by="self_confidence")
    return {"planted": sorted(planted), "pmm": score(ours, planted),
            "cleanlab": score([int(i) for i in theirs], planted)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--planted", type=int, default=8, help="labels flipped per round")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    seed_rows = load_seed()
    classes = [str(i) for i in load_scheme(GCM).ids]
    rounds = [one_round(seed_rows, classes, args.planted, random.Random(n)) for n in range(args.rounds)]
    summary = {}
    for method in ("pmm", "cleanlab"):
        for metric in ("recall", "precision", "average_precision", "flagged"):
            values = [r[method][metric] for r in rounds]
            summary.setdefault(method, {})[metric] = {"mean": round(float(np.mean(values)), 3),
                                                      "sd": round(float(np.std(values)), 3)}
    better = summary["cleanlab"]["average_precision"]["mean"] > summary["pmm"]["average_precision"]["mean"] \
        and summary["cleanlab"]["recall"]["mean"] >= summary["pmm"]["recall"]["mean"]
    verdict = "cleanlab" if better else "pmm (kept: cleanlab does not find the same or better)"
    show = lambda m: (f"recall {summary[m]['recall']['mean']:.2f} ± {summary[m]['recall']['sd']:.2f}, "  # noqa: E731
                      f"precision {summary[m]['precision']['mean']:.2f}, "
                      f"AP {summary[m]['average_precision']['mean']:.2f} ± {summary[m]['average_precision']['sd']:.2f}")
    on = (f"{args.planted} objectives flipped among the {len(seed_rows)} seed actions, {args.rounds} rounds, "
          "out-of-fold probabilities of the default GCM ensemble")
    figures = [{"what": "suspect labels, pmm's confident learning (in use)", "figure": show("pmm"), "on": on},
               {"what": "suspect labels, cleanlab find_label_issues", "figure": show("cleanlab"), "on": on}]
    payload = {"rounds": rounds, "summary": summary, "in_use": verdict,
               "seconds": round(time.perf_counter() - started, 1)}
    path = write_result("suspects", payload, figures)
    for row in figures:
        print(f"{row['what']}: {row['figure']}")
    print(f"in use: {verdict}\nWrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
