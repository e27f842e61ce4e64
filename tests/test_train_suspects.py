"""Suspect labels by confident learning (pipeline.train.suspects)."""

import numpy as np
import pytest

from pipeline.errors import PmmError
from pipeline.train.suspects import find_suspects, label_issues, per_class_thresholds
from pipeline.store import queries as q


def test_review_label_issues_flags_a_confidently_contradicted_label():
    classes = ["1", "2", "3"]
    probs = [[0.8, 0.1, 0.1],
             [0.7, 0.2, 0.1],
             [0.1, 0.8, 0.1],
             [0.2, 0.7, 0.1],
             [0.85, 0.1, 0.05],   # labelled "2", but the model is sure it is "1"
             [0.3, 0.3, 0.4]]
    given = [{"1"}, {"1"}, {"2"}, {"2"}, {"2"}, {"3"}]
    thresholds = per_class_thresholds(probs, given, classes)
    assert thresholds == pytest.approx([0.75, (0.8 + 0.7 + 0.1) / 3, 0.4])
    issues = label_issues(probs, given, classes)
    assert [(i.index, i.suggested) for i in issues] == [(4, "1")]
    assert issues[0].given_prob == pytest.approx(0.1)
    assert issues[0].suggested_prob == pytest.approx(0.85)


def test_review_label_issues_needs_another_class_above_its_threshold():
    # The given label is weak, but no other class clears its own threshold: not a suspect.
    probs = [[0.9, 0.1], [0.8, 0.2], [0.1, 0.9], [0.45, 0.55]]
    given = [{"a"}, {"a"}, {"b"}, {"a"}]
    assert label_issues(probs, given, ["a", "b"]) == []


def test_review_label_issues_checks_the_shape():
    with pytest.raises(PmmError, match=r"shape \(1, 2\), expected \(2, 2\)"):
        label_issues([[0.5, 0.5]], [{"a"}, {"b"}], ["a", "b"])


TOPICS = {"1": "datos estadísticas encuesta censo", "15": "salud vacunas clínica hospital",
          "20": "remesas envío dinero banco"}


def keyword_cross_val(texts, labels, scheme, *, folds):
    """Stand-in for out-of-fold probabilities: a text that uses an objective's topic words is
    about that objective (the tests pin confident learning, not a model)."""
    columns = [str(i) for i in range(1, 24)]
    probs = np.full((len(texts), len(columns)), 0.01)
    for row, text in enumerate(texts):
        words = text.lower().split()
        for label, topic in TOPICS.items():
            probs[row, columns.index(label)] += any(w in words for w in topic.split())
    return probs / probs.sum(axis=1, keepdims=True)


def test_review_find_suspects_names_a_wrong_human_label(db):
    texts = {"1": ["publicó datos y estadísticas de la encuesta", "levantó un censo con datos",
                   "encuesta y estadísticas migratorias", "datos del censo"],
             "15": ["campaña de vacunas en clínica", "hospital y clínica para salud",
                    "salud y vacunas en albergues", "vacunas del hospital"],
             "20": ["remesas y envío de dinero", "banco para envío de remesas",
                    "dinero de remesas", "envío al banco"]}
    records, labels = [], []
    for label, group in texts.items():
        for text in group:
            records.append({"text": text, "id": f"{label}-{len(records)}"})
            labels.append(label)
    wrong = records.index(next(r for r in records if r["text"] == "campaña de vacunas en clínica"))
    labels[wrong] = "20"   # the planted mistake
    with db.begin() as conn:
        ids = q.add_actions(conn, records)
        for action_id, label in zip(ids, labels):
            q.record_decision(conn, action_id=action_id, scheme="gcm", labels=[label],
                              reviewer="Ana", source="page")

    found = find_suspects(db, scheme="gcm", folds=4, cross_val=keyword_cross_val, include_seed=False)

    assert found, "the planted mistake must be found"
    assert (found[0]["action_id"], found[0]["given"], found[0]["suggested"]) == (ids[wrong], ["20"], "15")
    assert found[0]["source"] == "human" and found[0]["reviewer"] == "Ana"
    assert found[0]["suggested_prob"] > found[0]["given_prob"]


def test_review_find_suspects_without_labels_is_empty(db):
    assert find_suspects(db, scheme="challenge", cross_val=keyword_cross_val) == []


def test_review_suspects_cli_uses_the_training_cross_validation(db, db_path, monkeypatch):
    """`pmm review suspects` scores the seed corpus with pipeline.train's own out-of-fold
    probabilities; here a stand-in that contradicts exactly one seed label."""
    import json

    from click.testing import CliRunner

    import pipeline.train.fit
    from pipeline.cli import cli
    from pipeline.corpus import load_seed

    seed = load_seed()
    calls = []

    def fake_cross_val(texts, labels, scheme, *, folds=5, **_):
        calls.append((len(texts), scheme, folds))
        probs = np.full((len(texts), 23), 0.01)
        for row, given in enumerate(labels):
            probs[row, int(given[0]) - 1] = 0.78
        probs[3] = 0.01
        probs[3, 22] = 0.78            # the 4th seed action looks like objective 23
        return probs

    monkeypatch.setattr(pipeline.train.fit, "cross_val_probabilities", fake_cross_val)
    result = CliRunner().invoke(cli, ["--db", str(db_path), "review", "suspects", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert calls == [(len(seed), "gcm", 5)]
    assert [(r["source"], r["id"], r["suggested"]) for r in rows] == [("seed", seed[3]["id"], "23")]
    assert rows[0]["given"] == ",".join(str(o) for o in seed[3]["objectives"])


@pytest.mark.slow
def test_train_find_suspects_with_the_training_cross_validation(db):
    """No stand-in: the default cross-validation (pmm train's features and estimators) finds a
    planted wrong label among real-sounding challenge texts."""
    texts = {
        "covid": ["La pandemia de COVID-19 suspendió las actividades presenciales del programa.",
                  "Las medidas sanitarias por la pandemia redujeron los grupos atendidos.",
                  "Por la pandemia de COVID-19 y la emergencia sanitaria del coronavirus se "
                  "cerraron las oficinas de atención."],
        "barreras_idioma": ["Muchas personas solo hablan criollo haitiano y no contamos con intérpretes.",
                            "La falta de traductores de lenguas indígenas impidió dar asesoría."],
        "capacidades_institucionales": ["No hubo presupuesto suficiente ni personal para el programa.",
                                        "Faltan recursos humanos y financieros en las oficinas."],
    }
    records, labels = [], []
    for label, group in texts.items():
        for text in group:
            records.append({"text": text, "id": f"c{len(records)}"})
            labels.append(label)
    planted = records.index(next(r for r in records if "coronavirus" in r["text"]))
    labels[planted] = "barreras_idioma"
    with db.begin() as conn:
        ids = q.add_actions(conn, records)
        for action_id, label in zip(ids, labels):
            q.record_decision(conn, action_id=action_id, scheme="challenge", labels=[label],
                              reviewer="Ana", source="page")

    found = find_suspects(db, scheme="challenge", folds=3)

    assert found and found[0]["action_id"] == ids[planted]
    assert found[0]["given"] == ["barreras_idioma"] and found[0]["suggested"] == "covid"
    assert all(f["action_id"] != ids[0] for f in found)  # a right label is not a suspect
