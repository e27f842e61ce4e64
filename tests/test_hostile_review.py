"""Hostile review sheets, formula text in exports, and hostile requests to the review server
(issue 12)."""

import csv
import io
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import urllib.request
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile_cases import ids
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from test_review_support import MODEL, make_review_store

from pipeline.cli import cli
from pipeline.errors import BadInput
from pipeline.review import sheet as layout
from pipeline.review.decisions import load_catalogue
from pipeline.review.export import export_review_sheet
from pipeline.review.importer import import_review_sheet
from pipeline.review.server import create_app
from pipeline.store import connect
from pipeline.store import queries as q
from tools import make_hostile_inputs as make

ROOT = Path(__file__).resolve().parent.parent
COL = {key: index + 1 for key, index in layout.COLUMN_INDEX.items()}
POST = {"X-PMM-Request": "1"}
FORMULA = "=cmd|' /C calc'!A0"


@pytest.fixture
def exported(db, tmp_path):
    ids_ = make_review_store(db)
    path = tmp_path / "revision.xlsx"
    export_review_sheet(db, path)
    return db, ids_, path


def fill(path, values, *, sheet="objetivos_pmm"):
    """Write {(row, column key): value} into the exported sheet."""
    wb = load_workbook(path)
    ws = wb[sheet]
    for (row, key), value in values.items():
        ws.cell(row=row, column=COL[key], value=value)
    wb.save(path)
    return wb


def decisions(db):
    with db.connect() as conn:
        return q.all_decisions(conn)


# --- the review sheet ---------------------------------------------------------------------------

