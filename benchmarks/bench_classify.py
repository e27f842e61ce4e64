"""GCM classifier variants side by side: accuracy, calibration, speed and memory, in one table.

For each variant (one base model, or the default ensemble):

- cv top1/top3/macro-F1/ECE: 5-fold grouped cross-validation on the seed corpus (76 actions of
  the Informe Ejecutivo 2022), the label texts (titles, commitments, hints; es+en) in every
  training fold. Calibrated as the saved model is (GCM: temperature scaling fitted on
  out-of-fold scores of seed actions and label texts). Caveat: the first two hints of each
  objective were written with the seed corpus in view (the other four paraphrase the GCM's
  actions), so these numbers are optimistic for unseen reports; `pmm train`'s card also
  reports a fixed held-out split and an English-only check.
- zero-shot top1/top3: trained on the label texts alone (no seed action), tested on the seed.
- texts/s and peak MB: `Model.predict` (evidence included) on N generated texts (default
  10,000: seed sentences sampled and recombined), in a fresh subprocess with an empty
  embedding cache, so every text is embedded; peak MB is that process's ru_maxrss.

Run:  .venv/bin/python benchmarks/bench_classify.py            (about 40 minutes on 2 cores:
      e5 embeds ~15 texts/s)   --n 1000 for a quick look, --no-speed for accuracy only.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.classify.model import VariantSpec  # noqa: E402
from pipeline.corpus import load_seed  # noqa: E402
from pipeline.taxonomy import load_scheme  # noqa: E402
from pipeline.text import split_sentences  # noqa: E402

from figures import write_result  # noqa: E402
from pipeline.train import evaluate  # noqa: E402
from pipeline.train.data import label_examples, seed_examples  # noqa: E402
from pipeline.train.fit import DEFAULT_VARIANTS, fit_model  # noqa: E402

LR = {"C": 10.0}
VARIANTS = {
    "e5-lr": (VariantSpec("e5-lr", "e5", "lr", 1.0, LR),),
    "e5-proto": (VariantSpec("e5-proto", "e5", "proto", 1.0, {"temperature": 0.05}),),
    "e5-knn": (VariantSpec("e5-knn", "e5", "knn", 1.0, {"k": 2, "temperature": 0.05}),),
    "use-lr": (VariantSpec("use-lr", "use", "lr", 1.0, LR),),
    "tfidf-lr": (VariantSpec("tfidf-lr", "tfidf", "lr", 1.0, LR),),
    "ensemble (default)": DEFAULT_VARIANTS["gcm"],
}
COLUMNS = ["variant", "cv_top1", "cv_top3", "cv_macro_f1", "cv_ece", "cv_top_label_ece", "zeroshot_top1",
           "zeroshot_top3", "texts_per_s", "peak_mb"]


def synthetic_texts(n: int, seed: int = 0) -> list[str]:
    """n texts of 2-6 seed sentences each, sampled across actions (recombined, not copied)."""
    sentences = [s for row in load_seed() for s in split_sentences(row["text"]) if len(s) > 20]
    rng = random.Random(seed)
    return [" ".join(rng.sample(sentences, rng.randint(2, 6))) for _ in range(n)]


def accuracy(variants) -> dict:
    labels = list(load_scheme("gcm").ids)
    label_texts, seeds = label_examples("gcm"), seed_examples()
    _, report = fit_model(label_texts + seeds, labels, scheme="gcm", variants=variants)
    cv = report["cv"]["by_kind"]["seed"]
    zero, _ = fit_model(label_texts, labels, scheme="gcm", variants=variants)
    zs = evaluate.evaluate_model(zero, [e.text for e in seeds], [e.labels for e in seeds])
    return {"cv_top1": cv["top1"], "cv_top3": cv["top3"], "cv_macro_f1": cv["macro_f1"], "cv_ece": cv["ece"],
            "cv_top_label_ece": cv["top_label_ece"], "zeroshot_top1": zs["top1"], "zeroshot_top3": zs["top3"]}


def speed_child(variant: str, n: int) -> None:
    """Runs in a fresh process: fit (label texts from the warm cache), then time predict() on n
    new texts with an empty embedding cache, so each is embedded; print JSON."""
    labels = list(load_scheme("gcm").ids)
    model, _ = fit_model(label_examples("gcm") + seed_examples(), labels, scheme="gcm",
                         variants=VARIANTS[variant])
    texts = synthetic_texts(n)
    with tempfile.TemporaryDirectory() as cache:
        os.environ["PMM_CACHE"] = cache  # read at each call: the test texts start uncached
        start = time.perf_counter()
        for i in range(0, n, 256):
            model.predict(texts[i:i + 256])
        elapsed = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"texts_per_s": round(n / elapsed, 1), "peak_mb": round(peak_mb),
                      "load_average": round(os.getloadavg()[0], 1)}))


def speed(variant: str, n: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", variant, "--n", str(n)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="texts for the speed/memory columns")
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--variant", action="append", help="only these variants (repeatable)")
    parser.add_argument("--figures-only", action="store_true",
                        help="recompute the figure rows of benchmarks/results/classify.json, run nothing")
    args = parser.parse_args(argv)
    if args.figures_only:
        path = ROOT / "benchmarks" / "results" / "classify.json"
        result = json.loads(path.read_text(encoding="utf-8"))
        write_result("classify", {k: v for k, v in result.items() if k != "figures"},
                     figures(result["variants"], result["n_speed_texts"]))
        return 0
    if args.child:
        speed_child(args.child, args.n)
        return 0
    rows = []
    for name in args.variant or VARIANTS:
        row = {"variant": name, **accuracy(VARIANTS[name])}
        if not args.no_speed:
            row.update(speed(name, args.n))
        rows.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
    speed_note = "" if args.no_speed else f"; speed and memory on {args.n:,} new texts"
    print(f"GCM classifier variants — seed corpus CV (5 folds) and zero-shot{speed_note}")
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    for row in rows:
        print("| " + " | ".join("" if row.get(c) is None else str(row.get(c)) for c in COLUMNS) + " |")
    write_result("classify", {"n_speed_texts": None if args.no_speed else args.n, "variants": rows},
                 figures(rows, None if args.no_speed else args.n))
    return 0


def figures(rows, n) -> list[dict]:
    out = []
    for row in rows:
        if row["variant"] == "ensemble (default)":
            out.append({"what": "GCM, 5-fold CV (default ensemble)",
                        "figure": f"top-1 {row['cv_top1']:.2f}, top-3 {row['cv_top3']:.2f}, "
                                  f"macro-F1 {row['cv_macro_f1']:.2f}",
                        "on": ("the seed actions (Spanish), label texts but no curriculum in every training fold "
                               "(the cards' seed CV trains with the curriculum)")})
            out.append({"what": "GCM, trained on the label texts alone",
                        "figure": f"top-1 {row['zeroshot_top1']:.2f}, top-3 {row['zeroshot_top3']:.2f}",
                        "on": "the 76 seed actions"})
    speeds = [f"{row['variant']} {row['texts_per_s']:g}/s" for row in rows if row.get("texts_per_s")]
    loads = [row["load_average"] for row in rows if row.get("load_average") is not None]
    busy = (f", load average {min(loads):g}-{max(loads):g} while measured" if loads else
            ", shared with other jobs while measured")
    if speeds:
        out.append({"what": "classification throughput (predict with evidence, nothing cached)",
                    "figure": ", ".join(speeds),
                    "on": f"{n:,} generated texts of 2-6 seed sentences, 2-core machine{busy}"})
    return out


if __name__ == "__main__":
    sys.exit(main())
