"""The classifier parts: estimators, features, embedding cache, artefacts, the model's save/load
round trip per scheme, and the shipped default models."""

import json

import numpy as np
import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from pipeline import artifacts
from pipeline.classify import load_model
from pipeline.classify.embed import Embedder, EmbeddingCache, chunk_text, embed_texts
from pipeline.text import split_sentences
from pipeline.classify.estimators import (LinearSoftmaxClassifier, NearestExamplesClassifier, PlattCalibrator,
                                         PrototypeClassifier, TemperatureCalibrator)
from pipeline.classify.features import CharTfidf, Lexicon, WordTfidf, word_terms
from pipeline.classify.model import Model, VariantSpec
from pipeline.config import MODELS_DIR
from pipeline.errors import ModelIntegrityError, PmmError, UnknownScheme
from pipeline.taxonomy import load_scheme
from pipeline.train.data import Example
from pipeline.train.fit import fit_model

TINY = {
    "gcm": {"4": ["Expedición de actas de nacimiento y documentos de identidad a personas migrantes.",
                  "Issuing birth certificates and identity documents to migrants."],
            "20": ["Envío de remesas más baratas y seguras a las familias de migrantes.",
                   "Cheaper and safer remittance transfers to migrants' families."],
            "17": ["Campaña contra la xenofobia y la discriminación de las personas migrantes.",
                   "Campaign against xenophobia and discrimination of migrants."]},
    "sdg": {"3": ["Atención médica y vacunación para toda la población.", "Health care and vaccination for all."],
            "4": ["Escuelas y educación de calidad para niñas y niños.", "Quality schools and education for children."]},
    "challenge": {"covid": ["La pandemia de COVID-19 suspendió las actividades presenciales.",
                            "The COVID-19 pandemic suspended in-person activities."],
                  "capacidades_institucionales": ["No hubo presupuesto ni personal suficiente.",
                                                  "There was not enough budget or staff."]},
}
TINY_VARIANTS = (VariantSpec("e5-lr", "e5", "lr", 1.0, {"C": 10.0}),
                 VariantSpec("use-proto", "use", "proto", 1.0, {"temperature": 0.05}),
                 VariantSpec("tfidf-lr", "tfidf", "lr", 0.5, {"C": 10.0}),
                 VariantSpec("e5-knn", "e5", "knn", 1.0, {"k": 2, "temperature": 0.05}))


def tiny_examples(scheme):
    return [Example(text, (label,), "hint", "es" if i == 0 else "en", f"{label}:{i}")
            for label, texts in TINY[scheme].items() for i, text in enumerate(texts)]


def fit_tiny(scheme, version="tiny-1"):
    labels = list(load_scheme(scheme).ids)
    model, _ = fit_model(tiny_examples(scheme), labels, scheme=scheme, version=version,
                         variants=TINY_VARIANTS, folds=2)
    return model


# --- estimators ------------------------------------------------------------------------------

def _expected_failures(estimator):
    # Nearest examples by design: a text's weight scales its similarity, which is not the same
    # as repeating the text (a repeated text fills several of the k neighbours).
    if isinstance(estimator, NearestExamplesClassifier):
        return {"check_sample_weight_equivalence_on_dense_data": "weights scale similarity, not counts"}
    return {}


@parametrize_with_checks([PrototypeClassifier(), LinearSoftmaxClassifier(tol=1e-6), NearestExamplesClassifier()],
                         expected_failed_checks=_expected_failures)
def test_classify_estimators_follow_the_sklearn_contract(estimator, check):
    check(estimator)


@pytest.mark.parametrize("cls", [PrototypeClassifier, LinearSoftmaxClassifier, NearestExamplesClassifier])
def test_classify_estimator_arrays_round_trip(cls):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(30, 5)), np.array(["a", "b", "c"] * 10)
    fitted = cls().fit(X, y)
    restored = cls.from_arrays(fitted.to_arrays())
    np.testing.assert_allclose(restored.predict_proba(X), fitted.predict_proba(X))
    assert list(restored.classes_) == ["a", "b", "c"]


def test_classify_platt_calibrator_learns_overconfidence():
    # Scores of 0.9 that are right half the time must come out near 0.5.
    p = np.array([0.9] * 200 + [0.1] * 200)
    y = np.array([1, 0] * 100 + [0] * 200)
    calibrated = PlattCalibrator().fit(p, y).transform(np.array([0.9, 0.1]))
    assert abs(calibrated[0] - 0.5) < 0.05 and calibrated[1] < 0.05


