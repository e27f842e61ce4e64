"""Hostile JSON lines for `pmm predict`, its output file, and a poisoned embedding cache (issue 12)."""

import json
import math

import numpy as np
import pytest
from click.testing import CliRunner
from hostile_cases import ids
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_classify import CountingEmbedder, fit_tiny

from pipeline import artifacts
from pipeline.classify import embed
from pipeline.classify import predict as predict_module
from pipeline.classify.embed import EmbeddingCache, chunk_key, embed_texts
from pipeline.classify.predict import read_jsonl_records
from pipeline.cli import cli
from pipeline.errors import BadInput
from pipeline.jsonl import parse_lines
from tools import make_hostile_inputs as make


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory):
    folder = tmp_path_factory.mktemp("models")
    model = fit_tiny("gcm", version="gcm-tiny-1")
    artifacts.write_version(folder, "gcm", "goal", model.version, model.to_files(), {"created_at": "1"})
    artifacts.set_current(folder, "gcm", "goal", model.version)
    return folder


def predict(models, *args):
    return CliRunner().invoke(cli, ["predict", "--scheme", "gcm", "--models-dir", str(models),
                                    *map(str, args)])


LINE_CASES = {
    "lone-surrogate-text": ("lone surrogate in text", "lone surrogate '\\ud800' at character 10"),
    "lone-surrogate-id": ("lone surrogate in id", "lone surrogate '\\udfff' at character 1"),
    "deep-nesting": ("deeply nested JSON", "not valid JSON (nested too deeply)"),
    "huge-int-id": ("5,000-digit id", "not valid JSON (Exceeds the limit (4300 digits)"),
    "object-id": ("object as id", '"id" must be a string or a number, not dict'),
    "nan-id": ("NaN as id", "not valid JSON (NaN is not JSON)"),
}


@pytest.mark.parametrize("case", [c for c in ids("predict") if c in LINE_CASES])
def test_hostile_predict_line_is_one_line_and_writes_nothing(tiny_models, tmp_path, case):
    path = make.predict_input(tmp_path, LINE_CASES[case][0])
    out = tmp_path / "salida.jsonl"
    result = predict(tiny_models, path, "-o", out)
    assert result.exit_code == 1, result.output
    assert result.output == f"Error: {path}:2: {result.output.split(':2: ', 1)[1]}"
    assert LINE_CASES[case][1] in result.output and result.output.count("\n") == 1
    assert not out.exists() and list(tmp_path.glob("*.tmp")) == []
    # On stdout too, nothing is printed before the error.
    assert predict(tiny_models, path).stdout == ""


def test_hostile_predict_output_into_a_missing_folder(tiny_models, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(make.GOOD_LINE + "\n", encoding="utf-8")
    out = tmp_path / "no_existe" / "salida.jsonl"
    result = predict(tiny_models, path, "-o", out)
    assert result.exit_code == 1
    assert result.output == f"Error: {out}: folder {out.parent} does not exist\n"
    assert not out.parent.exists()


def test_hostile_predict_crash_mid_output_leaves_no_half_file(tiny_models, tmp_path, monkeypatch):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join([make.GOOD_LINE] * (predict_module.BATCH + 5)) + "\n", encoding="utf-8")
    out = tmp_path / "salida.jsonl"
    out.write_text("previous output\n", encoding="utf-8")
    real = predict_module._predicted

    def failing(model, records, evidence):
        for n, row in enumerate(real(model, records, evidence)):
            if n == predict_module.BATCH:
                raise MemoryError("the machine ran out of memory")
            yield row

    monkeypatch.setattr(predict_module, "_predicted", failing)
    result = predict(tiny_models, path, "-o", out)
    assert result.exit_code != 0 and isinstance(result.exception, MemoryError)
    assert out.read_text(encoding="utf-8") == "previous output\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "salida.jsonl"]
    monkeypatch.setattr(predict_module, "_predicted", real)
    assert predict(tiny_models, path, "-o", out).exit_code == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == predict_module.BATCH + 5


def test_hostile_predict_cases_are_all_tested():
    assert set(ids("predict")) == set(LINE_CASES) | {"output-missing-folder", "crash-mid-output"}


# --- the embedding cache -------------------------------------------------------------------------

