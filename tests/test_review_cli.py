"""`pmm review ...` and `pmm serve` through click's CliRunner."""

import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from test_review_support import make_review_store

from pipeline.cli import cli
from pipeline.cli import serve_cmd
from pipeline.review import sheet as layout
from pipeline.store import queries as q

COL = {key: index + 1 for key, index in layout.COLUMN_INDEX.items()}


@pytest.fixture
def store(db, db_path):
    return db, str(db_path), make_review_store(db)


def run(db_path, *args):
    return CliRunner().invoke(cli, ["--db", db_path, *args], catch_exceptions=False)


def test_review_cli_queue_as_json_lines(store):
    db, path, ids = store
    result = run(path, "review", "queue", "--strategy", "margin", "--limit", "2", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["id"] for r in rows] == [ids["t-xss"], ids["t-visas"]]
    assert rows[0]["top"] == "23" and rows[0]["text"] == "<img src=x onerror=alert(1)>"
    table = run(path, "review", "queue", "--actor", "SALUD")
    assert table.exit_code == 0 and "1 gcm actions to review" in table.output


def test_review_cli_export_then_import_reports_rejected_rows(store, tmp_path):
    db, path, ids = store
    sheet = tmp_path / "revision.xlsx"
    exported = run(path, "review", "export", "-o", str(sheet))
    assert exported.exit_code == 0
    assert exported.output == f"{sheet}: 5 rows to review (gcm: 5)\n"
    wb = load_workbook(sheet)
    ws = wb["objetivos_pmm"]
    ws.cell(row=2, column=COL["decision_1"], value="3")
    ws.cell(row=3, column=COL["decision_1"], value="objetivo 99")
    wb.save(sheet)

    result = CliRunner().invoke(cli, ["--db", path, "review", "import", str(sheet), "--reviewer", "Ana"])

    assert result.exit_code == 1
    assert result.stdout.startswith(f"{sheet}: 1 decisions recorded, 1 rows rejected, 3 rows left blank")
    assert "objetivos_pmm, row 3: unknown label 'objetivo 99'" in result.stderr
    with db.connect() as conn:
        assert {k[0]: v["labels"] for k, v in q.current_decisions(conn).items()} == {ids["t-xss"]: ["3"]}


def test_review_cli_import_of_a_missing_file_is_one_line(store, tmp_path):
    _, path, _ = store
    result = CliRunner().invoke(cli, ["--db", path, "review", "import", str(tmp_path / "no.xlsx"),
                                      "--reviewer", "Ana"])
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path / 'no.xlsx'}: no such file\n"


def test_review_cli_decide_and_export_corrections(store, tmp_path):
    db, path, ids = store
    ok = run(path, "review", "decide", str(ids["t-datos"]), "1", "3", "--reviewer", "Luis")
    assert ok.exit_code == 0 and ok.output.endswith("gcm = 1, 3\n")
    bad = CliRunner().invoke(cli, ["--db", path, "review", "decide", str(ids["t-datos"]), "24",
                                   "--reviewer", "Luis"])
    assert bad.exit_code == 1
    assert bad.output == f"Error: action {ids['t-datos']}: unknown gcm label '24'\n"
    out = tmp_path / "corrections"
    exported = run(path, "review", "export-corrections", "--out-dir", str(out))
    assert exported.exit_code == 0 and exported.output == f"{out / 'gcm.jsonl'}: 1 gcm decisions\n"
    [line] = (out / "gcm.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["labels"] == ["1", "3"] and json.loads(line)["source"] == "cli"


class FakeServer:
    """Records how `pmm serve` would serve, without listening."""

    made = []

    def __init__(self, host, port, app, threaded, request_handler=None):
        self.host, self.port, self.app, self.server_port = host, port, app, port or 5555
        FakeServer.made.append(self)

    def serve_forever(self):
        raise KeyboardInterrupt

    def server_close(self):
        pass


def test_review_cli_serve_beyond_loopback_generates_a_token(store, monkeypatch):
    _, path, _ = store
    import werkzeug.serving

    monkeypatch.setattr(werkzeug.serving, "make_server", FakeServer)
    FakeServer.made.clear()
    local = run(path, "serve", "--port", "0")
    assert local.exit_code == 0
    assert local.output.startswith("pmm review page: http://127.0.0.1:5555/\n")
    assert FakeServer.made[-1].app.config["PMM_TOKEN"] is None

    wide = run(path, "serve", "--host", "0.0.0.0", "--port", "8000")
    assert wide.exit_code == 0
    token = FakeServer.made[-1].app.config["PMM_TOKEN"]
    assert token and len(token) >= 24
    assert f"http://127.0.0.1:8000/?token={token}" in wide.output

    given = run(path, "serve", "--host", "192.168.1.20", "--token", "compartido")
    assert FakeServer.made[-1].app.config["PMM_TOKEN"] == "compartido" and given.exit_code == 0


def test_review_cli_loopback_detection():
    from pipeline.review.server import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("::1")
    assert is_loopback("localhost") and is_loopback("127.0.0.2")
    assert not is_loopback("0.0.0.0") and not is_loopback("example.org")
