"""The spreadsheet round trip: export the queue to XLSX, fill it in, import the decisions."""

import pytest
from openpyxl import load_workbook
from test_review_support import MODEL, make_review_store

from pipeline.errors import BadInput, PmmError
from pipeline.review import sheet as layout
from pipeline.review.export import export_review_sheet
from pipeline.review.importer import import_review_sheet
from pipeline.store import queries as q

COL = {key: index + 1 for key, index in layout.COLUMN_INDEX.items()}


@pytest.fixture
def exported(db, tmp_path):
    ids = make_review_store(db)
    path = tmp_path / "revision.xlsx"
    counts = export_review_sheet(db, path)
    return db, ids, path, counts


def rows_by_external_id(ws):
    return {ws.cell(row=r, column=COL["external_id"]).value: r for r in range(2, ws.max_row + 1)}


def test_review_export_writes_the_queue_with_drop_downs(exported):
    db, ids, path, counts = exported
    assert counts == {"gcm": 5}
    wb = load_workbook(path)
    assert wb.sheetnames == ["instrucciones", "etiquetas", "objetivos_pmm"]
    assert wb["etiquetas"].sheet_state == "hidden"
    ws = wb["objetivos_pmm"]
    assert [c.value for c in ws[1]][:5] == ["row_key", "id", "id externo", "actor", "texto de la acción"]
    assert ws.column_dimensions["A"].hidden
    # Least certain first, as in the queue.
    assert [ws.cell(row=r, column=COL["external_id"]).value for r in range(2, 7)] == [
        "t-xss", "t-visas", "t-remesas", "t-datos", "t-salud"]
    row = rows_by_external_id(ws)["t-salud"]
    assert ws.cell(row=row, column=COL["suggestion_1"]).value.startswith("15 — Proporcionar a los migrantes")
    assert ws.cell(row=row, column=COL["score_1"]).value == pytest.approx(0.91)
    assert ws.cell(row=row, column=COL["assigned"]).value == "15"
    visas = rows_by_external_id(ws)["t-visas"]
    assert ws.cell(row=visas, column=COL["evidence"]).value.startswith("El Instituto Nacional de Migración otorgó")
    key = layout.parse_row_key(ws.cell(row=visas, column=COL["row_key"]).value, source="test")
    assert (key.scheme, key.action_id, key.model_version) == ("gcm", ids["t-visas"], MODEL)
    lists = wb["etiquetas"]
    assert lists["A2"].value == "(ninguna etiqueta)"
    assert lists["A9"].value.startswith("7 — Abordar y reducir las vulnerabilidades")
    validations = {dv.formula1: str(dv.sqref) for dv in ws.data_validations.dataValidation}
    assert validations["=etiquetas!$A$2:$A$25"] == "O2:Q6"
    assert '"sí"' in validations


def test_review_export_keeps_formula_like_text_as_text(db, tmp_path):
    with db.begin() as conn:
        [action_id] = q.add_actions(conn, [{"text": "=HYPERLINK(\"http://x\",\"clic\")"}])
        q.add_predictions(conn, action_id=action_id, scheme="gcm", model_version="m",
                          labels=[{"label": "1", "score": 0.4}, {"label": "2", "score": 0.3}],
                          assigned=[])
    path = tmp_path / "r.xlsx"
    export_review_sheet(db, path)
    cell = load_workbook(path)["objetivos_pmm"].cell(row=2, column=COL["text"])
    assert cell.data_type == "s"
    assert cell.value == "=HYPERLINK(\"http://x\",\"clic\")"


def test_review_sheet_round_trip_drops_every_character_xml_forbids(db, tmp_path):
    # U+FFFE/U+FFFF are XML-illegal like the control characters, but openpyxl's own pattern lets
    # them through and its writer then refuses the whole workbook.
    text = "Programa\x07 de\ufffe visas\uffff humanitarias"
    with db.begin() as conn:
        [action_id] = q.add_actions(conn, [{"text": text}])
        q.add_predictions(conn, action_id=action_id, scheme="gcm", model_version="m",
                          labels=[{"label": "1", "score": 0.4}, {"label": "2", "score": 0.3}],
                          assigned=[])
    path = tmp_path / "r.xlsx"
    export_review_sheet(db, path)
    wb = load_workbook(path)
    ws = wb["objetivos_pmm"]
    assert ws.cell(row=2, column=COL["text"]).value == "Programa de visas humanitarias"
    ws.cell(row=2, column=COL["decision_1"], value="2")
    wb.save(path)
    report = import_review_sheet(db, path, reviewer="Ana López")
    assert [r[2] for r in report.recorded] == [action_id] and not report.rejected


def test_review_export_with_nothing_to_review_says_so(db, tmp_path):
    with pytest.raises(PmmError, match="nothing to review"):
        export_review_sheet(db, tmp_path / "r.xlsx")
    make_review_store(db)
    with pytest.raises(BadInput, match=r"r\.csv: the review sheet must be an \.xlsx file"):
        export_review_sheet(db, tmp_path / "r.csv")


