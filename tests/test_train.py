"""`pmm train` and `pmm models`: versions, cards, promotion, and predictions that follow decisions."""

import json

import numpy as np
import pytest
from click.testing import CliRunner

from pipeline import artifacts
from pipeline.classify import classify_store, load_model
from pipeline.cli import cli
from pipeline.store import queries as q
from pipeline.taxonomy import load_scheme
from pipeline.train import cross_val_probabilities, list_versions, train, use_version
from pipeline.train.data import Example, heldout_bucket
from pipeline.train.fit import _calibration_weights
from pipeline.train.promote import is_not_worse

from test_classify import TINY_VARIANTS, tiny_examples


def heldout_ids(count):
    """Seed-like ids that the fixed rule holds out (sha256 bucket 0)."""
    return [i for i in (f"h{n}" for n in range(200)) if heldout_bucket(i) == 0][:count]


def heldout_seed(labels_texts):
    ids = heldout_ids(len(labels_texts))
    return [Example(text, (label,), "seed", "es", f"seed:{i}", 1.0, i) for i, (label, text) in zip(ids, labels_texts)]


HELDOUT = heldout_seed([("20", "Las remesas llegan más baratas a las familias."),
                        ("4", "Entrega de actas de nacimiento a niñas y niños migrantes."),
                        ("17", "Campaña de sensibilización contra la xenofobia.")])


def tiny_train(models_dir, engine=None, base=None, **kwargs):
    return train(engine, scheme="gcm", models_dir=models_dir, variants=TINY_VARIANTS,
                 base_examples=tiny_examples("gcm") + HELDOUT if base is None else base, **kwargs)


def test_train_writes_a_verified_version_and_promotes_it(tmp_path):
    result = tiny_train(tmp_path)
    assert result.promoted and result.current_metrics is None
    assert artifacts.current_version(tmp_path, "gcm") == result.version
    card = artifacts.verify(result.path)
    assert set(card["files"]) == {"model.json", "arrays.npz"}
    assert card["training_data"]["heldout"]["n"] == 3 and card["metrics"]["heldout"]["top1"] == 1.0
    assert card["libraries"]["scikit-learn"] and card["model"]["embedders"]["e5"]
    assert "ece" in card["model"]["calibration"]["reliability_all_labels"]
    calibration = card["model"]["calibration"]
    assert calibration["method"].startswith("temperature") and "top_label" in calibration["ece_by_kind"]["hint"]
    assert json.loads((result.path / "card.json").read_text())["version"] == result.version


def test_train_calibration_weighs_actions_and_label_texts_half_each():
    hints = [Example(f"texto {i}", ("4",), "hint", "es", f"g{i}") for i in range(90)]
    seeds = [Example(f"acción {i}", ("20",), "seed", "es", f"s{i}", 0.25) for i in range(30)]
    unlabelled = [Example("sin etiqueta", (), "hint", "es", "u")]
    examples = hints + seeds + unlabelled
    labelled = np.array([bool(e.labels) for e in examples])
    weights, _ = _calibration_weights(examples, labelled)
    assert np.isclose(weights[:90].sum(), 0.5) and np.isclose(weights[90:120].sum(), 0.5) and weights[-1] == 0
    # Too few real actions to stand for half: every labelled example counts alike.
    weights, what = _calibration_weights(hints + seeds[:5], np.ones(95, bool))
    assert np.allclose(weights, 1 / 95) and "every" in what


def test_train_keeps_the_current_model_when_the_new_one_is_worse(tmp_path):
    good = tiny_train(tmp_path)
    # The same texts under the wrong labels: worse on the held-out seed actions.
    wrong = {"4": "20", "20": "17", "17": "4"}
    bad_base = [Example(e.text, (wrong[e.labels[0]],), e.kind, e.lang, e.group) for e in tiny_examples("gcm")]
    bad = tiny_train(tmp_path, base=bad_base + HELDOUT)
    assert not bad.promoted and bad.current_metrics["top1"] == 1.0 > bad.metrics["heldout"]["top1"]
    assert artifacts.current_version(tmp_path, "gcm") == good.version
    assert bad.path.exists()  # every version is kept
    forced = tiny_train(tmp_path, base=bad_base + HELDOUT, force=True)
    assert forced.promoted and artifacts.current_version(tmp_path, "gcm") == forced.version
    versions = list_versions("gcm", models_dir=tmp_path)
    assert [v["version"] for v in versions] == [good.version, bad.version, forced.version]
    assert [v["current"] for v in versions] == [False, False, True]
    assert use_version("gcm", "goal", good.version, models_dir=tmp_path) == good.version
    assert load_model("gcm", models_dir=tmp_path).version == good.version