def test_classify_nearest_examples_follow_the_closest_text_not_the_centroid():
    # Class "a" has two distinct kinds of text; a text near one of them is "a", although the
    # mean of "a" lies nearer "b" (where a centroid classifier goes wrong).
    X = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.7, 0.0, 0.714], [0.7, 0.05, 0.71]])
    y = np.array(["a", "a", "b", "b"])
    query = np.array([[1.0, 0.0, 0.3]])
    knn = NearestExamplesClassifier(k=1, center=False).fit(X, y)
    assert knn.predict(query)[0] == "a"
    assert PrototypeClassifier(center=False).fit(X, y).predict(query)[0] == "b"
    # A light (down-weighted) text counts as a weaker match.
    light = NearestExamplesClassifier(k=1, center=False).fit(X, y, sample_weight=[0.1, 1.0, 1.0, 1.0])
    assert light.predict(query)[0] == "b"


@pytest.mark.parametrize("right_share,sharper", [(0.98, True), (0.3, False)])
def test_classify_temperature_calibrator_fixes_the_top_label(right_share, sharper):
    # Every text's best label has p = 0.5; it is right `right_share` of the time: the calibrated
    # top probability must move to about that share, and the ranking must not change.
    n, labels = 400, 5
    p = np.full((n, labels), 0.5 / (labels - 1))
    p[:, 0] = 0.5
    y = np.zeros((n, labels))
    right = np.arange(n) < right_share * n
    y[right, 0] = 1
    y[~right, 1 + np.arange((~right).sum()) % (labels - 1)] = 1
    calibrator = TemperatureCalibrator().fit(p, y)
    out = calibrator.transform(p[:1])
    assert abs(out[0, 0] - right_share) < 0.05 and (out[0, 0] > 0.5) == sharper
    assert np.argmax(out[0]) == 0 and np.isclose(out.sum(), 1.0)
    restored = TemperatureCalibrator.from_arrays(calibrator.to_arrays())
    np.testing.assert_allclose(restored.transform(p[:3]), calibrator.transform(p[:3]))


def test_classify_models_saved_before_temperature_calibration_still_load():
    model = fit_tiny("gcm")
    assert isinstance(model.calibrator, TemperatureCalibrator)  # GCM: one objective per text, mostly
    assert isinstance(fit_tiny("sdg").calibrator, PlattCalibrator)  # SDG: several goals per text
    files = model.to_files()
    meta = json.loads(files["model.json"])
    assert meta["calibration"] == "temperature"
    meta["calibration"] = "mystery"
    with pytest.raises(ModelIntegrityError, match="unknown calibration"):
        Model.from_files({**files, "model.json": json.dumps(meta).encode()})
    # A file written before the key existed was Platt-calibrated.
    del meta["calibration"]
    import io
    with np.load(io.BytesIO(files["arrays.npz"])) as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays["calibrator.coef_"] = np.array([1.0, 0.0])
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    old = Model.from_files({"model.json": json.dumps(meta).encode(), "arrays.npz": buffer.getvalue()})
    assert isinstance(old.calibrator, PlattCalibrator)


def test_classify_linear_rejects_bad_parameter():
    with pytest.raises(ValueError, match="C must be > 0"):
        LinearSoftmaxClassifier(C=0).fit([[0.0], [1.0]], ["a", "b"])


# --- features and embeddings ---------------------------------------------------------------------

def test_classify_tfidf_state_round_trip():
    texts = ["remesas a las familias", "actas de nacimiento", "remittances to families"]
    tfidf = CharTfidf.fit(texts)
    meta, arrays = tfidf.to_state()
    restored = CharTfidf.from_state(json.loads(json.dumps(meta)), arrays)
    np.testing.assert_allclose(restored.transform(texts).toarray(), tfidf.transform(texts).toarray())
    assert np.allclose(np.linalg.norm(tfidf.transform(texts).toarray(), axis=1), 1.0)


