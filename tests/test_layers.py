"""Imports run one way along the data flow: extract -> store -> classify -> review -> train -> report.

A stage may import the stages before it and the shared modules (text, schemes, taxonomy, config,
errors, artifacts, corpus, jsonl), never a stage after it. The CLI, `ingest` and `run` sit on top.
"""

import ast
from pathlib import Path

import pytest

PIPELINE = Path(__file__).resolve().parent.parent / "pipeline"
STAGES = ("extract", "store", "classify", "review", "train", "report")
SHARED = ("text", "schemes", "taxonomy", "config", "errors", "artifacts", "corpus", "jsonl")


def _imported_top_modules(path: Path) -> set[str]:
    """The pipeline sub-packages a module imports (absolute or relative), inside functions too."""
    package = path.relative_to(PIPELINE).parts[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[:len(package) - node.level + 1])
                parts = base + (node.module.split(".") if node.module else [])
                names = [parts + [a.name] for a in node.names] if not node.module else [parts]
            elif node.module and node.module.startswith("pipeline."):
                names = [node.module.split(".")[1:]]
            else:
                continue
            found.update(n[0] for n in names if n)
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("pipeline."))
    return found


@pytest.mark.parametrize("stage", STAGES)
def test_layers_no_stage_imports_a_later_one(stage):
    later = set(STAGES[STAGES.index(stage) + 1:]) | {"cli", "run", "ingest"}
    offences = []
    for path in sorted((PIPELINE / stage).rglob("*.py")):
        wrong = _imported_top_modules(path) & later
        if wrong:
            offences.append(f"{path.relative_to(PIPELINE)} imports {', '.join(sorted(wrong))}")
    assert not offences


@pytest.mark.parametrize("name", SHARED)
def test_layers_shared_modules_import_no_stage(name):
    paths = [PIPELINE / f"{name}.py"] if (PIPELINE / f"{name}.py").exists() else \
        sorted((PIPELINE / name).rglob("*.py"))
    for path in paths:
        assert not _imported_top_modules(path) & (set(STAGES) | {"cli", "run", "ingest"}), path


def test_layers_sql_lives_in_store():
    for path in sorted(PIPELINE.rglob("*.py")):
        if path.relative_to(PIPELINE).parts[0] == "store":
            continue
        source = path.read_text(encoding="utf-8")
        assert "import sqlalchemy" not in source and "from sqlalchemy" not in source, path
        assert "store.schema" not in source and "from .schema" not in source, path
