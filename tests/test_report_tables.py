"""The count tables on a nine-action store, against counts made by hand.

The store (ids in insertion order):
  1 INM (federal)          gcm human [7, 15]  sdg human [10.7, 3]
                           challenge human [coordinacion, capacitacion]
  2 CNDH (autonomous)      gcm model [7] 0.82
  3 SENADO (legislative)   gcm model [17] 0.45, then human [16] (the human wins)
  4 MX-CHP (state)         gcm human [3]      sdg model [10] 0.95
                           challenge human [capacidades_institucionales, politicas_eeuu]
  5 MX-CHP (state)         gcm human [3, 4]   challenge model [capacidades_institucionales] 0.60
                           period 2021
  6 MX-ROO-OPB (municipal) gcm human [15]     period none
  7 no actor               gcm model [7] 0.55
  8 INM (federal)          no labels
  9 INM (federal)          gcm human [1] undone, so the model's [2] 0.91 applies
Periods: "2022" unless said otherwise.
"""

import pandas as pd
import pytest

from pipeline.errors import PmmError
from pipeline.report import compute_tables
from pipeline.report.tables import FEWEST_OBJECTIVES, MOST_OBJECTIVES, bucket_of, ranked_objectives
from pipeline.store import queries as q


def _predict(conn, action_id, scheme, scores, assigned, version="m1"):
    labels = [{"label": label, "score": score} for label, score in scores.items()]
    q.add_predictions(conn, action_id=action_id, scheme=scheme, model_version=version,
                      labels=labels, assigned=assigned)


def _decide(conn, action_id, scheme, labels):
    return q.record_decision(conn, action_id=action_id, scheme=scheme, labels=labels,
                             reviewer="ana", source="cli")


@pytest.fixture
def small_store(db):
    actions = [
        {"text": "Atención a personas migrantes en estaciones migratorias.", "actor": "INM",
         "actor_type": "federal"},
        {"text": "Quejas por violaciones a derechos humanos.", "actor": "CNDH", "actor_type": "autonomous"},
        {"text": "Punto de acuerdo sobre inclusión.", "actor": "SENADO", "actor_type": "legislative"},
        {"text": "Ferias de documentación en Tapachula.", "actor": "MX-CHP", "actor_type": "state"},
        {"text": "Registro de nacimientos de hijos de migrantes.", "actor": "MX-CHP", "actor_type": "state",
         "period": "2021"},
        {"text": "Albergue municipal en Chetumal.", "actor": "MX-ROO-OPB", "actor_type": "municipal",
         "period": None},
        {"text": "Acción sin actor identificado.", "actor": None, "actor_type": None},
        {"text": "Acción aún sin etiquetas.", "actor": "INM", "actor_type": "federal"},
        {"text": "Programa de retorno asistido.", "actor": "INM", "actor_type": "federal"},
    ]
    for record in actions:
        record.setdefault("period", "2022")
    with db.begin() as conn:
        ids = q.add_actions(conn, actions)
        assert ids == list(range(1, 10))
        _decide(conn, 1, "gcm", ["7", "15"])
        _decide(conn, 1, "sdg", ["10.7", "3"])
        _decide(conn, 1, "challenge", ["coordinacion", "capacitacion"])
        _predict(conn, 2, "gcm", {"7": 0.82, "1": 0.10}, ["7"])
        _predict(conn, 3, "gcm", {"17": 0.45, "16": 0.30}, ["17"])
        _decide(conn, 3, "gcm", ["16"])
        _decide(conn, 4, "gcm", ["3"])
        _predict(conn, 4, "sdg", {"10": 0.95, "1": 0.2}, ["10"])
        _decide(conn, 4, "challenge", ["capacidades_institucionales", "politicas_eeuu"])
        _decide(conn, 5, "gcm", ["3", "4"])
        _predict(conn, 5, "challenge", {"capacidades_institucionales": 0.60, "covid": 0.1},
                 ["capacidades_institucionales"])
        _decide(conn, 6, "gcm", ["15"])
        _predict(conn, 7, "gcm", {"7": 0.55, "3": 0.2}, ["7"])
        _predict(conn, 9, "gcm", {"2": 0.91, "1": 0.4}, ["2"])
        q.undo_decision(conn, _decide(conn, 9, "gcm", ["1"]))
    return db


@pytest.fixture
def tables(small_store):
    with small_store.connect() as conn:
        return compute_tables(conn)


def _by(table, key):
    return table.set_index(key)


def test_report_summary_counts_levels_actors_and_states(tables):
    summary = dict(zip(tables["summary"]["metric"], tables["summary"]["value"]))
    assert summary == {"actions": 9, "federal": 5, "state": 3, "municipal": 1, "other": 1,
                       "federal_actors": 3, "states": 2, "no_objective": 1}
    ids = dict(zip(tables["summary"]["metric"], tables["summary"]["action_ids"]))
    assert ids["federal"] == [1, 2, 3, 8, 9]
    assert ids["state"] == [4, 5, 6]
    assert ids["other"] == [7]
    assert ids["no_objective"] == [8]


