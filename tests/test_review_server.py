"""The review web app's API, guards and page-region images (Flask test client)."""

import io

import pytest
from test_review_support import ACTIONS, MODEL, make_review_store, write_actions_pdf

from pipeline.review.server import create_app
from pipeline.store import queries as q

POST = {"X-PMM-Request": "1"}


@pytest.fixture
def app_and_ids(db):
    ids = make_review_store(db)
    return create_app(db), ids


@pytest.fixture
def client(app_and_ids):
    return app_and_ids[0].test_client()


def next_item(client, reviewer, **params):
    response = client.get("/api/next", query_string={"scheme": "gcm", "reviewer": reviewer, **params})
    assert response.status_code == 200, response.json
    return response.json


def test_review_server_page_is_spanish_and_locked_down(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="es">' in html and "¿Quién revisa?" in html
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Who is reviewing?" in client.get("/?lang=en").get_data(as_text=True)
    assert client.get("/static/review.js").status_code == 200


def test_review_server_hands_out_the_least_certain_action_with_names(client, app_and_ids):
    _, ids = app_and_ids
    data = next_item(client, "Ana")
    item = data["item"]
    assert item["action_id"] == ids["t-xss"]
    assert item["text"] == "<img src=x onerror=alert(1)>"
    assert item["suggestions"][0]["label"] == "23"
    assert item["suggestions"][0]["name"].startswith("Fortalecer la cooperación internacional")
    assert len(item["suggestions"]) == 9
    assert item["model_version"] == MODEL and item["has_region"] is False
    assert data["progress"] == {"decided": 0, "total": len(ACTIONS)}


def test_review_server_does_not_hand_one_action_to_two_reviewers(client, app_and_ids):
    _, ids = app_and_ids
    ana = next_item(client, "Ana")["item"]["action_id"]
    luis = next_item(client, "Luis")["item"]["action_id"]
    assert (ana, luis) == (ids["t-xss"], ids["t-visas"])
    # Asking again keeps one's own action; skipping releases it to the others.
    assert next_item(client, "Ana")["item"]["action_id"] == ana
    assert client.post("/api/release", json={"action_id": ana, "scheme": "gcm", "reviewer": "Ana"},
                       headers=POST).status_code == 200
    assert next_item(client, "Luis", exclude=str(luis))["item"]["action_id"] == ana


def test_review_server_records_decisions_and_undoes_only_ones_own(client, app_and_ids, db):
    _, ids = app_and_ids
    response = client.post("/api/decisions", headers=POST, json={
        "action_id": ids["t-visas"], "scheme": "gcm", "labels": ["7"], "reviewer": "Ana",
        "model_version": MODEL})
    assert response.status_code == 201
    decision_id = response.json["decision_id"]
    assert response.json["progress"] == {"decided": 1, "total": len(ACTIONS)}
    with db.connect() as conn:
        [row] = q.all_decisions(conn)
    assert (row["labels"], row["reviewer"], row["source"], row["model_version"]) == (["7"], "Ana", "page", MODEL)
    assert row["model_labels"] == [{"label": "5", "score": 0.48}]

    refused = client.post(f"/api/decisions/{decision_id}/undo", headers=POST, json={"reviewer": "Luis"})
    assert refused.status_code == 403
    assert refused.json["error"] == "Solo puede deshacer sus propias decisiones."
    undone = client.post(f"/api/decisions/{decision_id}/undo", headers=POST, json={"reviewer": "Ana"})
    assert undone.status_code == 200 and undone.json["action_id"] == ids["t-visas"]
    with db.connect() as conn:
        assert q.current_decisions(conn) == {}
    again = client.get(f"/api/actions/{ids['t-visas']}", query_string={"scheme": "gcm", "reviewer": "Ana"})
    assert again.json["item"]["action_id"] == ids["t-visas"] and again.json["item"]["decision"] is None


def test_review_server_refuses_bad_decisions_in_spanish(client, app_and_ids, db):
    _, ids = app_and_ids
    cases = [
        ({"action_id": ids["t-visas"], "scheme": "gcm", "labels": ["99"], "reviewer": "Ana"},
         400, "Etiqueta desconocida: 99."),
        ({"action_id": ids["t-visas"], "scheme": "gcm", "labels": ["7"], "reviewer": " "},
         400, "Falta el nombre de quien revisa."),
        ({"action_id": ids["t-visas"], "scheme": "odm", "labels": ["7"], "reviewer": "Ana"},
         400, "Esquema desconocido: odm."),
        ({"action_id": 4242, "scheme": "gcm", "labels": ["7"], "reviewer": "Ana"},
         404, "La acción 4242 no existe."),
        ({"action_id": ids["t-visas"], "scheme": "gcm", "labels": "7", "reviewer": "Ana"},
         400, "«labels» debe ser una lista de etiquetas."),
    ]
    for body, status, message in cases:
        response = client.post("/api/decisions", headers=POST, json=body)
        assert (response.status_code, response.json["error"]) == (status, message)
    english = client.post("/api/decisions?lang=en", headers=POST, json=cases[0][0])
    assert english.json["error"] == "Unknown label: 99."
    with db.connect() as conn:
        assert q.all_decisions(conn) == []


def test_review_server_requires_the_csrf_header_on_posts(client, app_and_ids, db):
    _, ids = app_and_ids
    response = client.post("/api/decisions", json={"action_id": ids["t-visas"], "scheme": "gcm",
                                                   "labels": ["7"], "reviewer": "Ana"})
    assert response.status_code == 403
    assert "X-PMM-Request" in response.json["error"]
    form = client.post("/api/decisions", data={"action_id": ids["t-visas"]})
    assert form.status_code == 403
    with db.connect() as conn:
        assert q.all_decisions(conn) == []


def test_review_server_without_token_answers_only_loopback_hosts(client):
    assert client.get("/", headers={"Host": "localhost:8765"}).status_code == 200
    assert client.get("/", headers={"Host": "[::1]:8765"}).status_code == 200
    rebound = client.get("/api/labels?scheme=gcm", headers={"Host": "attacker.example:8765"})
    assert rebound.status_code == 403


def test_review_server_with_token_requires_it_everywhere(db):
    make_review_store(db)
    client = create_app(db, token="s3cret").test_client()
    assert client.get("/").status_code == 401
    assert client.get("/api/labels?scheme=gcm").status_code == 401
    assert client.get("/api/labels?scheme=gcm", headers={"X-PMM-Token": "wrong"}).status_code == 401
    assert client.get("/api/labels?scheme=gcm", headers={"X-PMM-Token": "s3cret"}).status_code == 200
    # Visiting with ?token= trades it for a cookie and drops it from the address.
    entry = client.get("/?token=s3cret&lang=en", headers={"Host": "10.0.0.5:8765"})
    assert entry.status_code == 302 and entry.headers["Location"] == "/?lang=en"
    assert "HttpOnly" in entry.headers["Set-Cookie"]
    assert client.get("/api/labels?scheme=gcm", headers={"Host": "10.0.0.5:8765"}).status_code == 200


def test_review_server_renders_the_region_of_the_source_pdf(db, tmp_path):
    from PIL import Image
    pdf = write_actions_pdf(tmp_path / "informe.pdf")
    ids = make_review_store(db, source_path=pdf)
    client = create_app(db).test_client()
    response = client.get(f"/actions/{ids['t-salud']}/region.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    image = Image.open(io.BytesIO(response.data))
    # bbox 72..520 x 160..200 points, plus a 14-point margin, at 2 pixels per point
    assert image.size == (2 * (520 - 72 + 28), 2 * (200 - 160 + 28))
    assert image.convert("L").getextrema()[0] < 100, "the text on the page must show"
    assert next_item(client, "Ana")["item"]["has_region"] is True

    pdf.unlink()
    missing = client.get(f"/actions/{ids['t-salud']}/region.png")
    assert missing.status_code == 404
    assert missing.json["error"] == "No hay imagen de la página para esta acción."
