"""docs/hostile-inputs.md is generated from the hostile-inputs cases and must not drift."""

from pathlib import Path

from hostile_cases import AREAS, CASES

from tools import hostile_inputs_doc

TESTS = Path(__file__).resolve().parent


def test_hostile_doc_is_up_to_date():
    assert hostile_inputs_doc.DOC.read_text(encoding="utf-8") == hostile_inputs_doc.render(), (
        "docs/hostile-inputs.md is out of date: run python tools/hostile_inputs_doc.py")


def test_hostile_every_area_is_parametrized_by_a_test():
    sources = "".join(path.read_text(encoding="utf-8") for path in TESTS.glob("test_hostile_*.py"))
    for area in AREAS:
        assert f'ids("{area}")' in sources, f"no hostile test is parametrized by the {area!r} cases"
    assert len({case.id for case in CASES}) == len(CASES)
    assert {case.area for case in CASES} == set(AREAS)