def test_review_import_records_valid_rows_and_reports_the_rest(exported, tmp_path):
    db, ids, path, _ = exported
    wb = load_workbook(path)
    ws = wb["objetivos_pmm"]
    rows = rows_by_external_id(ws)
    ws.cell(row=rows["t-salud"], column=COL["accept"], value="sí")
    ws.cell(row=rows["t-visas"], column=COL["decision_1"], value=load_catalogue_choice("7"))
    ws.cell(row=rows["t-visas"], column=COL["decision_2"], value=5)          # a bare number
    ws.cell(row=rows["t-remesas"], column=COL["decision_1"], value="99")     # unknown label
    ws.cell(row=rows["t-datos"], column=COL["decision_1"], value="1")
    ws.cell(row=rows["t-datos"], column=COL["text"], value="Texto cambiado")  # altered text
    ws.cell(row=rows["t-xss"], column=COL["decision_1"], value="3")
    ws.cell(row=rows["t-xss"], column=COL["action_id"], value=999)            # altered id
    # A copy of the t-visas row further down, with the same decision: a duplicate.
    copy = ws.max_row + 1
    for column in range(1, len(layout.COLUMNS) + 1):
        ws.cell(row=copy, column=column, value=ws.cell(row=rows["t-visas"], column=column).value)
    wb.save(path)

    report = import_review_sheet(db, path, reviewer="Ana López")

    assert sorted((sheet, row, action) for sheet, row, action, *_ in report.recorded) == sorted([
        ("objetivos_pmm", rows["t-salud"], ids["t-salud"]),
        ("objetivos_pmm", rows["t-visas"], ids["t-visas"])])
    reasons = {p.row: p.reason for p in report.rejected}
    assert reasons == {
        rows["t-remesas"]: "unknown label '99'",
        rows["t-datos"]: "text altered since export",
        rows["t-xss"]: f"id altered: the row shows 999 but was exported for action {ids['t-xss']}",
        copy: f"duplicate of row {rows['t-visas']} (action {ids['t-visas']})",
    }
    assert str(report.rejected[0]).startswith("objetivos_pmm, row ")
    with db.connect() as conn:
        decided = q.current_decisions(conn, scheme="gcm")
    assert set(decided) == {(ids["t-salud"], "gcm"), (ids["t-visas"], "gcm")}
    salud = decided[(ids["t-salud"], "gcm")]
    assert salud["labels"] == ["15"] and salud["source"] == "xlsx" and salud["reviewer"] == "Ana López"
    assert salud["model_version"] == MODEL
    assert decided[(ids["t-visas"], "gcm")]["labels"] == ["5", "7"]


def test_review_import_refuses_conflicting_duplicates_entirely(exported):
    db, ids, path, _ = exported
    wb = load_workbook(path)
    ws = wb["objetivos_pmm"]
    row = rows_by_external_id(ws)["t-visas"]
    copy = ws.max_row + 1
    for column in range(1, len(layout.COLUMNS) + 1):
        ws.cell(row=copy, column=column, value=ws.cell(row=row, column=column).value)
    ws.cell(row=row, column=COL["decision_1"], value="7")
    ws.cell(row=copy, column=COL["decision_1"], value="5")
    wb.save(path)
    report = import_review_sheet(db, path, reviewer="Ana")
    assert report.recorded == []
    assert {p.row for p in report.rejected} == {row, copy}
    assert "different decision" in {p.row: p.reason for p in report.rejected}[copy]


def test_review_import_refuses_accept_with_labels_and_reads_no_label(exported):
    db, ids, path, _ = exported
    wb = load_workbook(path)
    ws = wb["objetivos_pmm"]
    rows = rows_by_external_id(ws)
    ws.cell(row=rows["t-salud"], column=COL["accept"], value="sí")
    ws.cell(row=rows["t-salud"], column=COL["decision_1"], value="7")
    ws.cell(row=rows["t-datos"], column=COL["decision_1"], value="(ninguna etiqueta)")
    wb.save(path)
    report = import_review_sheet(db, path, reviewer="Ana")
    assert [p.reason for p in report.rejected] == ["both 'accept' and decision columns are filled; keep one"]
    assert [(action, labels) for _, _, action, _, labels, _ in report.recorded] == [(ids["t-datos"], [])]


def test_review_import_refuses_rows_whose_action_changed_in_the_store(exported):
    import sqlalchemy as sa
    from pipeline.store.schema import actions

    db, ids, path, _ = exported
    wb = load_workbook(path)
    ws = wb["objetivos_pmm"]
    ws.cell(row=rows_by_external_id(ws)["t-salud"], column=COL["decision_1"], value="7")
    wb.save(path)
    with db.begin() as conn:
        conn.execute(sa.update(actions).where(actions.c.id == ids["t-salud"]).values(text="Otro texto"))
    report = import_review_sheet(db, path, reviewer="Ana")
    assert report.recorded == []
    assert [p.reason for p in report.rejected] == [
        f"action {ids['t-salud']}'s text in the store differs from the exported text"]


def test_review_import_leaves_blank_rows_alone(exported):
    db, _, path, _ = exported
    report = import_review_sheet(db, path, reviewer="Ana")
    assert (report.recorded, report.rejected, report.undecided) == ([], [], 5)


def test_review_import_bad_files(db, tmp_path):
    not_xlsx = tmp_path / "notas.xlsx"
    not_xlsx.write_text("hola")
    with pytest.raises(BadInput, match=r"notas\.xlsx: not an \.xlsx workbook"):
        import_review_sheet(db, not_xlsx, reviewer="Ana")
    with pytest.raises(BadInput, match=r"falta\.xlsx: no such file"):
        import_review_sheet(db, tmp_path / "falta.xlsx", reviewer="Ana")
    from openpyxl import Workbook
    other = tmp_path / "otra.xlsx"
    Workbook().save(other)
    with pytest.raises(BadInput, match="no review sheet found"):
        import_review_sheet(db, other, reviewer="Ana")
    with pytest.raises(PmmError, match="needs a reviewer name"):
        import_review_sheet(db, other, reviewer=" ")


def load_catalogue_choice(label_id):
    from pipeline.review.decisions import load_catalogue
    return load_catalogue("gcm").get(label_id).choice()
