"""The review page end to end in Debian's headless chromium (Playwright, `browser` fixture)."""

import re

import pytest
from playwright.sync_api import expect
from test_review_support import ACTIONS, make_review_store, write_actions_pdf

from pipeline.store import queries as q

pytestmark = pytest.mark.browser


@pytest.fixture
def served(db, tmp_path, serve_review):
    """The review app over a store of ACTIONS: (base url, action ids)."""
    pdf = write_actions_pdf(tmp_path / "informe.pdf")
    ids = make_review_store(db, source_path=pdf)
    return serve_review(db), ids


def sign_in(page, base, name):
    page.goto(base + "/")
    page.fill("#name-input", name)
    page.click("#name-submit")
    page.wait_for_selector("#suggestions li")


def shown_action(page):
    return page.locator("#meta .chip.id").inner_text()


def wait_for_change(page, before):
    # expect() polls without eval: the page's CSP forbids evaluating strings.
    expect(page.locator("#meta .chip.id")).not_to_have_text(before)


def decisions(db):
    with db.connect() as conn:
        return q.current_decisions(conn, scheme="gcm")


def test_review_page_accept_pick_undo_with_keys(db, served, new_page, tmp_path):
    base, ids = served
    page = new_page()
    sign_in(page, base, "Ana López")
    assert page.locator("#reviewer-name").inner_text() == "Ana López"
    assert page.locator("#progress-text").inner_text() == f"0 / {len(ACTIONS)}"

    # 1. The least certain action: the <img> text. It shows as text; nothing runs.
    assert shown_action(page) == f"#{ids['t-xss']}"
    assert page.locator("#action-text").inner_text() == "<img src=x onerror=alert(1)>"
    assert page.locator("#action-text img").count() == 0
    assert page.locator("img[src='x']").count() == 0
    page.keyboard.press("Enter")                      # accept the top suggestion (23)
    wait_for_change(page, f"#{ids['t-xss']}")

    # 2. t-visas: evidence highlighted; pick the second suggestion with a digit.
    assert shown_action(page) == f"#{ids['t-visas']}"
    assert page.locator(".ev-term").first.inner_text() == "tarjetas de visitante"
    # The marked sentence runs over the line break and around the marked term.
    sentence = " ".join("".join(page.locator(".ev-sentence").all_inner_texts()).split())
    assert sentence == ("El Instituto Nacional de Migración otorgó 12,000 tarjetas de visitante "
                        "por razones humanitarias.")
    expect(page.locator("#region")).to_be_visible()
    page.screenshot(path=str(tmp_path / "review_page.png"), full_page=True)
    page.keyboard.press("2")                          # second suggestion: 7
    wait_for_change(page, f"#{ids['t-visas']}")
    expect(page.locator("#progress-text")).to_have_text(re.compile(r"^2 / "))
    assert {k[0]: v["labels"] for k, v in decisions(db).items()} == {ids["t-xss"]: ["23"],
                                                                     ids["t-visas"]: ["7"]}

    # 3. Undo: the t-visas decision is marked undone and the action comes back.
    page.keyboard.press("u")
    expect(page.locator("#toast")).to_have_text("Decisión deshecha")
    assert shown_action(page) == f"#{ids['t-visas']}"
    assert {k[0]: v["labels"] for k, v in decisions(db).items()} == {ids["t-xss"]: ["23"]}
    with db.connect() as conn:
        undone = [d for d in q.all_decisions(conn) if d["undone_at"] is not None]
    assert [(d["action_id"], d["labels"], d["reviewer"]) for d in undone] == [(ids["t-visas"], ["7"], "Ana López")]

    # 4. The filter box finds a label by name; Enter records it.
    page.keyboard.press("/")
    page.keyboard.type("identidad jur")
    assert page.locator("#matches li.active .label-id").inner_text() == "4"
    page.keyboard.press("Enter")
    wait_for_change(page, f"#{ids['t-visas']}")
    assert decisions(db)[(ids["t-visas"], "gcm")]["labels"] == ["4"]

    # 5. Skip leaves the action undecided.
    skipped = shown_action(page)
    page.keyboard.press("s")
    wait_for_change(page, skipped)
    assert (int(skipped[1:]), "gcm") not in decisions(db)
    assert page.dialogs == []


def test_review_page_two_reviewers_at_once_both_stored(db, served, new_page):
    base, ids = served
    ana, luis = new_page(), new_page()
    sign_in(ana, base, "Ana")
    sign_in(luis, base, "Luis")
    first_ana, first_luis = shown_action(ana), shown_action(luis)
    assert first_ana != first_luis, "the queue must not hand one action to both"
    # Both decide at (nearly) the same moment.
    ana.keyboard.press("Enter")
    luis.keyboard.press("1")
    wait_for_change(ana, first_ana)
    wait_for_change(luis, first_luis)
    stored = {k[0]: v["reviewer"] for k, v in decisions(db).items()}
    assert stored == {int(first_ana[1:]): "Ana", int(first_luis[1:]): "Luis"}


def test_review_page_in_english_and_name_is_remembered(db, served, new_page):
    base, _ = served
    page = new_page()
    sign_in(page, base, "Ana")
    page.goto(base + "/?lang=en")
    page.wait_for_selector("#suggestions li")
    assert page.locator("#name-overlay").is_hidden()
    assert page.locator("h2").first.inner_text() == "Model suggestions"
