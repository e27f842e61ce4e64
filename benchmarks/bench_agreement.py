"""How often an expert's blind second opinion agrees with a text's label: the ceiling a classifier
is measured against.

Four labellers (the project's domain experts) filed texts under GCM objectives without seeing
their labels (corpus/curriculum/second_opinions.jsonl): every one of the 76 seed actions (label:
the objective the Informe Ejecutivo 2022 prints it under) and a sample of curriculum texts
(label: the writer's). Figures: strict (the opinion's first objective is the text's first),
any-of (the opinion's first is among the text's objectives), names-first (the text's first objective is
among the opinion's 1-3), for the seed per labeller (mean and
range over the four), their majority, and the labellers' agreement among themselves.

Run:  .venv/bin/python benchmarks/bench_agreement.py   (seconds)
"""

from __future__ import annotations

import itertools
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.corpus import load_curriculum, load_seed  # noqa: E402
from pipeline.jsonl import parse_lines  # noqa: E402

from figures import write_result  # noqa: E402

OPINIONS = ROOT / "corpus" / "curriculum" / "second_opinions.jsonl"


def load_opinions(path: Path = OPINIONS) -> list[dict]:
    return [row for _, _, row in parse_lines(path.read_text(encoding="utf-8").splitlines(), path)]


def agreement(opinions, gold: dict[str, list[str]]) -> dict:
    """Strict and any-of agreement of each opinion's first label with `gold` ({id: labels})."""
    rows = [(o, gold[o["of"]]) for o in opinions if o["of"] in gold]
    strict = [o["labels"][0] == g[0] for o, g in rows]
    any_of = [o["labels"][0] in g for o, g in rows]
    named = [g[0] in o["labels"] for o, g in rows]
    mean = (lambda hits: round(float(np.mean(hits)), 3) if rows else None)  # noqa: E731
    return {"n": len(rows), "strict": mean(strict), "any_of": mean(any_of), "names_first": mean(named)}


def main() -> int:
    opinions = load_opinions()
    seed = {row["id"]: [str(o) for o in row["objectives"]] for row in load_seed()}
    curriculum = {row["id"]: list(row["labels"]) for row in load_curriculum("gcm")}
    on_seed = [o for o in opinions if o["kind"] == "seed"]
    on_curriculum = [o for o in opinions if o["kind"] == "curriculum"]
    labellers = sorted({o["labeller"] for o in on_seed})
    per_labeller = {who: agreement([o for o in on_seed if o["labeller"] == who], seed) for who in labellers}

    by_text = defaultdict(dict)
    for o in on_seed:
        by_text[o["of"]][o["labeller"]] = o["labels"]
    majority = []
    for text_id, votes in by_text.items():
        counts = Counter(labels[0] for labels in votes.values())
        top, n = counts.most_common(1)[0]
        majority.append({"of": text_id, "labels": [top], "unanimous": n == len(votes)})
    pairs = [np.mean([by_text[t][a][0] == by_text[t][b][0] for t in by_text if a in by_text[t] and b in by_text[t]])
             for a, b in itertools.combinations(labellers, 2)]
    # Where the experts' majority and the Informe part ways: (Informe's objective, majority's).
    disagreements = Counter((seed[m["of"]][0], m["labels"][0]) for m in majority if m["labels"][0] != seed[m["of"]][0])
    on_cur = agreement(on_curriculum, curriculum)
    strict = [r["strict"] for r in per_labeller.values()]
    named = [r["names_first"] for r in per_labeller.values()]
    maj = agreement(majority, seed)
    payload = {"how": __doc__.strip().splitlines()[0], "per_labeller_on_seed": per_labeller,
               "majority_on_seed": {**maj, "unanimous": sum(m["unanimous"] for m in majority)},
               "pairwise_first_label_on_seed": [round(float(p), 3) for p in pairs],
               "seed_disagreements_informe_vs_majority": {f"{a}->{b}": n for (a, b), n in disagreements.most_common()},
               "on_curriculum": on_cur}
    figures = [
        {"what": "expert second opinion vs the Informe's filing (GCM objective, blind)",
         "figure": f"strict {np.mean(strict):.2f} (labellers {min(strict):.2f}–{max(strict):.2f}), "
                   f"majority of {len(labellers)} {maj['strict']:.2f}; names the Informe's objective among its "
                   f"1–3: {np.mean(named):.2f}",
         "on": f"the {len(seed)} seed actions, {len(labellers)} labellers who saw neither the Informe nor the labels"},
        {"what": "expert second opinions among themselves (GCM objective)",
         "figure": f"same first objective {np.mean(pairs):.2f} (pairs {min(pairs):.2f}–{max(pairs):.2f})",
         "on": f"the {len(seed)} seed actions, {len(pairs)} pairs of labellers"},
        {"what": "expert second opinion vs the curriculum writer (GCM objective)",
         "figure": f"strict {on_cur['strict']:.2f}, any-of {on_cur['any_of']:.2f}, names the writer's first "
                   f"{on_cur['names_first']:.2f}",
         "on": f"{on_cur['n']} curriculum texts (training part), one blind opinion each"},
    ]
    path = write_result("agreement", payload, figures)
    for row in figures:
        print(f"{row['what']}: {row['figure']}  [{row['on']}]")
    print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
