"""`pmm predict` and `pmm classify`: the JSON-lines contract, bad input, and the store."""

import json

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from pipeline import artifacts
from pipeline.classify import classify_store, load_model, predict_jsonl
from pipeline.cli import cli
from pipeline.errors import BadInput
from pipeline.store import model_versions
from pipeline.store import queries as q

from test_classify import fit_tiny


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory):
    """A models folder with a tiny current model for each of the three schemes."""
    folder = tmp_path_factory.mktemp("models")
    for scheme in ("gcm", "sdg", "challenge"):
        model = fit_tiny(scheme, version=f"{scheme}-tiny-1")
        artifacts.write_version(folder, scheme, "goal", model.version, model.to_files(), {"created_at": "1"})
        artifacts.set_current(folder, scheme, "goal", model.version)
    return folder


def write(tmp_path, content, name="in.jsonl"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def run(*args):
    return CliRunner().invoke(cli, list(map(str, args)))


def test_predict_jsonl_contract(tiny_models, tmp_path):
    model = load_model("gcm", models_dir=tiny_models)
    path = write(tmp_path, '{"id": "a", "text": "Envío de remesas a las familias."}\n\n'
                           '{"id": 7, "text": "Issuing birth certificates."}\n')
    rows = list(predict_jsonl(model, path))
    assert [r["id"] for r in rows] == ["a", 7]
    assert rows[0]["assigned"][0] == "20" and rows[1]["assigned"][0] == "4"
    assert len(rows[0]["labels"]) == 23 and rows[0]["model_version"] == "gcm-tiny-1"


@pytest.mark.parametrize("content,message", [
    ('{"id": 1, "text": "ok"}\n{"id": 2, "text": "ok"\n', "in.jsonl:2: not valid JSON"),
    ('{"id": 1, "body": "x"}\n', 'in.jsonl:1: missing "text"'),
    ('{"id": 1, "text": "   "}\n', "in.jsonl:1: empty text"),
    ('{"id": 1, "text": 5}\n', 'in.jsonl:1: "text" must be a string'),
    ('[1, 2]\n', "in.jsonl:1: each line must be a JSON object"),
    (b'{"id": 1, "text": "caf\xe9"}\n', "in.jsonl: not UTF-8 text (byte 0xe9"),
])
def test_predict_bad_input_is_one_line_error(tiny_models, tmp_path, content, message):
    path = write(tmp_path, content)
    with pytest.raises(BadInput) as caught:
        list(predict_jsonl(load_model("gcm", models_dir=tiny_models), path))
    assert str(caught.value).endswith(message.split("in.jsonl", 1)[1]) or message in str(caught.value)
    result = run("predict", "--scheme", "gcm", "--models-dir", tiny_models, path)
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and message in result.output
    assert result.output.count("\n") == 1 and "Traceback" not in result.output


def test_predict_bad_line_writes_nothing(tiny_models, tmp_path):
    path = write(tmp_path, '{"id": 1, "text": "remesas"}\nnot json\n')
    out = tmp_path / "out.jsonl"
    result = run("predict", "--scheme", "gcm", "--models-dir", tiny_models, path, "-o", out)
    assert result.exit_code == 1 and not out.exists()


def test_predict_huge_text_is_handled(tiny_models, tmp_path):
    text = "Las remesas llegan a las familias de los migrantes cada mes. " * 17000  # ~1 MB
    path = write(tmp_path, json.dumps({"id": "big", "text": text}) + "\n")
    result = run("predict", "--scheme", "gcm", "--models-dir", tiny_models, path)
    assert result.exit_code == 0, result.output
    row = json.loads(result.output)
    assert row["assigned"][0] == "20"
    evidence = row["evidence"]["20"]
    assert evidence["sentences"] and all(len(s) <= 510 for s in evidence["sentences"])
    assert "remesas" in evidence["terms"]


def test_predict_cli_writes_output_file_and_reads_stdin(tiny_models, tmp_path):
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(cli, ["predict", "--scheme", "challenge", "--models-dir", str(tiny_models),
                                      "-", "-o", str(out)],
                                input='{"id": "x", "text": "La pandemia de COVID-19 suspendió todo."}\n')
    assert result.exit_code == 0, result.output
    [row] = [json.loads(line) for line in out.read_text().splitlines()]
    assert row["id"] == "x" and row["assigned"][0] == "covid"


def test_predict_cli_unknown_model_dir(tmp_path):
    path = write(tmp_path, '{"id": 1, "text": "x"}\n')
    result = run("predict", "--scheme", "gcm", "--models-dir", tmp_path / "none", path)
    assert result.exit_code == 1 and "no current model" in result.output


def test_classify_store_scores_what_lacks_a_prediction(db, tiny_models):
    with db.begin() as conn:
        ids = q.add_actions(conn, [
            {"text": "Envío de remesas más baratas a las familias.",
             "challenges_text": "No hubo presupuesto ni personal suficiente."},
            {"text": "Expedición de actas de nacimiento a personas migrantes."},
        ])
    progress = []
    counts = classify_store(db, models_dir=tiny_models, progress=lambda d, t: progress.append((d, t)))
    assert counts == {"gcm": 2, "sdg": 2, "challenge": 1}
    assert progress[-1] == (5, 5)
    with db.connect() as conn:
        gcm = q.latest_predictions(conn, scheme="gcm")
        challenge = q.latest_predictions(conn, scheme="challenge")
        versions = conn.execute(sa.select(model_versions.c.scheme, model_versions.c.version)).all()
    assert gcm[ids[0]]["assigned"] == ["20"] and gcm[ids[1]]["assigned"] == ["4"]
    assert gcm[ids[0]]["evidence"]["20"]["terms"]
    assert list(challenge) == [ids[0]] and challenge[ids[0]]["assigned"] == ["capacidades_institucionales"]
    assert sorted(versions) == [("challenge", "challenge-tiny-1"), ("gcm", "gcm-tiny-1"), ("sdg", "sdg-tiny-1")]
    assert classify_store(db, models_dir=tiny_models) == {"gcm": 0, "sdg": 0, "challenge": 0}


def test_classify_cli(db_path, tiny_models):
    result = run("--db", db_path, "classify", "--scheme", "gcm", "--quiet", "--models-dir", tiny_models)
    assert result.exit_code == 0, result.output
    assert "gcm" in result.output
