"""The SDG goals' per-label relevance: the yes/no rule, the head, and the shipped model."""

import numpy as np
import pytest

from pipeline.classify import load_model
from pipeline.classify.model import Model
from pipeline.classify.relevance import RelevanceHead, pair_features, sentence_max
from pipeline.train.relevance import candidate_mask, composites, decide, pair_metrics

from test_classify import fit_tiny


@pytest.fixture(scope="module")
def sdg():
    return load_model("sdg")


@pytest.mark.parametrize("text, goals", [
    ("The programme brings safe drinking water and sanitation to rural villages. It also trains teachers "
     "and builds primary schools so that every child completes a quality education.", {"4", "6"}),
    ("El programa lleva agua potable y saneamiento a las comunidades rurales. También forma docentes y "
     "construye escuelas primarias para que cada niño termine una educación de calidad.", {"4", "6"}),
])
def test_relevance_a_two_goal_text_gets_both_goals(sdg, text, goals):
    [result] = sdg.predict([text], evidence=False)
    assert set(result["assigned"]) == goals
    assert all(item["score"] >= 0.5 for item in result["labels"][:2])


@pytest.mark.parametrize("text", [
    "The meeting was moved to Thursday afternoon because the room was booked.",
    "La reunión se pasó al jueves por la tarde porque la sala estaba ocupada.",
])
def test_relevance_an_off_topic_text_gets_at_most_its_best_goal(sdg, text):
    [result] = sdg.predict([text], evidence=False)
    assert result["assigned"] == [result["labels"][0]["label"]]
    assert result["labels"][0]["score"] < 0.5  # and the score says it is unlikely


def test_relevance_one_goal_text_gets_one_goal(sdg):
    [result] = sdg.predict(["National vaccination campaign and free medical care in health centres."],
                           evidence=False)
    assert result["assigned"] == ["3"]


def test_relevance_shipped_model_round_trips_through_its_files(sdg):
    assert sdg.relevance is not None and sdg.relevance.uses_queries and sdg.relevance.uses_sentences
    restored = Model.from_files(sdg.to_files())
    texts = ["Reducing greenhouse gas emissions from power plants. The revenue funds primary health care.",
             "Acceso a la justicia para las víctimas de violencia de género."]
    before, after = sdg.predict(texts, evidence=False), restored.predict(texts, evidence=False)
    assert before == after
    np.testing.assert_allclose(restored.relevance.coef_, sdg.relevance.coef_)
    np.testing.assert_array_equal(restored.thresholds, sdg.thresholds)


def test_relevance_card_says_how_the_rule_was_chosen(sdg):
    relevance = sdg.card["model"]["relevance"]
    assert "candidate pairs" in relevance["threshold_chosen_on"] and 0.3 <= relevance["threshold"] <= 0.8
    assert relevance["out_of_fold"]["composites"]["n"] > 100
    assert 0.5 < relevance["query_match_precision_en"]["precision"] < 1.0


def test_relevance_rule_assigns_the_best_label_and_those_above_the_threshold():
    relevance = np.array([[0.2, 0.1, 0.05], [0.9, 0.7, 0.3], [0.6, 0.2, 0.55]])
    assert decide(relevance, 0.5).tolist() == [[True, False, False], [True, True, False], [True, False, True]]


def test_relevance_head_keeps_the_ensembles_best_label_first():
    # A head that prefers label 2 whatever the distribution says: label 0 (the ensemble's best)
    # is still ranked first, just above it.
    n_labels = 3
    coef = np.zeros(5 + 3 * n_labels)
    coef[-1] = 3.0  # label 2's own intercept
    head = RelevanceHead(coef, -1.0, uses_queries=False, uses_sentences=False)
    probs = np.array([[0.7, 0.2, 0.1]])
    out = head.transform(probs)
    assert np.argmax(out[0]) == 0 and out[0, 0] > out[0, 2] > out[0, 1]
    assert round(out[0, 0], 4) != round(out[0, 2], 4)


def test_relevance_pair_features_shape_and_flags():
    probs = np.array([[0.6, 0.3, 0.1], [0.1, 0.2, 0.7]])
    matches = np.array([[False, True, False], [False, False, False]])
    x = pair_features(probs, matches, probs)
    assert x.shape == (6, 5 + 9)
    assert x[:, 2].tolist() == [1, 0, 0, 0, 0, 1]  # first rank
    assert x[:, 3].tolist() == [0, 1, 0, 0, 1, 0]  # second rank
    assert x[:, 4].tolist() == [0, 1, 0, 0, 0, 0]  # query match


def test_relevance_sentence_max_takes_the_strongest_sentence():
    texts = ["Water for villages. Schools for children.", "One sentence only"]
    whole = np.array([[0.5, 0.5], [0.9, 0.1]])

    def score(sentences):
        assert sentences == ["Water for villages.", "Schools for children."]
        return np.array([[0.9, 0.1], [0.2, 0.8]])
    np.testing.assert_allclose(sentence_max(texts, whole, score), [[0.9, 0.8], [0.9, 0.1]])


def test_relevance_composites_pair_texts_of_different_goals_in_one_language():
    from pipeline.train.data import Example

    examples = [Example(f"t{i}", (str(i % 3 + 1),), "curriculum", "es" if i < 6 else "en", f"g{i}")
                for i in range(10)]
    pairs = composites(examples, range(10), seed=1)
    assert pairs and len({i for p in pairs for i in p}) == 2 * len(pairs)
    for i, j in pairs:
        assert examples[i].lang == examples[j].lang and examples[i].labels != examples[j].labels


def test_relevance_candidate_pairs_and_metrics():
    y = np.array([[1, 0, 0, 0, 0], [0, 1, 1, 0, 0]], dtype=bool)
    scores = np.array([[0.9, 0.5, 0.4, 0.3, 0.1], [0.1, 0.8, 0.2, 0.7, 0.6]])
    cand = candidate_mask(scores, y)
    assert cand.tolist() == [[True, True, True, True, False], [True, True, True, True, True]]
    m = pair_metrics(scores, decide(scores, 0.5), y)
    assert m["n"] == 2 and m["accuracy_all_pairs"] == 0.6 and m["accuracy_candidate_pairs"] == round(5 / 9, 4)


def test_relevance_tiny_sdg_model_has_a_head_and_gcm_has_none():
    assert fit_tiny("sdg").relevance is not None
    assert fit_tiny("gcm").relevance is None