def _poison(folder, case):
    shards = sorted(folder.rglob("*.npz"))
    assert shards, "the first run should have cached vectors"
    for n, shard in enumerate(shards):
        with np.load(shard) as data:
            keys, vectors = data["keys"], data["vectors"]
        # Named to sort after the real shards, so that a reader taking the last value takes these.
        target = shard.parent / f"ffff{n:04d}.npz"
        if case == "cache-wrong-size":
            np.savez(target, keys=keys, vectors=np.ones((len(keys), 7), dtype=np.float32))
        elif case == "cache-nan":
            np.savez(target, keys=keys, vectors=np.full(vectors.shape, np.nan, dtype=np.float32))
        else:
            target.write_bytes(b"not a numpy archive")


@pytest.mark.parametrize("case", ids("cache"))
def test_hostile_cache_poisoned_entries_are_recomputed(tiny_models, tmp_path, monkeypatch, case):
    monkeypatch.setenv("PMM_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": 1, "text": "Un texto nunca visto sobre remesas familiares en 2031."}\n',
                    encoding="utf-8")
    first = predict(tiny_models, path)
    assert first.exit_code == 0, first.output
    _poison(tmp_path / "cache", case)
    monkeypatch.setattr(embed, "_caches", {})  # a new `pmm predict` process reads the cache afresh
    again = predict(tiny_models, path)
    assert again.exit_code == 0, again.output
    before, after = json.loads(first.stdout), json.loads(again.stdout)
    assert [l["label"] for l in after["labels"]] == [l["label"] for l in before["labels"]]
    assert all(math.isclose(a["score"], b["score"], abs_tol=1e-6)
               for a, b in zip(after["labels"], before["labels"]))


def test_hostile_cache_drops_each_kind_of_poison(tmp_path):
    embedder = CountingEmbedder()
    texts = ["uno", "dos dos"]
    keys = [chunk_key(embedder, t) for t in texts]
    np.savez(tmp_path / "a.npz", keys=np.array(keys, dtype="U64"),
             vectors=np.array([[np.nan, 0, 0, 0], [0, 0, 0, 0]], dtype=np.float32))
    np.savez(tmp_path / "b.npz", keys=np.array(["not-a-key"], dtype="U64"),
             vectors=np.ones((1, 4), dtype=np.float32))
    np.savez(tmp_path / "c.npz", keys=np.array(keys[:1], dtype="U64"), vectors=np.ones((2, 4)))
    cache = EmbeddingCache(tmp_path, dim=4)
    vectors = embed_texts(texts, embedder, cache=cache)
    assert embedder.seen == texts and np.isfinite(vectors).all()
    assert EmbeddingCache(tmp_path, dim=4).get(keys[0]) is not None  # the fresh ones were cached


# --- property-based: the JSON-lines reader -------------------------------------------------------

ANY_TEXT = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=30)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
    max_leaves=12)
LINES = st.lists(
    st.one_of(JSON_VALUES.map(lambda v: json.dumps(v)),  # surrogates escaped as \udxxx
              ANY_TEXT,
              st.integers(1, 3000).map(lambda n: "[" * n + "]" * n),
              st.integers(4000, 6000).map(lambda n: '{"id": ' + "7" * n + ', "text": "x"}')),
    max_size=6)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LINES)
def test_hostile_jsonl_reader_yields_writable_objects_or_one_line_error(lines):
    try:
        parsed = list(parse_lines(lines, "in.jsonl"))
    except BadInput as exc:
        message = str(exc)
        assert message.startswith("in.jsonl:") and "\n" not in message
        lineno = int(message.split(":")[1])
        assert 1 <= lineno <= len(lines) and lines[lineno - 1].strip()
        return
    for lineno, where, item in parsed:
        assert where == f"in.jsonl:{lineno}"
        # Whatever was accepted can be written back as UTF-8 JSON and reads back the same.
        text = json.dumps(item, ensure_ascii=False, allow_nan=False)
        assert json.loads(text.encode("utf-8")) == item


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(JSON_VALUES.map(json.dumps),
                          st.fixed_dictionaries({"id": JSON_VALUES, "text": ANY_TEXT}).map(json.dumps)),
                max_size=5),
       st.binary(max_size=20))
def test_hostile_predict_input_is_records_or_one_line_error(lines, junk):
    source = ("\n".join(lines)).encode("utf-8") + junk
    try:
        records = read_jsonl_records(source, name="in.jsonl")
    except BadInput as exc:
        assert str(exc).startswith("in.jsonl") and "\n" not in str(exc)
        return
    for record in records:
        assert isinstance(record["text"], str) and record["text"].strip()
        json.dumps(record, ensure_ascii=False, allow_nan=False).encode("utf-8")
