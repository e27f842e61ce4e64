"""The whole review loop on real sample submissions and the real models (issue 5's "done when"):
classify, export the review sheet, change a decision in it, import it, retrain, classify again —
the reviewed action's predictions follow the decision and carry the new model version."""

import shutil

import pytest
from openpyxl import load_workbook

from pipeline.classify import classify_store
from pipeline.config import MODELS_DIR, SAMPLES_DIR
from pipeline.ingest import ingest_paths
from pipeline.review import sheet as layout
from pipeline.review.export import export_review_sheet
from pipeline.review.importer import import_review_sheet
from pipeline.store import queries as q
from pipeline.train import train

COL = {key: index + 1 for key, index in layout.COLUMN_INDEX.items()}


@pytest.mark.slow
def test_workflow_review_sheet_then_retrain_makes_predictions_follow_decisions(db, tmp_path):
    models = tmp_path / "models"
    shutil.copytree(MODELS_DIR, models)
    outcomes = ingest_paths(db, [SAMPLES_DIR / "ine_informe.pdf", SAMPLES_DIR / "mx-tla_formulario.pdf"])
    assert all(o.status == "stored" for o in outcomes)
    classify_store(db, schemes=("gcm",), models_dir=models)
    with db.connect() as conn:
        before = q.latest_predictions(conn, scheme="gcm")

    sheet = tmp_path / "revision.xlsx"
    export_review_sheet(db, sheet, schemes=["gcm"])
    wb = load_workbook(sheet)
    ws = wb["objetivos_pmm"]
    action_id = int(ws.cell(row=2, column=COL["action_id"]).value)
    # The analyst disagrees with the model: an objective it ranked low.
    wanted = before[action_id]["labels"][-1]["label"]
    ws.cell(row=2, column=COL["decision_1"], value=wanted)
    wb.save(sheet)
    report = import_review_sheet(db, sheet, reviewer="Ana López")
    assert [row[2] for row in report.recorded] == [action_id]

    result = train(db, scheme="gcm", models_dir=models, force=True)
    assert result.promoted
    classify_store(db, schemes=("gcm",), models_dir=models)
    with db.connect() as conn:
        after = q.latest_predictions(conn, scheme="gcm")[action_id]
        decision = q.current_decisions(conn, scheme="gcm")[(action_id, "gcm")]
    assert after["model_version"] == result.version != before[action_id]["model_version"]
    assert after["assigned"] == [wanted]
    assert (decision["labels"], decision["reviewer"], decision["source"]) == ([wanted], "Ana López", "xlsx")
