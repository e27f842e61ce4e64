"""`pmm run`'s summary of where the GCM objectives come from and how the model agrees."""

from pipeline.run import objective_agreement
from pipeline.store import queries as q


def predict(conn, action_id, ranked, assigned):
    q.add_predictions(conn, action_id=action_id, scheme="gcm", model_version="v1",
                      labels=[{"label": label, "score": score} for label, score in ranked], assigned=assigned)


def test_run_agreement_between_stated_and_model_objectives(db):
    with db.begin() as conn:
        a, b, c, d = q.add_actions(conn, [{"text": "uno", "stated_objectives": [7]},
                                          {"text": "dos", "stated_objectives": [4, 14]},
                                          {"text": "tres", "stated_objectives": [20]},
                                          {"text": "cuatro"}])
        predict(conn, a, [("7", 0.8), ("13", 0.1)], ["7"])             # agrees
        predict(conn, b, [("16", 0.5), ("14", 0.4)], ["16", "14"])     # second assigned is stated
        predict(conn, c, [("19", 0.7), ("20", 0.2)], ["19"])           # disagrees
        predict(conn, d, [("2", 0.9)], ["2"])                          # no stated objective
    with db.connect() as conn:
        agreement = objective_agreement(conn)
    assert agreement == {"actions": 4, "labels_by_source": {"document": 3, "model": 1}, "both": 3,
                         "top1_stated": 1, "assigned_overlap": 2}
