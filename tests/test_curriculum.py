"""The curriculum written for pmm (corpus/curriculum/): loads, is labelled validly, stays apart
from the seed corpus, and is held out by group."""

import json
import re
from collections import Counter

import pytest

from pipeline.corpus import CURRICULUM_FILES, check_curriculum_row, load_curriculum, load_seed
from pipeline.errors import BadInput
from pipeline.taxonomy import load_scheme
from pipeline.train.data import curriculum_examples, gcm_actions, is_heldout

# A run of this many words shared with a seed action is copied text; shorter runs are the shared
# register ("en el periodo de junio de 2021 a junio de 2022 se llevaron a cabo") or an agency's
# full name (FEVIMTRA's runs to 16 words with its article and acronym).
SHINGLE = 20


def shingles(text):
    words = re.findall(r"\w+", text.casefold())
    return {" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


@pytest.mark.parametrize("scheme", list(CURRICULUM_FILES))
def test_curriculum_loads_with_unique_ids_and_valid_labels(scheme):
    rows = load_curriculum(scheme)
    assert rows, f"corpus/curriculum/{CURRICULUM_FILES[scheme]} is empty"
    assert len({r["id"] for r in rows}) == len(rows)
    assert all(r["source"] and r["text"].strip() and r["lang"] in ("es", "en") for r in rows)
    if scheme == "gcm-action":
        return
    valid = set(load_scheme({"gcm": "gcm", "challenge": "challenge", "sdg-target": "sdg"}[scheme],
                            "target" if scheme == "sdg-target" else "goal").ids)
    assert all(set(r["labels"]) <= valid and r["group"] for r in rows)


def test_curriculum_counts():
    gcm = Counter((r["labels"][0], r["lang"]) for r in load_curriculum("gcm"))
    for objective in load_scheme("gcm").ids:
        assert gcm[(objective, "es")] >= 30 and gcm[(objective, "en")] >= 15, objective
    # Every lettered action of the GCM has a Spanish rendering, and is illustrated by a text.
    actions = gcm_actions()
    assert len(actions) == 187 and all(a["text_es"] for a in actions)
    challenge = Counter(r["labels"][0] for r in load_curriculum("challenge"))
    assert all(challenge[c] >= 10 for c in load_scheme("challenge").ids)
    targets = Counter(r["labels"][0] for r in load_curriculum("sdg-target"))
    for target in ("8.8", "10.2", "10.3", "10.7", "10.c", "16.2", "16.9", "4.7", "5.2", "3.8", "1.3", "17.18"):
        assert targets[target] >= 15, target
    # About one GCM text in four serves a second objective.
    multi = sum(len(r["labels"]) > 1 for r in load_curriculum("gcm")) / sum(gcm.values())
    assert 0.1 < multi < 0.5


def test_curriculum_does_not_copy_the_seed():
    seed = [" ".join(r["text"].split()).casefold() for r in load_seed()]
    seed_shingles = set().union(*(shingles(t) for t in seed))
    for scheme in CURRICULUM_FILES:
        for row in load_curriculum(scheme):
            text = " ".join(row["text"].split()).casefold()
            assert text not in seed, row["id"]
            assert not shingles(text) & seed_shingles, row["id"]


def test_curriculum_hold_out_keeps_groups_together():
    examples = curriculum_examples("gcm")
    held = {e.group for e in examples if is_heldout(e)}
    trained = {e.group for e in examples if not is_heldout(e)}
    assert held and trained and not held & trained
    assert 0.1 < len(held) / len(held | trained) < 0.3


def test_curriculum_bad_rows_name_the_line(tmp_path):
    good = {"id": "gcm-07-es-001", "scheme": "gcm", "lang": "es", "labels": ["7"], "group": "7c",
            "text": "Se brindó atención a personas migrantes en situación de vulnerabilidad.",
            "source": "written for pmm"}
    check_curriculum_row(good, "x:1")
    for bad, reason in [({**good, "labels": ["24"]}, "unknown gcm label"), ({**good, "lang": "fr"}, "lang"),
                        ({**good, "labels": []}, "missing"), ({**good, "extra": 1}, "unknown key")]:
        with pytest.raises(BadInput, match=reason):
            check_curriculum_row(bad, "x:1")
    (tmp_path / "gcm.jsonl").write_text(json.dumps(good) + "\n" + json.dumps(good) + "\n", encoding="utf-8")
    with pytest.raises(BadInput, match=r"gcm.jsonl:2: duplicate id"):
        load_curriculum("gcm", tmp_path)
