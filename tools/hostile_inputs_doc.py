"""Write docs/hostile-inputs.md from the hostile-inputs test cases (tests/hostile_cases.py).

    python tools/hostile_inputs_doc.py          # rewrite the table
    python tools/hostile_inputs_doc.py --check  # exit 1 if it is out of date

tests/test_hostile_doc.py runs the check, so the table always says what the tests assert.
"""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES_FILE = ROOT / "tests" / "hostile_cases.py"
DOC = ROOT / "docs" / "hostile-inputs.md"

INTRO = """# Hostile and broken inputs

What pmm does with each hostile or broken input it has been tried with. Every row is a case of
the hostile-inputs tests (`tests/test_hostile_*.py`, parametrized by `tests/hostile_cases.py`);
this page is generated from them by `tools/hostile_inputs_doc.py` and a test fails when it is out
of date. The hostile files are built at test time by `tools/make_hostile_inputs.py`.

Throughout: the error is one line, `Error: <file>: <reason>`, with no traceback; in a batch
(`pmm ingest`, `pmm run`) the file fails alone and the others are stored; the commands that read
submission files run in the tests under an address-space limit, so a bomb that slipped through
would fail the test with MemoryError. The input guard is `pipeline/inputs.py`; the peak memory of
the two bombs is measured by `benchmarks/hostile_memory.py`.
"""


def load_cases():
    spec = importlib.util.spec_from_file_location("hostile_cases", CASES_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render() -> str:
    module = load_cases()
    out = [INTRO]
    for area, title in module.AREAS.items():
        cases = [c for c in module.CASES if c.area == area]
        if not cases:
            continue
        out += [f"## {title}", "", "| case | input | what pmm does |", "|---|---|---|"]
        out += [f"| `{c.id}` | {_cell(c.given)} | {_cell(c.does)} |" for c in cases]
        out.append("")
    return "\n".join(out)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    text = render()
    if "--check" in argv:
        current = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
        if current != text:
            print(f"{DOC} is out of date: run python tools/hostile_inputs_doc.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    print(f"{DOC}: {len(load_cases().CASES)} cases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