def test_classify_word_tfidf_reads_stems_and_pairs_and_round_trips():
    texts = ["Envío de remesas a las familias migrantes", "remesa enviada por familias de Zacatecas",
             "actas de nacimiento en el consulado", "expedición de actas de nacimiento"]
    # Inflected forms share a key, stop words and the domain's stock are not terms, pairs are.
    assert word_terms("Envío de remesas")[:2] == word_terms("envío de remesa")[:2]
    assert not any(term.startswith("migrant") for term in word_terms("las personas migrantes"))
    assert any(" " in term for term in word_terms("actas de nacimiento"))
    fillers = [f"capacitación de personal consular número {n}" for n in range(8)]
    # From ten texts on, a term of one text only is no feature: a place name explains no label.
    assert not any("zacatec" in term for term in WordTfidf.fit(texts + fillers).vocabulary)
    # A handful of texts that share no term still gives a vocabulary (every term kept).
    assert WordTfidf.fit(["remesas baratas", "actas de nacimiento"]).vocabulary
    words = WordTfidf.fit(texts)
    meta, arrays = words.to_state()
    restored = WordTfidf.from_state(json.loads(json.dumps(meta)), arrays)
    np.testing.assert_allclose(restored.transform(texts).toarray(), words.transform(texts).toarray())
    matrix = words.transform(texts + ["zzz"]).toarray()
    assert np.allclose(np.linalg.norm(matrix[:4], axis=1), 1.0) and not matrix[4].any()
    # The two remittance texts are nearer each other than the birth-certificate one.
    assert matrix[0] @ matrix[1] > matrix[0] @ matrix[2]


def test_classify_lexicon_terms_are_the_texts_own_words():
    lexicon = Lexicon.fit(["envío de remesas baratas", "actas de nacimiento"], [["20"], ["4"]])
    assert lexicon.terms("Las Remesas llegan a sus familias", "20") == ["Remesas"]
    assert lexicon.score("actas de nacimiento", "4") > lexicon.score("actas de nacimiento", "20")


def test_classify_chunks_bound_a_huge_text():
    text = "Una oración sobre migración y remesas. " * 30000  # ~1.2 MB
    chunks = chunk_text(text)
    assert 1 < len(chunks) <= 8 and all(len(c) <= 1500 for c in chunks)
    assert chunk_text("corto.") == ["corto."]
    assert split_sentences("Uno. Dos!\n\n● Tres") == ["Uno.", "Dos!", "Tres"]


class CountingEmbedder(Embedder):
    id = "test-counting.v1"
    dim = 4

    def __init__(self):
        self.seen = []

    def encode(self, texts):
        self.seen.extend(texts)
        return np.array([[len(t), t.count("a"), 1.0, 0.0] for t in texts], dtype=np.float32)


def test_classify_embedding_cache_never_embeds_a_text_twice(tmp_path):
    embedder = CountingEmbedder()
    first = embed_texts(["hola a todos", "adiós"], embedder, cache=EmbeddingCache(tmp_path))
    again = embed_texts(["adiós", "hola a todos", "nuevo"], embedder, cache=EmbeddingCache(tmp_path))
    assert embedder.seen == ["hola a todos", "adiós", "nuevo"]
    np.testing.assert_allclose(again[:2], first[::-1])
    assert np.allclose(np.linalg.norm(again, axis=1), 1.0)


# --- artefacts -----------------------------------------------------------------------------------

def test_classify_artifacts_refuse_a_tampered_file(tmp_path):
    path = artifacts.write_version(tmp_path, "gcm", "goal", "v1", {"model.json": b"{}", "arrays.npz": b"x"},
                                   {"created_at": "2025"})
    card, files = artifacts.read_verified(path)
    assert files["arrays.npz"] == b"x" and len(card["files"]["arrays.npz"]["sha256"]) == 64
    (path / "arrays.npz").write_bytes(b"y")
    with pytest.raises(ModelIntegrityError, match="does not match the card"):
        artifacts.read_verified(path)
    (path / "arrays.npz").unlink()
    with pytest.raises(ModelIntegrityError, match="missing"):
        artifacts.read_verified(path)
    with pytest.raises(PmmError, match="already exists"):
        artifacts.write_version(tmp_path, "gcm", "goal", "v1", {"a": b""}, {})


# --- a model per scheme: overfit -> save -> load -> same scores ------------------------------

