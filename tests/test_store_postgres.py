"""The store on a real PostgreSQL server (a throwaway cluster, see conftest.postgres_server):
the store tests, schema creation racing, and two reviewers deciding at once."""

import threading

import pytest
import sqlalchemy as sa
import test_store
from test_review_support import MODEL, make_review_store

from pipeline.review.server import create_app
from pipeline.store import SCHEMA_VERSION, connect
from pipeline.store import queries as q
from pipeline.store.db import current_version

POST = {"X-PMM-Request": "1"}


@pytest.fixture
def pg(pg_url):
    engine = connect(pg_url)
    yield engine
    engine.dispose()


@pytest.mark.parametrize("store_test", [
    test_store.test_store_round_trip,
    test_store.test_decisions_are_append_only_and_win_over_the_model,
    test_store.test_a_failed_batch_leaves_nothing_half_written,
    test_store.test_stated_objectives_come_between_human_and_model,
], ids=lambda f: f.__name__)
def test_store_postgres_passes_the_store_tests(pg, store_test):
    store_test(pg)


def test_store_postgres_migrates_once(pg_url):
    engine = connect(pg_url)
    assert engine.dialect.name == "postgresql" and current_version(engine) == SCHEMA_VERSION
    assert current_version(connect(pg_url)) == SCHEMA_VERSION


def test_store_postgres_plain_url_uses_psycopg(pg_url):
    engine = connect(pg_url.replace("postgresql+psycopg://", "postgresql://"))
    assert engine.dialect.driver == "psycopg" and current_version(engine) == SCHEMA_VERSION


def test_store_postgres_concurrent_creation_both_succeed(postgres_server):
    for _ in range(5):
        url = postgres_server()
        errors = []
        barrier = threading.Barrier(3)

        def create():
            barrier.wait()
            try:
                connect(url).dispose()
            except Exception as exc:  # noqa: BLE001 — collected and asserted below
                errors.append(exc)

        threads = [threading.Thread(target=create) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        engine = connect(url)
        with engine.connect() as conn:
            assert conn.execute(sa.text("select count(*) from schema_versions")).scalar() == SCHEMA_VERSION


def test_store_postgres_two_reviewers_at_once(pg):
    """Two reviewers on one server: never handed the same action, both decisions stored, each
    can undo only their own."""
    ids = make_review_store(pg)
    app = create_app(pg)
    ana, luis = app.test_client(), app.test_client()
    first = ana.get("/api/next", query_string={"scheme": "gcm", "reviewer": "Ana"}).json["item"]
    second = luis.get("/api/next", query_string={"scheme": "gcm", "reviewer": "Luis"}).json["item"]
    assert first["action_id"] != second["action_id"]
    results = {}

    def decide(name, client, item, label):
        results[name] = client.post("/api/decisions", headers=POST, json={
            "action_id": item["action_id"], "scheme": "gcm", "labels": [label], "reviewer": name,
            "model_version": item["model_version"]})

    threads = [threading.Thread(target=decide, args=("Ana", ana, first, "7")),
               threading.Thread(target=decide, args=("Luis", luis, second, "15"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results["Ana"].status_code == results["Luis"].status_code == 201
    with pg.connect() as conn:
        decided = {(d["reviewer"], d["action_id"]): d["labels"] for d in q.all_decisions(conn)}
    assert decided == {("Ana", first["action_id"]): ["7"], ("Luis", second["action_id"]): ["15"]}
    assert first["model_version"] == MODEL and set(ids.values()) >= {first["action_id"], second["action_id"]}
    ana_decision = results["Ana"].json["decision_id"]
    stolen = luis.post(f"/api/decisions/{ana_decision}/undo", headers=POST, json={"reviewer": "Ana"})
    assert stolen.status_code == 403
    assert ana.post(f"/api/decisions/{ana_decision}/undo", headers=POST,
                    json={"reviewer": "Ana"}).status_code == 200
