"""The second year on the two-year fixture: are duplicates and continuing programmes found, does
the comparison report count what the truth says, and how much review does year two need?

Setting: tests/fixtures/two_year/ (tools/make_two_year_fixture.py, from the seed corpus): period
2022 (the seed actions but ten kept back, plus the four the Informe 2022 prints twice) and period
2023 (most programmes again with new figures and dates, some ended, the ten new, and a few
reported twice: by the same actor, and by a partner agency with the same name and figures).
Every PDF goes through `pmm ingest` with no --period (periods come from the documents' dates); the
2022 labels are recorded as the Informe's decisions; then pmm finds 2022's and 2023's duplicate
pairs and links 2023's actions to the 2022 ones they continue.

Measured:
- precision and recall of duplicate pairs and of continuation links (a link is right when it
  points to the 2022 action, or its printed-twice copy, that the truth says it continues);
- the year-two review: carried-forward labels confirmed in one bulk step, new programmes decided
  one by one, duplicate pairs resolved, against deciding every 2023 action one by one;
- whether the comparison report's per-objective counts and new / continuing / ended programmes
  per actor equal the truth's, once a person has resolved the pairs;
- how close the hardest pairs are (overlap of word triples, cosine), so the margin is visible;
- the same on fixtures drawn with other random seeds (other programmes new, ended, repeated).

Run:  .venv/bin/python benchmarks/bench_second_year.py   (about a minute a fixture once the
embeddings are cached; writes benchmarks/results/second_year.json)
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from pipeline.report.compare import compare_periods  # noqa: E402
from pipeline.store import connect  # noqa: E402
from tools import two_year_eval as ev  # noqa: E402
from tools.make_two_year_fixture import DEFAULT_OUT, RANDOM_SEED, make_fixture  # noqa: E402

RESULT = HERE / "results" / "second_year.json"
OTHER_SEEDS = (7, 11)


def run_once(fixture_dir: Path, embedder: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        engine = connect(str(Path(tmp) / "pmm.sqlite"))
        started = time.perf_counter()
        state = ev.prepare(engine, fixture_dir, embedder=embedder)
        result = {"periods": ev.score_periods(state), "duplicates": ev.score_duplicates(state),
                  "continuations": ev.score_continuations(state),
                  "margins": ev.margins(engine, state, embedder=embedder)}
        result["review"] = ev.review_year_two(engine, state)
        with engine.connect() as conn:
            tables = compare_periods(conn, period=ev.CURRENT, previous=ev.PREVIOUS)["tables"]
        result["comparison_problems"] = ev.compare_with_truth(tables, ev.expected_comparison(state))
        summary = tables["compare_summary"].set_index("metric")
        result["comparison"] = {k: {"previous": summary.at[k, "previous"], "current": summary.at[k, "current"]}
                                for k in summary.index}
        result["seconds"] = round(time.perf_counter() - started, 1)
        engine.dispose()
    return result


def table(rows, columns) -> str:
    widths = [max(len(str(c)), *(len(str(r[i])) for r in rows)) for i, c in enumerate(columns)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(columns, widths))]
    lines += ["  ".join(str(v).ljust(w) for v, w in zip(r, widths)) for r in rows]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", default="e5", choices=["e5", "use"])
    parser.add_argument("--seeds", type=int, nargs="*", default=list(OTHER_SEEDS),
                        help="other fixtures to draw and measure (default: %(default)s)")
    args = parser.parse_args(argv)
    runs = {RANDOM_SEED: run_once(DEFAULT_OUT, args.embedder)}
    for seed in args.seeds:
        with tempfile.TemporaryDirectory() as tmp:
            make_fixture(Path(tmp), random_seed=seed)
            runs[seed] = run_once(Path(tmp), args.embedder)

    rows = []
    for seed, r in runs.items():
        d, c, rv = r["duplicates"], r["continuations"], r["review"]
        rows.append([seed, f"{r['periods']['right']}/{r['periods']['actions']}",
                     f"{d['precision']:.2f}/{d['recall']:.2f} ({d['correct']}/{d['expected']})",
                     f"{c['precision']:.2f}/{c['recall']:.2f} ({c['correct']}/{c['expected']})",
                     f"{rv['reviewed_one_by_one']} + {rv['carried_confirmations']} in 1 step + "
                     f"{rv['duplicate_pairs']} pairs vs {rv['actions']}",
                     "match" if not r["comparison_problems"] else f"{len(r['comparison_problems'])} differ",
                     r["seconds"]])
    print(table(rows, ["fixture seed", "periods right", "duplicates P/R", "continuations P/R",
                       "year-two review", "comparison vs truth", "s"]))
    print()
    margin_rows = [[seed, kind, f"{m['true_min_overlap']:.2f} / {m['true_min_cosine']:.3f}",
                    f"{m['other_max_overlap']:.2f} / {m['other_max_cosine']:.3f}"]
                   for seed, r in runs.items() for kind, m in r["margins"].items()]
    print(table(margin_rows, ["fixture seed", "pairs", "least alike true pair (overlap / cos)",
                              "most alike other pair (overlap / cos)"]))

    main_run = runs[RANDOM_SEED]
    d, c, rv = main_run["duplicates"], main_run["continuations"], main_run["review"]
    n = len(runs)
    on = (f"two-year fixture (tests/fixtures/two_year, {main_run['periods']['actions']} actions from the "
          f"seed corpus rendered to PDF and ingested; embedder {args.embedder})")
    spread = lambda key, part: f"min {min(r[key][part] for r in runs.values()):.2f} over {n} fixtures"  # noqa: E731
    figures = [
        {"what": "second year: duplicate pairs, precision / recall",
         "figure": f"{d['precision']:.2f} / {d['recall']:.2f} ({d['correct']} of {d['expected']} pairs); "
                   f"{spread('duplicates', 'precision')} / {spread('duplicates', 'recall')}", "on": on},
        {"what": "second year: continuing programmes, precision / recall",
         "figure": f"{c['precision']:.2f} / {c['recall']:.2f} ({c['correct']} of {c['expected']} links); "
                   f"{spread('continuations', 'precision')} / {spread('continuations', 'recall')}",
         "on": on},
        {"what": "second year: review of period 2023",
         "figure": f"{rv['reviewed_one_by_one']} new programmes one by one + {rv['carried_confirmations']} "
                   f"carried-forward labels confirmed in 1 bulk step + {rv['duplicate_pairs']} duplicate "
                   f"pairs, instead of {rv['actions']} actions one by one", "on": on},
        {"what": "second year: comparison report vs truth",
         "figure": f"{sum(not r['comparison_problems'] for r in runs.values())} of {n} fixtures match "
                   "(per-objective counts of both periods; new / continuing / ended per actor)", "on": on},
    ]
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps({"figures": figures, "embedder": args.embedder,
                                  "runs": {str(k): v for k, v in runs.items()}},
                                 ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
    print(f"\n{RESULT}")
    ok = all(r["duplicates"]["precision"] >= 0.95 and r["duplicates"]["recall"] >= 0.95
             and r["continuations"]["precision"] >= 0.95 and r["continuations"]["recall"] >= 0.95
             for r in runs.values())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
