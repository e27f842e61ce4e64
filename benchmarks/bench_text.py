"""The text layer on the seed corpus: sentences, actor attribution, evidence, challenges, word keys.

What pmm's language handling decides, measured where it shows:

- sentences: how many sentences the splitter finds in the 76 seed actions, and how many of its
  cuts fall right after an abbreviation ("H.", "Lic.", "Chis.", ...) or before a lower-case word
  (a cut inside a sentence);
- actor attribution: (a) the actor the first sentence of each seed action names first, and (b)
  the actor `extract_file` gives each record of the bundled sample PDFs, both against the seed's
  actor; the second is what the store holds after `pmm ingest`;
- evidence: the sentences the current GCM model quotes for the seed's own objective, their count
  and how many are abbreviation fragments;
- challenges: the current challenge model on the sample retos (corpus/samples/retos.yaml),
  against the categories their author intended (not gold labels; a relative check);
- word keys: the evidence lexicon used as a classifier (argmax of its per-label score), fitted on
  the GCM label texts and tested on the seed, for each way of turning a word into its key.

Run:  .venv/bin/python benchmarks/bench_text.py   (about five minutes on 2 cores; the models'
embeddings are cached under $PMM_CACHE after the first run). Writes benchmarks/results/text.json.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.classify.features import DEFAULT_KEYS, KEY_KINDS, Lexicon  # noqa: E402
from pipeline.corpus import load_seed  # noqa: E402
from pipeline.extract import extract_file  # noqa: E402
from pipeline.text import normal_form  # noqa: E402
from pipeline.extract.extraction import _named_actors  # noqa: E402
from pipeline.taxonomy import load_actors, load_scheme  # noqa: E402
from pipeline.text import lemma_table, split_sentences  # noqa: E402

from figures import write_result  # noqa: E402

RESULT = ROOT / "benchmarks" / "results" / "text.json"
SAMPLES = ROOT / "corpus" / "samples"
# Abbreviations the reports use; a cut right after one is a cut inside a sentence.
ABBREVIATION_END = re.compile(
    r"(?:\b(?:[A-ZÁÉÍÓÚÑ]|Lic|Ing|Dr|Dra|Mtro|Mtra|Sr|Sra|Arq|Profr?|Chis|Edo|Méx|Gto|Jal|Mich|"
    r"Oax|Gro|Ver|Tamps|Tab|Qro|Pue|Mor|Hgo|Col|Ags|Zac|Dgo|Nay|Sin|Son|Chih|Coah|Camp|Yuc|Tlax|"
    r"núm|Núm|No|art|Art|fracc|pág|aprox|etc|Av|Col|C\.V|S\.A|S\.C|A\.C|Cía|Mpio|Admón|Depto|Ej|"
    r"Gral|Lic|Subsec|Secr?|Of|Dir)\.)$")


def measure_sentences(seed) -> dict:
    total = after_abbreviation = before_lower = 0
    examples = []
    for row in seed:
        parts = split_sentences(row["text"])
        total += len(parts)
        for left, right in zip(parts, parts[1:]):
            bad = False
            if ABBREVIATION_END.search(left):
                after_abbreviation += 1
                bad = True
            if right[:1].islower():
                before_lower += 1
                bad = True
            if bad and len(examples) < 8:
                examples.append(f"{left[-40:]} | {right[:30]}")
    return {"actions": len(seed), "sentences": total, "cuts_after_abbreviation": after_abbreviation,
            "cuts_before_lower_case": before_lower, "examples": examples}


def measure_actor_in_text(seed, actors) -> dict:
    right = lead_found = 0
    wrong = []
    for row in seed:
        # the actor extraction attributes from an action's own text (its first sentence first)
        lead, later = _named_actors(row["text"], actors)
        found = lead or later
        lead_found += lead is not None
        if found is not None and found.id == row["actor"]:
            right += 1
        elif len(wrong) < 12:
            wrong.append({"id": row["id"], "expected": row["actor"], "found": found and found.id})
    return {"actions": len(seed), "right": right, "first_sentence_names_one": lead_found,
            "wrong": wrong}


def measure_actor_in_samples(seed, actors, gcm) -> dict:
    expected = {normal_form(row["text"]): row["actor"] for row in seed}
    right = total = 0
    wrong = []
    started = time.perf_counter()
    for path in sorted(SAMPLES.glob("*.pdf")):
        try:
            extraction = extract_file(path, actors=actors, gcm=gcm)
        except Exception:  # the deliberately scanned sample
            continue
        for record in extraction.records:
            actor = expected.get(normal_form(record["text"]))
            if actor is None:
                continue
            total += 1
            if record["actor"] == actor:
                right += 1
            elif len(wrong) < 12:
                wrong.append({"file": path.name, "expected": actor, "found": record["actor"]})
    return {"records": total, "right": right, "wrong": wrong,
            "seconds": round(time.perf_counter() - started, 1)}


def measure_evidence(seed) -> dict:
    from pipeline.classify import load_model

    model = load_model("gcm")
    results = model.predict([row["text"] for row in seed])
    quoted = fragments = own_label = 0
    for row, result in zip(seed, results):
        for label, item in result["evidence"].items():
            for sentence in item["sentences"]:
                quoted += 1
                fragments += bool(ABBREVIATION_END.search(sentence.rstrip(" …")))
        own_label += any(str(o) in result["assigned"] for o in row["objectives"])
    return {"model": model.version, "sentences_quoted": quoted,
            "quoted_ending_in_abbreviation": fragments,
            "mean_sentence_chars": round(float(np.mean([
                len(s) for r in results for item in r["evidence"].values() for s in item["sentences"]])), 1),
            "actions_with_own_objective_assigned": own_label}


def measure_challenges(seed) -> dict:
    from pipeline.classify import load_model

    entries = yaml.safe_load((SAMPLES / "retos.yaml").read_text(encoding="utf-8"))
    ids = [i for i in entries if entries[i].get("intended")]
    texts = [" ".join(entries[i]["retos"].split()) for i in ids]
    model = load_model("challenge")
    results = model.predict(texts, evidence=False)
    hits = assigned = intended = top1 = 0
    for action_id, result in zip(ids, results):
        want = set(entries[action_id]["intended"])
        got = set(result["assigned"])
        hits += len(want & got)
        assigned += len(got)
        intended += len(want)
        top1 += result["labels"][0]["label"] in want
    precision = hits / assigned if assigned else 0.0
    recall = hits / intended if intended else 0.0
    return {"model": model.version, "texts": len(ids), "assigned": assigned,
            "precision": round(precision, 3), "recall": round(recall, 3),
            "f1": round(2 * precision * recall / (precision + recall), 3) if hits else 0.0,
            "top1_intended": top1}


def measure_word_keys(seed) -> dict:
    """Lexicon-as-classifier top-1/top-3 on the seed, trained on the GCM label texts alone."""
    from pipeline.train.data import label_examples

    labels = [str(i) for i in load_scheme("gcm").ids]
    train = label_examples("gcm")
    out = {}
    for kind in KEY_KINDS:
        if kind.startswith("lemma"):
            try:
                lemma_table("es")
            except (OSError, ValueError):
                out[kind] = "spacy-lookups-data is not installed (pip install -e '.[bench]')"
                continue
        lexicon = Lexicon.fit([e.text for e in train], [e.labels for e in train], keys=kind)
        top1 = top3 = 0
        for row in seed:
            scores = np.array([lexicon.score(row["text"], label) for label in labels])
            order = [labels[i] for i in np.argsort(-scores, kind="stable")]
            want = {str(o) for o in row["objectives"]}
            top1 += order[0] in want
            top3 += bool(want & set(order[:3]))
        out[kind] = {"top1": round(top1 / len(seed), 3), "top3": round(top3 / len(seed), 3)}
    return out


def figures(result: dict) -> list[dict]:
    rows = []
    s = result["sentences"]
    rows.append({"what": "sentence splitter: cuts inside a sentence (after an abbreviation or before "
                         "a lower-case word)",
                 "figure": f"{s['cuts_after_abbreviation'] + s['cuts_before_lower_case']} of "
                           f"{s['sentences'] - s['actions']} cuts",
                 "on": f"the {s['actions']} seed actions"})
    a = result["actor_in_samples"]
    rows.append({"what": "actor attribution by extraction",
                 "figure": f"{a['right']}/{a['records']}",
                 "on": "records of the bundled sample PDFs, against the seed's actor"})
    keys = result.get("word_keys") or {}
    if keys:
        chosen = result.get("word_key_in_use")
        rows.append({"what": f"evidence lexicon as a GCM classifier (word keys: {chosen})",
                     "figure": f"top-1 {keys[chosen]['top1']:.2f}, top-3 {keys[chosen]['top3']:.2f}",
                     "on": f"the {s['actions']} seed actions, lexicon fitted on the label texts only"})
    c = result["challenges"]
    rows.append({"what": "challenges: assigned vs the categories the sample retos were written for",
                 "figure": f"precision {c['precision']:.2f}, recall {c['recall']:.2f}",
                 "on": f"{c['texts']} illustrative retos (not gold labels)"})
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=RESULT)
    parser.add_argument("--no-samples", action="store_true", help="skip extracting the sample PDFs")
    args = parser.parse_args(argv)
    seed = load_seed()
    actors = load_actors()
    result = {"sentences": measure_sentences(seed),
              "actor_in_text": measure_actor_in_text(seed, actors)}
    if not args.no_samples:
        result["actor_in_samples"] = measure_actor_in_samples(seed, actors, load_scheme("gcm"))
    result["evidence"] = measure_evidence(seed)
    result["challenges"] = measure_challenges(seed)
    result["word_keys"] = measure_word_keys(seed)
    result["word_key_in_use"] = DEFAULT_KEYS
    write_result(args.out.stem, result, [] if args.no_samples else figures(result), args.out.parent)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
