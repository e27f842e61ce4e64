"""Regenerate sdg_indicators.csv, sdg_aurora_terms.csv and sdg_aurora_queries.csv from the corpus sources.

Usage:
    python corpus/taxonomy/build_sdg_extras.py CORPUS_SOURCES [--out DIR]

CORPUS_SOURCES is the folder holding `sdg-es-en-open-sdg/` and `sdg-queries-en/`; DIR defaults
to this script's folder. Only the standard library is used.

- sdg_indicators.csv (id, target, goal, title_es, title_en): the indicators of the open-sdg
  export (UN official texts, Spanish and English; repository MIT).
- sdg_aurora_terms.csv (target, goal, terms_en): the quoted search phrases of the Aurora
  Universities Network SDG queries v5.0 for each target (CC BY 4.0, Aurora Network), wildcards
  dropped, one "; "-separated list per target. Used as English keyword texts of the target.
- sdg_aurora_queries.csv (target, goal, query): the same queries' lines as they are (Scopus
  boolean syntax), one per row; the target is the goal itself for a sub-query covering the
  whole goal. Matched on texts by pipeline/classify/queries.py.
"""

import argparse
import csv
import json
import re
import sys
from pathlib import Path

from build_sdg import tidy, write_csv  # the sibling script: same text tidying, same CSV shape

OPEN_SDG_FILE = Path("sdg-es-en-open-sdg") / "sdg_goals_targets_indicators_es_en.csv"
AURORA_FILE = Path("sdg-queries-en") / "aurora_sdg_queries_v5.json"
INDICATOR_COLUMNS = ("id", "target", "goal", "title_es", "title_en")
AURORA_COLUMNS = ("target", "goal", "terms_en")
QUERY_COLUMNS = ("target", "goal", "query")
QUOTED = re.compile(r'"([^"]+)"')
TARGET_URI = re.compile(r"/sdg/(\d+\.[0-9a-z]+)$")


def indicators(source: Path) -> list[dict]:
    with open(source / OPEN_SDG_FILE, encoding="utf-8", newline="") as stream:
        rows = [row for row in csv.DictReader(stream) if row["level"] == "indicator"]
    out = []
    for row in rows:
        target = ".".join(row["id"].split(".")[:2])
        out.append({"id": row["id"], "target": target, "goal": row["goal"],
                    "title_es": tidy(row["title_es"]), "title_en": tidy(row["title_en"])})
    return out


def aurora_subqueries(source: Path):
    """(goal, target id or None when a sub-query covers the whole goal, sub-query) in file order."""
    data = json.loads((source / AURORA_FILE).read_text(encoding="utf-8"))
    for query in data["queries"]:
        for sub in query["subqueries"]:
            match = TARGET_URI.search(sub.get("uri", ""))
            yield str(query["sdg"]), (match.group(1) if match else None), sub


def aurora_terms(source: Path) -> list[dict]:
    out = []
    for goal, target, sub in aurora_subqueries(source):
        if target is None:
            continue  # one sub-query covers the whole goal, not a target
        phrases = []
        for line in sub["query_lines"]:
            for phrase in QUOTED.findall(line["query"]):
                # "eradicat*" -> "eradicat": a stem still matches and embeds as a word piece.
                phrase = tidy(phrase.replace("*", ""))
                if len(phrase) > 2 and phrase.lower() not in (p.lower() for p in phrases):
                    phrases.append(phrase)
        if phrases:
            out.append({"target": target, "goal": goal, "terms_en": "; ".join(phrases)})
    return out


def aurora_queries(source: Path) -> list[dict]:
    return [{"target": target or goal, "goal": goal, "query": " ".join(line["query"].split())}
            for goal, target, sub in aurora_subqueries(source) for line in sub["query_lines"]
            if line.get("field", "TITLE-ABS-KEY") == "TITLE-ABS-KEY"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="the corpus-sources folder")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args(argv)
    rows = indicators(args.source)
    terms = aurora_terms(args.source)
    write_csv(args.out / "sdg_indicators.csv", INDICATOR_COLUMNS, rows)
    write_csv(args.out / "sdg_aurora_terms.csv", AURORA_COLUMNS, terms)
    write_csv(args.out / "sdg_aurora_queries.csv", QUERY_COLUMNS, aurora_queries(args.source))
    print(f"wrote {len(rows)} indicators and Aurora terms for {len(terms)} targets to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
