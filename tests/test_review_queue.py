"""The review queue and decision recording (pipeline.review.queue, pipeline.review.decisions)."""

from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_review_support import MODEL, full_scores, make_review_store

from pipeline.errors import PmmError
from pipeline.review.decisions import (UnknownLabel, load_catalogue, model_proposal, record,
                                       validate_labels)
from pipeline.review.queue import disagreement, queue_progress, review_queue
from pipeline.store import queries as q


@pytest.fixture
def store(db):
    return db, make_review_store(db)


def order(items, ids):
    by_id = {v: k for k, v in ids.items()}
    return [by_id[item["action_id"]] for item in items]


def test_review_queue_lowest_top_score_first(store):
    db, ids = store
    with db.connect() as conn:
        items = review_queue(conn, scheme="gcm", strategy="lowest")
    assert order(items, ids) == ["t-xss", "t-visas", "t-remesas", "t-datos", "t-salud"]
    assert items[0]["top_score"] == pytest.approx(0.35)
    assert items[0]["suggestions"][0]["label"] == "23"
    assert items[0]["text"] == "<img src=x onerror=alert(1)>"


def test_review_queue_smallest_margin_first(store):
    db, ids = store
    with db.connect() as conn:
        items = review_queue(conn, scheme="gcm", strategy="margin")
    # 0.02, then two margins of 0.04 (the lower top score first), then 0.61 and 0.68
    assert order(items, ids) == ["t-xss", "t-visas", "t-remesas", "t-salud", "t-datos"]
    assert items[0]["margin"] == pytest.approx(0.02)


def test_review_queue_decided_actions_leave_until_asked_or_undone(store):
    db, ids = store
    with db.begin() as conn:
        decision = record(conn, action_id=ids["t-xss"], scheme="gcm", labels=["3"],
                          reviewer="Ana", source="cli")
    with db.connect() as conn:
        assert "t-xss" not in order(review_queue(conn, scheme="gcm"), ids)
        with_decided = review_queue(conn, scheme="gcm", include_decided=True)
        assert "t-xss" in order(with_decided, ids)
        assert [i["decided"] for i in with_decided if i["action_id"] == ids["t-xss"]] == [True]
        assert queue_progress(conn, scheme="gcm") == {"decided": 1, "total": 5}
    with db.begin() as conn:
        q.undo_decision(conn, decision)
    with db.connect() as conn:
        assert order(review_queue(conn, scheme="gcm"), ids)[0] == "t-xss"


def test_review_queue_filters_by_actor_limit_and_exclusion(store):
    db, ids = store
    with db.connect() as conn:
        assert order(review_queue(conn, scheme="gcm", actor="INM"), ids) == ["t-visas"]
        assert order(review_queue(conn, scheme="gcm", limit=2), ids) == ["t-xss", "t-visas"]
        assert order(review_queue(conn, scheme="gcm", exclude=[ids["t-xss"]], limit=1), ids) == ["t-visas"]
        assert review_queue(conn, scheme="sdg") == []


def test_review_queue_uses_the_newest_model(store):
    db, ids = store
    with db.begin() as conn:
        q.add_predictions(conn, action_id=ids["t-salud"], scheme="gcm", model_version="gcm-test-v2",
                          labels=full_scores({"15": 0.10, "7": 0.09}), assigned=[])
    with db.connect() as conn:
        items = review_queue(conn, scheme="gcm")
    assert order(items, ids)[0] == "t-salud"
    assert items[0]["model_version"] == "gcm-test-v2"


def test_review_queue_disagreement_puts_split_variants_first(store):
    db, ids = store
    with db.begin() as conn:
        # A second variant: agrees on t-xss's top label but not on t-datos's.
        q.add_predictions(conn, action_id=ids["t-datos"], scheme="gcm", model_version="gcm-usem3",
                          labels=full_scores({"3": 0.7, "1": 0.2}), assigned=["3"])
        q.add_predictions(conn, action_id=ids["t-xss"], scheme="gcm", model_version="gcm-usem3",
                          labels=full_scores({"23": 0.9}), assigned=["23"])
    with db.connect() as conn:
        items = review_queue(conn, scheme="gcm", strategy="disagreement")
        only_v1 = review_queue(conn, scheme="gcm", strategy="disagreement", variants=[MODEL])
    assert order(items, ids)[:2] == ["t-datos", "t-xss"]
    assert items[0]["disagreement"] >= 1 > items[1]["disagreement"] > 0
    assert all(item["disagreement"] == 0 for item in only_v1)


class TwoVariantModel:
    """Stands in for a classifier: two variants that disagree on the remittances action only."""

    labels = ("1", "3", "20")

    def variant_scores(self, texts):
        import numpy as np

        e5 = np.array([[0.1, 0.2, 0.7] if "remesas" in t else [0.6, 0.3, 0.1] for t in texts])
        use = np.array([[0.1, 0.8, 0.1] if "remesas" in t else [0.6, 0.3, 0.1] for t in texts])
        return {"e5-lr": e5, "use-lr": use}


def test_review_queue_disagreement_between_a_models_variants(store):
    db, ids = store
    with db.connect() as conn:
        items = review_queue(conn, scheme="gcm", strategy="disagreement", model=TwoVariantModel())
    assert order(items, ids)[0] == "t-remesas"
    assert items[0]["disagreement"] >= 1
    assert all(item["disagreement"] == 0 for item in items[1:])


