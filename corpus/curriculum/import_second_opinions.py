"""Copy blind second opinions on GCM texts into `second_opinions.jsonl`.

Labellers (the project's domain experts, not the texts' writers) filed seed actions and
curriculum texts under GCM objectives without seeing their labels, the Informe or the
curriculum; their files carry opaque ids, which `KEY` maps back to the texts (see README.md).

Usage: python corpus/curriculum/import_second_opinions.py KEY.json L1.jsonl L2.jsonl ...
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from pipeline.jsonl import parse_lines  # noqa: E402

OUT = HERE / "second_opinions.jsonl"
GCM_IDS = {str(n) for n in range(1, 24)}
SOURCE = "second opinion written for pmm, blind to the text's labels"


def import_files(key_path: Path, paths, out: Path = OUT) -> dict[str, int]:
    key = json.loads(Path(key_path).read_text(encoding="utf-8"))
    rows, skipped = {}, 0
    for number, path in enumerate(paths, start=1):
        for _, where, row in parse_lines(Path(path).read_text(encoding="utf-8").splitlines(), path):
            try:
                target = key[row["id"]]
                labels = [str(label) for label in row["labels"]]
            except (KeyError, TypeError) as exc:
                print(f"skipped {where}: {exc!r}", file=sys.stderr)
                skipped += 1
                continue
            if not labels or not set(labels) <= GCM_IDS or len(set(labels)) != len(labels):
                print(f"skipped {where}: labels {labels!r}", file=sys.stderr)
                skipped += 1
                continue
            labeller = f"l{number}"
            rows[(target["source_id"], labeller)] = {
                "of": target["source_id"], "kind": target["kind"], "labeller": labeller, "labels": labels,
                "confidence": row.get("confidence", ""), "source": SOURCE}
    lines = [json.dumps(rows[k], ensure_ascii=False, sort_keys=True) for k in sorted(rows)]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"opinions": len(rows), "skipped": skipped}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("key", type=Path)
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)
    print(json.dumps(import_files(args.key, args.files)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
