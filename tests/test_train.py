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
from pipeline.train.calibrate import calibration_weights
from pipeline.train.promote import TOLERANCE, gate, paired_comparison

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
    weights, _ = calibration_weights(examples, labelled)
    assert np.isclose(weights[:90].sum(), 0.5) and np.isclose(weights[90:120].sum(), 0.5) and weights[-1] == 0
    # Too few real actions to stand for half: every labelled example counts alike.
    weights, what = calibration_weights(hints + seeds[:5], np.ones(95, bool))
    assert np.allclose(weights, 1 / 95) and "every" in what


def test_train_keeps_the_current_model_when_the_new_one_is_worse(tmp_path):
    good = tiny_train(tmp_path)
    # The same texts under the wrong labels: worse on the held-out seed actions.
    wrong = {"4": "20", "20": "17", "17": "4"}
    bad_base = [Example(e.text, (wrong[e.labels[0]],), e.kind, e.lang, e.group) for e in tiny_examples("gcm")]
    bad = tiny_train(tmp_path, base=bad_base + HELDOUT)
    assert not bad.promoted and bad.current_metrics["top1"] == 1.0 > bad.metrics["heldout"]["top1"]
    assert bad.promotion["comparison"]["diff"] < 0 and "worse" in bad.promotion["why"]
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
    same = paired_comparison([1, 0, 1, 1, 0], [1, 0, 1, 1, 0])
    assert same["diff"] == 0 and same["low"] == same["high"] == 0 and gate(same)[0]
    worse = paired_comparison([0, 0, 1, 0, 0], [1, 0, 1, 1, 0])
    assert worse["diff"] == -0.4 and worse["current_only"] == 2 and not gate(worse)[0]
    assert gate({"n": 0})[0]  # nothing held out
    assert gate(None) == (True, "no current model to compare with")


def test_train_gate_one_changed_example_does_not_flip_the_decision():
    # On a fixed set of 300 held-out examples, a retrain that gets one example wrong that the
    # current model got right is within the tolerance and not worse for sure: promoted.
    rng = np.random.default_rng(1)
    current = (rng.random(300) < 0.7).astype(int)
    new = current.copy()
    new[np.flatnonzero(current == 1)[0]] = 0
    comparison = paired_comparison(new, current)
    promoted, why = gate(comparison)
    assert promoted and comparison["diff"] == round(-1 / 300, 4) and comparison["low"] < 0 < comparison["high"] + 1e-9
    assert "not worse" in why and "interval" in why
    # The old rule's case, 18 examples and one lost: the interval spans 0, the loss (0.056) is
    # beyond the tolerance, so it is still refused there; on the larger set it is not.
    small = paired_comparison([1] * 8 + [0] * 10, [1] * 9 + [0] * 9)
    assert -small["diff"] > TOLERANCE and not gate(small)[0]
    # A model clearly worse on the large set is refused: the whole interval is below zero.
    bad = new.copy()
    bad[np.flatnonzero(current == 1)[:30]] = 0
    promoted, why = gate(paired_comparison(bad, current))
    assert not promoted and "worse" in why


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


def test_train_thresholds_add_a_second_label_only_where_texts_carry_one():
    from pipeline.classify.model import assigned_matrix
    from pipeline.train.calibrate import choose_thresholds

    rng = np.random.default_rng(0)
    n, labels = 400, 6
    probs = rng.dirichlet(np.ones(labels) * 0.3, size=n)
    order = np.argsort(-probs, axis=1)
    targets = np.zeros((n, labels))
    targets[np.arange(n), order[:, 0]] = 1
    # Texts whose runner-up is strong (> 0.3) really carry it too; a weak runner-up is noise.
    runner = probs[np.arange(n), order[:, 1]]
    targets[np.arange(n)[runner > 0.3], order[runner > 0.3, 1]] = 1
    thresholds, global_t = choose_thresholds(probs, targets, 1, 2, beta=0.5)
    chosen = assigned_matrix(probs, thresholds, 1, 2)
    extra = chosen.sum(axis=1) > 1
    assert 0.2 < global_t <= 0.35
    assert (extra == (runner > 0.3)).mean() > 0.95 and chosen.sum(axis=1).max() == 2
    # Nobody carries a second label: none is assigned beyond the best one.
    single = np.zeros_like(targets)
    single[np.arange(n), order[:, 0]] = 1
    thresholds, _ = choose_thresholds(probs, single, 1, 2, beta=0.5)
    assert assigned_matrix(probs, thresholds, 1, 2).sum() < n * 1.02