@pytest.mark.parametrize("scheme", ["gcm", "sdg", "challenge"])
def test_classify_overfit_save_load_same_scores(scheme, tmp_path):
    model = fit_tiny(scheme)
    texts = [t for texts in TINY[scheme].values() for t in texts]
    before = model.predict(texts)
    for result, label in zip(before, [l for l, ts in TINY[scheme].items() for _ in ts]):
        assert result["labels"][0]["label"] == label  # learnt its own examples
        assert result["assigned"][0] == label
    artifacts.write_version(tmp_path, scheme, "goal", model.version, model.to_files(), {"created_at": "x"})
    artifacts.set_current(tmp_path, scheme, "goal", model.version)
    loaded = load_model(scheme, models_dir=tmp_path)
    after = loaded.predict(texts)
    assert loaded.labels == model.labels
    assert [r["assigned"] for r in after] == [r["assigned"] for r in before]
    for b, a in zip(before, after):
        # Label by label: a loaded model that shuffled its label columns fails here.
        before_scores = {x["label"]: x["score"] for x in b["labels"]}
        after_scores = {x["label"]: x["score"] for x in a["labels"]}
        assert after_scores.keys() == before_scores.keys()
        np.testing.assert_allclose([after_scores[label] for label in before_scores],
                                   list(before_scores.values()), atol=1e-4)


def test_classify_prediction_shape_and_rules():
    model = fit_tiny("gcm")
    [result] = model.predict(["Un texto que no habla de nada en particular."])
    assert [x["label"] for x in result["labels"]] and len(result["labels"]) == 23
    scores = [x["score"] for x in result["labels"]]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    assert len(result["assigned"]) >= 1  # at least one GCM objective, always
    assert set(result["evidence"]) == set(result["assigned"])
    variants = model.variant_scores(["remesas"])
    assert set(variants) == {"e5-lr", "use-proto", "tfidf-lr", "e5-knn"} and variants["e5-lr"].shape == (1, 23)


def test_classify_memory_makes_a_decided_text_follow_the_decision():
    model = fit_tiny("gcm")
    text = "Envío de remesas más baratas y seguras a las familias de migrantes."
    assert model.predict([text])[0]["assigned"] == ["20"]
    vector = model.features([text])["e5"]
    decided = np.zeros((1, 23), dtype=np.uint8)
    decided[0, [model.labels.index("5"), model.labels.index("19")]] = 1
    model.memory = {"source": "e5", "keys": ["not-this-text"], "vectors": vector, "labels": decided}
    [result] = model.predict([text])
    assert sorted(result["assigned"]) == ["19", "5"]
    assert result["evidence"]["5"]["decided"] is True


def test_classify_load_model_errors(tmp_path):
    with pytest.raises(UnknownScheme):
        load_model("odd", models_dir=tmp_path)
    with pytest.raises(UnknownScheme):
        load_model("gcm", "target", models_dir=tmp_path)
    with pytest.raises(PmmError, match="no current model"):
        load_model("gcm", models_dir=tmp_path)


def test_classify_model_files_are_not_pickles():
    files = fit_tiny("challenge").to_files()
    assert set(files) == {"model.json", "arrays.npz"}
    json.loads(files["model.json"])
    import io
    with np.load(io.BytesIO(files["arrays.npz"]), allow_pickle=False) as npz:
        assert all(npz[k].dtype != object for k in npz.files)


# --- the shipped default models -------------------------------------------------------------------

@pytest.mark.parametrize("scheme,level", [("gcm", "goal"), ("sdg", "goal"), ("sdg", "target"),
                                          ("challenge", "goal")])
def test_classify_default_models_verify_and_load(scheme, level):
    model = load_model(scheme, level)
    card = artifacts.verify(artifacts.resolve_version_dir(MODELS_DIR, scheme, level))
    assert model.version == card["version"] and card["files"]
    assert len(model.labels) == len(load_scheme(scheme, level))
    assert card["metrics"]["language_check"] and "reliability_all_labels" in card["model"]["calibration"]
    assert "reliability_top_label" in card["model"]["calibration"]


@pytest.mark.parametrize("text", [
    "El programa reduce el costo del envío de remesas y promueve la inclusión financiera de las familias.",
    "The programme lowers the cost of sending remittances and promotes financial inclusion of families.",
])
def test_classify_default_gcm_model_in_both_languages(text):
    [result] = load_model("gcm").predict([text])
    assert result["labels"][0]["label"] == "20" and result["assigned"][0] == "20"
    assert result["evidence"][result["assigned"][0]]["terms"]


@pytest.mark.parametrize("text", [
    "Campaña nacional de vacunación y atención médica gratuita en los centros de salud.",
    "National vaccination campaign and free medical care in health centres.",
])
def test_classify_default_sdg_model_in_both_languages(text):
    [result] = load_model("sdg").predict([text])
    assert result["labels"][0]["label"] == "3" and "3" in result["assigned"]