@pytest.mark.parametrize("case", ids("sheet"))
def test_hostile_sheet(exported, tmp_path, case):
    db, ids_, path = exported
    wb = fill(path, {(2, "decision_1"): "3", (3, "decision_1"): "7"})
    ws = wb["objetivos_pmm"]
    if case == "sheet-key-column-deleted":
        ws.delete_cols(COL["row_key"])
        wb.save(path)
        with pytest.raises(BadInput, match=r"sheet 'objetivos_pmm': its columns were changed"):
            import_review_sheet(db, path, reviewer="Ana")
    elif case == "sheet-renamed":
        ws.title = "mis_objetivos"
        wb.save(path)
        with pytest.raises(BadInput, match=r"sheet 'mis_objetivos' is not a sheet pmm wrote"):
            import_review_sheet(db, path, reviewer="Ana")
    elif case == "sheet-imported-twice":
        first = import_review_sheet(db, path, reviewer="Ana")
        second = import_review_sheet(db, path, reviewer="Ana")
        assert (len(first.recorded), first.unchanged) == (2, 0)
        assert (len(second.recorded), second.unchanged, second.rejected) == (0, 2, [])
        assert len(decisions(db)) == 2
        result = CliRunner().invoke(cli, ["--db", str(db.url.database), "review", "import", str(path),
                                          "--reviewer", "Ana"])
        assert result.exit_code == 0 and "0 decisions recorded" in result.output
        assert "2 already recorded" in result.output
        return
    elif case == "sheet-key-scheme-edited":
        key = ws.cell(row=2, column=COL["row_key"]).value
        ws.cell(row=2, column=COL["row_key"], value="sdg|" + key.split("|", 1)[1])
        wb.save(path)
        report = import_review_sheet(db, path, reviewer="Ana")
        assert [(p.row, p.reason) for p in report.rejected] == [
            (2, "row_key says 'sdg' but this is the 'gcm' sheet (row_key edited?)")]
        assert [(d["scheme"], d["labels"]) for d in decisions(db)] == [("gcm", ["7"])]
        return
    elif case == "sheet-with-dtd":
        _inject_doctype(path)
        with pytest.raises(BadInput, match=r"unsafe XLSX: part xl/worksheets/\S+ declares a DTD"):
            import_review_sheet(db, path, reviewer="Ana")
    elif case == "sheet-not-a-file":
        fifo = make.fifo(tmp_path, "tuberia.xlsx")
        # In a child process with a timeout: opening a FIFO blocks, and must fail the test, not hang it.
        result = subprocess.run([sys.executable, "-c", "from pipeline.cli import cli; cli()", "--db",
                                 str(db.url.database), "review", "import", str(fifo), "--reviewer", "Ana"],
                                capture_output=True, text=True, timeout=60, cwd=ROOT,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert result.returncode == 1
        assert result.stderr == f"Error: {fifo}: a FIFO (named pipe), not a file\n"
    assert decisions(db) == []


def _inject_doctype(path):
    """Rewrite the review sheet's XML with a billion-laughs DOCTYPE before its root element."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                doctype = (b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
                           b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>')
                if data.startswith(b"<?xml"):
                    head, _, rest = data.partition(b"?>")
                    data = head + b"?>" + doctype + rest
                else:
                    data = doctype + data
            target.writestr(item, data)
    os.replace(tmp, path)


# Property-based: whatever an analyst (or an attacker) types into the editable cells, the
# importer records valid labels, reports every other decided row, never raises anything but a
# one-line BadInput, and importing again records nothing new.
CELL = st.one_of(st.none(), st.sampled_from(["3", "7", "15", "99", "sí", "x", "no", "(ninguna etiqueta)",
                                             "7 — Abordar", FORMULA, "", "  ", "10.7"]),
                 st.integers(-5, 30), st.floats(allow_nan=True, allow_infinity=True),
                 st.text(max_size=12))
EDIT = st.tuples(st.integers(2, 6), st.sampled_from(["decision_1", "decision_2", "decision_3", "accept",
                                                     "note", "row_key", "action_id", "text"]), CELL)


@pytest.fixture(scope="module")
def sheet_template(tmp_path_factory):
    """A review store and its exported sheet, copied for each example."""
    folder = tmp_path_factory.mktemp("template")
    engine = connect(str(folder / "pmm.sqlite"))
    make_review_store(engine)
    export_review_sheet(engine, folder / "revision.xlsx")
    engine.dispose()
    return folder


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(edits=st.lists(EDIT, min_size=1, max_size=8))
def test_hostile_sheet_importer_property(sheet_template, edits):
    from openpyxl.utils.exceptions import IllegalCharacterError

    folder = Path(tempfile.mkdtemp(prefix="pmm-sheet-"))
    try:
        shutil.copy(sheet_template / "pmm.sqlite", folder / "pmm.sqlite")
        path = shutil.copy(sheet_template / "revision.xlsx", folder / "revision.xlsx")
        engine = connect(str(folder / "pmm.sqlite"))
        values = {}
        for row, key, value in edits:
            values[(row, key)] = value
        try:
            fill(path, values)
        except (ValueError, TypeError, IllegalCharacterError):
            return  # a value openpyxl itself will not write into a cell
        try:
            report = import_review_sheet(engine, path, reviewer="Ana")
        except BadInput as exc:
            assert "\n" not in str(exc)
            return
        catalogue = load_catalogue("gcm")
        for _sheet, _row, _action, scheme, labels, _decision in report.recorded:
            assert scheme == "gcm" and all(label in catalogue for label in labels)
        rows = {p.row for p in report.rejected} | {r[1] for r in report.recorded}
        assert len(rows) == len(report.rejected) + len(report.recorded)
        stored = len(decisions(engine))
        again = import_review_sheet(engine, path, reviewer="Ana")
        assert again.recorded == [] and len(decisions(engine)) == stored
        engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- exports ------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", ids("export"))
def test_hostile_export_csv_formula(db, db_path, case):
    make_review_store(db)
    with db.begin() as conn:
        [action_id] = q.add_actions(conn, [{"text": FORMULA, "id": "@ext"}])
        q.add_predictions(conn, action_id=action_id, scheme="gcm", model_version=MODEL,
                          labels=[{"label": "1", "score": 0.01}, {"label": "2", "score": 0.005}],
                          assigned=[])
    result = CliRunner().invoke(cli, ["--db", str(db_path), "review", "queue", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    [row] = [r for r in rows if r["id"] == str(action_id)]
    assert row["text"] == "'" + FORMULA and row["external_id"] == "'@ext"
    assert all(not value.startswith(("=", "+", "@")) for r in rows for value in r.values())


# --- the review server --------------------------------------------------------------------------

@pytest.fixture
def server(db):
    ids_ = make_review_store(db)
    return create_app(db), ids_


def decide(client, action_id, **extra):
    body = {"action_id": action_id, "scheme": "gcm", "labels": ["7"], "reviewer": "Ana", **extra}
    return client.post("/api/decisions", headers=POST, json=body)


@pytest.mark.parametrize("case", [c for c in ids("server") if c != "server-token-in-log"])
def test_hostile_server_request(server, db, case):
    app, ids_ = server
    client = app.test_client()
    visas = ids_["t-visas"]
    if case == "server-huge-url-id":
        huge = "9" * 23
        query = {"scheme": "gcm", "reviewer": "Ana"}
        assert client.get(f"/api/actions/{huge}", query_string=query).status_code == 404
        assert client.get(f"/actions/{huge}/region.png").status_code == 404
        assert client.post(f"/api/decisions/{2 ** 63}/undo", headers=POST,
                           json={"reviewer": "Ana"}).status_code == 404
        assert client.get("/api/next", query_string={**query, "exclude": huge}).status_code == 200
    elif case == "server-huge-json-id":
        response = decide(client, 10 ** 30)
        assert response.status_code == 400 and "action_id" in response.json["error"]
        assert client.post("/api/release", headers=POST, json={
            "action_id": 10 ** 30, "scheme": "gcm", "reviewer": "Ana"}).status_code == 400
    elif case == "server-bool-id":
        assert decide(client, True).status_code == 400
    elif case == "server-float-id":
        assert decide(client, visas + 0.9).status_code == 400
        assert decide(client, str(visas)).status_code == 400
    elif case == "server-unknown-model-version":
        response = decide(client, visas, model_version="gcm-inventado")
        assert response.status_code == 400
        assert response.json["error"] == "El modelo gcm-inventado no ha calificado esta acción."
        assert decide(client, visas, model_version=["x"]).status_code == 400
    elif case == "server-undo-other-session":
        made = decide(client, visas, model_version=MODEL)
        assert made.status_code == 201
        decision_id = made.json["decision_id"]
        other = app.test_client()  # another browser: no session cookie of Ana's
        stolen = other.post(f"/api/decisions/{decision_id}/undo", headers=POST, json={"reviewer": "Ana"})
        assert stolen.status_code == 403
        with db.connect() as conn:
            assert q.current_decisions(conn)[(visas, "gcm")]["id"] == decision_id
        assert client.post(f"/api/decisions/{decision_id}/undo", headers=POST,
                           json={"reviewer": "Ana"}).status_code == 200
        return
    elif case == "server-loopback-127-0-0-2":
        assert client.get("/", headers={"Host": "127.0.0.2:8765"}).status_code == 200
        assert client.get("/", headers={"Host": "127.1.2.3"}).status_code == 200
        assert client.get("/", headers={"Host": "attacker.example:8765"}).status_code == 403
        return
    assert decisions(db) == []


def test_hostile_server_token_never_reaches_the_access_log(db, caplog):
    from werkzeug.serving import make_server

    from pipeline.review.server import RedactingRequestHandler

    make_review_store(db)
    app = create_app(db, token="secreto-de-prueba")
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=RedactingRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with caplog.at_level(logging.INFO, logger="werkzeug"):
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
            page = opener.open(f"http://127.0.0.1:{server.server_port}/?token=secreto-de-prueba&lang=en")
            assert page.status == 200 and page.url.endswith("/?lang=en")  # redirected, cookie set
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "token=***" in logged and "secreto-de-prueba" not in logged
