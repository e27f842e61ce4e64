"""The HTML report opens in a headless browser without errors and shows every chart."""

import pytest

from pipeline.report import build_report
from pipeline.store import queries as q

pytestmark = pytest.mark.browser

SCRIPT = "<script>window.__pmm_injected = true; alert('pmm')</script>"


def _open(browser, path):
    page = browser.new_page()
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.goto(f"file://{path}")
    page.wait_for_load_state("load")
    return page, problems


def _chart_widths(page):
    return page.eval_on_selector_all("figure img", "imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)")


@pytest.fixture
def labelled_store(db):
    with db.begin() as conn:
        ids = q.add_actions(conn, [
            {"text": SCRIPT, "actor": "INM", "actor_type": "federal"},
            {"text": "Ferias de documentación.", "actor": "MX-CHP", "actor_type": "state"},
            {"text": "Albergue municipal.", "actor": "MX-ROO-OPB", "actor_type": "municipal"},
        ])
        for action_id, labels in zip(ids, (["7", "15"], ["4"], ["15"])):
            q.record_decision(conn, action_id=action_id, scheme="gcm", labels=labels, reviewer="ana",
                              source="cli")
        q.record_decision(conn, action_id=ids[0], scheme="sdg", labels=["10.7"], reviewer="ana", source="cli")
        q.record_decision(conn, action_id=ids[0], scheme="challenge", labels=["coordinacion"],
                          reviewer="ana", source="cli")
        q.add_predictions(conn, action_id=ids[1], scheme="challenge", model_version="m1",
                          labels=[{"label": "documentos_identidad", "score": 0.7}],
                          assigned=["documentos_identidad"])
    return db


def test_report_html_opens_without_errors_and_shows_every_chart(browser, labelled_store, tmp_path):
    path = build_report(labelled_store, tmp_path).paths["html"]
    page, problems = _open(browser, path)
    try:
        widths = _chart_widths(page)
        assert len(widths) == 6 and all(w > 0 for w in widths), widths
        assert problems == []
        # The script in the action's text is shown as text, never run.
        assert page.evaluate("window.__pmm_injected === undefined")
        assert SCRIPT in page.inner_text("#acciones")
        # Each count links to the actions it counts.
        page.click("#objetivos table tbody tr:nth-child(7) summary")
        assert page.get_attribute("#objetivos table tbody tr:nth-child(7) a", "href") == "#a-1"
    finally:
        page.close()


def test_report_html_of_an_empty_store_opens(browser, db, tmp_path):
    path = build_report(db, tmp_path, lang="en").paths["html"]
    page, problems = _open(browser, path)
    try:
        assert problems == []
        assert all(w > 0 for w in _chart_widths(page))
        assert "There are no actions to count." in page.inner_text("body")
    finally:
        page.close()