def test_classify_challenge_texts_are_read_sentence_by_sentence():
    # A reto that names two problems in two sentences carries both categories, not just the
    # stronger one (the Informe: a reto may belong to one or more categories).
    from pipeline.classify import load_model

    model = load_model("challenge")
    budget = "No contamos con presupuesto suficiente ni con personal para atender la demanda."
    covid = "Las actividades presenciales se suspendieron por las restricciones sanitarias de la pandemia de COVID-19."
    [whole] = model.predict([f"{budget} {covid}"], evidence=False)
    alone = {text: model.predict([text], evidence=False)[0]["assigned"][0] for text in (budget, covid)}
    assert set(alone.values()) <= set(whole["assigned"]) and len(set(alone.values())) == 2


# --- evidence and the ensemble estimator (issue 10, issue 13) ---------------------------------------

def test_classify_evidence_terms_are_content_words_not_the_reporting_register():
    from pipeline.classify.features import content_words, is_content_word

    register = "Se brindó atención permanente; su periodo de implementación es permanente, se llevó a cabo en junio."
    assert not any(is_content_word(w) for w in ("permanente", "brindado", "brindó", "periodo", "junio", "cabo"))
    assert content_words(register) == ["atención"]
    texts = ["Se brindó el envío de remesas baratas en el periodo de junio, de forma permanente.",
             "Se brindaron actas de nacimiento en el periodo de junio, de forma permanente."]
    lexicon = Lexicon.fit(texts, [["20"], ["4"]])
    assert lexicon.terms(texts[0], "20") == ["envío", "remesas", "baratas"]


def test_classify_evidence_shows_the_sentence_that_drove_each_label():
    model = fit_tiny("gcm")
    remittances = "Se redujo el costo del envío de remesas a las familias de migrantes."
    identity = "Se expidieron actas de nacimiento y documentos de identidad a personas migrantes."
    [result] = model.predict([f"{remittances} {identity}"])
    from pipeline.classify.evidence import explain

    scores = model.sentence_scores([f"{remittances} {identity}"])[0]
    assert scores[0] == [remittances, identity] and scores[1].shape == (2, 23)
    evidence = explain(f"{remittances} {identity}", ["20", "4"], model.lexicon, model.labels, scores)
    assert evidence["20"]["sentences"][0] == remittances and evidence["4"]["sentences"][0] == identity
    assert evidence["20"]["sentence_by"] == "model" and "remesas" in evidence["20"]["terms"]
    assert all(result["evidence"][label]["sentences"] for label in result["assigned"])


def test_classify_ensemble_is_an_estimator_the_model_uses_as_fitted():
    from sklearn.base import clone

    from pipeline.classify.ensemble import Ensemble
    from pipeline.train.cv import Matrices

    model = fit_tiny("gcm")
    assert isinstance(model.ensemble, Ensemble) and model.ensemble.get_params()["variants"] == TINY_VARIANTS
    examples = tiny_examples("gcm")
    mats = Matrices([e.text for e in examples], ["e5", "use", "tfidf"], vectorizers=model.vectorizers)
    fresh = clone(model.ensemble).fit(mats.rows(np.arange(len(examples))), [e.labels[0] for e in examples])
    np.testing.assert_allclose(fresh.predict_proba(mats.by_source), model.ensemble.predict_proba(mats.by_source),
                               atol=1e-8)
    assert list(fresh.predict(mats.by_source)) == [e.labels[0] for e in examples]


def test_classify_assignment_keeps_the_best_label_and_caps_the_count():
    model = fit_tiny("gcm")
    model.thresholds = np.full(23, 0.01)
    probs = np.full((1, 23), 0.02)
    probs[0, :4] = [0.5, 0.3, 0.1, 0.05]
    model.max_assigned = 2
    assert model.assign(probs) == [["1", "2"]]
    model.thresholds = np.full(23, 0.9)
    assert model.assign(probs) == [["1"]]  # none passes: the best one, always


def test_classify_lexicon_ignores_a_word_only_one_text_of_a_label_uses():
    texts = [f"Envío de remesas a familias, texto {i}." for i in range(12)] + ["Remesas en Tuxtla Gutiérrez."]
    texts += [f"Actas de nacimiento, texto {i}." for i in range(12)]
    lexicon = Lexicon.fit(texts, [["20"]] * 13 + [["4"]] * 12)
    assert "Tuxtla" not in lexicon.terms("Remesas en Tuxtla Gutiérrez.", "20")
    assert lexicon.terms("Remesas en Tuxtla Gutiérrez.", "20") == ["Remesas"]