def test_report_objectives_count_an_action_under_each_of_its_objectives(tables):
    objectives = _by(tables["objectives"], "objective")
    assert list(objectives.index) == [str(i) for i in range(1, 24)]
    assert objectives.loc["7", ["total", "federal", "state", "other"]].tolist() == [3, 2, 0, 1]
    assert objectives.loc["7", "action_ids"] == [1, 2, 7]
    assert objectives.loc["15", ["total", "federal", "state"]].tolist() == [2, 1, 1]
    assert objectives.loc["3", ["total", "state"]].tolist() == [2, 2]
    assert objectives.loc["4", "action_ids"] == [5]
    assert objectives.loc["16", "action_ids"] == [3]   # the human decision, not the model's 17
    assert objectives.loc["17", "total"] == 0
    assert objectives.loc["2", "action_ids"] == [9]    # undone decision: the model applies again
    assert objectives.loc["1", "total"] == 0
    assert objectives["total"].sum() == 10             # 8 labelled actions, two with two objectives


def test_report_most_and_fewest_objectives(tables):
    most = tables["objectives_most"]
    assert list(zip(most["objective"], most["count"])) == [
        ("7", 3), ("3", 2), ("15", 2), ("2", 1), ("4", 1), ("16", 1)]
    fewest = tables["objectives_fewest"]
    # 17 objectives have no action: all tie for last place, and all are listed.
    assert len(fewest) == 17 and set(fewest["count"]) == {0}
    assert list(fewest["objective"])[:3] == ["1", "5", "6"]


def _objectives(counts):
    return pd.DataFrame({"objective": [str(i + 1) for i in range(len(counts))], "name": "",
                         "total": counts, "action_ids": [[] for _ in counts]})


def test_report_ranked_objectives_keep_ties_at_the_cut():
    counts = [9, 8, 8, 7, 6, 5, 5, 4, 3, 3, 2, 2, 1]
    most = ranked_objectives(_objectives(counts), most=True)
    # 6th place is a 5 shared by objectives 6 and 7: both are in.
    assert list(most["objective"]) == ["1", "2", "3", "4", "5", "6", "7"]
    assert len(most) == MOST_OBJECTIVES + 1
    fewest = ranked_objectives(_objectives(counts), most=False)
    # Bottom five: 1, 2, 2, 3, 3 - printed most-first, ties by number.
    assert list(fewest["objective"]) == ["9", "10", "11", "12", "13"]
    assert len(fewest) == FEWEST_OBJECTIVES
    assert ranked_objectives(_objectives([0, 0, 0]), most=False).empty


def test_report_actor_tables(tables):
    actors = _by(tables["actors"], "actor")
    assert actors.loc["INM", "actions"] == 3 and actors.loc["INM", "action_ids"] == [1, 8, 9]
    assert actors.loc["INM", "name"] == "Instituto Nacional de Migración"
    assert actors.loc["MX-ROO-OPB", "state"] == "MX-ROO"
    assert actors.loc["MX-ROO-OPB", "level"] == "state"
    assert actors.loc["", "name"] == "(sin actor)" and actors.loc["", "action_ids"] == [7]
    assert list(tables["actors"]["level"]) == sorted(tables["actors"]["level"],
                                                     key=["federal", "state", "other"].index)
    types = tables["actor_types"].set_index(tables["actor_types"]["actor_type"].fillna("none"))
    assert types.loc["federal", ["actors", "actions"]].tolist() == [1, 3]
    assert types.loc["autonomous", "action_ids"] == [2]
    assert types.loc["legislative", "action_ids"] == [3]
    assert types.loc["municipal", ["level", "actions"]].tolist() == ["state", 1]
    assert types.loc["none", "action_ids"] == [7]
    participants = _by(tables["participants"], "level")
    assert participants.loc["federal", "names"] == "CNDH, INM, SENADO"
    assert participants.loc["state", "names"] == "Chiapas, Quintana Roo"


def test_report_states_count_municipal_actions_in_their_state(tables):
    states = _by(tables["states"], "state_id")
    assert states.loc["MX-CHP", "actions"] == 2 and states.loc["MX-CHP", "bucket"] == "1-3"
    assert states.loc["MX-ROO", "action_ids"] == [6]
    buckets = _by(tables["state_buckets"], "bucket")
    assert buckets["states"].to_dict() == {"1-3": 2, "4-10": 0, "11+": 0, "0": 30}
    assert buckets.loc["1-3", "action_ids"] == [4, 5, 6]


@pytest.mark.parametrize("count, bucket", [(0, "0"), (1, "1-3"), (3, "1-3"), (4, "4-10"),
                                           (10, "4-10"), (11, "11+"), (120, "11+")])
def test_report_state_bucket_bounds(count, bucket):
    assert bucket_of(count)[0] == bucket