def test_train_promotion_rule():
    assert is_not_worse({"n": 5, "top1": 0.6, "top3": 0.8}, {"n": 5, "top1": 0.6, "top3": 0.8})
    assert not is_not_worse({"n": 5, "top1": 0.4, "top3": 0.8}, {"n": 5, "top1": 0.6, "top3": 0.8})
    assert is_not_worse({"n": 0}, {"n": 5, "top1": 0.6, "top3": 0.8})  # nothing held out
    assert is_not_worse({"n": 5, "top1": 0.1, "top3": 0.1}, None)  # no current model


def test_train_predictions_follow_a_decision_after_retraining(db, tmp_path):
    text = "El programa abarata el envío de remesas de los migrantes a sus familias."
    with db.begin() as conn:
        [action_id] = q.add_actions(conn, [{"text": text}])
    first = tiny_train(tmp_path, engine=db)
    classify_store(db, schemes=("gcm",), models_dir=tmp_path)
    with db.connect() as conn:
        before = q.latest_predictions(conn, scheme="gcm")[action_id]
    assert before["model_version"] == first.version and before["assigned"] == ["20"]

    with db.begin() as conn:  # the analyst disagrees with the model
        q.record_decision(conn, action_id=action_id, scheme="gcm", labels=["19", "23"], reviewer="ana",
                          source="cli", model_version=first.version, model_labels=before["assigned"])
    second = tiny_train(tmp_path, engine=db)
    assert second.promoted and second.version != first.version
    assert second.card["training_data"]["by_kind"]["decision"] == 1
    assert classify_store(db, schemes=("gcm",), models_dir=tmp_path) == {"gcm": 1}
    with db.connect() as conn:
        after = q.latest_predictions(conn, scheme="gcm")[action_id]
    assert after["model_version"] == second.version
    assert sorted(after["assigned"]) == ["19", "23"]


def test_train_cli_models_list_and_use(tmp_path):
    first = tiny_train(tmp_path)
    second = tiny_train(tmp_path)
    runner = CliRunner()
    listed = runner.invoke(cli, ["models", "list", "--scheme", "gcm", "--models-dir", str(tmp_path),
                                 "--format", "jsonl"])
    assert listed.exit_code == 0, listed.output
    rows = [json.loads(line) for line in listed.output.splitlines()]
    assert [r["version"] for r in rows] == [first.version, second.version] and rows[1]["current"]
    used = runner.invoke(cli, ["models", "use", "--scheme", "gcm", "--models-dir", str(tmp_path), first.version])
    assert used.exit_code == 0 and first.version in used.output
    assert artifacts.current_version(tmp_path, "gcm") == first.version
    missing = runner.invoke(cli, ["models", "use", "--scheme", "gcm", "--models-dir", str(tmp_path), "nope"])
    assert missing.exit_code == 1 and "no version 'nope'" in missing.output


def test_train_use_refuses_a_tampered_version(tmp_path):
    first = tiny_train(tmp_path)
    tiny_train(tmp_path)
    (first.path / "arrays.npz").write_bytes(b"tampered")
    with pytest.raises(Exception, match="does not match the card"):
        use_version("gcm", "goal", first.version, models_dir=tmp_path)


def test_train_cross_val_probabilities_are_out_of_fold_in_taxonomy_order():
    texts = ["No hubo presupuesto suficiente.", "La pandemia suspendió las actividades.",
             "Faltó coordinación entre dependencias.", "Las personas no concluyen sus trámites.",
             "La pandemia de COVID-19 cerró las oficinas durante meses."]
    # The last text is about COVID-19 but labelled "coordinacion": a model that had seen it would
    # echo that label; scored out of fold, the label texts and the other fold say covid.
    labels = [["capacidades_institucionales"], ["covid"], ["coordinacion"], ["seguimiento_tramites"],
              ["coordinacion"]]
    ids = list(load_scheme("challenge").ids)
    probs = cross_val_probabilities(texts, labels, "challenge", folds=2, variants=TINY_VARIANTS[:1])
    assert probs.shape == (5, len(ids)) and np.allclose(probs.sum(axis=1), 1.0)
    planted = probs[4]
    assert ids[int(np.argmax(planted))] == "covid"
    assert planted[ids.index("covid")] > planted[ids.index("coordinacion")]
    for row, (label,) in enumerate(labels[:4]):  # columns follow the taxonomy: each finds its own
        assert ids.index(label) in np.argsort(-probs[row])[:3], (texts[row], label)


@pytest.mark.slow
def test_train_cli_on_the_real_challenge_texts(tmp_path):
    result = CliRunner().invoke(cli, ["train", "--scheme", "challenge", "--no-store", "--models-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    model = load_model("challenge", models_dir=tmp_path)
    [prediction] = model.predict(["No contamos con presupuesto ni con personal suficiente para el programa."])
    assert prediction["labels"][0]["label"] == "capacidades_institucionales"
