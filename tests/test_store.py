import sqlalchemy as sa

from pipeline.store import SCHEMA_VERSION, connect, schema
from pipeline.store import queries as q
from pipeline.store.db import current_version


def test_store_migrates_once_and_records_version(db_path):
    engine = connect(str(db_path))
    assert current_version(engine) == SCHEMA_VERSION
    again = connect(str(db_path))  # reopening applies nothing new
    assert current_version(again) == SCHEMA_VERSION


def test_store_round_trip(db):
    with db.begin() as conn:
        sub = q.add_submission(conn, file_name="chiapas.pdf", sha256="a" * 64, path="/tmp/chiapas.pdf",
                               actor="MX-CHP", pages=3)
        ids = q.add_actions(conn, [
            {"text": "La Dirección de Registro Civil del Estado de Chiapas inscribe nacimientos.",
             "pages": [2], "bbox": {"first": {"page": 2, "x0": 72, "top": 100, "x1": 540, "bottom": 112}},
             "actor": "MX-CHP", "actor_type": "state", "stated_objectives": ["4"]},
        ], submission_id=sub)
        q.add_predictions(conn, action_id=ids[0], scheme="gcm", model_version="v1",
                          labels=[{"label": "4", "score": 0.8}, {"label": "7", "score": 0.1}],
                          assigned=["4"], evidence={"4": {"sentences": ["inscribe nacimientos"]}})
    with db.connect() as conn:
        [action] = q.load_actions(conn)
        assert action["stated_objectives"] == [4]
        assert action["bbox"]["first"]["top"] == 100
        assert action["file_name"] == "chiapas.pdf" and action["source_path"] == "/tmp/chiapas.pdf"
        assert q.find_submission(conn, "a" * 64)["actor"] == "MX-CHP"
        pred = q.latest_predictions(conn, scheme="gcm")[action["id"]]
        assert pred["assigned"] == ["4"] and pred["labels"][0] == {"label": "4", "score": 0.8}
        assert q.actions_lacking_predictions(conn, scheme="gcm", model_version="v1") == []
        assert q.actions_lacking_predictions(conn, scheme="gcm", model_version="v2") == [action["id"]]


def test_decisions_are_append_only_and_win_over_the_model(db):
    with db.begin() as conn:
        [aid] = q.add_actions(conn, [{"text": "Ferias de la Salud para Población Migrante Binacional."}])
        q.add_predictions(conn, action_id=aid, scheme="gcm", model_version="v1",
                          labels=[{"label": "15", "score": 0.6}, {"label": "3", "score": 0.3}], assigned=["15"])
        first = q.record_decision(conn, action_id=aid, scheme="gcm", labels=["3"], reviewer="ana",
                                  source="cli", model_version="v1", model_labels=["15"])
        second = q.record_decision(conn, action_id=aid, scheme="gcm", labels=["15", "3"], reviewer="luis",
                                   source="cli")
    with db.begin() as conn:
        now = q.effective_labels(conn, scheme="gcm")[aid]
        assert (now["labels"], now["source"], now["reviewer"]) == (["3", "15"], "human", "luis")
        q.undo_decision(conn, second)
        # a new model version scoring the action never replaces the human decision
        q.add_predictions(conn, action_id=aid, scheme="gcm", model_version="v2",
                          labels=[{"label": "7", "score": 0.9}], assigned=["7"])
    with db.connect() as conn:
        current = q.effective_labels(conn, scheme="gcm")[aid]
        assert current["labels"] == ["3"] and current["reviewer"] == "ana"
        history = q.all_decisions(conn)
        assert [d["id"] for d in history] == [first, second] and history[1]["undone_at"] is not None


def test_a_failed_batch_leaves_nothing_half_written(db):
    try:
        with db.begin() as conn:
            q.add_actions(conn, [{"text": "Una acción completa y válida del programa."}, {"text": "  "}])
    except Exception as exc:
        assert "empty text" in str(exc)
    with db.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.actions)).scalar() == 0


def test_label_order_sorts_numbers_by_value():
    assert sorted(["10", "2", "10.a", "10.7", "capacitacion", "1"], key=q.label_order) == [
        "1", "2", "10", "10.7", "10.a", "capacitacion"]


def test_stated_objectives_come_between_human_and_model(db):
    with db.begin() as conn:
        stated, unstated = q.add_actions(conn, [
            {"text": "El Programa de Trabajadores Agrícolas Temporales coloca trabajadores en Canadá.",
             "stated_objectives": [6]},
            {"text": "Campaña contra la xenofobia en redes sociales."}])
        for aid in (stated, unstated):
            q.add_predictions(conn, action_id=aid, scheme="gcm", model_version="v1",
                              labels=[{"label": "17", "score": 0.7}], assigned=["17"])
    with db.connect() as conn:
        labels = q.effective_labels(conn, scheme="gcm")
        assert (labels[stated]["labels"], labels[stated]["source"]) == (["6"], "document")
        assert (labels[unstated]["labels"], labels[unstated]["source"]) == (["17"], "model")
        assert q.effective_labels(conn, scheme="sdg") == {}  # stated objectives are GCM only
    with db.begin() as conn:
        q.record_decision(conn, action_id=stated, scheme="gcm", labels=["5", "6"], reviewer="ana", source="cli")
        assert q.effective_labels(conn, scheme="gcm")[stated]["source"] == "human"


def test_table_counts_cover_every_table_a_migration_made(db):
    with db.connect() as conn:
        counts = q.table_counts(conn)
    assert set(counts) == set(schema.metadata.tables) - {"schema_versions"}
    assert {"highlights", "duplicate_candidates", "duplicate_resolutions", "continuations"} <= set(counts)
