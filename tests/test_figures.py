"""The README's figures table is generated from benchmarks/results/*.json (benchmarks/figures.py)."""

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import figures  # noqa: E402


def test_figures_readme_table_is_what_the_committed_results_give():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    generated = figures.with_table(readme, figures.render(figures.collect()))
    assert generated == readme, ("README.md's figures table differs from benchmarks/results/*.json: "
                                 "run `python benchmarks/figures.py` (figures are never typed)")
    assert figures.main(["--check"]) == 0


def test_figures_every_benchmark_in_make_bench_writes_figure_rows():
    rows = figures.collect()
    whats = [row["what"] for row in rows]
    for expected in ("extraction speed vs plain `extract_text()`", "GCM, 5-fold CV (default ensemble)",
                     "GCM, fixed held-out", "review: labels needed to get 90 % of a pool right",
                     "actor attribution by extraction"):
        assert expected in whats


def test_figures_a_hand_edited_figure_fails_the_check(tmp_path):
    results = tmp_path / "results"
    figures.write_result("speed", {"seconds": 3}, [
        {"what": "speed", "figure": "12 pages/s", "on": "a | b"}], results_dir=results)
    readme = tmp_path / "README.md"
    readme.write_text("# x\n\n<!-- figures:start -->\nold\n<!-- figures:end -->\ntail\n", encoding="utf-8")
    assert figures.main(["--readme", str(readme), "--results", str(results), "--check"]) == 1
    assert figures.main(["--readme", str(readme), "--results", str(results)]) == 0
    text = readme.read_text(encoding="utf-8")
    assert "| speed | 12 pages/s | a \\| b |" in text and text.endswith("<!-- figures:end -->\ntail\n")
    assert figures.main(["--readme", str(readme), "--results", str(results), "--check"]) == 0
    readme.write_text(text.replace("12 pages/s", "15 pages/s"), encoding="utf-8")
    assert figures.main(["--readme", str(readme), "--results", str(results), "--check"]) == 1


@pytest.mark.parametrize("row", [{"what": "x", "figure": "1"}, {"what": "x", "figure": "", "on": "y"},
                                 {"what": "x", "figure": 1, "on": "y"}])
def test_figures_rows_must_follow_the_contract(tmp_path, row):
    with pytest.raises(figures.FiguresError):
        figures.write_result("bad", {}, [row], results_dir=tmp_path)
    (tmp_path / "other.json").write_text(json.dumps({"figures": [row]}), encoding="utf-8")
    with pytest.raises(figures.FiguresError, match="other.json"):
        figures.collect(tmp_path)


def test_figures_readme_needs_both_markers():
    with pytest.raises(figures.FiguresError, match="figures:start"):
        figures.with_table("no markers here", "| table |")
