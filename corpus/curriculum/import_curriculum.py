"""Copy the curriculum from the writers' JSON-lines files into this folder, one file per scheme.

The curriculum is training data written for pmm by the project's domain experts (see README.md):
GCM action descriptions (`gcm.jsonl`), Spanish renderings of the GCM's lettered actions
(`gcm_actions_es.jsonl`), retos (`challenge.jsonl`) and SDG target texts (`sdg_target.jsonl`).
Rows are validated by `pipeline.corpus.check_curriculum_row`, sorted by id and written with
the writer file they came from (`writer`), so a re-import of grown files gives a stable diff.

Usage: python corpus/curriculum/import_curriculum.py W1.jsonl W2.jsonl ...
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from pipeline.corpus import CURRICULUM_FILES, check_curriculum_row  # noqa: E402
from pipeline.errors import BadInput  # noqa: E402
from pipeline.jsonl import parse_lines  # noqa: E402


def import_files(paths, out_dir: Path = HERE) -> dict[str, int]:
    by_scheme: dict[str, dict[str, dict]] = {scheme: {} for scheme in CURRICULUM_FILES}
    skipped = 0
    for path in paths:
        path = Path(path)
        text = path.read_text(encoding="utf-8")
        if not text.endswith("\n"):  # a writer is still appending: leave the torn last line
            text = text[:text.rfind("\n") + 1]
        for _, where, row in parse_lines(text.splitlines(), path):
            if isinstance(row, dict) and row.get("scheme") == "gcm-action" and "id" not in row:
                row = {"id": f"gcm-action-{row.get('lang', 'es')}-{int(row['objective']):02d}{row['letter']}",
                       **row}
            row = {**row, "writer": path.stem}
            try:
                check_curriculum_row(row, where)
            except BadInput as exc:
                print(f"skipped {exc}", file=sys.stderr)
                skipped += 1
                continue
            rows = by_scheme[row["scheme"]]
            if row["id"] in rows:
                print(f"skipped {where}: duplicate id {row['id']!r}", file=sys.stderr)
                skipped += 1
                continue
            rows[row["id"]] = row
    counts = {}
    for scheme, rows in by_scheme.items():
        lines = [json.dumps(rows[k], ensure_ascii=False, sort_keys=True) for k in sorted(rows)]
        (out_dir / CURRICULUM_FILES[scheme]).write_text("\n".join(lines) + ("\n" if lines else ""),
                                                          encoding="utf-8")
        counts[scheme] = len(rows)
    counts["skipped"] = skipped
    return counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)
    print(json.dumps(import_files(args.files)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
