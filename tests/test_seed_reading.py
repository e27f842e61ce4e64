"""The seed corpus checked against an independent reading of the Informe 2022, section IV.

`tests/data/informe_2022_reading.csv` was written by a second reader who placed every action of
section IV under its objective from the PDF layout and the content, without looking at the seed
corpus. Two readers agreeing is the best evidence the seed labels have: these tests fail on every
action the two readings disagree on, and list each one, so that a human decides which reading is
wrong.
"""

import csv
import json
from pathlib import Path

import pytest

from pipeline.text import normal_form

REPO = Path(__file__).resolve().parent.parent
READING_CSV = REPO / "tests" / "data" / "informe_2022_reading.csv"
SEED_JSONL = REPO / "corpus" / "seed" / "informe_2022_actions.jsonl"
CONFIDENCES = {"high", "medium", "low"}


def load_reading():
    with READING_CSV.open(encoding="utf-8", newline="") as fh:
        return [
            {"start": normal_form(row["start"]), "objective": int(row["objective"]),
             "confidence": row["confidence"], "reason": row["reason"]}
            for row in csv.DictReader(fh)
        ]


def load_seed_actions():
    """The seed through the library when it offers a loader, else straight from the JSONL file."""
    try:
        import pipeline.corpus as corpus
    except ModuleNotFoundError as missing:
        if missing.name != "pipeline.corpus":
            raise
        corpus = None
    load_seed = getattr(corpus, "load_seed", None)
    if load_seed is not None:
        actions = load_seed()
    else:
        assert SEED_JSONL.exists(), f"{SEED_JSONL} is missing: the seed corpus must be in the repo"
        with SEED_JSONL.open(encoding="utf-8") as fh:
            actions = [json.loads(line) for line in fh if line.strip()]
    return [
        {"id": action.get("id"), "text": normal_form(action["text"]),
         "objectives": sorted(int(o) for o in action["objectives"])}
        for action in actions
    ]


def match(reading, seed):
    """For each reading row, the seed actions whose text starts with it, and the reverse."""
    seeds_of_row = [[s for s in seed if s["text"].startswith(row["start"])] for row in reading]
    rows_of_seed = [[r for r in reading if s["text"].startswith(r["start"])] for s in seed]
    return seeds_of_row, rows_of_seed


def describe_seed(action):
    return f"{action['id']!r} {action['text'][:50]!r} (seed objectives {action['objectives']})"


@pytest.fixture(scope="module")
def reading():
    return load_reading()


@pytest.fixture(scope="module")
def seed():
    return load_seed_actions()


def test_seed_reading_oracle_is_well_formed(reading):
    # Prefix matching only works if no start is a prefix of another one.
    starts = [row["start"] for row in reading]
    overlapping = [(a, b) for a in starts for b in starts if a is not b and b.startswith(a)]
    assert not overlapping, f"reading starts that are prefixes of one another: {overlapping}"
    assert all(len(start) >= 40 for start in starts)
    assert {row["confidence"] for row in reading} <= CONFIDENCES
    # Section IV gives at least one example for each of the 23 objectives.
    assert sorted({row["objective"] for row in reading}) == list(range(1, 24))


def test_seed_reading_action_sets_agree(reading, seed):
    seeds_of_row, rows_of_seed = match(reading, seed)
    problems = []
    for row, found in zip(reading, seeds_of_row):
        if len(found) != 1:
            matches = "; ".join(describe_seed(s) for s in found) or "none"
            problems.append(f"reading {row['start']!r} (reading objective {row['objective']}) "
                            f"matches {len(found)} seed actions: {matches}")
    for action, found in zip(seed, rows_of_seed):
        if len(found) != 1:
            problems.append(f"seed {describe_seed(action)} matches {len(found)} reading rows")
    assert not problems, (f"{len(problems)} disagreements on which actions section IV holds "
                          f"({len(reading)} in the reading, {len(seed)} in the seed):\n"
                          + "\n".join(problems))


def test_seed_reading_objectives_agree(reading, seed):
    seeds_of_row, _ = match(reading, seed)
    problems = [
        f"{row['start']!r}: reading says {row['objective']} ({row['confidence']}: {row['reason']}), "
        f"seed {found[0]['id']!r} says {found[0]['objectives']}"
        for row, found in zip(reading, seeds_of_row)
        if len(found) == 1 and row["objective"] not in found[0]["objectives"]
    ]
    matched = sum(len(found) == 1 for found in seeds_of_row)
    assert not problems, (f"{len(problems)} of {matched} matched actions disagree on the objective:\n"
                          + "\n".join(problems))