def test_review_disagreement_measure():
    assert disagreement({}) == 0
    assert disagreement({"a": {"1": 0.9, "2": 0.1}}) == 0
    same_top = disagreement({"a": {"1": 0.9, "2": 0.1}, "b": {"1": 0.6, "2": 0.4}})
    split = disagreement({"a": {"1": 0.51, "2": 0.49}, "b": {"1": 0.49, "2": 0.51}})
    assert 0 < same_top < 1 <= split


def _pairwise_disagreement(scores_by_variant):
    """The measure as its docstring defines it, pair by pair."""
    variants = list(scores_by_variant.values())
    if len(variants) < 2:
        return 0.0
    pairs = list(combinations(variants, 2))
    top = lambda scores: max(scores, key=lambda label: (scores[label], label)) if scores else ""
    split = sum(top(a) != top(b) for a, b in pairs) / len(pairs)
    gap = max((abs(a.get(label, 0.0) - b.get(label, 0.0))
               for a, b in pairs for label in set(a) | set(b)), default=0.0)
    return split + 0.999 * min(gap, 1.0)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from("abcdef"),
                       st.dictionaries(st.sampled_from(["1", "2", "10", "10.a", "23"]),
                                       st.floats(0, 1) | st.sampled_from([0.0, 0.5, 1.0]), max_size=5),
                       max_size=6))
def test_review_disagreement_equals_its_pairwise_definition(scores_by_variant):
    assert disagreement(scores_by_variant) == _pairwise_disagreement(scores_by_variant)


def test_review_queue_rejects_unknown_strategy(db):
    with db.connect() as conn, pytest.raises(PmmError, match="unknown queue strategy 'best'"):
        review_queue(conn, scheme="gcm", strategy="best")


def test_review_record_keeps_what_the_model_proposed(store):
    db, ids = store
    with db.begin() as conn:
        assigned = record(conn, action_id=ids["t-salud"], scheme="gcm", labels=["7", "15", "7"],
                          reviewer="Ana", source="page")
        unassigned = record(conn, action_id=ids["t-visas"], scheme="gcm", labels=[],
                            reviewer="Luis", source="cli", note="no aplica")
    with db.connect() as conn:
        rows = {r["id"]: r for r in q.all_decisions(conn)}
    assert rows[assigned]["labels"] == ["7", "15"]
    assert rows[assigned]["model_version"] == MODEL
    assert rows[assigned]["model_labels"] == [{"label": "15", "score": 0.91}]
    # Nothing assigned: the proposal is the best label, what "accept" would have recorded.
    assert rows[unassigned]["model_labels"] == [{"label": "5", "score": 0.48}]
    assert rows[unassigned]["labels"] == [] and rows[unassigned]["note"] == "no aplica"


def test_review_record_refuses_unknown_labels_and_stores_nothing(store):
    db, ids = store
    with pytest.raises(UnknownLabel, match=r"action \d+: unknown gcm label '24'"):
        with db.begin() as conn:
            record(conn, action_id=ids["t-salud"], scheme="gcm", labels=["7", "24"],
                   reviewer="Ana", source="page")
    with db.connect() as conn:
        assert q.all_decisions(conn) == []


def test_review_catalogue_reads_what_people_type():
    gcm = load_catalogue("gcm")
    assert gcm.parse("7") == "7"
    assert gcm.parse(7.0) == "7"
    assert gcm.parse("Objetivo 12") == "12"
    assert gcm.parse(gcm.get("7").choice()) == "7"
    assert gcm.get("7").choice().startswith("7 — Abordar y reducir las vulnerabilidades")
    assert gcm.parse("abordar y reducir las VULNERABILIDADES en la migracion") == "7"
    assert gcm.parse("(ninguna etiqueta)") is None
    with pytest.raises(UnknownLabel):
        gcm.parse("24")
    sdg = load_catalogue("sdg")
    assert sdg.ids[:3] == ["1", "1.1", "1.2"] and "10.7" in sdg
    assert validate_labels(sdg, ["10.7", "10", "10.7"]) == ["10", "10.7"]


def test_review_model_proposal_without_prediction():
    assert model_proposal(None) == (None, [])


def test_review_queue_document_strategy_puts_contradicted_submissions_first(db):
    from pipeline.review.queue import review_queue
    from pipeline.store import queries as q

    with db.begin() as conn:
        agrees, contradicts, unstated = q.add_actions(conn, [
            {"text": "Programa de Trabajadores Agrícolas Temporales en Canadá.", "stated_objectives": [6]},
            {"text": "Campaña contra la xenofobia en redes sociales.", "stated_objectives": [3]},
            {"text": "Ferias de la salud para población migrante."}])
        for aid, top, score in ((agrees, "6", 0.3), (contradicts, "17", 0.9), (unstated, "15", 0.2)):
            q.add_predictions(conn, action_id=aid, scheme="gcm", model_version="v1",
                              labels=[{"label": top, "score": score}, {"label": "1", "score": 0.05}],
                              assigned=[top])
    with db.connect() as conn:
        queue = review_queue(conn, scheme="gcm", strategy="document")
    assert [item["action_id"] for item in queue] == [contradicts, unstated, agrees]
    assert queue[0]["contradicts_document"] and queue[0]["stated_objectives"] == [3]