def test_report_challenges_per_level(tables):
    federal = _by(tables["challenges_federal"], "category")
    assert federal.loc["coordinacion", "action_ids"] == [1]
    assert federal.loc["capacitacion", "challenges"] == 1
    assert federal["challenges"].sum() == 2
    # A category of the federal table with no action still shows, with 0.
    assert federal.loc["covid", "challenges"] == 0
    assert "politicas_eeuu" not in federal.index  # a state-table category, absent federally
    state = _by(tables["challenges_state"], "category")
    assert state.loc["capacidades_institucionales", "action_ids"] == [4, 5]
    assert state.loc["politicas_eeuu", "challenges"] == 1
    assert list(tables["challenges_state"]["category"][:2]) == ["capacidades_institucionales",
                                                                 "politicas_eeuu"]


def test_report_gcm_sdg_cross_table(tables):
    pairs = {(r.objective, r.sdg): r.action_ids for r in tables["gcm_sdg"].itertuples()}
    assert pairs == {("3", "10"): [4], ("7", "3"): [1], ("7", "10"): [1], ("15", "3"): [1],
                     ("15", "10"): [1]}
    matrix = tables["gcm_sdg_matrix"].set_index("objective")
    assert matrix.shape == (23, 18)  # name + 17 SDGs
    assert matrix.loc["7", "10"] == 1 and matrix.loc["3", "10"] == 1 and matrix.loc["1", "1"] == 0


def test_report_review_status_and_confidence(tables):
    review = tables["review"].set_index(["scheme", "source"])
    assert review.loc[("gcm", "human"), "action_ids"] == [1, 3, 4, 5, 6]
    assert review.loc[("gcm", "model"), "action_ids"] == [2, 7, 9]
    assert review.loc[("gcm", "model"), "model_version"] == "m1"
    assert review.loc[("gcm", "none"), "action_ids"] == [8]
    assert review.loc[("sdg", "model"), "action_ids"] == [4]
    assert review.loc[("challenge", "model"), "action_ids"] == [5]
    confidence = tables["confidence"].set_index(["scheme", "confidence"])["action_ids"]
    assert confidence[("gcm", "0.50 – 0.69")] == [7]
    assert confidence[("gcm", "0.70 – 0.89")] == [2]
    assert confidence[("gcm", "≥ 0.90")] == [9]
    assert confidence[("gcm", "< 0.50")] == []
    assert confidence[("challenge", "0.50 – 0.69")] == [5]


def test_report_period_filter_leaves_out_actions_without_a_period(small_store):
    with small_store.connect() as conn:
        tables = compute_tables(conn, period=" 2022 ")
    summary = tables["summary"].set_index("metric")
    assert summary.loc["actions", "action_ids"] == [1, 2, 3, 4, 7, 8, 9]
    assert summary.loc["excluded_period", "action_ids"] == [6]
    assert _by(tables["objectives"], "objective").loc["3", "action_ids"] == [4]


def test_report_names_follow_the_language(small_store):
    with small_store.connect() as conn:
        tables = compute_tables(conn, lang="en")
    objectives = _by(tables["objectives"], "objective")
    assert objectives.loc["7", "name"] == "Address and reduce vulnerabilities in migration"
    assert _by(tables["actors"], "actor").loc["INM", "name"] == "National Migration Institute"
    with small_store.connect() as conn, pytest.raises(PmmError, match="language 'fr'"):
        compute_tables(conn, lang="fr")


def test_report_empty_store_gives_empty_but_complete_tables(db):
    with db.connect() as conn:
        tables = compute_tables(conn)
    assert set(tables["summary"]["value"]) == {0}
    assert len(tables["objectives"]) == 23 and tables["objectives"]["total"].sum() == 0
    assert tables["objectives_most"].empty and tables["objectives_fewest"].empty
    assert tables["states"].empty and tables["actors"].empty
    assert _by(tables["state_buckets"], "bucket").loc["0", "states"] == 32


def test_comparison_counts_actions_per_actor_as_the_actor_table_does():
    # Actions without an actor (NaN in the frame) were counted 0 in both periods of the comparison.
    from pipeline.report.compare import _actors
    from pipeline.report.tables import actors_table

    def frame(rows):
        return pd.DataFrame([{"action_id": i, "actor": a, "actor_name": a, "level": level,
                              "actor_type": None, "state": None} for i, a, level in rows])

    prev = frame([(1, "INM", "federal"), (2, None, "other"), (3, "INM", "federal")])
    cur = frame([(10, "INM", "federal"), (11, None, "other"), (12, None, "other"), (13, "SEP", "federal")])
    table = _actors(cur, prev, {10: 1, 11: 2}, "es").set_index("actor")
    for period, column in ((prev, "previous"), (cur, "current")):
        counted = actors_table(period, "es").set_index("actor")["actions"]
        assert table[column].to_dict() == {a: int(counted.get(a, 0)) for a in table.index}
    assert table.loc["", ["previous", "current", "new", "continuing", "ended"]].tolist() == [1, 2, 1, 1, 0]
    assert table.loc["INM", ["new_ids", "continuing_ids", "ended_ids"]].tolist() == [[], [10], [3]]
